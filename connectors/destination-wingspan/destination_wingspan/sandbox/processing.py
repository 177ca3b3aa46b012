"""Asynchronous processing of submitted bulk batches in the Wingspan sandbox, as Wingspan does it: a background
thread takes each submitted batch through Pending -> Processing -> Complete | Failed and gives every item its
result (``metadata.resolvedCollaboratorId``, ``payableId``, ``errorMessage``).

``process_delay`` is waited before processing starts and again before the batch completes; ``item_delay`` per
item, so tests can watch the intermediate states.
"""

from __future__ import annotations

import threading
import time

from destination_wingspan.sandbox.bulk import BulkRoutes
from destination_wingspan.sandbox.common import Row, now
from destination_wingspan.sandbox.contractors import ContractorRoutes
from destination_wingspan.sandbox.payables import PayableRoutes
from destination_wingspan.sandbox.validation import EMAIL

__all__ = ["BatchProcessing"]


def _finish(item: Row, metadata: Row, error: str | None = None) -> None:
    item["status"] = "Failed" if error else "Complete"
    item["metadata"] = {**metadata, "errorMessage": error}
    item["updatedAt"] = now()


class BatchProcessing(ContractorRoutes, PayableRoutes, BulkRoutes):
    """The worker thread (started and stopped with the server) and what processing does to each item."""

    _worker: threading.Thread | None

    def _start_worker(self) -> None:
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._work, name="wingspan-batches", daemon=True)
            self._worker.start()

    def _stop_worker(self) -> None:
        if self._worker is not None:
            self._queue.put(None)
            self._worker.join(timeout=5)
            self._worker = None

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            kind, batch_id = job
            time.sleep(self.process_delay)
            with self.lock:
                table = self.collaborator_batches if kind == "collaborator" else self.payable_batches
                batch = table.get(batch_id)
                if batch is None:
                    continue
                batch["status"] = "Processing"
                batch["updatedAt"] = now()
                item_ids = list(batch["_items"])
            for item_id in item_ids:
                if self.item_delay:
                    time.sleep(self.item_delay)
                with self.lock:
                    if kind == "collaborator":
                        self._process_collaborator_item(self.collaborator_items[item_id])
                    else:
                        self._process_payable_item(self.payable_items[item_id], batch)
            time.sleep(self.process_delay)
            with self.lock:
                items = self.collaborator_items if kind == "collaborator" else self.payable_items
                failed = sum(1 for i in item_ids if items[i]["status"] == "Failed")
                batch["status"] = "Failed" if item_ids and failed == len(item_ids) else "Complete"
                batch["updatedAt"] = now()

    def _process_collaborator_item(self, item: Row) -> None:
        client = item["clientId"]
        if item.get("collaboratorId"):
            c = self.collaborators.get(item["collaboratorId"])
            if c is None or c["clientId"] != client:
                _finish(
                    item, {"resolvedCollaboratorId": None}, f"Collaborator {item['collaboratorId']} not found"
                )
                return
            c["labels"].update(item["labels"])
            _finish(item, {"resolvedCollaboratorId": c["collaboratorId"]})
            return
        email = item.get("email") or ""
        if not EMAIL.match(email):
            _finish(
                item,
                {"resolvedCollaboratorId": None},
                f"A valid email is required to invite a collaborator (got {email!r})",
            )
            return
        if email.lower() in self.refused_emails:
            _finish(item, {"resolvedCollaboratorId": None}, self.refused_emails[email.lower()])
            return
        existing = self._find_by_email(client, email) if self.dedupe_by_email else None
        if existing is not None:
            existing["labels"].update(item["labels"])
            _finish(item, {"resolvedCollaboratorId": existing["collaboratorId"]})
            return
        c = self._new_contractor(
            client,
            email,
            item.get("firstLastName"),
            item.get("externalId"),
            item["labels"],
            item.get("collaboratorStatus"),
            item.get("company"),
        )
        item["memberId"] = c["memberId"]
        _finish(item, {"resolvedCollaboratorId": c["collaboratorId"]})

    def _resolve(self, client: str, item: Row) -> Row | None:
        """The contractor a payable item names: by collaboratorId, else by external id or email."""
        if item.get("collaboratorId"):
            c = self.collaborators.get(item["collaboratorId"])
            return c if c is not None and c["clientId"] == client else None
        for c in self.collaborators.values():
            if c["clientId"] != client:
                continue
            if (
                item.get("collaboratorExternalId")
                and c["clientData"].get("externalId") == item["collaboratorExternalId"]
            ):
                return c
            if (
                item.get("collaboratorEmail")
                and c["member"]["user"]["email"] == item["collaboratorEmail"].lower()
            ):
                return c
        return None

    def _process_payable_item(self, item: Row, batch: Row) -> None:
        client = item["clientId"]
        c = self._resolve(client, item)
        if c is None:
            who = (
                item.get("collaboratorId")
                or item.get("collaboratorExternalId")
                or item.get("collaboratorEmail")
            )
            _finish(
                item,
                {"payableId": None, "resolvedCollaboratorId": None},
                f"Could not find a collaborator matching {who}",
            )
            return
        line = {
            "description": item["lineItemDescription"],
            "detail": item.get("lineItemDetail"),
            "quantity": 1,
            "costPerUnit": item["amount"],
            "totalCost": item["amount"],
            "reimbursableExpense": bool(item.get("reimbursableExpense")),
            "labels": {},
        }
        merge_key = item.get("bulkPayableItemMergeKey")
        if batch.get("processingStrategy") == "Merge" and merge_key:
            for p in self.payables_by_id.values():
                if p.get("_mergeKey") == (batch["bulkPayableBatchId"], merge_key, c["collaboratorId"]):
                    p["lineItems"].append(line)
                    p["amount"] = round(p["amount"] + item["amount"], 2)
                    _finish(
                        item, {"payableId": p["payableId"], "resolvedCollaboratorId": c["collaboratorId"]}
                    )
                    return
        fields: Row = {
            "amount": item["amount"],
            "currency": "USD",
            "dueDate": item["dueDate"],
            "status": item["payableStatus"],
            "lineItems": [line],
            "labels": dict(item["labels"]),
            "invoiceNotes": item.get("payableNotes"),
            "bulkPayableItemReference": item.get("bulkPayableItemReference"),
            "_paidDate": item.get("paidDate") or None,
        }
        if merge_key:
            fields["_mergeKey"] = (batch["bulkPayableBatchId"], merge_key, c["collaboratorId"])
        payable = self._store_payable(client, c, fields)
        _finish(item, {"payableId": payable["payableId"], "resolvedCollaboratorId": c["collaboratorId"]})
