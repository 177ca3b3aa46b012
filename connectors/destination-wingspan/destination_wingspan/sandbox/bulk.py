"""Wingspan's two bulk APIs in the sandbox: collaborator and payable batches and their items.

Both answer the same batch and item routes (one implementation, parametrised by :class:`Bulk`); only adding an
item differs. A submitted batch (``PATCH status: Pending``) is queued for the background processing of
:mod:`.processing`.
"""

from __future__ import annotations

from dataclasses import dataclass

from staffwire.testing.sandbox import HttpError, Request, Response, json_response, route

from destination_wingspan.sandbox.common import Row, Table, WingspanState, now
from destination_wingspan.sandbox.validation import require_date, validated_body

__all__ = ["COLLABORATORS", "PAYABLES", "TERMINAL", "Bulk", "BulkRoutes"]

TERMINAL = ("Complete", "Failed")


@dataclass(frozen=True)
class Bulk:
    """One of Wingspan's two bulk APIs: ``collaborator`` (contractors) or ``payable``."""

    name: str  # collaborator | payable: the path segment and the processing queue's kind
    title: str  # Collaborator | Payable: as in bulkCollaboratorBatchId

    @property
    def batch_id(self) -> str:
        return f"bulk{self.title}BatchId"

    @property
    def path(self) -> str:
        return f"/payments/bulk/{self.name}/batch"

    @property
    def what(self) -> str:
        return f"Bulk {self.name} batch"


COLLABORATORS = Bulk("collaborator", "Collaborator")
PAYABLES = Bulk("payable", "Payable")


def _batch_view(batch: Row, items: Table) -> Row:
    out = {k: v for k, v in batch.items() if not k.startswith("_")}
    if batch["status"] != "Open":
        mine = [items[i] for i in batch["_items"]]
        out["statistics"] = {
            "itemsTotal": len(mine),
            "itemsProcessed": sum(1 for i in mine if i["status"] in TERMINAL),
            "itemsFailed": sum(1 for i in mine if i["status"] == "Failed"),
        }
    return out


def _require_open(batch_id: str, batch: Row) -> None:
    if batch["status"] != "Open":
        raise HttpError(
            400,
            {"error": f"Batch {batch_id} is {batch['status']}; items can only be added to an Open batch"},
        )


class BulkRoutes(WingspanState):
    """``/payments/bulk/{collaborator,payable}/batch[/{batchId}[/item[/{itemId}]]]``."""

    def _tables(self, kind: Bulk) -> tuple[Table, Table]:
        if kind is COLLABORATORS:
            return self.collaborator_batches, self.collaborator_items
        return self.payable_batches, self.payable_items

    def _new_batch(self, kind: Bulk, client: str, body: Row) -> Row:
        stamp = now()
        batch: Row = {
            kind.batch_id: self.ids.new(f"{kind.title}-batch"),
            "client": {"user": {"userId": client}},
            "clientId": client,
            "createdAt": stamp,
            "eventActors": {},
            "labels": dict(body.get("labels") or {}),
            "status": "Open",
            "updatedAt": stamp,
            "userRoles": {"ownerIds": [client], "viewerIds": []},
            "_items": [],
        }
        if "processingStrategy" in body:
            batch["processingStrategy"] = body["processingStrategy"]
        return batch

    def _submit(self, kind: Bulk, batch: Row, body: Row) -> None:
        status = body.get("status")
        if body.get("labels"):
            batch["labels"].update(body["labels"])
        if status is None or status == batch["status"] or (status == "Pending" and batch["status"] != "Open"):
            return  # already submitted: a repeated submit is a no-op
        if status != "Pending" or batch["status"] != "Open":
            raise HttpError(
                400,
                {
                    "error": f"Batch {batch[kind.batch_id]} is {batch['status']}; only an Open batch can "
                    f"be submitted (status Pending)"
                },
            )
        batch["status"] = "Pending"
        batch["updatedAt"] = now()
        self._queue.put((kind.name, batch[kind.batch_id]))

    def _batch(self, kind: Bulk, request: Request) -> Row:
        return self._owned(self._tables(kind)[0], "batchId", request, kind.what)

    def _list_batches(self, kind: Bulk, request: Request) -> Response:
        client = self._client(request)
        batches, items = self._tables(kind)
        with self.lock:
            return json_response([_batch_view(b, items) for b in batches.values() if b["clientId"] == client])

    def _create_batch(self, kind: Bulk, request: Request) -> Response:
        body = validated_body(request, f"POST {kind.path}")
        batches, items = self._tables(kind)
        with self.lock:
            batch = self._new_batch(kind, self._client(request), body)
            batches[batch[kind.batch_id]] = batch
            return json_response(_batch_view(batch, items))

    def _get_batch(self, kind: Bulk, request: Request) -> Response:
        with self.lock:
            return json_response(_batch_view(self._batch(kind, request), self._tables(kind)[1]))

    def _update_batch(self, kind: Bulk, request: Request) -> Response:
        body = validated_body(request, f"PATCH {kind.path}/{{batchId}}")
        with self.lock:
            batch = self._batch(kind, request)
            self._submit(kind, batch, body)
            return json_response(_batch_view(batch, self._tables(kind)[1]))

    def _delete_batch(self, kind: Bulk, request: Request) -> Response:
        batches, items = self._tables(kind)
        with self.lock:
            batch = self._batch(kind, request)
            if batch["status"] != "Open":
                raise HttpError(400, {"error": f"Batch {request.params['batchId']} is {batch['status']}"})
            if kind is PAYABLES:  # a deleted payable item frees its reference
                for item_id in batch["_items"]:
                    item = items.pop(item_id)
                    if item.get("bulkPayableItemReference"):
                        self.references.pop((batch["clientId"], item["bulkPayableItemReference"]), None)
            del batches[request.params["batchId"]]
            return json_response(_batch_view(batch, items))

    def _list_items(self, kind: Bulk, request: Request) -> Response:
        items = self._tables(kind)[1]
        with self.lock:
            return json_response([items[i] for i in self._batch(kind, request)["_items"]])

    def _get_item(self, kind: Bulk, request: Request) -> Response:
        items = self._tables(kind)[1]
        with self.lock:
            self._batch(kind, request)
            item = items.get(request.params["itemId"])
            if item is None or item[kind.batch_id] != request.params["batchId"]:
                raise HttpError(404, {"error": f"Item {request.params['itemId']} not found"})
            return json_response(item)

    def _new_item(self, kind: Bulk, batch: Row, body: Row, head: Row, tail: Row) -> Row:
        """Store a new item of the Open ``batch`` (the caller holds the lock): the fields every item has and
        the API's own ``head`` fields in alphabetical order, as Wingspan answers them, then its ``tail``."""
        _require_open(batch[kind.batch_id], batch)
        stamp = now()
        item_id = self.ids.new(f"{kind.name}-item")
        common: Row = {
            kind.batch_id: batch[kind.batch_id],
            f"bulk{kind.title}ItemId": item_id,
            "clientId": batch["clientId"],
            "createdAt": stamp,
            "eventActors": {},
            "labels": dict(body.get("labels") or {}),
            "status": "Open",
            "updatedAt": stamp,
            "userRoles": {"ownerIds": [batch["clientId"]], "viewerIds": []},
        }
        item = dict(sorted({**common, **head}.items()))
        item.update(tail)
        item["metadata"] = None
        self._tables(kind)[1][item_id] = item
        batch["_items"].append(item_id)
        return item

    # ------------------------------------------------------------------------------------------ routes
    @route("GET", "/payments/bulk/collaborator/batch")
    def list_collaborator_batches(self, request: Request) -> Response:
        return self._list_batches(COLLABORATORS, request)

    @route("POST", "/payments/bulk/collaborator/batch")
    def create_collaborator_batch(self, request: Request) -> Response:
        return self._create_batch(COLLABORATORS, request)

    @route("GET", "/payments/bulk/collaborator/batch/{batchId}")
    def get_collaborator_batch(self, request: Request) -> Response:
        return self._get_batch(COLLABORATORS, request)

    @route("PATCH", "/payments/bulk/collaborator/batch/{batchId}")
    def update_collaborator_batch(self, request: Request) -> Response:
        return self._update_batch(COLLABORATORS, request)

    @route("DELETE", "/payments/bulk/collaborator/batch/{batchId}")
    def delete_collaborator_batch(self, request: Request) -> Response:
        return self._delete_batch(COLLABORATORS, request)

    @route("GET", "/payments/bulk/collaborator/batch/{batchId}/item")
    def list_collaborator_items(self, request: Request) -> Response:
        return self._list_items(COLLABORATORS, request)

    @route("GET", "/payments/bulk/collaborator/batch/{batchId}/item/{itemId}")
    def get_collaborator_item(self, request: Request) -> Response:
        return self._get_item(COLLABORATORS, request)

    @route("POST", "/payments/bulk/collaborator/batch/{batchId}/item")
    def create_collaborator_item(self, request: Request) -> Response:
        body = validated_body(request, "POST /payments/bulk/collaborator/batch/{batchId}/item")
        with self.lock:
            item = self._new_item(
                COLLABORATORS,
                self._batch(COLLABORATORS, request),
                body,
                {"collaboratorStatus": body.get("collaboratorStatus") or "Active"},
                {
                    "collaboratorGroupId": body.get("collaboratorGroupId"),
                    "collaboratorId": body.get("collaboratorId"),
                    "company": body.get("company"),
                    "email": body.get("email"),
                    "externalId": body.get("externalId"),
                    "firstLastName": body.get("firstLastName"),
                    "memberId": None,
                },
            )
            return json_response(item)

    @route("GET", "/payments/bulk/payable/batch")
    def list_payable_batches(self, request: Request) -> Response:
        return self._list_batches(PAYABLES, request)

    @route("POST", "/payments/bulk/payable/batch")
    def create_payable_batch(self, request: Request) -> Response:
        return self._create_batch(PAYABLES, request)

    @route("GET", "/payments/bulk/payable/batch/{batchId}")
    def get_payable_batch(self, request: Request) -> Response:
        return self._get_batch(PAYABLES, request)

    @route("PATCH", "/payments/bulk/payable/batch/{batchId}")
    def update_payable_batch(self, request: Request) -> Response:
        return self._update_batch(PAYABLES, request)

    @route("DELETE", "/payments/bulk/payable/batch/{batchId}")
    def delete_payable_batch(self, request: Request) -> Response:
        return self._delete_batch(PAYABLES, request)

    @route("GET", "/payments/bulk/payable/batch/{batchId}/item")
    def list_payable_items(self, request: Request) -> Response:
        return self._list_items(PAYABLES, request)

    @route("GET", "/payments/bulk/payable/batch/{batchId}/item/{itemId}")
    def get_payable_item(self, request: Request) -> Response:
        return self._get_item(PAYABLES, request)

    @route("POST", "/payments/bulk/payable/batch/{batchId}/item")
    def create_payable_item(self, request: Request) -> Response:
        body = validated_body(request, "POST /payments/bulk/payable/batch/{batchId}/item")
        batch_id = request.params["batchId"]
        if body["bulkPayableBatchId"] != batch_id:
            raise HttpError(
                400,
                {
                    "error": f"bulkPayableBatchId {body['bulkPayableBatchId']} does not match the "
                    f"batch in the path ({batch_id})"
                },
            )
        require_date(body)
        if body["amount"] <= 0:
            raise HttpError(400, {"error": f"amount must be greater than 0, got {body['amount']}"})
        if not (
            body.get("collaboratorId") or body.get("collaboratorEmail") or body.get("collaboratorExternalId")
        ):
            raise HttpError(
                400,
                {"error": "One of collaboratorId, collaboratorEmail or collaboratorExternalId is required"},
            )
        with self.lock:
            batch = self._batch(PAYABLES, request)
            reference = body.get("bulkPayableItemReference")
            if reference and (batch["clientId"], reference) in self.references:
                existing = self.payable_items[self.references[(batch["clientId"], reference)]]
                return json_response(existing, 208)
            item = self._new_item(
                PAYABLES,
                batch,
                body,
                {
                    "amount": body["amount"],
                    "dueDate": body["dueDate"],
                    "lineItemDescription": body["lineItemDescription"],
                    "paidDate": body.get("paidDate") or "",
                    "payableStatus": body["payableStatus"],
                },
                {
                    "bulkPayableItemMergeKey": body.get("bulkPayableItemMergeKey"),
                    "bulkPayableItemReference": reference,
                    "collaboratorEmail": body.get("collaboratorEmail"),
                    "collaboratorExternalId": body.get("collaboratorExternalId"),
                    "collaboratorId": body.get("collaboratorId"),
                    "lineItemDetail": body.get("lineItemDetail"),
                    "payableNotes": body.get("payableNotes"),
                    "reimbursableExpense": body.get("reimbursableExpense"),
                },
            )
            if reference:
                self.references[(batch["clientId"], reference)] = item["bulkPayableItemId"]
            return json_response(item)
