"""Per-record validation for the Writer: a standard (or mapped) record becomes a contractor, payable or invoice
request, or a :class:`~staffwire.errors.RecordRejected` that names the stream, the record, the field and what the
user can fix in the source system. Nothing here talks to Wingspan or keeps state.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from staffwire.errors import RecordRejected, Rejection
from staffwire.py310 import date_fromisoformat

from destination_wingspan.invoices import InvoiceLine, InvoiceRequest
from destination_wingspan.payables import PayableLine, PayableRequest

__all__ = [
    "candidate_email",
    "invoice_request",
    "key_text",
    "label_text",
    "payable_request",
    "reject",
    "text_labels",
]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CURRENCIES = ("USD", "CAD")
_MAX_LABEL = 255
#: identities (external ids, references) up to this length are sent as they are; 15 characters stay free for a
#: line suffix ("#12") within Wingspan's 255
_MAX_KEY = 240
_HASH_MARK = "~sha256:"
#: control characters (NUL...) and the bidirectional overrides that make a name display as something else
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: a due date outside these years is a data error (0001-01-01, 9999-12-31), not a payable
_DUE_YEARS = (2000, 2099)
#: no payable or invoice line is this large; 1e15 is a unit error upstream
_MAX_AMOUNT = Decimal("10000000")


def reject(
    stream: str, record_id: str | None, rule: str, field: str | None, value: Any, message: str
) -> RecordRejected:
    return RecordRejected(
        reasons=[Rejection(rule=rule, field=field, value=value, message=message)],
        stream=stream,
        record_id=record_id,
    )


@dataclass(frozen=True)
class _Subject:
    """A payable or invoice record being checked: its reference, and what a rejection names."""

    kind: str  # payable | invoice
    stream: str
    record_id: str | None
    reference: str

    def reject(self, rule: str, field: str, value: Any, message: str) -> RecordRejected:
        return reject(self.stream, self.record_id, rule, field, value, message)

    def amount(self, value: Any) -> Decimal:
        """A positive amount with at most 2 decimals, below :data:`_MAX_AMOUNT`."""
        number = _decimal(value)
        if number is None or number <= 0:
            raise self.reject(
                "format",
                "amount",
                value,
                f"{self.kind} {self.reference} has a malformed amount {value!r}: it must be a positive number "
                "with at most 2 decimals",
            )
        if number > _MAX_AMOUNT:
            raise self.reject(
                "range",
                "amount",
                value,
                f"{self.kind} {self.reference} has an amount of {number:,.2f}, above the {_MAX_AMOUNT:,.0f} any "
                "payment can be: check the amount (and its unit) in the source system",
            )
        return number

    def due_date(self, value: Any) -> str:
        due = _date(value)
        if due is None:
            raise self.reject(
                "format",
                "due_date",
                value,
                f"{self.kind} {self.reference} needs a due_date as YYYY-MM-DD, got {value!r}",
            )
        low, high = _DUE_YEARS
        if not low <= int(due[:4]) <= high:
            raise self.reject(
                "range",
                "due_date",
                value,
                f"{self.kind} {self.reference} has a due_date of {due}, outside the years {low}-{high}: "
                "fix the date in the source system",
            )
        return due

    def currency(self, value: Any, verb: str) -> str:
        currency = str(value or "USD").upper()
        if currency not in _CURRENCIES:
            raise self.reject(
                "allowed_values",
                "currency",
                value,
                f"{self.kind} {self.reference} is in {currency}; Wingspan {verb} in {' or '.join(_CURRENCIES)}",
            )
        return currency


def _subject(kind: str, stream: str, record: Mapping[str, Any], original: Mapping[str, Any]) -> _Subject:
    """The record's reference (its unique key in Wingspan) and id; rejected without a reference."""
    reference = key_text(record.get("reference"))
    record_id = label_text(original.get("id")) or reference
    if not reference:
        raise reject(
            stream,
            record_id,
            "required",
            "reference",
            None,
            f"the {kind} has no reference (its unique key, needed to write it exactly once)",
        )
    return _Subject(kind, stream, record_id, reference)


def _text(value: Any) -> str | None:
    """A scalar as text without control or bidirectional-override characters; None for empty values, objects
    and lists."""
    if value is None or value == "" or isinstance(value, dict | list):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _UNSAFE.sub("", str(value)) or None


def label_text(value: Any) -> str | None:
    """A scalar as Wingspan label text (at most 255 characters; a label is a value, not an identity)."""
    text = _text(value)
    return text[:_MAX_LABEL] if text is not None else None


def key_text(value: Any) -> str | None:
    """A scalar as an identity (an external id, a reference), never cut: up to 240 characters as is; a longer one
    becomes its first 168 characters + ``~sha256:`` + the SHA-256 of the whole (64 hex digits), 240 in all, so
    two keys that differ anywhere stay two keys, and the same key maps the same way in every run."""
    text = _text(value)
    if text is None or len(text) <= _MAX_KEY:
        return text
    digest = hashlib.sha256(text.encode()).hexdigest()
    return text[: _MAX_KEY - len(_HASH_MARK) - len(digest)] + _HASH_MARK + digest


def text_labels(values: Mapping[str, Any]) -> dict[str, str]:
    """Mapped labels as label text, leaving out those without a value."""
    out: dict[str, str] = {}
    for key, value in values.items():
        text = label_text(value)
        if text is not None:
            out[key] = text
    return out


def candidate_email(stream: str, record_id: str | None, external_id: str, record: Mapping[str, Any]) -> str:
    """A triggered candidate's email, stripped; rejected without a valid one, since Wingspan invites contractors
    by email."""
    email = record.get("email")
    if email is not None and not isinstance(email, str):
        raise reject(
            stream,
            record_id,
            "format",
            "email",
            email,
            f"candidate {external_id} has an email that is not text ({email!r}); Wingspan invites contractors by "
            "email, so fix it in the source system",
        )
    if not isinstance(email, str) or not email.strip():
        raise reject(
            stream,
            record_id,
            "required",
            "email",
            email,
            f"candidate {external_id} has no email; Wingspan invites contractors by email, so add one "
            "in the source system",
        )
    email = email.strip()
    if not _EMAIL.match(email):
        raise reject(
            stream,
            record_id,
            "format",
            "email",
            email,
            f"candidate {external_id} has an invalid email {email!r}",
        )
    return email


def payable_request(stream: str, record: Mapping[str, Any], original: Mapping[str, Any]) -> PayableRequest:
    """A ``payables`` record (standard, or mapped from ``original``) as a payable request; rejected when malformed."""
    subject = _subject("payable", stream, record, original)
    reference, record_id = subject.reference, subject.record_id
    worker_id = key_text(record.get("worker_id"))
    if not worker_id:
        raise subject.reject(
            "required", "worker_id", None, f"payable {reference} has no worker_id (the candidate to pay)"
        )
    amount = subject.amount(record.get("amount"))
    due_date = subject.due_date(record.get("due_date"))
    currency = subject.currency(record.get("currency"), "pays")
    lines = [ln for ln in (record.get("line_items") or []) if isinstance(ln, Mapping)]
    description = (
        label_text(record.get("description"))
        or (label_text(lines[0].get("description")) if lines else None)
        or f"Payable {reference}"
    )
    return PayableRequest(
        stream=stream,
        record_id=record_id or reference,
        reference=reference,
        worker_id=worker_id,
        amount=float(amount),
        due_date=due_date,
        description=description,
        currency=currency,
        lines=_payable_lines(lines, amount, description),
        notes=label_text(record.get("description")),
        labels={"staffwireId": record_id} if record_id else {},
    )


def invoice_request(stream: str, record: Mapping[str, Any], original: Mapping[str, Any]) -> InvoiceRequest:
    """An ``invoices`` record (mapped from ``original``) as a client invoice request; rejected when malformed."""
    subject = _subject("invoice", stream, record, original)
    reference, record_id = subject.reference, subject.record_id
    email = record.get("client_email")
    if not isinstance(email, str) or not _EMAIL.match(email.strip()):
        raise subject.reject(
            "format",
            "client_email",
            email,
            f"invoice {reference} needs the client's billing email, got {email!r}",
        )
    due_date = subject.due_date(record.get("due_date"))
    currency = subject.currency(record.get("currency"), "invoices")
    description = label_text(record.get("description")) or f"Invoice {reference}"
    lines: list[InvoiceLine] = []
    for i, line in enumerate(ln for ln in (record.get("line_items") or []) if isinstance(ln, Mapping)):
        quantity = _money(line.get("quantity") if line.get("quantity") is not None else 1, places=4)
        price = _money(line.get("unit_price") if line.get("unit_price") is not None else line.get("amount"))
        amount = _money(line.get("amount")) if line.get("amount") is not None else None
        if quantity is None or price is None or (amount is None and line.get("amount") is not None):
            raise subject.reject(
                "format",
                f"line_items.{i}",
                dict(line),
                f"invoice {reference} line {i + 1} needs a numeric quantity and unit_price or amount",
            )
        total = amount if amount is not None else round(quantity * price, 2)
        lines.append(
            InvoiceLine(
                description=label_text(line.get("description")) or description,
                quantity=quantity,
                unit_price=price,
                amount=total,
                unit=label_text(line.get("unit")),
            )
        )
    if not lines:
        amount = float(subject.amount(record.get("amount")))
        lines.append(InvoiceLine(description=description, quantity=1, unit_price=amount, amount=amount))
    return InvoiceRequest(
        stream=stream,
        record_id=record_id or reference,
        reference=reference,
        client_email=email.strip(),
        client_name=label_text(record.get("client_name")),
        due_date=due_date,
        currency=currency,
        lines=lines,
        notes=label_text(record.get("notes")),
        labels={"staffwireId": record_id} if record_id else {},
    )


def _decimal(value: Any, places: int = 2) -> Decimal | None:
    """A finite number with at most ``places`` decimals, else None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if not number.is_finite() or number != number.quantize(Decimal(1).scaleb(-places)):
        return None
    return number


def _money(value: Any, places: int = 2) -> float | None:
    """A finite number with at most ``places`` decimals (as a float), else None."""
    number = _decimal(value, places)
    return None if number is None else float(number)


def _date(value: Any) -> str | None:
    """``YYYY-MM-DD`` when ``value`` is exactly such a date, else None."""
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date_fromisoformat(value).isoformat()
    except ValueError:
        return None


def _line_text(line: Mapping[str, Any]) -> str | None:
    """``40 hour x 31.25``: quantity, unit and unit price of a standard line item."""
    qty, unit, price = (line.get(k) for k in ("quantity", "unit", "unit_price"))
    if qty is None or price is None:
        return None
    return f"{label_text(qty)}{' ' + str(unit) if unit else ''} x {label_text(price)}"


def _payable_lines(lines: list[Mapping[str, Any]], total: Decimal, description: str) -> list[PayableLine]:
    """One Wingspan line per standard line item when they add up to the payable's amount (each positive, in
    cents); otherwise one line for the whole amount whose detail lists the line items."""
    amounts = [_money(line.get("amount")) for line in lines]
    if (
        lines
        and all(a is not None and a > 0 for a in amounts)
        and sum(Decimal(str(a)) for a in amounts) == total
    ):
        return [
            PayableLine(label_text(line.get("description")) or description, float(a or 0), _line_text(line))
            for line, a in zip(lines, amounts, strict=True)
        ]
    parts = []
    for line in lines:
        text = label_text(line.get("description")) or "item"
        if _line_text(line):
            text += f": {_line_text(line)}"
        if line.get("amount") is not None:
            text += f" = {label_text(line.get('amount'))}"
        parts.append(text)
    return [PayableLine(description, float(total), "; ".join(parts) or None)]
