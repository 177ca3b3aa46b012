"""The Wingspan sandbox behaves like the API: schema-validated bodies, async batches, 208/409, limits, auth."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests
from destination_wingspan.sandbox import DEMO_CHILD_USER_ID, DEMO_TOKEN, DEMO_USER_ID, WingspanSandbox

AUTH = {"Authorization": f"Bearer {DEMO_TOKEN}"}


def call(sb: WingspanSandbox, method: str, path: str, body: Any = None, **headers: str) -> requests.Response:
    return requests.request(method, sb.url + path, json=body, headers={**AUTH, **headers}, timeout=5)


def payable_batch(sb: WingspanSandbox) -> str:
    return str(
        call(sb, "POST", "/payments/bulk/payable/batch", {"processingStrategy": "Single"}).json()[
            "bulkPayableBatchId"
        ]
    )


def item(batch_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "bulkPayableBatchId": batch_id,
        "amount": 100,
        "dueDate": "2026-07-17",
        "lineItemDescription": "Week",
        "payableStatus": "Draft",
        "collaboratorExternalId": "bullhorn:1",
        **extra,
    }


def wait_terminal(sb: WingspanSandbox, path: str) -> dict[str, Any]:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        batch = call(sb, "GET", path).json()
        if batch["status"] in ("Complete", "Failed"):
            return batch  # type: ignore[no-any-return]
        time.sleep(0.01)
    raise AssertionError(f"{path} never finished")


REFUSED_BODIES = [
    (
        "POST",
        "/payments/bulk/payable/batch",
        {"processingStrategy": "Fast"},
        "processingStrategy: 'Fast' is not one of ['Merge', 'Single']",
    ),
    ("POST", "/payments/bulk/payable/batch", {}, "body: 'processingStrategy' is a required property"),
    (
        "POST",
        "/payments/bulk/collaborator/batch",
        {"labels": {"n": 1}},
        "labels: {'n': 1} is not valid under any of the given schemas",
    ),
    ("POST", "/payments/payee", {"firstName": "Ada"}, "body: 'email' is a required property"),
    (
        "POST",
        "/payments/payable",
        {"collaboratorId": "x", "dueDate": "2026-01-01", "lineItems": []},
        "body: 'creditFeeHandling' is a required property",
    ),
    ("POST", "/payments/collaborator", {"memberEmail": "a@b.co"}, "body: 'clientId' is a required property"),
]


@pytest.mark.parametrize(("method", "path", "body", "message"), REFUSED_BODIES)
def test_a_body_the_openapi_schema_refuses_is_answered_400(
    sandbox: WingspanSandbox, method: str, path: str, body: dict, message: str
) -> None:
    response = call(sandbox, method, path, body)
    assert response.status_code == 400
    assert response.json() == {"code": "ValidationError", "message": f"Invalid request body: {message}"}


def test_a_bulk_payable_item_needs_every_required_field(sandbox: WingspanSandbox) -> None:
    batch_id = payable_batch(sandbox)
    body = item(batch_id)
    del body["payableStatus"], body["amount"]
    response = call(sandbox, "POST", f"/payments/bulk/payable/batch/{batch_id}/item", body)
    assert response.status_code == 400
    assert response.json()["message"] == (
        "Invalid request body: body: 'amount' is a required property; body: "
        "'payableStatus' is a required property"
    )


def test_a_repeated_payable_reference_answers_208_with_the_existing_item(sandbox: WingspanSandbox) -> None:
    batch_id = payable_batch(sandbox)
    first = call(
        sandbox,
        "POST",
        f"/payments/bulk/payable/batch/{batch_id}/item",
        item(batch_id, bulkPayableItemReference="ref-1"),
    )
    other = payable_batch(sandbox)
    again = call(
        sandbox,
        "POST",
        f"/payments/bulk/payable/batch/{other}/item",
        item(other, bulkPayableItemReference="ref-1"),
    )
    assert (first.status_code, again.status_code) == (200, 208)
    assert again.json() == first.json()


def test_batches_process_asynchronously_and_report_each_item(sandbox: WingspanSandbox) -> None:
    sandbox.process_delay = 0.1
    batch = call(sandbox, "POST", "/payments/bulk/collaborator/batch", {}).json()
    path = f"/payments/bulk/collaborator/batch/{batch['bulkCollaboratorBatchId']}"
    call(
        sandbox,
        "POST",
        f"{path}/item",
        {"email": "ada@example.com", "externalId": "bullhorn:1", "firstLastName": "Ada Lovelace"},
    )
    call(sandbox, "POST", f"{path}/item", {"email": None, "externalId": "bullhorn:2"})

    submitted = call(sandbox, "PATCH", path, {"status": "Pending"}).json()
    finished = wait_terminal(sandbox, path)
    items = call(sandbox, "GET", f"{path}/item").json()

    assert batch["status"] == "Open" and "statistics" not in batch
    assert submitted["status"] == "Pending"
    assert finished["status"] == "Complete"
    assert finished["statistics"] == {"itemsTotal": 2, "itemsProcessed": 2, "itemsFailed": 1}
    assert [(i["status"], i["metadata"]["errorMessage"]) for i in items] == [
        ("Complete", None),
        ("Failed", "A valid email is required to invite a collaborator (got '')"),
    ]
    assert items[0]["metadata"]["resolvedCollaboratorId"] == sandbox.contractors()[0]["collaboratorId"]
    assert call(sandbox, "POST", f"{path}/item", {"email": "late@example.com"}).status_code == 400


def test_a_batch_whose_items_all_fail_is_failed(sandbox: WingspanSandbox) -> None:
    batch_id = payable_batch(sandbox)
    path = f"/payments/bulk/payable/batch/{batch_id}"
    call(sandbox, "POST", f"{path}/item", item(batch_id, collaboratorExternalId="nobody"))
    call(sandbox, "PATCH", path, {"status": "Pending"})
    assert wait_terminal(sandbox, path)["status"] == "Failed"
    [failed] = call(sandbox, "GET", f"{path}/item").json()
    assert failed["metadata"]["errorMessage"] == "Could not find a collaborator matching nobody"


def test_a_payee_email_already_known_answers_409(sandbox: WingspanSandbox) -> None:
    first = call(sandbox, "POST", "/payments/payee", {"email": "ada@example.com"})
    again = call(sandbox, "POST", "/payments/payee", {"email": "ADA@example.com"})
    assert (first.status_code, again.status_code) == (200, 409)
    assert again.json() == {
        "error": "A payee with email ADA@example.com already exists",
        "payeeId": first.json()["payeeId"],
    }
    engagement = first.json()["requirements"][0]["payerPayeeEngagementIds"][0]
    assert call(sandbox, "GET", f"/payments/collaborator/{engagement}").json()["member"]["user"]["email"] == (
        "ada@example.com"
    )


def test_sessions_and_acting_users(sandbox: WingspanSandbox) -> None:
    session = requests.get(f"{sandbox.url}/users/session/token/{DEMO_TOKEN}", timeout=5)
    assert session.json()["userId"] == DEMO_USER_ID
    assert requests.get(f"{sandbox.url}/users/session/token/nope", timeout=5).json() == {
        "error": "Session expired"
    }
    assert requests.get(f"{sandbox.url}/payments/payee", timeout=5).status_code == 401
    assert call(sandbox, "GET", "/payments/payee", **{"X-WINGSPAN-USER": "other"}).status_code == 403
    call(
        sandbox,
        "POST",
        "/payments/payee",
        {"email": "child@example.com"},
        **{"X-WINGSPAN-USER": DEMO_CHILD_USER_ID},
    )
    assert call(sandbox, "GET", "/payments/payee").json() == []
    assert [c["clientId"] for c in sandbox.contractors()] == [DEMO_CHILD_USER_ID]


def test_writes_beyond_the_rate_limit_answer_429() -> None:
    with WingspanSandbox(rate_limit_per_s=5, retry_after="2") as sandbox:
        statuses = [call(sandbox, "POST", "/payments/bulk/collaborator/batch", {}) for _ in range(7)]
        reads = [call(sandbox, "GET", "/payments/bulk/collaborator/batch").status_code for _ in range(7)]
    assert [r.status_code for r in statuses] == [200] * 5 + [429] * 2
    assert statuses[-1].headers["Retry-After"] == "2"
    assert reads == [200] * 7
    assert (sandbox.writes_accepted, sandbox.writes_limited) == (5, 2)


def test_invoices_need_a_member_client(sandbox: WingspanSandbox) -> None:
    client = call(
        sandbox, "POST", "/payments/memberClient", {"company": "Acme", "emailTo": "ap@acme.example"}
    ).json()
    body = {
        "memberClientId": client["memberClientId"],
        "dueDate": "2026-08-01",
        "creditFeeHandling": {},
        "lineItems": [{"description": "Placement fee", "quantity": 2, "costPerUnit": 150}],
    }
    invoice = call(sandbox, "POST", "/payments/invoice", body).json()
    assert (invoice["amount"], invoice["status"]) == (300, "Draft")
    missing = call(sandbox, "POST", "/payments/invoice", {**body, "memberClientId": "nope"})
    assert missing.json() == {"error": "Member client nope not found"}
