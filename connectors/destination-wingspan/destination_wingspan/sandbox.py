"""A faithful emulator of Wingspan's Payments API, for tests, the demo and benchmarks.

What it emulates (see README "Sandbox"): bearer-token sessions (``GET /users/session/token/{token}``), acting as a
child account (``X-WINGSPAN-USER``), collaborators and payees (two views of one contractor), bulk collaborator and
bulk payable batches that process *asynchronously* in a background thread (Open -> Pending -> Processing ->
Complete | Failed, with per-item results), payables, member clients and invoices, ``208 Already Reported`` for a
repeated ``bulkPayableItemReference``, ``409`` for a repeated payee / collaborator email, a write rate limit
(default 100 writes/s, 429 when exceeded), and request bodies validated against the request schemas of Wingspan's
OpenAPI file (a body the real API would refuse is refused with 400). Every fault switch of
:class:`staffwire.testing.sandbox.Faults` applies.

Run it on its own with ``python -m destination_wingspan.sandbox [--port 8477]``.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import queue
import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from staffwire.testing.sandbox import HttpError, Request, Response, Sandbox, json_response, route

from destination_wingspan.request_schemas import request_errors

__all__ = ["DEMO_CHILD_USER_ID", "DEMO_TOKEN", "DEMO_USER_ID", "WingspanSandbox"]

DEMO_TOKEN = "ws-demo-token-3f9a1c7e5b2d4f60"
DEMO_USER_ID = "Ws7kQ2mN4pR8tV1xZ3bC5d"
DEMO_CHILD_USER_ID = "Ws9hJ6gF2dS4aQ8wE1rT7y"

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_TERMINAL = ("Complete", "Failed")


@dataclass(frozen=True)
class _Bulk:
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


_COLLABORATORS = _Bulk("collaborator", "Collaborator")
_PAYABLES = _Bulk("payable", "Payable")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _Ids:
    """Wingspan-looking 22-character ids, deterministic per sandbox."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)
        self._lock = threading.Lock()

    def new(self, kind: str) -> str:
        with self._lock:
            n = next(self._counter)
        digest = int.from_bytes(hashlib.sha256(f"{kind}:{n}".encode()).digest()[:16], "big")
        out = ""
        while len(out) < 22:
            digest, r = divmod(digest, 62)
            out += _ALPHABET[r]
        return out


class _WriteLimiter:
    """Token bucket per account: ``rate`` writes per second with a one-second burst."""

    def __init__(self, rate: float | None) -> None:
        self.rate = rate
        self._lock = threading.Lock()
        self._tokens: dict[str, float] = {}
        self._stamp: dict[str, float] = {}

    def take(self, account: str) -> bool:
        if not self.rate:
            return True
        now = time.monotonic()
        with self._lock:
            tokens = self._tokens.get(account, self.rate)
            tokens = min(self.rate, tokens + (now - self._stamp.get(account, now)) * self.rate)
            self._stamp[account] = now
            if tokens < 1:
                self._tokens[account] = tokens
                return False
            self._tokens[account] = tokens - 1
            return True


class WingspanSandbox(Sandbox):
    """Wingspan Payments API emulator.

    ``process_delay``: seconds a submitted batch waits before processing starts (and again before it completes);
    ``item_delay``: seconds per processed item; ``rate_limit_per_s``: writes per second per account (None: no
    limit); ``retry_after``: the ``Retry-After`` header on rate-limit 429s (None: no header);
    ``dedupe_by_email``: a bulk collaborator item whose email already belongs to a collaborator resolves to it, as
    the real service does (tests switch it off to prove the connector does not rely on it).
    """

    name = "wingspan"

    def __init__(
        self,
        *,
        process_delay: float = 0.05,
        item_delay: float = 0.0,
        rate_limit_per_s: float | None = 100,
        retry_after: str | None = "1",
        dedupe_by_email: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
        log_requests: bool = True,
    ) -> None:
        super().__init__(host=host, port=port, log_requests=log_requests)
        self.process_delay = process_delay
        self.item_delay = item_delay
        self.retry_after = retry_after
        self.dedupe_by_email = dedupe_by_email
        self.limiter = _WriteLimiter(rate_limit_per_s)
        self.ids = _Ids()
        #: token -> user id of the account it belongs to
        self.tokens: dict[str, str] = {DEMO_TOKEN: DEMO_USER_ID}
        #: account user id -> the user ids it may act as through X-WINGSPAN-USER
        self.accounts: dict[str, set[str]] = {DEMO_USER_ID: {DEMO_USER_ID, DEMO_CHILD_USER_ID}}
        self.collaborators: dict[str, dict[str, Any]] = {}
        self.payables_by_id: dict[str, dict[str, Any]] = {}
        self.collaborator_batches: dict[str, dict[str, Any]] = {}
        self.collaborator_items: dict[str, dict[str, Any]] = {}
        self.payable_batches: dict[str, dict[str, Any]] = {}
        self.payable_items: dict[str, dict[str, Any]] = {}
        self.member_clients: dict[str, dict[str, Any]] = {}
        self.invoices_by_id: dict[str, dict[str, Any]] = {}
        self.custom_fields: dict[str, dict[str, Any]] = {}
        self.references: dict[tuple[str, str], str] = {}  # (clientId, bulkPayableItemReference) -> item id
        #: email -> the errorMessage Wingspan's processing answers for it (see :meth:`refuse_email`)
        self.refused_emails: dict[str, str] = {}
        self.writes_accepted = 0
        self.writes_limited = 0
        self._queue: queue.Queue[tuple[str, str] | None] = queue.Queue()
        self._worker: threading.Thread | None = None

    # ------------------------------------------------------------------------------------------ lifecycle
    def start(self) -> WingspanSandbox:
        super().start()
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._work, name="wingspan-batches", daemon=True)
            self._worker.start()
        return self

    def stop(self) -> None:
        super().stop()
        if self._worker is not None:
            self._queue.put(None)
            self._worker.join(timeout=5)
            self._worker = None

    def demo_config(self, url: str | None = None, **overrides: Any) -> dict[str, Any]:
        """A destination-wingspan config for this sandbox (the demo token; fast polling)."""
        config: dict[str, Any] = {
            "api_token": DEMO_TOKEN,
            "api_url": url or self.url,
            "poll_interval_s": 0.05,
            "backoff_base_s": 0.01,
        }
        config.update(overrides)
        return config

    def issue_token(self, user_id: str = DEMO_USER_ID) -> str:
        token = f"ws-{self.ids.new('token')}"
        self.tokens[token] = user_id
        return token

    def refuse_email(self, email: str, message: str | None = None) -> None:
        """Bulk/payee processing refuses this email (as Wingspan does for, e.g., a payer's own users)."""
        self.refused_emails[email.lower()] = (
            message or f"Cannot invite {email}: the address belongs to a user of this payer account"
        )

    def revoke_all_tokens(self) -> None:
        """Every session expires (a bad token mid-run)."""
        self.tokens.clear()

    # ------------------------------------------------------------------------------------------ inspection
    def contractors(self, client_id: str | None = None) -> list[dict[str, Any]]:
        """Every contractor (collaborator), flattened for assertions, in creation order."""
        with self.lock:
            return [
                {
                    "collaboratorId": c["collaboratorId"],
                    "payeeId": c["payeeId"],
                    "clientId": c["clientId"],
                    "email": c["member"]["user"]["email"],
                    "name": c["memberName"],
                    "externalId": (c.get("clientData") or {}).get("externalId"),
                    "labels": dict(c["labels"]),
                    "status": c["status"],
                }
                for c in self.collaborators.values()
                if client_id is None or c["clientId"] == client_id
            ]

    def invoices(self, client_id: str | None = None) -> list[dict[str, Any]]:
        """Every client invoice, in creation order."""
        with self.lock:
            return [
                dict(i)
                for i in self.invoices_by_id.values()
                if client_id is None or i["clientId"] == client_id
            ]

    def payables(self, client_id: str | None = None) -> list[dict[str, Any]]:
        """Every payable, in creation order."""
        with self.lock:
            return [
                dict(p)
                for p in self.payables_by_id.values()
                if client_id is None or p["clientId"] == client_id
            ]

    # ------------------------------------------------------------------------------------------ plumbing
    def fault_body(self, status: int) -> Any:
        if status == 429:
            return {"error": "Too many requests, slow down"}
        return {"code": "InternalServerError", "message": f"Internal server error (sandbox fault {status})"}

    def not_found(self, request: Request) -> Response:
        return json_response({"error": f"Cannot {request.method} {request.path}"}, 404)

    def before_request(self, request: Request) -> Response | None:
        request.query.pop("_client", None)
        if request.path.startswith("/users/session/token/"):
            return None
        auth = request.header("authorization") or ""
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        account = self.tokens.get(token)
        if account is None:
            return json_response({"error": "Session expired"}, 401)
        acting = request.header("x-wingspan-user")
        if acting and acting not in self.accounts.get(account, {account}):
            return json_response({"error": f"Not authorized to act as user {acting}"}, 403)
        request.query["_client"] = [acting or account]  # query survives routing (params are reset)
        if request.method != "GET":
            if not self.limiter.take(account):
                self.writes_limited += 1
                headers = {"Retry-After": self.retry_after} if self.retry_after is not None else {}
                return json_response({"error": "Too many requests, slow down"}, 429, headers)
            self.writes_accepted += 1
        return None

    @staticmethod
    def _client(request: Request) -> str:
        return request.query["_client"][0]

    def _body(self, request: Request, operation: str) -> dict[str, Any]:
        body = request.json()
        if not isinstance(body, dict):
            raise HttpError(400, {"error": f"{operation}: the request body must be a JSON object"})
        errors = request_errors(operation, body)
        if errors:
            raise HttpError(
                400, {"code": "ValidationError", "message": f"Invalid request body: {'; '.join(errors)}"}
            )
        return body

    def _owned(
        self, table: dict[str, dict[str, Any]], key: str, request: Request, what: str
    ) -> dict[str, Any]:
        obj = table.get(request.params[key])
        if obj is None or obj["clientId"] != self._client(request):
            raise HttpError(404, {"error": f"{what} {request.params[key]} not found"})
        return obj

    # ------------------------------------------------------------------------------------------ sessions
    @route("GET", "/users/session/token/{token}")
    def session(self, request: Request) -> Response:
        user = self.tokens.get(request.params["token"])
        if user is None:
            raise HttpError(403, {"error": "Session expired"})
        return json_response(
            {
                "token": request.params["token"],
                "expiration": "2099-01-01T00:00:00.000Z",
                "sessionType": "Api",
                "userId": user,
            }
        )

    # ------------------------------------------------------------------------------------------ contractors
    def _find_by_email(self, client: str, email: str) -> dict[str, Any] | None:
        email = email.lower()
        for c in self.collaborators.values():
            if c["clientId"] == client and c["member"]["user"]["email"] == email:
                return c
        return None

    def _new_contractor(
        self,
        client: str,
        email: str,
        name: str | None,
        external_id: str | None,
        labels: dict[str, str] | None,
        status: str | None,
        company: str | None = None,
    ) -> dict[str, Any]:
        now = _now()
        collaborator_id = self.ids.new("collaborator")
        contractor: dict[str, Any] = {
            "collaboratorId": collaborator_id,
            "payeeId": self.ids.new("payee"),
            "clientId": client,
            "memberId": self.ids.new("member"),
            "memberName": name,
            "memberCompany": company,
            "member": {"user": {"userId": None, "email": email.lower(), "status": "Pending"}},
            "status": status or "Active",
            "taxStatus": "Incomplete",
            "clientData": {"externalId": external_id},
            "labels": dict(labels or {}),
            "eligibilityRequirements": [{"requirementType": "W9", "status": "New"}],
            "createdAt": now,
            "updatedAt": now,
        }
        contractor["member"]["user"]["userId"] = contractor["memberId"]
        self.collaborators[collaborator_id] = contractor
        return contractor

    @staticmethod
    def _collaborator_view(c: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in c.items() if k != "payeeId"}

    @staticmethod
    def _payee_view(c: dict[str, Any]) -> dict[str, Any]:
        first, _, last = (c["memberName"] or "").partition(" ")
        return {
            "payeeId": c["payeeId"],
            "payerId": c["clientId"],
            "user": {
                "userId": c["memberId"],
                "email": c["member"]["user"]["email"],
                "status": c["member"]["user"]["status"],
                "firstName": first or None,
                "lastName": last or None,
            },
            "payerOwnedData": {
                "payeeExternalId": c["clientData"].get("externalId"),
                "status": "Inactive" if c["status"] == "Inactive" else "Active",
                "labels": dict(c["labels"]),
            },
            "requirements": [
                {
                    "payerPayeeEngagementIds": [c["collaboratorId"]],
                    "requirementType": "W9",
                    "status": "Incomplete",
                }
            ],
            "createdAt": c["createdAt"],
            "updatedAt": c["updatedAt"],
        }

    @route("GET", "/payments/collaborator")
    def list_collaborators(self, request: Request) -> Response:
        client = self._client(request)
        with self.lock:
            return json_response(
                [self._collaborator_view(c) for c in self.collaborators.values() if c["clientId"] == client]
            )

    @route("POST", "/payments/collaborator")
    def create_collaborator(self, request: Request) -> Response:
        body = self._body(request, "POST /payments/collaborator")
        email = body.get("memberEmail") or ""
        if not _EMAIL.match(email):
            raise HttpError(400, {"error": "memberEmail must be a valid email address"})
        client = self._client(request)
        with self.lock:
            existing = self._find_by_email(client, email)
            if existing is not None:
                raise HttpError(
                    409,
                    {
                        "error": f"A collaborator with email {email} already exists",
                        "collaboratorId": existing["collaboratorId"],
                    },
                )
            c = self._new_contractor(
                client,
                email,
                body.get("memberName"),
                (body.get("clientData") or {}).get("externalId"),
                body.get("labels"),
                body.get("status"),
                body.get("memberCompany"),
            )
            return json_response(self._collaborator_view(c))

    @route("GET", "/payments/collaborator/{id}")
    def get_collaborator(self, request: Request) -> Response:
        with self.lock:
            return json_response(
                self._collaborator_view(self._owned(self.collaborators, "id", request, "Collaborator"))
            )

    @route("PATCH", "/payments/collaborator/{id}")
    def update_collaborator(self, request: Request) -> Response:
        body = self._body(request, "PATCH /payments/collaborator/{id}")
        with self.lock:
            c = self._owned(self.collaborators, "id", request, "Collaborator")
            if body.get("labels"):
                c["labels"].update(body["labels"])
            if body.get("status"):
                c["status"] = body["status"]
            if body.get("clientData") and "externalId" in body["clientData"]:
                c["clientData"]["externalId"] = body["clientData"]["externalId"]
            c["updatedAt"] = _now()
            return json_response(self._collaborator_view(c))

    @route("DELETE", "/payments/collaborator/{id}")
    def delete_collaborator(self, request: Request) -> Response:
        with self.lock:
            c = self._owned(self.collaborators, "id", request, "Collaborator")
            del self.collaborators[c["collaboratorId"]]
            return json_response(self._collaborator_view(c))

    @route("GET", "/payments/collaborator/{id}/events")
    def collaborator_events(self, request: Request) -> Response:
        with self.lock:
            self._owned(self.collaborators, "id", request, "Collaborator")
        return json_response(
            {
                "signedUpAt": None,
                "knowYourCustomerVerifiedAt": None,
                "taxDocumentationVerifiedAt": None,
                "payoutMethodFirstAddedAt": None,
            }
        )

    @route("GET", "/payments/payee")
    def list_payees(self, request: Request) -> Response:
        client = self._client(request)
        with self.lock:
            return json_response(
                [self._payee_view(c) for c in self.collaborators.values() if c["clientId"] == client]
            )

    def _payee(self, request: Request) -> dict[str, Any]:
        client = self._client(request)
        for c in self.collaborators.values():
            if c["payeeId"] == request.params["id"] and c["clientId"] == client:
                return c
        raise HttpError(404, {"error": f"Payee {request.params['id']} not found"})

    @route("POST", "/payments/payee")
    def create_payee(self, request: Request) -> Response:
        body = self._body(request, "POST /payments/payee")
        email = body["email"]
        if not _EMAIL.match(email):
            raise HttpError(400, {"error": "email must be a valid email address"})
        if email.lower() in self.refused_emails:
            raise HttpError(422, {"code": "ValidationError", "message": self.refused_emails[email.lower()]})
        owned = body.get("payerOwnedData") or {}
        name = " ".join(p for p in (body.get("firstName"), body.get("lastName")) if p) or None
        client = self._client(request)
        with self.lock:
            existing = self._find_by_email(client, email)
            if existing is not None:
                raise HttpError(
                    409,
                    {"error": f"A payee with email {email} already exists", "payeeId": existing["payeeId"]},
                )
            c = self._new_contractor(
                client, email, name, owned.get("payeeExternalId"), owned.get("labels"), owned.get("status")
            )
            return json_response(self._payee_view(c))

    @route("GET", "/payments/payee/{id}")
    def get_payee(self, request: Request) -> Response:
        with self.lock:
            return json_response(self._payee_view(self._payee(request)))

    @route("PATCH", "/payments/payee/{id}")
    def update_payee(self, request: Request) -> Response:
        body = self._body(request, "PATCH /payments/payee/{id}")
        with self.lock:
            c = self._payee(request)
            owned = body.get("payerOwnedData") or {}
            if owned.get("labels"):
                c["labels"].update(owned["labels"])
            if owned.get("status"):
                c["status"] = owned["status"]
            if owned.get("payeeExternalId"):
                c["clientData"]["externalId"] = owned["payeeExternalId"]
            c["updatedAt"] = _now()
            return json_response(self._payee_view(c))

    @route("GET", "/payments/payee/{id}/engagement")
    def payee_engagements(self, request: Request) -> Response:
        with self.lock:
            c = self._payee(request)
            return json_response(
                [
                    {
                        "payerPayeeEngagementId": c["collaboratorId"],
                        "payeeId": c["payeeId"],
                        "status": c["status"],
                    }
                ]
            )

    # ------------------------------------------------------------------------------------------ batches
    def _batch_view(
        self, batch: dict[str, Any], items: dict[str, dict[str, Any]], id_key: str
    ) -> dict[str, Any]:
        out = {k: v for k, v in batch.items() if not k.startswith("_")}
        if batch["status"] != "Open":
            mine = [items[i] for i in batch["_items"]]
            out["statistics"] = {
                "itemsTotal": len(mine),
                "itemsProcessed": sum(1 for i in mine if i["status"] in _TERMINAL),
                "itemsFailed": sum(1 for i in mine if i["status"] == "Failed"),
            }
        return out

    def _new_batch(self, kind: str, client: str, body: dict[str, Any]) -> dict[str, Any]:
        now = _now()
        batch: dict[str, Any] = {
            f"bulk{kind}BatchId": self.ids.new(f"{kind}-batch"),
            "client": {"user": {"userId": client}},
            "clientId": client,
            "createdAt": now,
            "eventActors": {},
            "labels": dict(body.get("labels") or {}),
            "status": "Open",
            "updatedAt": now,
            "userRoles": {"ownerIds": [client], "viewerIds": []},
            "_items": [],
        }
        if "processingStrategy" in body:
            batch["processingStrategy"] = body["processingStrategy"]
        return batch

    def _submit(self, kind: str, batch: dict[str, Any], body: dict[str, Any], id_key: str) -> None:
        status = body.get("status")
        if body.get("labels"):
            batch["labels"].update(body["labels"])
        if status is None or status == batch["status"] or (status == "Pending" and batch["status"] != "Open"):
            return  # already submitted: a repeated submit is a no-op
        if status != "Pending" or batch["status"] != "Open":
            raise HttpError(
                400,
                {
                    "error": f"Batch {batch[id_key]} is {batch['status']}; only an Open batch can "
                    f"be submitted (status Pending)"
                },
            )
        batch["status"] = "Pending"
        batch["updatedAt"] = _now()
        self._queue.put((kind, batch[id_key]))

    # Both bulk APIs (collaborators, payables) answer the same batch and item routes; one implementation each.
    def _tables(self, kind: _Bulk) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
        if kind is _COLLABORATORS:
            return self.collaborator_batches, self.collaborator_items
        return self.payable_batches, self.payable_items

    def _list_batches(self, kind: _Bulk, request: Request) -> Response:
        client = self._client(request)
        batches, items = self._tables(kind)
        with self.lock:
            return json_response(
                [
                    self._batch_view(b, items, kind.batch_id)
                    for b in batches.values()
                    if b["clientId"] == client
                ]
            )

    def _create_batch(self, kind: _Bulk, request: Request) -> Response:
        body = self._body(request, f"POST {kind.path}")
        batches, items = self._tables(kind)
        with self.lock:
            batch = self._new_batch(kind.title, self._client(request), body)
            batches[batch[kind.batch_id]] = batch
            return json_response(self._batch_view(batch, items, kind.batch_id))

    def _get_batch(self, kind: _Bulk, request: Request) -> Response:
        batches, items = self._tables(kind)
        with self.lock:
            batch = self._owned(batches, "batchId", request, kind.what)
            return json_response(self._batch_view(batch, items, kind.batch_id))

    def _update_batch(self, kind: _Bulk, request: Request) -> Response:
        body = self._body(request, f"PATCH {kind.path}/{{batchId}}")
        batches, items = self._tables(kind)
        with self.lock:
            batch = self._owned(batches, "batchId", request, kind.what)
            self._submit(kind.name, batch, body, kind.batch_id)
            return json_response(self._batch_view(batch, items, kind.batch_id))

    def _delete_batch(self, kind: _Bulk, request: Request) -> Response:
        batches, items = self._tables(kind)
        with self.lock:
            batch = self._owned(batches, "batchId", request, kind.what)
            if batch["status"] != "Open":
                raise HttpError(400, {"error": f"Batch {request.params['batchId']} is {batch['status']}"})
            if kind is _PAYABLES:  # a deleted payable item frees its reference
                for item_id in batch["_items"]:
                    item = items.pop(item_id)
                    if item.get("bulkPayableItemReference"):
                        self.references.pop((batch["clientId"], item["bulkPayableItemReference"]), None)
            del batches[request.params["batchId"]]
            return json_response(self._batch_view(batch, items, kind.batch_id))

    def _list_items(self, kind: _Bulk, request: Request) -> Response:
        batches, items = self._tables(kind)
        with self.lock:
            batch = self._owned(batches, "batchId", request, kind.what)
            return json_response([items[i] for i in batch["_items"]])

    def _get_item(self, kind: _Bulk, request: Request) -> Response:
        batches, items = self._tables(kind)
        with self.lock:
            self._owned(batches, "batchId", request, kind.what)
            item = items.get(request.params["itemId"])
            if item is None or item[kind.batch_id] != request.params["batchId"]:
                raise HttpError(404, {"error": f"Item {request.params['itemId']} not found"})
            return json_response(item)

    @staticmethod
    def _require_open(batch_id: str, batch: dict[str, Any]) -> None:
        if batch["status"] != "Open":
            raise HttpError(
                400,
                {"error": f"Batch {batch_id} is {batch['status']}; items can only be added to an Open batch"},
            )

    @route("GET", "/payments/bulk/collaborator/batch")
    def list_collaborator_batches(self, request: Request) -> Response:
        return self._list_batches(_COLLABORATORS, request)

    @route("POST", "/payments/bulk/collaborator/batch")
    def create_collaborator_batch(self, request: Request) -> Response:
        return self._create_batch(_COLLABORATORS, request)

    @route("GET", "/payments/bulk/collaborator/batch/{batchId}")
    def get_collaborator_batch(self, request: Request) -> Response:
        return self._get_batch(_COLLABORATORS, request)

    @route("PATCH", "/payments/bulk/collaborator/batch/{batchId}")
    def update_collaborator_batch(self, request: Request) -> Response:
        return self._update_batch(_COLLABORATORS, request)

    @route("DELETE", "/payments/bulk/collaborator/batch/{batchId}")
    def delete_collaborator_batch(self, request: Request) -> Response:
        return self._delete_batch(_COLLABORATORS, request)

    @route("GET", "/payments/bulk/collaborator/batch/{batchId}/item")
    def list_collaborator_items(self, request: Request) -> Response:
        return self._list_items(_COLLABORATORS, request)

    @route("GET", "/payments/bulk/collaborator/batch/{batchId}/item/{itemId}")
    def get_collaborator_item(self, request: Request) -> Response:
        return self._get_item(_COLLABORATORS, request)

    @route("POST", "/payments/bulk/collaborator/batch/{batchId}/item")
    def create_collaborator_item(self, request: Request) -> Response:
        body = self._body(request, "POST /payments/bulk/collaborator/batch/{batchId}/item")
        with self.lock:
            batch = self._owned(self.collaborator_batches, "batchId", request, "Bulk collaborator batch")
            self._require_open(batch["bulkCollaboratorBatchId"], batch)
            now = _now()
            item = {
                "bulkCollaboratorBatchId": batch["bulkCollaboratorBatchId"],
                "bulkCollaboratorItemId": self.ids.new("collaborator-item"),
                "clientId": batch["clientId"],
                "collaboratorStatus": body.get("collaboratorStatus") or "Active",
                "createdAt": now,
                "eventActors": {},
                "labels": dict(body.get("labels") or {}),
                "status": "Open",
                "updatedAt": now,
                "userRoles": {"ownerIds": [batch["clientId"]], "viewerIds": []},
                "collaboratorGroupId": body.get("collaboratorGroupId"),
                "collaboratorId": body.get("collaboratorId"),
                "company": body.get("company"),
                "email": body.get("email"),
                "externalId": body.get("externalId"),
                "firstLastName": body.get("firstLastName"),
                "memberId": None,
                "metadata": None,
            }
            self.collaborator_items[item["bulkCollaboratorItemId"]] = item
            batch["_items"].append(item["bulkCollaboratorItemId"])
            return json_response(item)

    @route("GET", "/payments/bulk/payable/batch")
    def list_payable_batches(self, request: Request) -> Response:
        return self._list_batches(_PAYABLES, request)

    @route("POST", "/payments/bulk/payable/batch")
    def create_payable_batch(self, request: Request) -> Response:
        return self._create_batch(_PAYABLES, request)

    @route("GET", "/payments/bulk/payable/batch/{batchId}")
    def get_payable_batch(self, request: Request) -> Response:
        return self._get_batch(_PAYABLES, request)

    @route("PATCH", "/payments/bulk/payable/batch/{batchId}")
    def update_payable_batch(self, request: Request) -> Response:
        return self._update_batch(_PAYABLES, request)

    @route("DELETE", "/payments/bulk/payable/batch/{batchId}")
    def delete_payable_batch(self, request: Request) -> Response:
        return self._delete_batch(_PAYABLES, request)

    @route("GET", "/payments/bulk/payable/batch/{batchId}/item")
    def list_payable_items(self, request: Request) -> Response:
        return self._list_items(_PAYABLES, request)

    @route("GET", "/payments/bulk/payable/batch/{batchId}/item/{itemId}")
    def get_payable_item(self, request: Request) -> Response:
        return self._get_item(_PAYABLES, request)

    @route("POST", "/payments/bulk/payable/batch/{batchId}/item")
    def create_payable_item(self, request: Request) -> Response:
        body = self._body(request, "POST /payments/bulk/payable/batch/{batchId}/item")
        batch_id = request.params["batchId"]
        if body["bulkPayableBatchId"] != batch_id:
            raise HttpError(
                400,
                {
                    "error": f"bulkPayableBatchId {body['bulkPayableBatchId']} does not match the "
                    f"batch in the path ({batch_id})"
                },
            )
        if not _DATE.match(body["dueDate"]):
            raise HttpError(400, {"error": f"dueDate must be a date (YYYY-MM-DD), got {body['dueDate']!r}"})
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
            batch = self._owned(self.payable_batches, "batchId", request, "Bulk payable batch")
            reference = body.get("bulkPayableItemReference")
            if reference and (batch["clientId"], reference) in self.references:
                existing = self.payable_items[self.references[(batch["clientId"], reference)]]
                return json_response(existing, 208)
            self._require_open(batch_id, batch)
            now = _now()
            item = {
                "amount": body["amount"],
                "bulkPayableBatchId": batch_id,
                "bulkPayableItemId": self.ids.new("payable-item"),
                "clientId": batch["clientId"],
                "createdAt": now,
                "dueDate": body["dueDate"],
                "eventActors": {},
                "labels": dict(body.get("labels") or {}),
                "lineItemDescription": body["lineItemDescription"],
                "paidDate": body.get("paidDate") or "",
                "payableStatus": body["payableStatus"],
                "status": "Open",
                "updatedAt": now,
                "userRoles": {"ownerIds": [batch["clientId"]], "viewerIds": []},
                "bulkPayableItemMergeKey": body.get("bulkPayableItemMergeKey"),
                "bulkPayableItemReference": reference,
                "collaboratorEmail": body.get("collaboratorEmail"),
                "collaboratorExternalId": body.get("collaboratorExternalId"),
                "collaboratorId": body.get("collaboratorId"),
                "lineItemDetail": body.get("lineItemDetail"),
                "payableNotes": body.get("payableNotes"),
                "reimbursableExpense": body.get("reimbursableExpense"),
                "metadata": None,
            }
            self.payable_items[item["bulkPayableItemId"]] = item
            batch["_items"].append(item["bulkPayableItemId"])
            if reference:
                self.references[(batch["clientId"], reference)] = item["bulkPayableItemId"]
            return json_response(item)

    # ------------------------------------------------------------------------------------------ processing
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
                batch["updatedAt"] = _now()
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
                batch["updatedAt"] = _now()

    @staticmethod
    def _finish(item: dict[str, Any], metadata: dict[str, Any], error: str | None = None) -> None:
        item["status"] = "Failed" if error else "Complete"
        item["metadata"] = {**metadata, "errorMessage": error}
        item["updatedAt"] = _now()

    def _process_collaborator_item(self, item: dict[str, Any]) -> None:
        client = item["clientId"]
        if item.get("collaboratorId"):
            c = self.collaborators.get(item["collaboratorId"])
            if c is None or c["clientId"] != client:
                self._finish(
                    item, {"resolvedCollaboratorId": None}, f"Collaborator {item['collaboratorId']} not found"
                )
                return
            c["labels"].update(item["labels"])
            self._finish(item, {"resolvedCollaboratorId": c["collaboratorId"]})
            return
        email = item.get("email") or ""
        if not _EMAIL.match(email):
            self._finish(
                item,
                {"resolvedCollaboratorId": None},
                f"A valid email is required to invite a collaborator (got {email!r})",
            )
            return
        if email.lower() in self.refused_emails:
            self._finish(item, {"resolvedCollaboratorId": None}, self.refused_emails[email.lower()])
            return
        existing = self._find_by_email(client, email) if self.dedupe_by_email else None
        if existing is not None:
            existing["labels"].update(item["labels"])
            self._finish(item, {"resolvedCollaboratorId": existing["collaboratorId"]})
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
        self._finish(item, {"resolvedCollaboratorId": c["collaboratorId"]})

    def _resolve(self, client: str, item: dict[str, Any]) -> dict[str, Any] | None:
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

    def _process_payable_item(self, item: dict[str, Any], batch: dict[str, Any]) -> None:
        client = item["clientId"]
        c = self._resolve(client, item)
        if c is None:
            who = (
                item.get("collaboratorId")
                or item.get("collaboratorExternalId")
                or item.get("collaboratorEmail")
            )
            self._finish(
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
                    self._finish(
                        item, {"payableId": p["payableId"], "resolvedCollaboratorId": c["collaboratorId"]}
                    )
                    return
        now = _now()
        payable = {
            "payableId": self.ids.new("payable"),
            "clientId": client,
            "collaboratorId": c["collaboratorId"],
            "memberId": c["memberId"],
            "amount": item["amount"],
            "currency": "USD",
            "dueDate": item["dueDate"],
            "status": item["payableStatus"],
            "lineItems": [line],
            "labels": dict(item["labels"]),
            "invoiceNotes": item.get("payableNotes"),
            "bulkPayableItemReference": item.get("bulkPayableItemReference"),
            "createdAt": now,
            "updatedAt": now,
        }
        if merge_key:
            payable["_mergeKey"] = (batch["bulkPayableBatchId"], merge_key, c["collaboratorId"])
        self.payables_by_id[payable["payableId"]] = payable
        self._finish(item, {"payableId": payable["payableId"], "resolvedCollaboratorId": c["collaboratorId"]})

    # ------------------------------------------------------------------------------------------ payables
    @staticmethod
    def _payable_view(p: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in p.items() if not k.startswith("_")}

    @route("GET", "/payments/payable")
    def list_payables(self, request: Request) -> Response:
        client = self._client(request)
        with self.lock:
            return json_response(
                [self._payable_view(p) for p in self.payables_by_id.values() if p["clientId"] == client]
            )

    @route("POST", "/payments/payable")
    def create_payable(self, request: Request) -> Response:
        body = self._body(request, "POST /payments/payable")
        if not _DATE.match(body["dueDate"]):
            raise HttpError(400, {"error": f"dueDate must be a date (YYYY-MM-DD), got {body['dueDate']!r}"})
        if not body["lineItems"]:
            raise HttpError(400, {"error": "lineItems must contain at least one line item"})
        client = self._client(request)
        with self.lock:
            c = self.collaborators.get(body["collaboratorId"])
            if c is None or c["clientId"] != client:
                raise HttpError(400, {"error": f"Collaborator {body['collaboratorId']} not found"})
            lines = []
            for line in body["lineItems"]:
                total = line.get("totalCost")
                if total is None:
                    total = round((line.get("quantity") or 1) * (line.get("costPerUnit") or 0), 2)
                lines.append({**line, "totalCost": total})
            now = _now()
            payable = {
                "payableId": self.ids.new("payable"),
                "clientId": client,
                "collaboratorId": c["collaboratorId"],
                "memberId": c["memberId"],
                "amount": round(sum(ln["totalCost"] for ln in lines), 2),
                "currency": body.get("currency") or "USD",
                "dueDate": body["dueDate"],
                "status": body.get("status") or "Draft",
                "lineItems": lines,
                "labels": dict(body.get("labels") or {}),
                "invoiceNotes": body.get("invoiceNotes"),
                "bulkPayableItemReference": None,
                "metadata": {"pendingStatusReason": None},
                "createdAt": now,
                "updatedAt": now,
            }
            self.payables_by_id[payable["payableId"]] = payable
            return json_response(self._payable_view(payable))

    @route("GET", "/payments/payable/{id}")
    def get_payable(self, request: Request) -> Response:
        with self.lock:
            return json_response(
                self._payable_view(self._owned(self.payables_by_id, "id", request, "Payable"))
            )

    @route("PATCH", "/payments/payable/{id}")
    def update_payable(self, request: Request) -> Response:
        body = self._body(request, "PATCH /payments/payable/{id}")
        with self.lock:
            p = self._owned(self.payables_by_id, "id", request, "Payable")
            for key in ("status", "dueDate", "invoiceNotes"):
                if body.get(key) is not None:
                    p[key] = body[key]
            if body.get("labels"):
                p["labels"].update(body["labels"])
            p["updatedAt"] = _now()
            return json_response(self._payable_view(p))

    # ------------------------------------------------------------------------------------------ invoices
    @route("GET", "/payments/memberClient")
    def list_member_clients(self, request: Request) -> Response:
        client = self._client(request)
        with self.lock:
            return json_response([m for m in self.member_clients.values() if m["clientId"] == client])

    @route("POST", "/payments/memberClient")
    def create_member_client(self, request: Request) -> Response:
        body = self._body(request, "POST /payments/memberClient")
        with self.lock:
            member_client: dict[str, Any] = {
                "memberClientId": self.ids.new("member-client"),
                "clientId": self._client(request),
                "company": body.get("company"),
                "name": body.get("name"),
                "emailTo": body.get("emailTo"),
                "labels": dict(body.get("labels") or {}),
                "status": body.get("status") or "Active",
                "createdAt": _now(),
            }
            self.member_clients[member_client["memberClientId"]] = member_client
            return json_response(member_client)

    @route("GET", "/payments/invoice")
    def list_invoices(self, request: Request) -> Response:
        client = self._client(request)
        with self.lock:
            return json_response([i for i in self.invoices_by_id.values() if i["clientId"] == client])

    @route("POST", "/payments/invoice")
    def create_invoice(self, request: Request) -> Response:
        body = self._body(request, "POST /payments/invoice")
        if not _DATE.match(body["dueDate"]):
            raise HttpError(400, {"error": f"dueDate must be a date (YYYY-MM-DD), got {body['dueDate']!r}"})
        if not body["lineItems"]:
            raise HttpError(400, {"error": "lineItems must contain at least one line item"})
        with self.lock:
            member_client = self.member_clients.get(body["memberClientId"])
            if member_client is None or member_client["clientId"] != self._client(request):
                raise HttpError(400, {"error": f"Member client {body['memberClientId']} not found"})
            lines = [
                {
                    **ln,
                    "totalCost": ln.get("totalCost")
                    if ln.get("totalCost") is not None
                    else round((ln.get("quantity") or 1) * (ln.get("costPerUnit") or 0), 2),
                }
                for ln in body["lineItems"]
            ]
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
                "createdAt": _now(),
            }
            self.invoices_by_id[invoice["invoiceId"]] = invoice
            return json_response(invoice)

    @route("GET", "/payments/invoice/{id}")
    def get_invoice(self, request: Request) -> Response:
        with self.lock:
            return json_response(self._owned(self.invoices_by_id, "id", request, "Invoice"))

    @route("GET", "/payments/custom-fields")
    def list_custom_fields(self, request: Request) -> Response:
        client = self._client(request)
        with self.lock:
            return json_response([f for f in self.custom_fields.values() if f["clientId"] == client])

    @route("POST", "/payments/custom-fields")
    def create_custom_field(self, request: Request) -> Response:
        body = self._body(request, "POST /payments/custom-fields")
        client = self._client(request)
        with self.lock:
            if any(f["key"] == body["key"] and f["clientId"] == client for f in self.custom_fields.values()):
                raise HttpError(409, {"error": f"A custom field with key {body['key']} already exists"})
            field = {**body, "id": self.ids.new("custom-field"), "clientId": client}
            self.custom_fields[field["id"]] = field
            return json_response(field)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the Wingspan Payments API sandbox on loopback.")
    parser.add_argument("--port", type=int, default=8477)
    parser.add_argument("--process-delay", type=float, default=0.5)
    parser.add_argument("--rate-limit", type=float, default=100.0)
    args = parser.parse_args(argv)
    sandbox = WingspanSandbox(
        port=args.port, process_delay=args.process_delay, rate_limit_per_s=args.rate_limit
    )
    print(f"demo token: {DEMO_TOKEN}  (acting users: {DEMO_USER_ID}, {DEMO_CHILD_USER_ID})", flush=True)
    sandbox.serve_forever()


if __name__ == "__main__":
    main()
