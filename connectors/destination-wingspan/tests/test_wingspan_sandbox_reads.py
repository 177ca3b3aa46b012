"""The Wingspan sandbox serves the reads a source makes, in Wingspan's shapes, and has an onboarding switch.

Shapes are checked against the response schemas of Wingspan's own OpenAPI file (the one the sandbox validates
request bodies with): every field the sandbox answers must have the JSON type the schema gives it (array vs string
vs object vs number vs boolean, null only where the schema allows null). ``required`` is relaxed: the sandbox
leaves out parts of a record it does not emulate (bank accounts, 1099 balances), never a field it does.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from destination_wingspan.sandbox import DEMO_TOKEN, WingspanSandbox
from destination_wingspan.sandbox.seed import SEED_CONTRACTORS, SEED_INVOICES, SEED_PAYABLES
from jsonschema import Draft202012Validator
from staffwire.testing.sandbox import sandbox_fixture

OPENAPI = Path(__file__).resolve().parents[1] / "destination_wingspan" / "reference" / "payments-openapi.yaml"
AUTH = {"Authorization": f"Bearer {DEMO_TOKEN}"}

sandbox = sandbox_fixture(lambda: WingspanSandbox(seed=True, rate_limit_per_s=None), name="sandbox")


@cache
def _openapi() -> dict[str, Any]:
    with OPENAPI.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # type: ignore[no-any-return]


def _relaxed(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _relaxed(v) for k, v in node.items() if k != "required"}
    if isinstance(node, list):
        return [_relaxed(v) for v in node]
    return node


def shape_errors(path: str, body: Any) -> list[str]:
    """Every place where ``body`` does not have the type the OpenAPI file gives ``GET path``'s answer."""
    doc = _openapi()
    schema = doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    root = {**_relaxed(schema), "components": _relaxed(doc["components"])}
    validator = Draft202012Validator(root)
    return [
        f"{'.'.join(str(p) for p in e.absolute_path) or 'body'}: {e.message}"
        for e in validator.iter_errors(body)
    ]


def get(sb: WingspanSandbox, path: str) -> Any:
    response = requests.get(sb.url + path, headers=AUTH, timeout=5)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_seeded_account_lists_every_contractor_payable_invoice_and_batch(
    sandbox: WingspanSandbox,
) -> None:
    payees = get(sandbox, "/payments/payee")
    assert [p["user"]["email"] for p in payees] == [row[0] for row in SEED_CONTRACTORS]
    assert [p["payerOwnedData"]["payeeExternalId"] for p in payees] == [
        "bullhorn:101",
        "bullhorn:102",
        "",
        "EMP-7",
        None,
        "zoho_recruit:5531000000123456",
    ]
    assert len(get(sandbox, "/payments/collaborator")) == len(SEED_CONTRACTORS)
    payables = get(sandbox, "/payments/payable")
    assert [(p["labels"]["staffwireReference"], p["status"]) for p in payables] == [
        ("ts-101-w45", "Paid"),
        ("ts-101-w46", "Open"),
        ("ts-102-w46", "Open"),
        ("ts-102-adj", "Draft"),
        ("ts-7-old", "Cancelled"),
        ("ts-5531-oct", "PaymentInTransit"),
    ]
    assert len(SEED_PAYABLES) == 6
    assert [(i["amount"], i["status"]) for i in get(sandbox, "/payments/invoice")] == [
        (row[2], row[3]) for row in SEED_INVOICES
    ]
    assert [b["status"] for b in get(sandbox, "/payments/bulk/collaborator/batch")] == ["Complete"]
    assert [b["statistics"] for b in get(sandbox, "/payments/bulk/payable/batch")] == [
        {"itemsTotal": 1, "itemsProcessed": 1, "itemsFailed": 0}
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/payments/collaborator",
        "/payments/payable",
        "/payments/invoice",
        "/payments/bulk/collaborator/batch",
        "/payments/bulk/payable/batch",
    ],
)
def test_list_answers_have_the_shapes_of_wingspans_openapi_file(sandbox: WingspanSandbox, path: str) -> None:
    body = get(sandbox, path)
    assert isinstance(body, list) and body
    assert shape_errors(path, body) == []


def test_item_and_event_answers_have_the_shapes_of_wingspans_openapi_file(sandbox: WingspanSandbox) -> None:
    collaborator = get(sandbox, "/payments/collaborator")[0]
    path = f"/payments/collaborator/{collaborator['collaboratorId']}"
    assert shape_errors("/payments/collaborator/{id}", get(sandbox, path)) == []
    assert shape_errors("/payments/collaborator/{id}/events", get(sandbox, path + "/events")) == []
    batch = get(sandbox, "/payments/bulk/payable/batch")[0]["bulkPayableBatchId"]
    items = get(sandbox, f"/payments/bulk/payable/batch/{batch}/item")
    assert shape_errors("/payments/bulk/payable/batch/{batchId}/item", items) == []


def test_the_shape_check_catches_a_wrongly_typed_field() -> None:
    bad = [
        {"collaboratorId": 7, "eligibilityRequirements": {"requirementType": "Signature"}, "taxStatus": None}
    ]
    errors = shape_errors("/payments/collaborator", bad)
    assert len(errors) == 4  # taxStatus: neither a string nor one of the enum's values
    assert "0.collaboratorId: 7 is not of type 'string'" in errors


def test_a_paid_payable_carries_its_paid_date_and_an_approved_one_its_workflow(
    sandbox: WingspanSandbox,
) -> None:
    by_ref = {p["labels"]["staffwireReference"]: p for p in get(sandbox, "/payments/payable")}
    paid, approved, draft = by_ref["ts-101-w45"], by_ref["ts-101-w46"], by_ref["ts-102-adj"]
    assert paid["events"]["paidAt"] == "2026-11-16T00:00:00.000Z"
    assert paid["client"]["workflowStatus"] == "Funded"
    assert (approved["status"], approved["client"]["workflowStatus"]) == ("Open", "Approved")
    assert approved["events"]["approvedAt"] == "2026-11-17T09:00:00.000Z"
    assert draft["events"] == {
        "approvedAt": None,
        "cancelledAt": None,
        "openedAt": None,
        "paidAt": None,
        "paymentInTransitAt": None,
    }


def test_patching_a_payable_to_paid_stamps_paid_at_and_updated_at(sandbox: WingspanSandbox) -> None:
    payable = next(p for p in get(sandbox, "/payments/payable") if p["status"] == "Draft")
    url = f"{sandbox.url}/payments/payable/{payable['payableId']}"
    answer = requests.patch(url, json={"status": "Paid"}, headers=AUTH, timeout=5).json()
    assert answer["status"] == "Paid"
    assert answer["events"]["paidAt"] == answer["updatedAt"]
    assert answer["updatedAt"] > payable["updatedAt"]


def test_onboard_moves_a_contractor_to_ready_with_every_requirement_complete(
    sandbox: WingspanSandbox,
) -> None:
    before = {p["payerOwnedData"]["payeeExternalId"]: p for p in get(sandbox, "/payments/payee")}[
        "bullhorn:102"
    ]
    assert [r["status"] for r in before["requirements"]] == ["Incomplete", "Incomplete"]
    assert before["user"]["status"] == "Active"  # signed up, not done

    payee = sandbox.onboard("bullhorn:102", at="2026-12-01T10:00:00.000Z")

    assert [(r["requirementType"], r["status"]) for r in payee["requirements"]] == [
        ("W9", "Complete"),
        ("Signature", "Complete"),
    ]
    assert payee["updatedAt"] == "2026-12-01T10:00:00.000Z"
    engagement = payee["requirements"][0]["payerPayeeEngagementIds"][0]
    collaborator = get(sandbox, f"/payments/collaborator/{engagement}")
    assert collaborator["taxStatus"] == "Complete"
    assert [r["status"] for r in collaborator["eligibilityRequirements"]] == ["Complete"]
    assert get(sandbox, f"/payments/collaborator/{engagement}/events") == {
        "knowYourCustomerVerifiedAt": "2026-11-04T08:30:00.000Z",
        "payoutMethodFirstAddedAt": "2026-12-01T10:00:00.000Z",
        "signedUpAt": "2026-11-04T08:30:00.000Z",
        "taxDocumentationVerifiedAt": "2026-12-01T10:00:00.000Z",
    }


def test_the_admin_endpoint_onboards_by_email_without_a_token(sandbox: WingspanSandbox) -> None:
    url = f"{sandbox.url}/_sandbox/onboarding/alan.turing%40example.co.uk"
    answer = requests.post(url, json={"stage": "onboarding"}, timeout=5)
    assert answer.status_code == 200
    assert answer.json()["user"]["status"] == "Active"
    assert [r["status"] for r in answer.json()["requirements"]] == ["Incomplete", "Incomplete"]
    events = get(
        sandbox,
        f"/payments/collaborator/{answer.json()['requirements'][0]['payerPayeeEngagementIds'][0]}/events",
    )
    assert sorted(events) == ["knowYourCustomerVerifiedAt", "signedUpAt"]


@pytest.mark.parametrize(
    ("who", "body", "status", "error"),
    [
        (
            "nobody%40example.com",
            {},
            404,
            "no contractor is known by 'nobody@example.com' (payee id, collaborator "
            "id, email or external id)",
        ),
        (
            "bullhorn:101",
            {"stage": "hired"},
            400,
            "stage must be one of invited, onboarding, ready, got 'hired'",
        ),
    ],
)
def test_the_admin_endpoint_refuses_unknown_contractors_and_stages(
    sandbox: WingspanSandbox, who: str, body: dict[str, Any], status: int, error: str
) -> None:
    answer = requests.post(f"{sandbox.url}/_sandbox/onboarding/{who}", json=body, timeout=5)
    assert (answer.status_code, answer.json()) == (status, {"error": error})


def test_an_unseeded_sandbox_starts_empty() -> None:
    with WingspanSandbox() as sb:
        assert get(sb, "/payments/payee") == []
        assert sb.payables() == []


def test_onboard_first_moves_the_first_active_contractors_not_ready_yet(sandbox: WingspanSandbox) -> None:
    # seeded: 101 ready, 102 onboarding, '' invited, EMP-7 set Inactive, (none) invited, 5531 ready
    moved = sandbox.onboard_first(2, at="2026-12-01T10:00:00.000Z")
    payees = get(sandbox, "/payments/payee")
    alan = payees[2]["payeeId"]
    assert moved == ["bullhorn:102", alan]  # an empty external id: the payee id names it
    assert [p["user"]["status"] for p in payees] == [
        "Active",
        "Active",
        "Active",
        "Active",
        "Pending",
        "Active",
    ]
    assert sandbox.onboard_first(5) == [payees[4]["payeeId"]]  # the only one left
