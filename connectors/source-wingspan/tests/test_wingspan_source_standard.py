"""Wingspan payees and payables -> standard workers and payables: the onboarding rule, messy values normalised,
never a reason to drop a record. Every record validates against the strict standard model."""

from __future__ import annotations

from typing import Any

import pytest
from source_wingspan.standard import onboarding, payable_record, worker_record
from staffwire.standard import Payable, Worker


def payee(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "payeeId": "P1",
        "payerId": "W1",
        "user": {
            "userId": "U1",
            "email": "ada@example.com",
            "status": "Active",
            "profile": {"firstName": "Ada", "lastName": "L"},
        },
        "payerOwnedData": {"payeeExternalId": "bullhorn:1", "status": "Active", "labels": {}},
        "requirements": [
            {"payerPayeeEngagementIds": ["C1"], "requirementType": "W9", "status": "Complete"},
            {"payerPayeeEngagementIds": ["C1"], "requirementType": "Signature", "status": "Complete"},
        ],
        "createdAt": "2026-11-02T09:15:00.000Z",
        "updatedAt": "2026-11-30T15:04:05.000Z",
    }
    for key, value in changes.items():
        section, _, field = key.partition("__")
        if section == "profile":
            body["user"] = {**body["user"], "profile": {**body["user"]["profile"], field: value}}
        elif field:
            body[section] = {**body[section], field: value}
        else:
            body[section] = value
    return body


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (payee(), ("ready", "Active")),
        (payee(requirements=[]), ("ready", "Active")),  # nothing required
        (payee(requirements=[{"requirementType": "W9", "status": "Incomplete"}]), ("onboarding", "Active")),
        (payee(user__status="Pending"), ("invited", "Pending")),
        (payee(user__status="Disabled"), ("inactive", "Disabled")),
        (payee(payerOwnedData__status="Inactive"), ("inactive", "Inactive")),
        (payee(user__status="Suspended"), ("other", "Suspended")),
        (payee(user__status=None), ("other", None)),
    ],
)
def test_the_onboarding_status_follows_the_documented_rule(
    body: dict[str, Any], expected: tuple[str, Any]
) -> None:
    assert onboarding(body) == expected
    Worker.model_validate(worker_record(body))


@pytest.mark.parametrize(
    ("changes", "field", "value"),
    [
        ({"user__email": "  Ada.Lovelace@Example.COM "}, "email", "ada.lovelace@example.com"),
        ({"user__email": "not an address"}, "email", None),
        ({"user__email": ""}, "email", None),
        ({"profile__firstName": "  Mary  Ann "}, "first_name", "Mary Ann"),
        ({"profile__lastName": ""}, "last_name", None),
        ({"user__profile": None}, "first_name", None),
        ({"payerOwnedData__payeeExternalId": " bullhorn:42 "}, "candidate_id", "bullhorn:42"),
        ({"payerOwnedData__payeeExternalId": "EMP-7"}, "candidate_id", None),
        ({"payerOwnedData__payeeExternalId": "EMP-7"}, "external_id", "EMP-7"),
        (
            {"payerOwnedData__payeeExternalId": "Bullhorn:42"},
            "candidate_id",
            None,
        ),  # system names are lower case
        ({"createdAt": "not a time"}, "remote_created_at", None),
        ({"updatedAt": "2026-11-30T10:04:05+05:30"}, "remote_updated_at", "2026-11-30T04:34:05Z"),
        ({"payerOwnedData__labels": None}, "custom_fields", {}),
    ],
)
def test_messy_values_are_normalised_never_rejected(changes: dict[str, Any], field: str, value: Any) -> None:
    record = worker_record(payee(**changes))
    assert record[field] == value
    Worker.model_validate(record)


def test_a_ready_workers_onboarded_at_is_its_latest_milestone() -> None:
    events = {
        "signedUpAt": "2026-11-20T08:00:00.000Z",
        "knowYourCustomerVerifiedAt": "2026-11-21T08:00:00.000Z",
        "taxDocumentationVerifiedAt": "2026-11-30T15:04:05.000Z",
        "payoutMethodFirstAddedAt": "2026-11-25T08:00:00.000Z",
    }
    record = worker_record(payee(), events)
    assert record["onboarded_at"] == "2026-11-30T15:04:05Z"
    assert record["requirements"][0]["completed_at"] == "2026-11-30T15:04:05Z"
    assert worker_record(payee(user__status="Pending"), events)["onboarded_at"] is None


def wingspan_payable(**changes: Any) -> dict[str, Any]:
    return {
        "payableId": "Y1",
        "collaboratorId": "C1",
        "amount": 1250,
        "currency": "USD",
        "dueDate": "2026-11-14",
        "status": "Open",
        "lineItems": [
            {"description": "Regular  hours", "quantity": 40, "costPerUnit": 31.25, "totalCost": 1250}
        ],
        "labels": {"staffwireReference": "ts-1"},
        "client": {"workflowStatus": "Pending"},
        "events": {"approvedAt": None, "paidAt": None},
        "createdAt": "2026-11-10T09:00:00.000Z",
        "updatedAt": "2026-11-10T09:00:00.000Z",
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({}, "open"),
        ({"status": "Overdue"}, "open"),
        ({"client": {"workflowStatus": "Approved"}}, "approved"),
        ({"events": {"approvedAt": "2026-11-12T00:00:00.000Z"}}, "approved"),
        ({"status": "PaymentInTransit"}, "approved"),
        ({"status": "Paid", "events": {"paidAt": "2026-11-16T00:00:00.000Z"}}, "paid"),
        ({"status": "Draft"}, "draft"),
        ({"status": "Cancelled"}, "cancelled"),
        ({"status": "Archived"}, None),  # a word Wingspan may add later: null, with original_status kept
    ],
)
def test_payable_statuses_map_to_the_standard_ones(changes: dict[str, Any], status: str | None) -> None:
    record = payable_record(wingspan_payable(**changes), {"C1": "bullhorn:1"})
    assert (record["status"], record["original_status"]) == (status, changes.get("status", "Open"))
    Payable.model_validate(record)


def test_a_payable_maps_its_worker_lines_and_paid_date() -> None:
    record = payable_record(
        wingspan_payable(status="Paid", events={"paidAt": "2026-11-16T00:00:00.000Z"}), {"C1": "bullhorn:1"}
    )
    assert {k: record[k] for k in ("worker_id", "amount", "reference", "description", "paid_at")} == {
        "worker_id": "bullhorn:1",
        "amount": 1250.0,
        "reference": "ts-1",
        "description": "Regular hours",
        "paid_at": "2026-11-16T00:00:00Z",
    }
    assert record["line_items"] == [
        {
            "description": "Regular hours",
            "quantity": 40.0,
            "unit": None,
            "unit_price": 31.25,
            "amount": 1250.0,
        }
    ]
    unknown = payable_record(wingspan_payable(currency="usd", dueDate="11/14/2026"), {})
    assert (unknown["worker_id"], unknown["currency"], unknown["due_date"]) == (None, None, None)
    Payable.model_validate(unknown)
