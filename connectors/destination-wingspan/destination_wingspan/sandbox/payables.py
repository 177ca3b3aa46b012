"""Payables, member clients, invoices and custom fields in the Wingspan sandbox."""

from __future__ import annotations

from typing import Any

from staffwire.testing.sandbox import HttpError, Request, Response, json_response, route

from destination_wingspan.sandbox.common import Row, WingspanState, now
from destination_wingspan.sandbox.validation import require_date, require_lines, validated_body

__all__ = ["PayableRoutes", "payable_view", "priced_lines", "settle"]

#: The InvoiceEvents milestones the sandbox stamps (every other event of the schema stays null).
EVENT_NAMES = ("approvedAt", "cancelledAt", "openedAt", "paidAt", "paymentInTransitAt")
_OPENED = ("Open", "Overdue", "Pending", "PaymentInTransit", "Paid")


def settle(p: Row, status: str, at: str, paid_date: str | None = None) -> None:
    """Put payable (or invoice) ``p`` in ``status`` as Wingspan records it: the status, the client's workflow
    status (ClientOptions) and the InvoiceEvents milestones. The bulk API's ``Approved`` is not a payable status:
    the payable is ``Open`` and its client workflow ``Approved``. ``paid_date`` (a bulk item's ``paidDate``)
    dates a ``Paid`` payable; otherwise ``at`` does."""
    events = p.setdefault("events", dict.fromkeys(EVENT_NAMES))
    client = p.setdefault(
        "client", {"comment": None, "payDate": None, "workflowStatus": "Pending", "workflowSubStatus": None}
    )
    if status == "Approved" or (status in ("PaymentInTransit", "Paid") and events["approvedAt"] is None):
        client["workflowStatus"] = "Approved"
        events["approvedAt"] = events["approvedAt"] or at
    if status in _OPENED or status == "Approved":
        events["openedAt"] = events["openedAt"] or at
    if status == "PaymentInTransit":
        events["paymentInTransitAt"] = at
    if status == "Paid":
        events["paidAt"] = f"{paid_date}T00:00:00.000Z" if paid_date else at
        client["workflowStatus"] = "Funded"
    if status == "Cancelled":
        events["cancelledAt"] = at
    p["status"] = "Open" if status == "Approved" else status


def payable_view(p: Row) -> Row:
    """A payable as the API answers it (without the sandbox's private ``_mergeKey``)."""
    return {k: v for k, v in p.items() if not k.startswith("_")}


def priced_lines(lines: list[Row]) -> list[Row]:
    """Line items with ``totalCost`` filled in from quantity x costPerUnit where the request left it out."""
    priced = []
    for line in lines:
        total = line.get("totalCost")
        if total is None:
            total = round((line.get("quantity") or 1) * (line.get("costPerUnit") or 0), 2)
        priced.append({**line, "totalCost": total})
    return priced


def _patch_payable(p: Row, body: Row) -> None:
    for key in ("dueDate", "invoiceNotes"):
        if body.get(key) is not None:
            p[key] = body[key]
    if body.get("status") is not None and body["status"] != p["status"]:
        settle(p, body["status"], now())
    if (body.get("client") or {}).get("workflowStatus") == "Approved" and p["status"] in ("Draft", "Open"):
        settle(p, "Approved", now())
    if body.get("labels"):
        p["labels"].update(body["labels"])


class PayableRoutes(WingspanState):
    """``/payments/payable``, ``/payments/memberClient``, ``/payments/invoice`` and ``/payments/custom-fields``."""

    def invoices(self, client_id: str | None = None) -> list[dict[str, Any]]:
        """Every client invoice, in creation order."""
        with self.lock:
            return self._rows(self.invoices_by_id, client_id)

    def payables(self, client_id: str | None = None) -> list[dict[str, Any]]:
        """Every payable, in creation order."""
        with self.lock:
            return self._rows(self.payables_by_id, client_id)

    def _store_payable(self, client: str, contractor: Row, fields: Row) -> Row:
        """A new payable of ``contractor`` (from the single or the bulk API; the caller holds the lock)."""
        stamp = now()
        if fields.get("invoiceNotes") is None:  # PayableSchema types it string: absent, never null
            fields.pop("invoiceNotes", None)
        status = fields.pop("status")
        paid_date = fields.pop("_paidDate", None)
        payable = {
            "payableId": self.ids.new("payable"),
            "clientId": client,
            "collaboratorId": contractor["collaboratorId"],
            "memberId": contractor["memberId"],
            **fields,
            "createdAt": stamp,
            "updatedAt": stamp,
        }
        settle(payable, status, stamp, paid_date)
        self.payables_by_id[payable["payableId"]] = payable
        return payable

    def _payable(self, request: Request) -> Row:
        return self._owned(self.payables_by_id, "id", request, "Payable")

    # ------------------------------------------------------------------------------------------ payables
    @route("GET", "/payments/payable")
    def list_payables(self, request: Request) -> Response:
        return self._list(request, self.payables_by_id, payable_view)

    @route("POST", "/payments/payable")
    def create_payable(self, request: Request) -> Response:
        body = validated_body(request, "POST /payments/payable")
        require_date(body)
        require_lines(body)
        client = self._client(request)
        with self.lock:
            c = self.collaborators.get(body["collaboratorId"])
            if c is None or c["clientId"] != client:
                raise HttpError(400, {"error": f"Collaborator {body['collaboratorId']} not found"})
            lines = priced_lines(body["lineItems"])
            payable = self._store_payable(
                client,
                c,
                {
                    "amount": round(sum(ln["totalCost"] for ln in lines), 2),
                    "currency": body.get("currency") or "USD",
                    "dueDate": body["dueDate"],
                    "status": body.get("status") or "Draft",
                    "lineItems": lines,
                    "labels": dict(body.get("labels") or {}),
                    "invoiceNotes": body.get("invoiceNotes"),
                    "bulkPayableItemReference": None,
                    "metadata": {"pendingStatusReason": None},
                },
            )
            return json_response(payable_view(payable))

    @route("GET", "/payments/payable/{id}")
    def get_payable(self, request: Request) -> Response:
        return self._read(request, self._payable, payable_view)

    @route("PATCH", "/payments/payable/{id}")
    def update_payable(self, request: Request) -> Response:
        body = validated_body(request, "PATCH /payments/payable/{id}")
        return self._patch(request, body, self._payable, _patch_payable, payable_view)

    # ------------------------------------------------------------------------------------------ invoices
    @route("GET", "/payments/memberClient")
    def list_member_clients(self, request: Request) -> Response:
        return self._list(request, self.member_clients)

    @route("POST", "/payments/memberClient")
    def create_member_client(self, request: Request) -> Response:
        body = validated_body(request, "POST /payments/memberClient")
        with self.lock:
            member_client: Row = {
                "memberClientId": self.ids.new("member-client"),
                "clientId": self._client(request),
                "company": body.get("company"),
                "name": body.get("name"),
                "emailTo": body.get("emailTo"),
                "labels": dict(body.get("labels") or {}),
                "status": body.get("status") or "Active",
                "createdAt": now(),
            }
            self.member_clients[member_client["memberClientId"]] = member_client
            return json_response(member_client)

    @route("GET", "/payments/invoice")
    def list_invoices(self, request: Request) -> Response:
        return self._list(request, self.invoices_by_id)

    @route("POST", "/payments/invoice")
    def create_invoice(self, request: Request) -> Response:
        body = validated_body(request, "POST /payments/invoice")
        require_date(body)
        require_lines(body)
        with self.lock:
            member_client = self.member_clients.get(body["memberClientId"])
            if member_client is None or member_client["clientId"] != self._client(request):
                raise HttpError(400, {"error": f"Member client {body['memberClientId']} not found"})
            lines = priced_lines(body["lineItems"])
            invoice = {
                "invoiceId": self.ids.new("invoice"),
                "clientId": self._client(request),
                "memberClientId": body["memberClientId"],
                "dueDate": body["dueDate"],
                "lineItems": lines,
                "amount": round(sum(ln["totalCost"] for ln in lines), 2),
                "currency": body.get("currency") or "USD",
                "status": body.get("status") or "Draft",
                "labels": dict(body.get("labels") or {}),
                "createdAt": now(),
            }
            invoice["updatedAt"] = invoice["createdAt"]
            settle(invoice, invoice.pop("status"), invoice["createdAt"])
            self.invoices_by_id[invoice["invoiceId"]] = invoice
            return json_response(invoice)

    @route("GET", "/payments/invoice/{id}")
    def get_invoice(self, request: Request) -> Response:
        return self._read(request, lambda r: self._owned(self.invoices_by_id, "id", r, "Invoice"))

    # ------------------------------------------------------------------------------------------ custom fields
    @route("GET", "/payments/custom-fields")
    def list_custom_fields(self, request: Request) -> Response:
        return self._list(request, self.custom_fields)

    @route("POST", "/payments/custom-fields")
    def create_custom_field(self, request: Request) -> Response:
        body = validated_body(request, "POST /payments/custom-fields")
        client = self._client(request)
        with self.lock:
            if any(f["key"] == body["key"] and f["clientId"] == client for f in self.custom_fields.values()):
                raise HttpError(409, {"error": f"A custom field with key {body['key']} already exists"})
            field = {**body, "id": self.ids.new("custom-field"), "clientId": client}
            self.custom_fields[field["id"]] = field
            return json_response(field)
