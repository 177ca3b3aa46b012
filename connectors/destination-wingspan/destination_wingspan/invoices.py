"""Client invoices (``stream_mappings`` target ``invoices``), exactly once, through the single-call API.

An invoice needs a member client (the staffing firm's customer): one is found by its e-mail among the account's
member clients (listed once per run) or created. The invoice itself carries the ``staffwireReference`` label; the
account's invoices are listed once per run and a reference already there is skipped. Wingspan has no idempotency
key for ``POST /payments/invoice``, so a create whose answer was lost is verified by listing again before it is
retried. Invoices are low-volume and written one after the other, which also keeps one member client per e-mail.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from staffwire.errors import RecordRejected, Rejection
from staffwire.http.errors import ClientError

from destination_wingspan.api import WingspanApi, create_once, reason
from destination_wingspan.payables import REFERENCE_LABEL, labelled_references

__all__ = ["InvoiceLine", "InvoiceRequest", "InvoiceWriter"]


@dataclass
class InvoiceLine:
    description: str
    quantity: float
    unit_price: float
    amount: float
    unit: str | None = None


@dataclass
class InvoiceRequest:
    stream: str
    record_id: str
    reference: str
    client_email: str
    client_name: str | None
    due_date: str
    currency: str
    lines: list[InvoiceLine]
    notes: str | None = None
    labels: dict[str, str] = field(default_factory=dict)

    def rejected(self, message: str, rule: str = "wingspan") -> RecordRejected:
        return RecordRejected(
            reasons=[Rejection(rule=rule, message=message)], stream=self.stream, record_id=self.record_id
        )


class InvoiceWriter:
    def __init__(self, api: WingspanApi, *, status: str, max_attempts: int) -> None:
        self.api = api
        self.status = status
        self.max_attempts = max_attempts
        self.created = 0
        self.skipped = 0
        self._clients: dict[str, str] | None = None  # email -> memberClientId
        self._known: set[str] | None = None

    def _load_clients(self) -> dict[str, str]:
        rows = self.api.get("/payments/memberClient", stream="invoices")
        self._clients = {str(r["emailTo"]).lower(): r["memberClientId"] for r in rows if r.get("emailTo")}
        return self._clients

    def _load_invoices(self) -> set[str]:
        self._known = labelled_references(self.api.get("/payments/invoice", stream="invoices"))
        return self._known

    def commit(self, requests: Iterable[InvoiceRequest]) -> list[RecordRejected]:
        known = self._known if self._known is not None else self._load_invoices()
        rejections: list[RecordRejected] = []
        for request in requests:
            if request.reference in known:
                self.skipped += 1
                continue
            try:
                client_id = self._member_client(request)
                self._create(request, client_id)
            except ClientError as exc:
                rejections.append(
                    request.rejected(f"Wingspan refused invoice {request.reference}: {reason(exc)}")
                )
        return rejections

    def _member_client(self, request: InvoiceRequest) -> str:
        clients = self._clients if self._clients is not None else self._load_clients()
        email = request.client_email.lower()
        if email in clients:
            return clients[email]
        body = {
            "emailTo": request.client_email,
            "company": request.client_name,
            "name": request.client_name,
            "status": "Active",
            "labels": {"createdBy": "staffwire-destination-wingspan"},
        }
        client = create_once(
            lambda: self.api.post("/payments/memberClient", body, stream=request.stream)[1],
            lambda: email in self._load_clients(),  # was it created before the answer was lost?
            attempts=self.max_attempts,
        )
        listed = self._clients  # listed again when a lost create was checked
        assert listed is not None
        if client is None:
            return listed[email]
        listed[email] = client["memberClientId"]
        return str(client["memberClientId"])

    def _create(self, request: InvoiceRequest, member_client_id: str) -> None:
        body: dict[str, Any] = {
            "memberClientId": member_client_id,
            "dueDate": request.due_date,
            "currency": request.currency,
            "status": self.status,
            "creditFeeHandling": {"clientPays": 0, "memberPays": 100},
            "lineItems": [
                {
                    "description": ln.description,
                    "quantity": ln.quantity,
                    "unit": ln.unit,
                    "costPerUnit": ln.unit_price,
                    "totalCost": ln.amount,
                }
                for ln in request.lines
            ],
            "invoiceNotes": request.notes,
            "labels": {**request.labels, REFERENCE_LABEL: request.reference},
        }
        create_once(
            lambda: self.api.post("/payments/invoice", body, stream=request.stream),
            lambda: request.reference in self._load_invoices(),
            attempts=self.max_attempts,
        )
        assert self._known is not None
        self._known.add(request.reference)
        self.created += 1
