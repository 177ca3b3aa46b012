"""destination-wingspan write: exact end states in the sandbox, exactly once across reruns, rejections."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from destination_wingspan.examples import PLACEMENTS_TO_PAYABLES
from destination_wingspan.sandbox import WingspanSandbox
from destination_wingspan.testing import (
    candidate,
    creates,
    fast_config,
    payable,
    placement,
    record,
    standard_input,
    state,
    stats,
    write,
)


def test_placed_candidates_become_contractors_enriched_by_placements_and_payables_are_created(
    sandbox: WingspanSandbox,
) -> None:
    result = write(fast_config(sandbox), standard_input(n_candidates=4, n_payables=3))

    assert result.exit_code == 0
    assert stats(result) == [("candidates", 4, 0), ("placements", 1, 0), ("payables", 3, 0)]
    contractors = {c["externalId"]: c for c in sandbox.contractors()}
    assert sorted(contractors) == ["bullhorn:1", "bullhorn:2", "bullhorn:3", "bullhorn:4"]
    assert contractors["bullhorn:2"]["email"] == "ada.worker2@example.com"
    assert contractors["bullhorn:2"]["name"] == "Ada Worker2"
    assert contractors["bullhorn:2"]["labels"] == {"staffwire_id": "bullhorn:2", "source_system": "bullhorn"}
    assert contractors["bullhorn:1"]["labels"] == {
        "staffwire_id": "bullhorn:1",
        "source_system": "bullhorn",
        "placement_id": "bullhorn:500",
        "client_id": "bullhorn:80",
        "job_id": "bullhorn:70",
        "pay_rate": "42.5",
        "bill_rate": "61",
        "pay_unit": "hour",
        "start_date": "2026-07-06",
        "end_date": "2026-12-18",
    }
    payables = sorted(sandbox.payables(), key=lambda p: p["labels"]["staffwireReference"])
    assert [
        (p["labels"]["staffwireReference"], p["collaboratorId"], p["amount"], p["dueDate"], p["status"])
        for p in payables
    ] == [
        (f"ts-{i}", contractors[f"bullhorn:{i}"]["collaboratorId"], 1250.0, "2026-07-17", "Draft")
        for i in (1, 2, 3)
    ]
    lines = [[(ln["description"], ln["detail"], ln["totalCost"]) for ln in p["lineItems"]] for p in payables]
    assert lines == [
        [("Regular hours", "40 hour x 31.25", 1250.0)],
        [("Regular hours", "40 hour x 25", 1000.0), ("Overtime", "4 hour x 62.5", 250.0)],
        [("Regular hours", "40 hour x 31.25", 1250.0)],
    ]
    assert payables[0]["invoiceNotes"] == "Week 28 (ts-1)"
    assert payables[0]["labels"] == {
        "staffwireId": "timesheets:ts-1",
        "staffwireReference": "ts-1",
        "currency": "USD",
    }


def test_contractors_go_through_one_submitted_bulk_collaborator_batch(sandbox: WingspanSandbox) -> None:
    write(fast_config(sandbox), standard_input(n_candidates=4, n_payables=0))

    assert len(sandbox.collaborator_batches) == 1
    batch = next(iter(sandbox.collaborator_batches.values()))
    assert batch["status"] == "Complete"
    assert batch["labels"] == {"createdBy": "staffwire-destination-wingspan"}
    assert len(batch["_items"]) == 4
    assert [r.body for r in sandbox.requests_to(r"/bulk/collaborator/batch/[^/]+$", "PATCH")] == [
        b'{"status":"Pending"}'
    ]


def test_line_items_that_do_not_add_up_become_one_line_with_the_details(sandbox: WingspanSandbox) -> None:
    odd = payable("ts-1", 1, amount=1300.0, split=True)  # lines sum to 1,250: kept as one 1,300 line

    write(
        fast_config(sandbox),
        [record("candidates", candidate(1)), record("payables", odd), state("payables", 1)],
    )

    [p] = sandbox.payables()
    assert [(ln["description"], ln["detail"], ln["totalCost"]) for ln in p["lineItems"]] == [
        ("Week 28 (ts-1)", "Regular hours: 40 hour x 25 = 1000; Overtime: 4 hour x 62.5 = 250", 1300.0)
    ]


def test_rerunning_the_same_input_creates_nothing_new(sandbox: WingspanSandbox) -> None:
    config = fast_config(sandbox)
    write(config, standard_input())
    before = (sandbox.contractors(), sandbox.payables(), creates(sandbox))

    again = write(config, standard_input())

    assert stats(again) == [("candidates", 4, 0), ("placements", 1, 0), ("payables", 3, 0)]
    assert (sandbox.contractors(), sandbox.payables(), creates(sandbox)) == before


def test_duplicates_within_one_run_are_written_once(sandbox: WingspanSandbox) -> None:
    messages = [
        record("candidates", candidate(1)),
        record("candidates", candidate(1, phone="1")),
        record("payables", payable("ts-1", 1)),
        record("payables", payable("ts-1", 1)),
        state("payables", "x"),
    ]

    result = write(fast_config(sandbox), messages)

    assert stats(result) == [("payables", 2, 0)]  # a STREAM state counts its own stream's records
    assert [c["externalId"] for c in sandbox.contractors()] == ["bullhorn:1"]
    assert [p["labels"]["staffwireReference"] for p in sandbox.payables()] == ["ts-1"]


@pytest.mark.parametrize("mode", ["bulk", "payee"])
def test_two_records_with_one_email_in_one_commit_make_one_contractor(
    sandbox: WingspanSandbox, mode: str
) -> None:
    twin = candidate(1)
    twin["id"] = "zoho_recruit:77"  # the same person from another source system
    messages = [
        record("candidates", candidate(1)),
        record("candidates", twin),
        record("payables", payable("z-1", 1, worker_id="zoho_recruit:77")),
        state("payables", 1),
    ]

    write(fast_config(sandbox, contractor_mode=mode), messages)

    [contractor] = sandbox.contractors()
    assert contractor["externalId"] == "bullhorn:1"
    assert [p["collaboratorId"] for p in sandbox.payables()] == [contractor["collaboratorId"]]


def test_only_candidates_matching_the_trigger_become_contractors(sandbox: WingspanSandbox) -> None:
    messages = [
        record("candidates", candidate(1, status="active")),
        record("candidates", candidate(2)),
        record("candidates", candidate(3, status="new")),
        state("candidates", "x"),
    ]
    write(fast_config(sandbox), messages)
    assert [c["externalId"] for c in sandbox.contractors()] == ["bullhorn:2"]

    write(fast_config(sandbox, contractor_trigger={"field": "status", "in": ["active", "placed"]}), messages)
    assert sorted(c["externalId"] for c in sandbox.contractors()) == ["bullhorn:1", "bullhorn:2"]


def test_the_trigger_can_use_any_staffwire_mapping_condition(sandbox: WingspanSandbox) -> None:
    trigger = {
        "all": [
            {"field": "status", "in": ["placed"]},
            {"field": "custom_fields.payrollReady", "equals": True},
        ]
    }
    messages = [
        record("candidates", candidate(1, custom_fields={"payrollReady": True})),
        record("candidates", candidate(2, custom_fields={"payrollReady": False})),
        state("candidates", 1),
    ]

    write(fast_config(sandbox, contractor_trigger=trigger), messages)

    assert [c["externalId"] for c in sandbox.contractors()] == ["bullhorn:1"]


def test_custom_fields_can_be_labels(sandbox: WingspanSandbox) -> None:
    config = fast_config(
        sandbox, contractor_labels={"division": "custom_fields.customText3", "tier": {"const": "gold"}}
    )
    write(
        config,
        [
            record("candidates", candidate(1, custom_fields={"customText3": "Healthcare"})),
            state("candidates", 1),
        ],
    )
    assert sandbox.contractors()[0]["labels"] == {"division": "Healthcare", "tier": "gold"}


def test_a_later_placement_updates_the_labels_of_an_existing_contractor(sandbox: WingspanSandbox) -> None:
    config = fast_config(sandbox)
    write(config, [record("candidates", candidate(1)), state("candidates", 1)])

    write(config, [record("placements", placement(501, 1, pay_rate=50)), state("placements", 2)])

    labels = sandbox.contractors()[0]["labels"]
    assert (labels["placement_id"], labels["pay_rate"]) == ("bullhorn:501", "50")
    assert creates(sandbox)["patches"] == 1


REJECTIONS = [
    (
        "candidates",
        candidate(1, email=None),
        "bullhorn:1",
        "candidate bullhorn:1 has no email; Wingspan invites contractors by email, so add one in the source system",
    ),
    (
        "candidates",
        candidate(2, email="not-an-email"),
        "bullhorn:2",
        "candidate bullhorn:2 has an invalid email 'not-an-email'",
    ),
    (
        "payables",
        payable("ts-9", 99),
        "timesheets:ts-9",
        "no Wingspan contractor has external id bullhorn:99: the worker was never written as a contractor (is the "
        "candidate's status a contractor trigger, and is the candidates stream in the sync?)",
    ),
    (
        "payables",
        payable("ts-8", 5, amount="12,50"),
        "timesheets:ts-8",
        "payable ts-8 has a malformed amount '12,50': it must be a positive number with at most 2 decimals",
    ),
    (
        "payables",
        payable("ts-7", 5, amount=-3),
        "timesheets:ts-7",
        "payable ts-7 has a malformed amount -3: it must be a positive number with at most 2 decimals",
    ),
    (
        "payables",
        payable("ts-6", 5, amount=10.001),
        "timesheets:ts-6",
        "payable ts-6 has a malformed amount 10.001: it must be a positive number with at most 2 decimals",
    ),
    (
        "payables",
        payable("ts-5", 5, due_date="17/07/2026"),
        "timesheets:ts-5",
        "payable ts-5 needs a due_date as YYYY-MM-DD, got '17/07/2026'",
    ),
    (
        "payables",
        payable("ts-4", 5, currency="EUR"),
        "timesheets:ts-4",
        "payable ts-4 is in EUR; Wingspan pays in USD or CAD",
    ),
    (
        "payables",
        payable("", 5),
        "timesheets:",
        "the payable has no reference (its unique key, needed to write it exactly once)",
    ),
]


@pytest.mark.parametrize(("stream", "data", "record_id", "reason"), REJECTIONS)
def test_bad_records_are_rejected_one_by_one_and_the_sync_goes_on(
    sandbox: WingspanSandbox, stream: str, data: dict, record_id: str, reason: str
) -> None:
    messages = [record("candidates", candidate(5)), record(stream, data), state(stream, 1)]

    result = write(fast_config(sandbox), messages)

    assert result.exit_code == 0
    assert stats(result) == [(stream, 2 if stream == "candidates" else 1, 1)]
    assert result.log_messages("WARN") == [
        f"destination-wingspan stream '{stream}': record {record_id} rejected: {reason}"
    ]
    assert [c["externalId"] for c in sandbox.contractors()] == ["bullhorn:5"]


def test_an_item_wingspan_refuses_is_rejected_with_its_error_message(sandbox: WingspanSandbox) -> None:
    sandbox.refuse_email("ada.worker1@example.com")
    messages = [
        record("candidates", candidate(1)),
        record("candidates", candidate(2)),
        state("candidates", 1),
    ]

    result = write(fast_config(sandbox), messages)

    batch_id = next(iter(sandbox.collaborator_batches))
    assert stats(result) == [("candidates", 2, 1)]
    assert result.log_messages("WARN") == [
        "destination-wingspan stream 'candidates': record bullhorn:1 rejected: Wingspan refused contractor "
        f"ada.worker1@example.com in bulk collaborator batch {batch_id}: Cannot invite ada.worker1@example.com: "
        "the address belongs to a user of this payer account"
    ]
    assert [c["externalId"] for c in sandbox.contractors()] == ["bullhorn:2"]


def test_a_payee_wingspan_refuses_is_rejected_with_its_error_message(sandbox: WingspanSandbox) -> None:
    sandbox.refuse_email("ada.worker1@example.com", "Email domain is blocked")

    result = write(
        fast_config(sandbox, contractor_mode="payee"),
        [record("candidates", candidate(1)), state("candidates", 1)],
    )

    assert stats(result) == [("candidates", 1, 1)]
    assert result.log_messages("WARN") == [
        "destination-wingspan stream 'candidates': record bullhorn:1 rejected: Wingspan refused payee "
        "ada.worker1@example.com: ValidationError: Email domain is blocked (HTTP 422)"
    ]


def test_rejected_records_also_go_to_the_jsonl_file(sandbox: WingspanSandbox, tmp_path: Path) -> None:
    path = tmp_path / "rejected.jsonl"
    messages = [
        record("candidates", candidate(1, email=None)),
        record("payables", payable("ts-1", 42)),
        state("payables", 1),
    ]

    write(fast_config(sandbox, rejected_records_path=str(path)), messages)

    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [
        (x["stream"], x["record_id"], x["reasons"][0]["rule"], x["reasons"][0]["field"]) for x in lines
    ] == [
        ("candidates", "bullhorn:1", "required", "email"),
        ("payables", "timesheets:ts-1", "unknown_worker", None),
    ]


def test_payee_mode_creates_payees_exactly_once(sandbox: WingspanSandbox) -> None:
    config = fast_config(sandbox, contractor_mode="payee")

    first = write(config, standard_input(n_candidates=3, n_payables=2))
    again = write(config, standard_input(n_candidates=3, n_payables=2))

    assert stats(first) == stats(again) == [("candidates", 3, 0), ("placements", 1, 0), ("payables", 2, 0)]
    assert sorted(c["externalId"] for c in sandbox.contractors()) == [
        "bullhorn:1",
        "bullhorn:2",
        "bullhorn:3",
    ]
    assert sandbox.collaborator_batches == {}
    assert creates(sandbox)["payees"] == 3
    assert len(sandbox.payables()) == 2
    by_external = {c["externalId"]: c for c in sandbox.contractors()}  # payees are created concurrently
    assert by_external["bullhorn:1"]["labels"]["placement_id"] == "bullhorn:500"


def test_an_existing_payee_with_the_same_email_is_adopted_not_duplicated(sandbox: WingspanSandbox) -> None:
    write(
        fast_config(sandbox, contractor_mode="payee"),
        [record("candidates", candidate(1)), state("candidates", 1)],
    )
    renamed = candidate(1)
    renamed["id"] = "zoho_recruit:77"  # the same person from another source: same email, new external id

    write(
        fast_config(sandbox, contractor_mode="payee"),
        [
            record("candidates", renamed),
            record("payables", payable("z-1", 1, worker_id="zoho_recruit:77")),
            state("payables", 1),
        ],
    )

    assert len(sandbox.contractors()) == 1
    assert sandbox.payables()[0]["collaboratorId"] == sandbox.contractors()[0]["collaboratorId"]


def test_the_demo_mapping_turns_each_hourly_placement_into_a_first_week_payable(
    sandbox: WingspanSandbox,
) -> None:
    messages = [
        record("candidates", candidate(1)),
        record("candidates", candidate(2)),
        state("candidates", 1),
        record("placements", placement(500, 1)),
        record("placements", placement(501, 2, pay_unit="week")),
        state("placements", 1),
    ]

    result = write(fast_config(sandbox, stream_mappings=[PLACEMENTS_TO_PAYABLES]), messages)

    assert stats(result) == [("candidates", 2, 0), ("placements", 2, 0)]
    [p] = sandbox.payables()
    assert (
        p["labels"]["staffwireReference"],
        p["amount"],
        p["dueDate"],
        p["lineItems"][0]["description"],
    ) == (
        "placement:bullhorn:500:week1",
        1700.0,
        "2026-07-13",
        "First week of placement bullhorn:500",
    )
    assert (
        p["collaboratorId"]
        == {c["externalId"]: c for c in sandbox.contractors()}["bullhorn:1"]["collaboratorId"]
    )


def test_a_stream_mapping_can_write_contractors_from_any_stream(sandbox: WingspanSandbox) -> None:
    mapping = {
        "stream": "Candidate",
        "target": "contractors",
        "fields": {"id": {"template": "bullhorn:{id}"}, "email": "email", "first_name": "firstName"},
    }
    raw = {"id": 9, "email": "raw9@example.com", "firstName": "Raw"}

    result = write(
        fast_config(sandbox, stream_mappings=[mapping]),
        [record("Candidate", raw), state("Candidate", 1)],
        streams=("Candidate",),
    )

    assert stats(result) == [("Candidate", 1, 0)]
    assert [(c["externalId"], c["email"], c["name"]) for c in sandbox.contractors()] == [
        ("bullhorn:9", "raw9@example.com", "Raw")
    ]


def test_records_of_streams_without_meaning_are_counted_and_ignored(sandbox: WingspanSandbox) -> None:
    result = write(
        fast_config(sandbox), [record("jobs", {"id": "bullhorn:1"}), state("jobs", 1)], streams=("jobs",)
    )
    assert stats(result) == [("jobs", 1, 0)]
    assert sandbox.contractors() == []


def test_the_console_script_writes_over_real_stdin_and_stdout(sandbox: WingspanSandbox) -> None:
    result = write(fast_config(sandbox), standard_input(n_candidates=2, n_payables=1), subprocess=True)
    assert result.exit_code == 0
    assert stats(result) == [("candidates", 2, 0), ("placements", 1, 0), ("payables", 1, 0)]
    assert len(sandbox.contractors()) == 2


INVOICE_MAPPING = {
    "stream": "billing",
    "target": "invoices",
    "fields": {
        "reference": {"template": "invoice:{id}"},
        "client_email": "client.email",
        "client_name": "client.name",
        "due_date": "due",
        "currency": {"const": "USD"},
        "description": {"template": "Placement fees {id}"},
        "line_items": "lines",
    },
}


def bill(n: int, email: str | None = "ap@acme.example", **extra: object) -> dict:
    return {
        "id": f"b{n}",
        "client": {"email": email, "name": "Acme Manufacturing"},
        "due": "2026-08-01",
        "lines": [
            {"description": "Forklift operator, week 28", "quantity": 40, "unit": "hour", "unit_price": 61.0},
            {"description": "Overtime", "quantity": 2.5, "unit_price": 91.5},
        ],
        **extra,
    }


def test_a_mapped_stream_becomes_client_invoices_exactly_once(sandbox: WingspanSandbox) -> None:
    config = fast_config(sandbox, stream_mappings=[INVOICE_MAPPING])
    messages = [
        record("billing", bill(1)),
        record("billing", bill(2)),
        record("billing", bill(3, email=None)),
        state("billing", 1),
    ]

    first = write(config, messages, streams=("billing",))
    again = write(config, messages, streams=("billing",))

    assert stats(first) == stats(again) == [("billing", 3, 1)]
    assert first.log_messages("WARN") == [
        "destination-wingspan stream 'billing': record b3 rejected: invoice "
        "invoice:b3 needs the client's billing email, got None"
    ]
    assert len(sandbox.member_clients) == 1
    invoices = sandbox.invoices()
    assert [
        (i["labels"]["staffwireReference"], i["amount"], i["dueDate"], i["status"]) for i in invoices
    ] == [("invoice:b1", 2668.75, "2026-08-01", "Draft"), ("invoice:b2", 2668.75, "2026-08-01", "Draft")]
    assert [
        (ln["description"], ln["quantity"], ln["costPerUnit"], ln["totalCost"])
        for ln in invoices[0]["lineItems"]
    ] == [("Forklift operator, week 28", 40, 61.0, 2440.0), ("Overtime", 2.5, 91.5, 228.75)]
    assert len(sandbox.requests_to(r"^/payments/invoice$", "POST")) == 2


def test_a_lost_invoice_answer_is_verified_before_a_retry(sandbox: WingspanSandbox) -> None:
    sandbox.faults.drop(r"^/payments/invoice$", applied=True, method="POST")
    sandbox.faults.drop(r"^/payments/memberClient$", applied=True, method="POST")

    result = write(
        fast_config(sandbox, stream_mappings=[INVOICE_MAPPING]),
        [record("billing", bill(1)), state("billing", 1)],
        streams=("billing",),
    )

    assert stats(result) == [("billing", 1, 0)]
    assert len(sandbox.member_clients) == 1
    assert [i["labels"]["staffwireReference"] for i in sandbox.invoices()] == ["invoice:b1"]
