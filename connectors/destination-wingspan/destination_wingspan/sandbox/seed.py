"""Seed data for the Wingspan sandbox (``WingspanSandbox(seed=True)``): an account that has been paying contractors
for a while, so a source has something to read. Deterministic (fixed times, ids from the sandbox's counter) and
messy the way real accounts are: names with stray spaces or only one word, a contractor without a name, external
ids that are a standard id, empty, a tenant's own code or missing, junk phone numbers in labels, far-past and
far-future due dates, a payable of one cent, every onboarding stage and payable status.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from destination_wingspan.sandbox.onboarding import _set_stage
from destination_wingspan.sandbox.payables import settle

if TYPE_CHECKING:
    from destination_wingspan.sandbox.server import WingspanSandbox

__all__ = ["SEED_CONTRACTORS", "SEED_INVOICES", "SEED_PAYABLES", "seed"]

#: email, memberName, externalId, labels, onboarding stage, payer status, createdAt, last change
SEED_CONTRACTORS: list[tuple[str, str | None, str | None, dict[str, str], str, str, str, str]] = [
    (
        "ada.lovelace@example.com",
        "Ada Lovelace",
        "bullhorn:101",
        {"staffwire_id": "bullhorn:101", "source_system": "bullhorn", "phone": "(555) 010-0101 x12"},
        "ready",
        "Active",
        "2026-11-02T09:15:00.000Z",
        "2026-11-30T15:04:05.000Z",
    ),
    (
        "grace.hopper@example.com",
        "Grace  Hopper ",
        "bullhorn:102",
        {"staffwire_id": "bullhorn:102", "source_system": "bullhorn", "phone": "555-0102"},
        "onboarding",
        "Active",
        "2026-11-03T10:00:00.000Z",
        "2026-11-04T08:30:00.000Z",
    ),
    (
        "alan.turing@example.co.uk",
        "Alan Turing",
        "",
        {"phone": "+44 20 7946 0958 ext. 3", "skills": ""},
        "invited",
        "Active",
        "2026-11-05T16:45:00.000Z",
        "2026-11-05T16:45:00.000Z",
    ),
    (
        "cher@example.com",
        "Cher",
        "EMP-7",
        {"skills": "Java, SQL,  ,Kotlin"},
        "ready",
        "Inactive",
        "2021-03-01T12:00:00.000Z",
        "2025-12-31T23:59:59.999Z",
    ),
    (
        "k.johnson+payroll@example.org",
        None,
        None,
        {},
        "invited",
        "Pending",
        "1999-01-04T00:00:00.000Z",
        "1999-01-04T00:00:00.000Z",
    ),
    (
        "dorothy.vaughan@example.net",
        "Dorothy Vaughan",
        "zoho_recruit:5531000000123456",
        {"staffwire_id": "zoho_recruit:5531000000123456", "source_system": "zoho_recruit"},
        "ready",
        "Active",
        "2026-10-01T07:00:00.000Z",
        "2026-10-20T11:11:11.000Z",
    ),
]

#: contractor index, amount, dueDate, status (bulk words: Approved is Open + workflow Approved), paidDate,
#: staffwireReference label, createdAt
SEED_PAYABLES: list[tuple[int, float, str, str, str | None, str, str]] = [
    (0, 1250.0, "2026-11-14", "Paid", "2026-11-16", "ts-101-w45", "2026-11-10T09:00:00.000Z"),
    (0, 1312.5, "2026-11-21", "Approved", None, "ts-101-w46", "2026-11-17T09:00:00.000Z"),
    (1, 980.25, "2026-11-21", "Open", None, "ts-102-w46", "2026-11-17T09:00:00.000Z"),
    (1, 0.01, "2099-12-31", "Draft", None, "ts-102-adj", "2026-11-18T09:00:00.000Z"),
    (3, 450.0, "1999-12-31", "Cancelled", None, "ts-7-old", "2021-03-02T12:00:00.000Z"),
    (5, 2000.0, "2026-10-31", "PaymentInTransit", None, "ts-5531-oct", "2026-10-25T09:00:00.000Z"),
]

#: client company, email, amount, status, dueDate, createdAt
SEED_INVOICES: list[tuple[str, str, float, str, str, str]] = [
    (
        "Acme Manufacturing, Inc.",
        "ap@acme.example.com",
        5120.0,
        "Paid",
        "2026-11-30",
        "2026-11-01T08:00:00.000Z",
    ),
    ("Globex  ", "", 760.5, "Draft", "2027-01-15", "2026-11-20T08:00:00.000Z"),
]


def seed(sb: WingspanSandbox, client: str) -> None:
    """Fill ``sb`` with the seed account of ``client`` (the caller need not hold the lock)."""
    with sb.lock:
        contractors = [_contractor(sb, client, *row) for row in SEED_CONTRACTORS]
        for index, amount, due, status, paid, reference, created in SEED_PAYABLES:
            _payable(sb, client, contractors[index], amount, due, status, paid, reference, created)
        for company, email, amount, status, due, created in SEED_INVOICES:
            _invoice(sb, client, company, email, amount, status, due, created)
        _batches(sb, client, contractors)


def _contractor(
    sb: WingspanSandbox,
    client: str,
    email: str,
    name: str | None,
    external_id: str | None,
    labels: dict[str, str],
    stage: str,
    status: str,
    created: str,
    changed: str,
) -> dict[str, Any]:
    c = sb._new_contractor(client, email, name, external_id, labels, status)
    c["createdAt"] = created
    _set_stage(c, stage, changed)
    c["updatedAt"] = changed
    return c


def _payable(
    sb: WingspanSandbox,
    client: str,
    c: dict[str, Any],
    amount: float,
    due: str,
    status: str,
    paid: str | None,
    reference: str,
    created: str,
) -> None:
    line: dict[str, Any] = {
        "description": "Regular hours",
        "detail": None,
        "quantity": 1,
        "costPerUnit": amount,
        "totalCost": amount,
        "reimbursableExpense": False,
        "labels": {},
    }
    payable = sb._store_payable(
        client,
        c,
        {
            "amount": amount,
            "currency": "USD",
            "dueDate": due,
            "status": "Draft",
            "lineItems": [line],
            "labels": {"staffwireReference": reference},
            "invoiceNotes": None,
            "bulkPayableItemReference": reference,
            "metadata": {"pendingStatusReason": None},
        },
    )
    payable["createdAt"] = created
    settle(payable, "Draft", created)
    if status != "Draft":
        settle(payable, status, created, paid)
    payable["updatedAt"] = f"{paid}T00:00:00.000Z" if paid else created


def _invoice(
    sb: WingspanSandbox,
    client: str,
    company: str,
    email: str,
    amount: float,
    status: str,
    due: str,
    created: str,
) -> None:
    member_client: dict[str, Any] = {
        "memberClientId": sb.ids.new("member-client"),
        "clientId": client,
        "company": company,
        "name": None,
        "emailTo": email,
        "labels": {},
        "status": "Active",
        "createdAt": created,
    }
    sb.member_clients[member_client["memberClientId"]] = member_client
    invoice: dict[str, Any] = {
        "invoiceId": sb.ids.new("invoice"),
        "clientId": client,
        "memberClientId": member_client["memberClientId"],
        "dueDate": due,
        "lineItems": [
            {"description": "Staffing services", "quantity": 1, "costPerUnit": amount, "totalCost": amount}
        ],
        "amount": amount,
        "currency": "USD",
        "labels": {},
        "createdAt": created,
        "updatedAt": created,
    }
    settle(invoice, status, created)
    sb.invoices_by_id[invoice["invoiceId"]] = invoice


def _batches(sb: WingspanSandbox, client: str, contractors: list[dict[str, Any]]) -> None:
    """Two finished bulk batches: the collaborator batch that invited the first two contractors, and the payable
    batch of the first contractor's first payable."""
    from destination_wingspan.sandbox.bulk import COLLABORATORS, PAYABLES

    invited = sb._new_batch(COLLABORATORS, client, {"labels": {"source": "bullhorn"}})
    sb.collaborator_batches[invited[COLLABORATORS.batch_id]] = invited
    for c in contractors[:2]:
        item = sb._new_item(
            COLLABORATORS,
            invited,
            {"labels": dict(c["labels"])},
            {"collaboratorStatus": "Active"},
            {
                "collaboratorGroupId": None,
                "collaboratorId": None,
                "company": None,
                "email": c["member"]["user"]["email"],
                "externalId": c["clientData"]["externalId"],
                "firstLastName": c["memberName"],
                "memberId": c["memberId"],
            },
        )
        _done(item, {"resolvedCollaboratorId": c["collaboratorId"], "errorMessage": None})
    paid = sb._new_batch(PAYABLES, client, {"processingStrategy": "Single"})
    sb.payable_batches[paid[PAYABLES.batch_id]] = paid
    first = next(
        p for p in sb.payables_by_id.values() if p["collaboratorId"] == contractors[0]["collaboratorId"]
    )
    item = sb._new_item(
        PAYABLES,
        paid,
        {"labels": dict(first["labels"])},
        {
            "amount": first["amount"],
            "dueDate": first["dueDate"],
            "lineItemDescription": "Regular hours",
            "paidDate": "2026-11-16",
            "payableStatus": "Paid",
        },
        {
            "bulkPayableItemMergeKey": None,
            "bulkPayableItemReference": first["bulkPayableItemReference"],
            "collaboratorEmail": None,
            "collaboratorExternalId": contractors[0]["clientData"]["externalId"],
            "collaboratorId": None,
            "lineItemDetail": None,
            "payableNotes": None,
            "reimbursableExpense": None,
        },
    )
    sb.references[(client, first["bulkPayableItemReference"])] = item["bulkPayableItemId"]
    _done(
        item,
        {
            "payableId": first["payableId"],
            "resolvedCollaboratorId": contractors[0]["collaboratorId"],
            "errorMessage": None,
        },
    )
    for batch in (invited, paid):
        batch["status"] = "Complete"
        batch["createdAt"] = "2026-11-02T09:00:00.000Z"
        batch["updatedAt"] = "2026-11-02T09:15:00.000Z"


def _done(item: dict[str, Any], metadata: dict[str, Any]) -> None:
    item["status"] = "Complete"
    item["metadata"] = metadata
    item["createdAt"] = "2026-11-02T09:01:00.000Z"
    item["updatedAt"] = "2026-11-02T09:15:00.000Z"
