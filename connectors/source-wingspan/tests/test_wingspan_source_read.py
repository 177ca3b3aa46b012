"""source-wingspan reads every raw and standard stream of the seeded account, exactly."""

from __future__ import annotations

from typing import Any

from destination_wingspan.sandbox import WingspanSandbox
from staffwire.standard import Payable, Worker


def test_a_full_refresh_reads_every_record_of_every_stream(sandbox: WingspanSandbox, ws: Any) -> None:
    result = ws.read(ws.config(sandbox), mode="full_refresh")

    contractors = sandbox.contractors()
    payables = sandbox.payables()
    assert ws.counts(result) == {
        "Payee": 6,
        "Collaborator": 6,
        "Payable": 6,
        "Invoice": 2,
        "BulkCollaboratorBatch": 1,
        "BulkPayableBatch": 1,
        "workers": 6,
        "payables": 6,
    }
    assert [r["payeeId"] for r in ws.records(result, "Payee")] == [c["payeeId"] for c in contractors]
    assert [r["collaboratorId"] for r in ws.records(result, "Collaborator")] == [
        c["collaboratorId"] for c in contractors
    ]
    assert [r["payableId"] for r in ws.records(result, "Payable")] == [p["payableId"] for p in payables]
    assert [r["invoiceId"] for r in ws.records(result, "Invoice")] == [
        i["invoiceId"] for i in sandbox.invoices()
    ]
    assert [r["bulkCollaboratorBatchId"] for r in ws.records(result, "BulkCollaboratorBatch")] == list(
        sandbox.collaborator_batches
    )
    assert [r["bulkPayableBatchId"] for r in ws.records(result, "BulkPayableBatch")] == list(
        sandbox.payable_batches
    )
    assert [r["id"] for r in ws.records(result, "workers")] == [
        f"wingspan:{c['payeeId']}" for c in contractors
    ]
    assert [r["id"] for r in ws.records(result, "payables")] == [
        f"wingspan:{p['payableId']}" for p in payables
    ]
    assert result.stream_statuses("workers") == ["STARTED", "RUNNING", "COMPLETE"]


def test_workers_link_back_to_the_ats_record_with_their_onboarding_status(
    sandbox: WingspanSandbox, ws: Any
) -> None:
    result = ws.read(ws.config(sandbox), ("workers",))
    workers = ws.records(result, "workers")
    for worker in workers:
        Worker.model_validate(worker)  # strict: the standard model accepts every record as emitted
    assert [
        (w["external_id"], w["candidate_id"], w["email"], w["first_name"], w["last_name"]) for w in workers
    ] == [
        ("bullhorn:101", "bullhorn:101", "ada.lovelace@example.com", "Ada", "Lovelace"),
        ("bullhorn:102", "bullhorn:102", "grace.hopper@example.com", "Grace", "Hopper"),
        (None, None, "alan.turing@example.co.uk", "Alan", "Turing"),  # an empty external id
        ("EMP-7", None, "cher@example.com", "Cher", None),  # a tenant's own code is not a standard id
        (None, None, "k.johnson+payroll@example.org", None, None),
        (
            "zoho_recruit:5531000000123456",
            "zoho_recruit:5531000000123456",
            "dorothy.vaughan@example.net",
            "Dorothy",
            "Vaughan",
        ),
    ]
    assert [(w["onboarding_status"], w["original_status"], w["onboarded_at"]) for w in workers] == [
        ("ready", "Active", "2026-11-30T15:04:05Z"),
        ("onboarding", "Active", None),
        ("invited", "Pending", None),
        ("inactive", "Inactive", None),  # every requirement met, but the payer set the payee Inactive
        ("invited", "Pending", None),
        ("ready", "Active", "2026-10-20T11:11:11Z"),
    ]
    assert workers[0]["requirements"] == [
        {
            "name": "W-9 tax form",
            "type": "W9",
            "status": "Complete",
            "completed": True,
            "completed_at": "2026-11-30T15:04:05Z",
        },
        {
            "name": "Signed agreement",
            "type": "Signature",
            "status": "Complete",
            "completed": True,
            "completed_at": None,
        },
    ]
    assert workers[0]["custom_fields"] == {
        "staffwire_id": "bullhorn:101",
        "source_system": "bullhorn",
        "phone": "(555) 010-0101 x12",
    }
    assert (workers[0]["remote_created_at"], workers[0]["remote_updated_at"]) == (
        "2026-11-02T09:15:00Z",
        "2026-11-30T15:04:05Z",
    )


def test_standard_payables_carry_status_paid_at_and_the_worker(sandbox: WingspanSandbox, ws: Any) -> None:
    result = ws.read(ws.config(sandbox), ("payables",))
    payables = ws.records(result, "payables")
    for payable in payables:
        Payable.model_validate(payable)
    cher = next(c for c in sandbox.contractors() if c["externalId"] == "EMP-7")
    assert [
        (
            p["reference"],
            p["worker_id"],
            p["amount"],
            p["due_date"],
            p["status"],
            p["original_status"],
            p["paid_at"],
        )
        for p in payables
    ] == [
        ("ts-101-w45", "bullhorn:101", 1250.0, "2026-11-14", "paid", "Paid", "2026-11-16T00:00:00Z"),
        ("ts-101-w46", "bullhorn:101", 1312.5, "2026-11-21", "approved", "Open", None),
        ("ts-102-w46", "bullhorn:102", 980.25, "2026-11-21", "open", "Open", None),
        ("ts-102-adj", "bullhorn:102", 0.01, "2099-12-31", "draft", "Draft", None),
        ("ts-7-old", f"wingspan:{cher['payeeId']}", 450.0, "1999-12-31", "cancelled", "Cancelled", None),
        (
            "ts-5531-oct",
            "zoho_recruit:5531000000123456",
            2000.0,
            "2026-10-31",
            "approved",
            "PaymentInTransit",
            None,
        ),
    ]
    assert payables[0]["line_items"] == [
        {
            "description": "Regular hours",
            "quantity": 1.0,
            "unit": None,
            "unit_price": 1250.0,
            "amount": 1250.0,
        }
    ]


def test_raw_records_are_wingspans_bodies_and_collaborators_carry_their_onboarding_events(
    sandbox: WingspanSandbox, ws: Any
) -> None:
    result = ws.read(ws.config(sandbox), ("Collaborator", "Payable"), mode="full_refresh")
    ada = ws.records(result, "Collaborator")[0]
    assert ada["events"] == {
        "knowYourCustomerVerifiedAt": "2026-11-30T15:04:05.000Z",
        "payoutMethodFirstAddedAt": "2026-11-30T15:04:05.000Z",
        "signedUpAt": "2026-11-30T15:04:05.000Z",
        "taxDocumentationVerifiedAt": "2026-11-30T15:04:05.000Z",
    }
    assert (ada["taxStatus"], [r["status"] for r in ada["eligibilityRequirements"]]) == (
        "Complete",
        ["Complete"],
    )
    assert {k: v for k, v in ada.items() if k != "events"} == {
        k: v
        for k, v in sandbox.collaborators[ada["collaboratorId"]].items()
        if k not in ("payeeId", "_events")
    }
    paid = ws.records(result, "Payable")[0]
    assert (paid["status"], paid["events"]["paidAt"]) == ("Paid", "2026-11-16T00:00:00.000Z")
    assert len(sandbox.requests_to(r"/payments/collaborator/[^/]+/events$", "GET")) == 6


def test_without_collaborator_events_no_event_is_requested(sandbox: WingspanSandbox, ws: Any) -> None:
    result = ws.read(ws.config(sandbox, collaborator_events=False), ("Collaborator", "workers"))
    assert "events" not in ws.records(result, "Collaborator")[0]
    assert ws.records(result, "workers")[0]["onboarded_at"] is None
    assert sandbox.requests_to(r"/events$") == []


def test_the_acting_user_header_reads_the_child_accounts_records(sandbox: WingspanSandbox, ws: Any) -> None:
    from destination_wingspan.sandbox import DEMO_CHILD_USER_ID

    result = ws.read(ws.config(sandbox, acting_user_id=DEMO_CHILD_USER_ID), ("Payee", "workers"))
    assert ws.counts(result) == {}  # the seeded records belong to the parent account
    assert {r.headers.get("x-wingspan-user") for r in sandbox.requests_to("/payments/payee")} == {
        DEMO_CHILD_USER_ID
    }


def test_a_record_without_its_id_is_rejected_with_the_reason_and_the_rest_is_read(
    sandbox: WingspanSandbox, ws: Any
) -> None:
    broken = sandbox.payables()[2]["payableId"]
    sandbox.payables_by_id[broken]["payableId"] = None  # as a broken Wingspan answer would hold it
    result = ws.read(ws.config(sandbox), ("Payable", "payables"))
    assert ws.counts(result) == {"Payable": 5, "payables": 5}
    assert [m for m in result.log_messages("WARN") if "rejected" in m] == [
        "stream 'Payable': record (no id) rejected: Wingspan sent a record without payableId",
        "stream 'payables': record (no id) rejected: Wingspan sent a record without payableId",
    ]
