"""Wingspan records -> the standard ``workers`` and ``payables`` streams.

A worker's ``onboarding_status`` is not one Wingspan field; it follows from three (the rule is in the README):

========================================== ================= ============
Wingspan                                   original_status   onboarding
========================================== ================= ============
``payerOwnedData.status`` Inactive         Inactive          inactive
``user.status`` Disabled                   Disabled          inactive
``user.status`` Pending (not signed up)    Pending           invited
``user.status`` Active, a requirement open Active            onboarding
``user.status`` Active, all Complete       Active            ready
anything else                              (verbatim)        other
========================================== ================= ============

A payable's ``status`` comes from its status and its client workflow: ``Open``, ``Overdue`` and ``Pending`` are
``open`` unless the payer approved it (``client.workflowStatus`` Approved, PaymentInitiated or Funded, or an
``approvedAt`` event), which makes it ``approved``, as ``PaymentInTransit`` is; ``paid_at`` is its ``paidAt`` event.

Messy values are normalised, never a reason to drop a record: names are trimmed and inner runs of spaces
collapsed, empty strings become null, emails are trimmed and lower-cased (null when not an address), an external id
that is a standard id (``bullhorn:123``) becomes ``candidate_id`` while ``external_id`` keeps it verbatim, and times
become ISO 8601 UTC (null when unreadable).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from staffwire.state import parse_cursor, to_iso

__all__ = [
    "SYSTEM_ID",
    "deleted_record",
    "engagement_ids",
    "onboarding",
    "payable_record",
    "worker_record",
]

SYSTEM_ID = "wingspan"
_REF = re.compile(r"^[a-z0-9_]+:.+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_APPROVED_WORKFLOWS = ("Approved", "PaymentInitiated", "Funded")
_REQUIREMENT_NAMES = {"W9": "W-9 tax form", "W8BEN": "W-8BEN tax form", "Signature": "Signed agreement"}
#: The collaborator events that mark onboarding milestones (onboarded_at is the latest of them).
MILESTONES = (
    "signedUpAt",
    "knowYourCustomerVerifiedAt",
    "taxDocumentationVerifiedAt",
    "payoutMethodFirstAddedAt",
)


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def _email(value: Any) -> str | None:
    text = _text(value)
    return text.lower() if text and _EMAIL.match(text) else None


def utc(value: Any) -> str | None:
    """ISO 8601 UTC (``Z``) of a Wingspan time, or None when empty or unreadable."""
    if value in (None, ""):
        return None
    try:
        return to_iso(parse_cursor(value))
    except ValueError:
        return None


def _date(value: Any) -> str | None:
    return value if isinstance(value, str) and _DATE.match(value) else None


def _money(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def engagement_ids(payee: Mapping[str, Any]) -> list[str]:
    """The payee's engagement (collaborator) ids, from its requirements, first seen first."""
    ids: dict[str, None] = {}
    for requirement in payee.get("requirements") or []:
        for engagement in (requirement or {}).get("payerPayeeEngagementIds") or []:
            ids[str(engagement)] = None
    return list(ids)


def onboarding(payee: Mapping[str, Any]) -> tuple[str, str | None]:
    """(onboarding_status, original_status) of a payee, by the rule in the module docstring."""
    owned = payee.get("payerOwnedData") or {}
    user_status = (payee.get("user") or {}).get("status")
    if owned.get("status") == "Inactive":
        return "inactive", "Inactive"
    if user_status == "Disabled":
        return "inactive", "Disabled"
    if user_status == "Pending":
        return "invited", "Pending"
    if user_status == "Active":
        done = all((r or {}).get("status") == "Complete" for r in payee.get("requirements") or [])
        return ("ready" if done else "onboarding"), "Active"
    return "other", user_status if isinstance(user_status, str) else None


def worker_record(payee: Mapping[str, Any], events: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The standard worker of a payee; ``events`` (its collaborator's onboarding events, when read) date the
    requirements and ``onboarded_at``."""
    payee_id = str(payee.get("payeeId"))
    user = payee.get("user") or {}
    names = user.get("profile") or {}
    owned = payee.get("payerOwnedData") or {}
    external = owned.get("payeeExternalId")
    external_text = external.strip() if isinstance(external, str) and external.strip() else None
    status, original = onboarding(payee)
    events = events or {}
    onboarded_at = None
    if status == "ready":
        moments = [m for m in (utc(events.get(name)) for name in MILESTONES) if m]
        onboarded_at = max(moments) if moments else None
    labels = owned.get("labels")
    return {
        "id": f"{SYSTEM_ID}:{payee_id}",
        "remote_id": payee_id,
        "source_system": SYSTEM_ID,
        "remote_created_at": utc(payee.get("createdAt")),
        "remote_updated_at": utc(payee.get("updatedAt")),
        "remote_deleted_at": None,
        "custom_fields": dict(labels) if isinstance(labels, dict) else {},
        "remote_data": None,
        "candidate_id": external_text if external_text and _REF.match(external_text) else None,
        "external_id": external_text,
        "email": _email(user.get("email")),
        "first_name": _text(names.get("firstName")),
        "last_name": _text(names.get("lastName")),
        "onboarding_status": status,
        "original_status": original,
        "onboarded_at": onboarded_at,
        "requirements": [_requirement(r or {}, events) for r in payee.get("requirements") or []],
    }


def _requirement(requirement: Mapping[str, Any], events: Mapping[str, Any]) -> dict[str, Any]:
    kind = requirement.get("requirementType")
    status = requirement.get("status")
    completed = status == "Complete" if isinstance(status, str) else None
    completed_at = (
        utc(events.get("taxDocumentationVerifiedAt")) if completed and kind in ("W9", "W8BEN") else None
    )
    return {
        "name": _REQUIREMENT_NAMES.get(kind, kind) if isinstance(kind, str) else None,
        "type": kind if isinstance(kind, str) else None,
        "status": status if isinstance(status, str) else None,
        "completed": completed,
        "completed_at": completed_at,
    }


def _payable_status(payable: Mapping[str, Any]) -> str | None:
    status = payable.get("status")
    workflow = (payable.get("client") or {}).get("workflowStatus")
    approved = workflow in _APPROVED_WORKFLOWS or bool((payable.get("events") or {}).get("approvedAt"))
    if status in ("Open", "Overdue", "Pending"):
        return "approved" if approved else "open"
    return {"Draft": "draft", "PaymentInTransit": "approved", "Paid": "paid", "Cancelled": "cancelled"}.get(
        status if isinstance(status, str) else ""
    )


def payable_record(payable: Mapping[str, Any], workers: Mapping[str, str]) -> dict[str, Any]:
    """The standard payable of a Wingspan payable; ``workers`` maps collaborator ids to the worker's standard id
    (its candidate id when the payee links back to one, else ``wingspan:<payeeId>``)."""
    payable_id = str(payable.get("payableId"))
    raw_labels = payable.get("labels")
    labels: dict[str, Any] = raw_labels if isinstance(raw_labels, dict) else {}
    lines = [line for line in payable.get("lineItems") or [] if isinstance(line, dict)]
    currency = payable.get("currency")
    reference = labels.get("staffwireReference") or payable.get("bulkPayableItemReference")
    return {
        "id": f"{SYSTEM_ID}:{payable_id}",
        "remote_id": payable_id,
        "source_system": SYSTEM_ID,
        "remote_created_at": utc(payable.get("createdAt")),
        "remote_updated_at": utc(payable.get("updatedAt")),
        "remote_deleted_at": None,
        "custom_fields": dict(labels),
        "remote_data": None,
        "worker_id": workers.get(str(payable.get("collaboratorId"))),
        "amount": _money(payable.get("amount")),
        "currency": currency if isinstance(currency, str) and re.fullmatch(r"[A-Z]{3}", currency) else None,
        "due_date": _date(payable.get("dueDate")),
        "description": _text(lines[0].get("description")) if lines else _text(payable.get("invoiceNotes")),
        "reference": reference if isinstance(reference, str) and reference else None,
        "line_items": [
            {
                "description": _text(line.get("description")),
                "quantity": _money(line.get("quantity")),
                "unit": _text(line.get("unit")),
                "unit_price": _money(line.get("costPerUnit")),
                "amount": _money(line.get("totalCost")),
            }
            for line in lines
        ],
        "status": _payable_status(payable),
        "original_status": payable.get("status") if isinstance(payable.get("status"), str) else None,
        "paid_at": utc((payable.get("events") or {}).get("paidAt")),
    }


def deleted_record(remote_id: str, at: str) -> dict[str, Any]:
    """The standard record of a Wingspan record that is gone from its list: the envelope, deleted at ``at``."""
    return {
        "id": f"{SYSTEM_ID}:{remote_id}",
        "remote_id": remote_id,
        "source_system": SYSTEM_ID,
        "remote_deleted_at": at,
        "custom_fields": {},
    }
