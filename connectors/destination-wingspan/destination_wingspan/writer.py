"""The Writer: turns input records into contractor and payable requests, buffers them, commits them on flush.

Streams accepted:

* ``candidates`` (standard): a candidate matching ``contractor_trigger`` (default ``status in [placed]``) becomes
  a contractor (email, names, external id = the standard ``id``, ``contractor_labels``); a deleted one
  (``remote_deleted_at`` set) has its contractor set Inactive (see :mod:`destination_wingspan.deactivations`), as
  has, with ``deactivate_untriggered``, one that no longer matches the trigger;
* ``placements`` (standard): ``placement_labels`` are added to the placed candidate's contractor;
* ``payables`` (standard): a payable for the contractor whose external id is ``worker_id``;
* any stream named in ``stream_mappings`` (mapped to ``payables`` or ``contractors`` fields first).

A deleted record (``remote_deleted_at`` set) of any other stream (placements, payables, ...) creates nothing in Wingspan (an INFO log says so),
unless a stream mapping's ``when`` tests ``remote_deleted_at``: then that condition decides.

Records of other streams are accepted and ignored (counted, not rejected). A commit writes contractors first (so
payables in the same commit find them), then pending label updates, then payables and invoices, then
deactivations (a deleted worker's last payable still reaches its contractor).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from staffwire.errors import RecordRejected, Rejection
from staffwire.pycompat import date_fromisoformat

from destination_wingspan.api import WingspanApi
from destination_wingspan.bulk import Pacing
from destination_wingspan.config import WingspanConfig
from destination_wingspan.contractors import ContractorDirectory, ContractorRequest, ContractorWriter
from destination_wingspan.deactivations import DeactivationRequest, Deactivator
from destination_wingspan.invoices import InvoiceLine, InvoiceRequest, InvoiceWriter
from destination_wingspan.mapping import DELETED_FIELD, CompiledConfig, compile_config, map_labels
from destination_wingspan.payables import PayableLine, PayableRequest, PayableWriter

__all__ = ["WingspanWriter"]

_log = logging.getLogger("destination_wingspan.writer")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CURRENCIES = ("USD", "CAD")
_MAX_LABEL = 255


def _reject(
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
        return _reject(self.stream, self.record_id, rule, field, value, message)

    def amount(self, value: Any) -> Decimal:
        """A positive amount with at most 2 decimals."""
        number = _decimal(value)
        if number is None or number <= 0:
            raise self.reject(
                "format",
                "amount",
                value,
                f"{self.kind} {self.reference} has a malformed amount {value!r}: it must be a positive number "
                "with at most 2 decimals",
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
    reference = _label_text(record.get("reference"))
    record_id = _label_text(original.get("id")) or reference
    if not reference:
        raise _reject(
            stream,
            record_id,
            "required",
            "reference",
            None,
            f"the {kind} has no reference (its unique key, needed to write it exactly once)",
        )
    return _Subject(kind, stream, record_id, reference)


def _label_text(value: Any) -> str | None:
    if value is None or value == "" or isinstance(value, dict | list):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)[:_MAX_LABEL]


def _labels(values: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in values.items():
        text = _label_text(value)
        if text is not None:
            out[key] = text
    return out


class WingspanWriter:
    def __init__(
        self, config: WingspanConfig, api: WingspanApi, compiled: CompiledConfig | None = None
    ) -> None:
        self.config = config
        self.compiled = compiled or compile_config(config)
        self.api = api
        pacing = Pacing.from_config(config)
        self.directory = ContractorDirectory(api, config.contractor_mode, pacing)
        self.contractors = ContractorWriter(
            api,
            self.directory,
            mode=config.contractor_mode,
            batch_size=config.contractor_batch_size,
            pacing=pacing,
        )
        self.payables = PayableWriter(
            api,
            self.directory,
            status=config.payable_status,
            batch_size=config.payable_batch_size,
            pacing=pacing,
        )
        self.invoices = InvoiceWriter(api, status=config.invoice_status, max_attempts=config.max_attempts)
        self.deactivator = Deactivator(api, self.directory, mode=config.contractor_mode)
        self._contractors: dict[str, ContractorRequest] = {}
        # by external id; a candidate's last record in a commit wins (a later create drops its deactivation)
        self._deactivations: dict[str, DeactivationRequest] = {}
        self._payables: list[PayableRequest] = []
        self._invoices: list[InvoiceRequest] = []
        self._enrichments: dict[str, dict[str, str]] = {}  # candidate id -> labels waiting for its contractor
        self._rejections: list[RecordRejected] = []
        self._since = time.monotonic()
        self._ignored: set[str] = set()

    # ------------------------------------------------------------------------------------------ Writer
    def write(self, stream: str, record: Mapping[str, Any]) -> None:
        handled = False
        deleted_at = record.get(DELETED_FIELD)
        skipped: list[str] = []  # what a deleted record would otherwise have become
        if stream == "candidates":
            handled = True
            self._candidate(stream, record, record)
        elif stream == "placements":
            handled = True
            if deleted_at:
                skipped.append("placement labels")
            else:
                self._placement(record)
        elif stream == "payables":
            handled = True
            if deleted_at:
                skipped.append("a payable")
            else:
                self._payable(stream, record, record)
        for plan in self.compiled.streams.get(stream, ()):
            handled = True
            if deleted_at and not plan.handles_deleted:
                skipped.append(f"{plan.target} (stream_mappings)")
                continue
            mapped = plan.fields(record)
            if mapped is None:  # its `when` does not hold
                continue
            if plan.target == "payables":
                self._payable(stream, mapped, record)
            elif plan.target == "invoices":
                self._invoice(stream, mapped, record)
            else:
                mapped.setdefault("id", record.get("id"))
                self._candidate(stream, mapped, record, triggered=True)
        if skipped:
            _log.info(
                "%s record %s was deleted in the source (remote_deleted_at %s): not written as %s; a "
                "stream_mappings entry whose `when` tests remote_deleted_at decides otherwise",
                stream,
                _label_text(record.get("id")) or "(no id)",
                deleted_at,
                ", ".join(skipped),
            )
        if not handled and stream not in self._ignored:
            self._ignored.add(stream)
            _log.info(
                "destination-wingspan ignores stream '%s' (no standard meaning and no stream_mappings entry)",
                stream,
            )
        if self._due():
            self._rejections += self._commit()

    def flush(self) -> list[RecordRejected]:
        rejections = self._rejections + self._commit()
        self._rejections = []
        return rejections

    def close(self) -> None:
        self.contractors.close()
        self.payables.close()
        self.api.close()
        _log.info(
            "Wingspan: %d contractors created, %d updated, %d set Inactive (%d already were); %d payables "
            "created, %d already there",
            self.contractors.created,
            self.contractors.updated,
            self.deactivator.deactivated,
            self.deactivator.already_inactive,
            self.payables.created,
            self.payables.skipped,
        )

    # ------------------------------------------------------------------------------------------ records
    def _candidate(
        self, stream: str, record: Mapping[str, Any], original: Mapping[str, Any], *, triggered: bool = False
    ) -> None:
        record_id = _label_text(original.get("id"))
        external_id = _label_text(record.get("id"))
        if not external_id:
            raise _reject(
                stream,
                record_id,
                "required",
                "id",
                None,
                "the record has no id (the contractor's external id in Wingspan)",
            )
        deleted_at = record.get(DELETED_FIELD)
        if deleted_at:
            self._deactivate(stream, record_id or external_id, external_id, "deleted", deleted_at)
            return
        if not triggered and not self.compiled.trigger(record):
            if self.config.deactivate_untriggered:
                self._deactivate(stream, record_id or external_id, external_id, "untriggered", None)
            return
        email = record.get("email")
        if not isinstance(email, str) or not email.strip():
            raise _reject(
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
            raise _reject(
                stream,
                record_id,
                "format",
                "email",
                email,
                f"candidate {external_id} has an invalid email {email!r}",
            )
        labels = _labels(map_labels(self.compiled.contractor_labels, record, stream, record_id))
        request = ContractorRequest(
            stream=stream,
            record_id=record_id or external_id,
            external_id=external_id,
            email=email,
            first_name=_label_text(record.get("first_name")),
            last_name=_label_text(record.get("last_name")),
            labels=labels,
        )
        self._deactivations.pop(external_id, None)
        previous = self._contractors.get(external_id)
        if previous is not None:
            request.labels = {**previous.labels, **request.labels}
        self._contractors[external_id] = request

    def _deactivate(
        self,
        stream: str,
        record_id: str,
        external_id: str,
        why: Literal["deleted", "untriggered"],
        deleted_at: Any,
    ) -> None:
        """Replace whatever this commit would have done for the candidate with setting its contractor Inactive."""
        self._contractors.pop(external_id, None)
        self._deactivations[external_id] = DeactivationRequest(
            stream, record_id, external_id, why, _label_text(deleted_at)
        )

    def _placement(self, record: Mapping[str, Any]) -> None:
        candidate_id = _label_text(record.get("candidate_id"))
        if not candidate_id:
            return
        labels = _labels(
            map_labels(self.compiled.placement_labels, record, "placements", _label_text(record.get("id")))
        )
        if labels:
            self._enrichments.setdefault(candidate_id, {}).update(labels)

    def _payable(self, stream: str, record: Mapping[str, Any], original: Mapping[str, Any]) -> None:
        subject = _subject("payable", stream, record, original)
        reference, record_id = subject.reference, subject.record_id
        worker_id = _label_text(record.get("worker_id"))
        if not worker_id:
            raise subject.reject(
                "required", "worker_id", None, f"payable {reference} has no worker_id (the candidate to pay)"
            )
        amount = subject.amount(record.get("amount"))
        due_date = subject.due_date(record.get("due_date"))
        currency = subject.currency(record.get("currency"), "pays")
        lines = [ln for ln in (record.get("line_items") or []) if isinstance(ln, Mapping)]
        description = (
            _label_text(record.get("description"))
            or (_label_text(lines[0].get("description")) if lines else None)
            or f"Payable {reference}"
        )
        self._payables.append(
            PayableRequest(
                stream=stream,
                record_id=record_id or reference,
                reference=reference,
                worker_id=worker_id,
                amount=float(amount),
                due_date=due_date,
                description=description,
                currency=currency,
                lines=_payable_lines(lines, amount, description),
                notes=_label_text(record.get("description")),
                labels={"staffwireId": record_id} if record_id else {},
            )
        )

    def _invoice(self, stream: str, record: Mapping[str, Any], original: Mapping[str, Any]) -> None:
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
        description = _label_text(record.get("description")) or f"Invoice {reference}"
        lines: list[InvoiceLine] = []
        for i, line in enumerate(ln for ln in (record.get("line_items") or []) if isinstance(ln, Mapping)):
            quantity = _money(line.get("quantity") if line.get("quantity") is not None else 1, places=4)
            price = _money(
                line.get("unit_price") if line.get("unit_price") is not None else line.get("amount")
            )
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
                    description=_label_text(line.get("description")) or description,
                    quantity=quantity,
                    unit_price=price,
                    amount=total,
                    unit=_label_text(line.get("unit")),
                )
            )
        if not lines:
            amount = float(subject.amount(record.get("amount")))
            lines.append(InvoiceLine(description=description, quantity=1, unit_price=amount, amount=amount))
        self._invoices.append(
            InvoiceRequest(
                stream=stream,
                record_id=record_id or reference,
                reference=reference,
                client_email=email.strip(),
                client_name=_label_text(record.get("client_name")),
                due_date=due_date,
                currency=currency,
                lines=lines,
                notes=_label_text(record.get("notes")),
                labels={"staffwireId": record_id} if record_id else {},
            )
        )

    # ------------------------------------------------------------------------------------------ commit
    def _buffered(self) -> int:
        return len(self._contractors) + len(self._payables) + len(self._invoices) + len(self._deactivations)

    def _due(self) -> bool:
        if max(len(self._contractors), len(self._deactivations)) >= self.config.contractor_batch_size:
            return True
        if len(self._payables) >= self.config.payable_batch_size:
            return True
        return self._buffered() > 0 and time.monotonic() - self._since >= self.config.flush_interval_s

    def _commit(self) -> list[RecordRejected]:
        self._since = time.monotonic()
        rejections: list[RecordRejected] = []
        contractors = list(self._contractors.values())
        self._contractors = {}
        for request in contractors:
            extra = self._enrichments.pop(request.external_id, None)
            if extra:
                request.labels = {**request.labels, **extra}
        if contractors:
            rejections += self.contractors.commit(contractors)
        if self._enrichments:
            for candidate_id in list(self._enrichments):
                contractor = self.directory.find(candidate_id)
                if contractor is not None:
                    self.contractors.update_labels(
                        contractor, self._enrichments.pop(candidate_id), "placements"
                    )
        payables, self._payables = self._payables, []
        if payables:
            rejections += self.payables.commit(payables)
        invoices, self._invoices = self._invoices, []
        if invoices:
            rejections += self.invoices.commit(invoices)
        deactivations, self._deactivations = list(self._deactivations.values()), {}
        if deactivations:
            rejections += self.deactivator.commit(deactivations)
        return rejections


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
    return f"{_label_text(qty)}{' ' + str(unit) if unit else ''} x {_label_text(price)}"


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
            PayableLine(_label_text(line.get("description")) or description, float(a or 0), _line_text(line))
            for line, a in zip(lines, amounts, strict=True)
        ]
    parts = []
    for line in lines:
        text = _label_text(line.get("description")) or "item"
        if _line_text(line):
            text += f": {_line_text(line)}"
        if line.get("amount") is not None:
            text += f" = {_label_text(line.get('amount'))}"
        parts.append(text)
    return [PayableLine(description, float(total), "; ".join(parts) or None)]
