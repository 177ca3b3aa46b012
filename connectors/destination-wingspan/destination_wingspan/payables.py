"""Payables through Wingspan's bulk payable batches, exactly once.

A payable becomes one bulk payable item whose ``bulkPayableItemReference`` is the standard ``reference`` (unique
per payable); a payable with several line items becomes one item per line (references ``{reference}#1``,
``#2``, ...) sharing ``bulkPayableItemMergeKey`` = reference in a ``Merge`` batch, which Wingspan turns into one
payable with those line items. Wingspan answers a repeated reference with ``208 Already Reported`` and the existing item, so adding
an item is safe to retry (the HttpClient retries it after a dropped connection). Payables this run or an earlier
one already created are skipped without a request: the run lists the account's payables once and indexes them by
the ``staffwireReference`` label this destination sets. An item that an interrupted run added to a batch it never
submitted is found through the 208 answer; that batch is then submitted too ("adopted") and waited for.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from staffwire.errors import RecordRejected, Rejection
from staffwire.http.errors import ClientError

from destination_wingspan.api import WingspanApi, reason
from destination_wingspan.bulk import BATCH_LABELS, Pacing
from destination_wingspan.contractors import ContractorDirectory

__all__ = ["REFERENCE_LABEL", "PayableLine", "PayableRequest", "PayableWriter"]

_log = logging.getLogger("destination_wingspan.payables")
REFERENCE_LABEL = "staffwireReference"


def labelled_references(rows: Iterable[dict[str, Any]]) -> set[str]:
    """The ``staffwireReference`` labels of listed payables or invoices: what earlier runs already wrote."""
    return {str(ref) for row in rows if (ref := (row.get("labels") or {}).get(REFERENCE_LABEL))}


@dataclass
class PayableLine:
    description: str
    amount: float
    detail: str | None = None


@dataclass
class PayableRequest:
    stream: str
    record_id: str
    reference: str
    worker_id: str
    amount: float
    due_date: str
    description: str
    currency: str = "USD"
    lines: list[PayableLine] = field(default_factory=list)
    notes: str | None = None
    labels: dict[str, str] = field(default_factory=dict)

    def rejected(self, message: str, rule: str = "wingspan") -> RecordRejected:
        return RecordRejected(
            reasons=[Rejection(rule=rule, message=message)], stream=self.stream, record_id=self.record_id
        )

    def item_references(self) -> list[str]:
        lines = self.lines or [PayableLine(self.description, self.amount)]
        if len(lines) == 1:
            return [self.reference]
        return [f"{self.reference}#{i}" for i in range(1, len(lines) + 1)]


class PayableWriter:
    def __init__(
        self,
        api: WingspanApi,
        directory: ContractorDirectory,
        *,
        status: str,
        batch_size: int,
        pacing: Pacing,
    ) -> None:
        self.api = api
        self.directory = directory
        self.status = status
        self.batch_size = batch_size
        self.pacing = pacing
        self.created = 0
        self.skipped = 0
        self._known: set[str] | None = None
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(
            max_workers=pacing.concurrency, thread_name_prefix="wingspan-payables"
        )

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def _known_references(self) -> set[str]:
        if self._known is None:
            self._known = labelled_references(self.api.get("/payments/payable", stream="payables"))
        return self._known

    def commit(self, requests: Iterable[PayableRequest]) -> list[RecordRejected]:
        known = self._known_references()
        rejections: list[RecordRejected] = []
        todo: list[tuple[PayableRequest, str]] = []
        seen: set[str] = set()
        for request in requests:
            if request.reference in known or request.reference in seen:
                self.skipped += 1
                continue
            contractor = self.directory.find(request.worker_id)
            if contractor is None:
                rejections.append(
                    request.rejected(
                        f"no Wingspan contractor has external id {request.worker_id}: the worker was never written as a "
                        "contractor (is the candidate's status a contractor trigger, and is the candidates stream in "
                        "the sync?)",
                        rule="unknown_worker",
                    )
                )
                continue
            seen.add(request.reference)
            todo.append((request, contractor.collaborator_id))
        chunk: list[tuple[PayableRequest, str]] = []
        items = 0
        for pair in todo:  # whole payables per batch, about batch_size items each
            size = len(pair[0].item_references())
            if chunk and items + size > self.batch_size:
                rejections += self._bulk(chunk)
                chunk, items = [], 0
            chunk.append(pair)
            items += size
        if chunk:
            rejections += self._bulk(chunk)
        return rejections

    def _bulk(self, chunk: list[tuple[PayableRequest, str]]) -> list[RecordRejected]:
        _, batch = self.api.post(
            "/payments/bulk/payable/batch",
            {"processingStrategy": "Merge", "labels": dict(BATCH_LABELS)},
            stream="payables",
            idempotent=True,
        )  # a lost answer leaves an empty Open batch
        batch_id = batch["bulkPayableBatchId"]
        outcomes = list(self._pool.map(lambda pair: self._add_payable(batch_id, *pair), chunk))
        rejections: list[RecordRejected] = []
        batches: set[str] = set()
        waiting: dict[str, tuple[PayableRequest, set[str]]] = {}  # item reference -> (payable, its open refs)
        for (request, _), (problem, items) in zip(chunk, outcomes, strict=True):
            if problem is not None:
                rejections.append(problem)
                continue
            failed = [i for i in items if i.get("status") == "Failed"]
            if failed:  # an earlier run's item that Wingspan already refused
                rejections.append(self._failed(request, failed[0]))
                continue
            open_refs = {
                str(i.get("bulkPayableItemReference")) for i in items if i.get("status") != "Complete"
            }
            if not open_refs:  # an earlier run's items, already a payable
                self._done(request)
                continue
            for item in items:
                if item.get("status") != "Complete":
                    batches.add(item["bulkPayableBatchId"])
                    waiting[str(item.get("bulkPayableItemReference"))] = (request, open_refs)
        if batch_id not in batches:
            self.api.delete(f"/payments/bulk/payable/batch/{batch_id}", stream="payables")
        for other in sorted(batches):
            path = f"/payments/bulk/payable/batch/{other}"
            if other != batch_id:
                current = self.api.get(path, stream="payables")
                if current.get("status") != "Open":
                    continue
                _log.info("submitting bulk payable batch %s left unsubmitted by an earlier run", other)
            self.api.patch(path, {"status": "Pending"}, stream="payables")
        refused: set[str] = set()
        for other in sorted(batches):
            self.pacing.wait(self.api, "payable", other, stream="payables")
            for item in self.api.get(f"/payments/bulk/payable/batch/{other}/item", stream="payables"):
                entry = waiting.pop(str(item.get("bulkPayableItemReference")), None)
                if entry is None:
                    continue
                request, open_refs = entry
                if item.get("status") != "Complete":
                    if request.reference not in refused:
                        refused.add(request.reference)
                        rejections.append(self._failed(request, item))
                    continue
                open_refs.discard(str(item.get("bulkPayableItemReference")))
                if not open_refs and request.reference not in refused:
                    self._done(request)
        lost = {
            request.reference: request for request, _ in waiting.values() if request.reference not in refused
        }
        for request in lost.values():
            rejections.append(
                request.rejected(
                    f"Wingspan lost bulk payable item(s) of {request.reference}; run the sync again to retry"
                )
            )
        return rejections

    def _done(self, request: PayableRequest) -> None:
        with self._lock:
            self._known_references().add(request.reference)
            self.created += 1

    def _failed(self, request: PayableRequest, item: dict[str, Any]) -> RecordRejected:
        message = (item.get("metadata") or {}).get("errorMessage") or f"item ended {item.get('status')}"
        return request.rejected(
            f"Wingspan refused payable {request.reference} (bulk payable batch "
            f"{item.get('bulkPayableBatchId')}): {message}"
        )

    def _add_payable(
        self, batch_id: str, request: PayableRequest, collaborator_id: str
    ) -> tuple[RecordRejected | None, list[dict[str, Any]]]:
        """Add the payable's item(s). When Wingspan answers 208 with an item of an earlier run's batch, the other
        lines go to that batch too, so the lines of one payable always merge in one batch."""
        lines = request.lines or [PayableLine(request.description, request.amount)]
        references = request.item_references()
        labels = {**request.labels, REFERENCE_LABEL: request.reference, "currency": request.currency}
        target = batch_id
        items: list[dict[str, Any]] = []
        for line, reference in zip(lines, references, strict=True):
            body = {
                "bulkPayableBatchId": target,
                "amount": line.amount,
                "dueDate": request.due_date,
                "lineItemDescription": line.description,
                "lineItemDetail": line.detail,
                "payableStatus": self.status,
                "payableNotes": request.notes,
                "collaboratorId": collaborator_id,
                "collaboratorExternalId": request.worker_id,
                "bulkPayableItemReference": reference,
                "bulkPayableItemMergeKey": request.reference if len(lines) > 1 else None,
                "labels": labels,
            }
            try:
                _, item = self.api.post(
                    f"/payments/bulk/payable/batch/{target}/item",
                    body,
                    stream=request.stream,
                    idempotent=True,
                )  # a repeat answers 208 with the existing item
            except ClientError as exc:
                return request.rejected(f"Wingspan refused payable {request.reference}: {reason(exc)}"), items
            if not items:
                target = item["bulkPayableBatchId"]
            items.append(item)
        return None, items
