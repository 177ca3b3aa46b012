"""``QuickBooksSandbox``: the QuickBooks Online Accounting API and Intuit's OAuth server on loopback.

Routes (as Intuit documents them):

* ``POST /oauth2/v1/tokens/bearer`` -- the refresh grant, client credentials as HTTP Basic; every refresh answers
  a new refresh token and the previous one keeps working for ``refresh_grace_s`` (Intuit: rotating refresh
  tokens); a revoked or unknown one is 400 ``invalid_grant``, a wrong client 401 ``invalid_client``;
* ``GET /v3/company/{realm}/query?query=...`` -- the query language (:mod:`.query`), paged with STARTPOSITION and
  MAXRESULTS;
* ``POST /v3/company/{realm}/{entity}`` -- create (no ``Id``) or update (``Id`` + ``SyncToken``, ``sparse``);
  ``GET /v3/company/{realm}/{entity}/{id}`` -- read; ``GET /v3/company/{realm}/companyinfo/{realm}``;
* ``POST /v3/company/{realm}/batch`` -- up to 30 BatchItemRequests, each answered on its own;
* a ``requestid`` query parameter (at most 50 characters, 36 on batch) makes a write idempotent: the same id
  again gets the first answer and changes nothing.

Every API call needs ``Authorization: Bearer <access token>`` of this realm (401 AuthenticationFault 3200 when
missing or expired, 403 AuthorizationFault 3100 for another realm's token). Per realm: ``requests_per_minute``
(Intuit: 500) and ``batch_requests_per_minute`` (40) in any sliding minute and ``max_concurrent`` (10) requests
in flight; beyond them 429 ThrottlingFault 3001. Switches beyond the toolkit's :class:`Faults`:
:meth:`revoke_refresh_tokens`, :meth:`expire_access_tokens`, :meth:`touch` (another user edits an entity).
"""

from __future__ import annotations

import base64
import collections
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import orjson
from staffwire.testing.sandbox import HttpError, Request, Response, Sandbox, TokenBook, json_response, route

from destination_quickbooks.sandbox.company import WRITABLE, Company
from destination_quickbooks.sandbox.faults import QboFault, auth_fault, fault_body, qbo_time
from destination_quickbooks.sandbox.query import parse_query
from destination_quickbooks.sandbox.seed import seed_company

__all__ = [
    "DEMO_CLIENT_ID",
    "DEMO_CLIENT_SECRET",
    "DEMO_REALM",
    "DEMO_REFRESH_TOKEN",
    "QuickBooksSandbox",
]

DEMO_REALM = "9341455130166501"
DEMO_CLIENT_ID = "ABqbo-sandbox-client-7Hn2"
DEMO_CLIENT_SECRET = "qbo-sandbox-secret-3f9a1c7e5b2d"
DEMO_REFRESH_TOKEN = "AB11775000000sandboxRefreshToken0001"
TOKEN_PATH = "/oauth2/v1/tokens/bearer"
MAX_BATCH_ITEMS = 30
_API = "/v3/company/"


class QuickBooksSandbox(Sandbox):
    name = "quickbooks"

    def __init__(
        self,
        *,
        realm_id: str = DEMO_REALM,
        client_id: str = DEMO_CLIENT_ID,
        client_secret: str = DEMO_CLIENT_SECRET,
        refresh_token: str = DEMO_REFRESH_TOKEN,
        currencies: tuple[str, ...] = ("USD",),
        requests_per_minute: int | None = 500,
        batch_requests_per_minute: int | None = 40,
        max_concurrent: int | None = 10,
        window_s: float = 60.0,
        refresh_grace_s: float = 86400.0,
        access_token_ttl: float = 3600.0,
        seed: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.realm_id = realm_id
        self.client_id = client_id
        self.client_secret = client_secret
        self.company = Company(realm_id, "Staffwire Sandbox Staffing Co", currencies)
        seed_company(self.company, full=seed)
        self.requests_per_minute = requests_per_minute
        self.batch_requests_per_minute = batch_requests_per_minute
        self.max_concurrent = max_concurrent
        self.window_s = window_s
        self.refresh_grace_s = refresh_grace_s
        self.access_token_ttl = access_token_ttl
        self.tokens = TokenBook("qbo-at", ttl=access_token_ttl)
        self.refresh_tokens: dict[str, float] = {refresh_token: float("inf")}  # token -> valid until
        self.refreshes = 0
        self.throttled = 0
        self.peak_in_flight = 0
        self.remembered: dict[str, tuple[int, bytes]] = {}  # requestid -> the first answer
        self.replayed = 0
        self._interference: dict[str, tuple[int, dict[str, Any]]] = {}
        self._in_flight = 0
        self._gate = threading.Lock()
        self._calls: collections.deque[float] = collections.deque()
        self._batches: collections.deque[float] = collections.deque()

    # switches ------------------------------------------------------------------------------------------------
    def revoke_refresh_tokens(self) -> None:
        """The user disconnected the app (or the tokens expired): every refresh token is refused."""
        with self.lock:
            self.refresh_tokens.clear()

    def expire_access_tokens(self) -> None:
        """Every access token issued so far stops working (the next call is 401 until a refresh)."""
        self.tokens.expire_all()

    def touch(self, entity: str, entity_id: str, **changes: Any) -> dict[str, Any]:
        """Another user edits an entity (its SyncToken moves on, so a writer's copy is stale)."""
        with self.lock:
            return self.company.touch(entity, entity_id, **changes)

    def interfere(self, entity: str, *, times: int = 1, **changes: Any) -> None:
        """The next ``times`` updates of a ``entity`` find it just edited by another user (applied with
        ``changes`` right before), so they carry a stale SyncToken (5010)."""
        with self.lock:
            self._interference[entity] = (times, changes)

    def _interfere(self, entity: str, body: Any) -> None:
        pending = self._interference.get(entity)
        if not pending or not isinstance(body, dict) or body.get("Id") in (None, ""):
            return
        times, changes = pending
        if str(body["Id"]) in self.company.entities.get(entity, {}):
            self.company.touch(entity, str(body["Id"]), **changes)
            self._interference[entity] = (times - 1, changes)
            if times <= 1:
                del self._interference[entity]

    def entities(self, entity: str) -> list[dict[str, Any]]:
        """Every entity of a kind (inactive ones too), by Id."""
        with self.lock:
            return sorted(self.company.all(entity), key=lambda e: int(e["Id"]))

    def demo_config(self, url: str | None = None, **overrides: Any) -> dict[str, Any]:
        base = url or self.url
        return {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "refresh_token": next(iter(self.refresh_tokens), DEMO_REFRESH_TOKEN),
            "realm_id": self.realm_id,
            "environment": "sandbox",
            "api_url": base,
            "token_url": base + TOKEN_PATH,
            **overrides,
        }

    # cross-cutting -------------------------------------------------------------------------------------------
    def fault_body(self, status: int) -> Any:
        if status == 429:
            return _throttle_fault().body()
        return fault_body(
            [
                {
                    "Message": "An application error has occurred while processing your request",
                    "Detail": f"System Failure Error: sandbox fault switch (HTTP {status})",
                    "code": "10000",
                    "element": "",
                }
            ],
            "SystemFault",
        )

    def dispatch(self, request: Request) -> Response:
        if not request.path.startswith(_API):
            return super().dispatch(request)
        with self._gate:
            self._in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self._in_flight)
            crowded = self.max_concurrent is not None and self._in_flight > self.max_concurrent
        try:
            if crowded:
                self.throttled += 1
                return _answer(_throttle_fault())
            return super().dispatch(request)
        finally:
            with self._gate:
                self._in_flight -= 1

    def before_request(self, request: Request) -> Response | None:
        if not request.path.startswith(_API):
            return None
        header = request.header("authorization") or ""
        token = header[7:] if header.lower().startswith("bearer ") else None
        grant = self.tokens.use(token)
        if grant is None:
            return _answer(auth_fault("Token expired: the access token is missing, expired or revoked"))
        realm = request.path[len(_API) :].split("/", 1)[0]
        if grant.get("realm") != realm:
            return _answer(
                QboFault(
                    "3100",
                    "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403",
                    f"The access token was not issued for company {realm}",
                    status=403,
                    kind="AuthorizationFault",
                )
            )
        minor = request.arg("minorversion")
        if minor is not None and not minor.isdigit():
            return _answer(
                QboFault(
                    "4000", "Invalid minor version", f"minorversion {minor!r} is not a number", "minorversion"
                )
            )
        if self._over_limit(request):
            self.throttled += 1
            return _answer(_throttle_fault())
        return None

    def _over_limit(self, request: Request) -> bool:
        now = time.monotonic()
        batch = request.path.endswith("/batch")
        with self._gate:
            for history, limit, applies in (
                (self._calls, self.requests_per_minute, True),
                (self._batches, self.batch_requests_per_minute, batch),
            ):
                if not applies or limit is None:
                    continue
                while history and history[0] <= now - self.window_s:
                    history.popleft()
                if len(history) >= limit:
                    return True
            self._calls.append(now)
            if batch:
                self._batches.append(now)
        return False

    # OAuth ---------------------------------------------------------------------------------------------------
    @route("POST", TOKEN_PATH)
    def token(self, request: Request) -> Response:
        if not self._client_ok(request.header("authorization") or ""):
            return json_response({"error": "invalid_client"}, 401)
        form = {k: v[0] for k, v in parse_qs(request.body.decode("utf-8", "replace")).items()}
        if form.get("grant_type") != "refresh_token":
            return json_response({"error": "unsupported_grant_type"}, 400)
        presented = form.get("refresh_token", "")
        now = time.monotonic()
        with self.lock:
            valid_until = self.refresh_tokens.get(presented)
            if valid_until is None or valid_until <= now:
                self.refresh_tokens.pop(presented, None)
                return json_response({"error": "invalid_grant"}, 400)
            rotated = "AB1177" + secrets.token_hex(20)
            self.refresh_tokens[presented] = min(valid_until, now + self.refresh_grace_s)
            self.refresh_tokens[rotated] = float("inf")
            self.refreshes += 1
        access = self.tokens.issue(realm=self.realm_id)
        return json_response(
            {
                "token_type": "bearer",
                "expires_in": int(self.access_token_ttl),
                "refresh_token": rotated,
                "x_refresh_token_expires_in": 8726400,
                "access_token": access,
            }
        )

    def _client_ok(self, header: str) -> bool:
        if not header.lower().startswith("basic "):
            return False
        try:
            pair = base64.b64decode(header[6:]).decode()
        except ValueError:
            return False
        return pair == f"{self.client_id}:{self.client_secret}"

    # the API -------------------------------------------------------------------------------------------------
    @route("GET", "/v3/company/{realm}/query")
    def query_get(self, request: Request) -> Response:
        return self._query(request.arg("query") or "")

    @route("POST", "/v3/company/{realm}/query")
    def query_post(self, request: Request) -> Response:
        return self._query(request.body.decode("utf-8", "replace"))

    def _query(self, text: str) -> Response:
        try:
            with self.lock:
                return json_response({"QueryResponse": self._run_query(text), "time": qbo_time()})
        except QboFault as fault:
            return _answer(fault)

    def _run_query(self, text: str) -> dict[str, Any]:
        query = parse_query(text)
        found = query.run(self.company.all(query.entity))
        if query.entity in ("Customer", "Vendor", "Employee", "Item", "Account") and not query.names(
            "Active"
        ):
            found = [e for e in found if e.get("Active", True)]
        if query.count:
            return {"totalCount": len(found)}
        page = found[query.start - 1 : query.start - 1 + query.max_results]
        if not page:
            return {}
        return {query.entity: page, "startPosition": query.start, "maxResults": len(page)}

    @route("GET", "/v3/company/{realm}/companyinfo/{company_id}")
    def company_info(self, request: Request) -> Response:
        return json_response({"CompanyInfo": self.company.company_info(), "time": qbo_time()})

    @route("GET", "/v3/company/{realm}/{entity}/{entity_id}")
    def read(self, request: Request) -> Response:
        entity = WRITABLE.get(request.params["entity"].lower())
        if entity is None:
            raise HttpError(404, b"")
        try:
            with self.lock:
                found = self.company.get(entity, request.params["entity_id"])
                return json_response({entity: found, "time": qbo_time()})
        except QboFault as fault:
            return _answer(fault)

    @route("POST", "/v3/company/{realm}/batch")
    def batch(self, request: Request) -> Response:
        return self._idempotent(request, 36, lambda: self._batch(request))

    def _batch(self, request: Request) -> Response:
        body = request.json()
        items = body.get("BatchItemRequest") if isinstance(body, dict) else None
        if not isinstance(items, list) or not items:
            return _answer(
                QboFault("2020", "Required param missing", "BatchItemRequest is missing", "BatchItemRequest")
            )
        if len(items) > MAX_BATCH_ITEMS:
            return _answer(
                QboFault(
                    "1040",
                    "Batch size exceeds allowed limit",
                    f"The batch size {len(items)} exceeds the allowed limit of {MAX_BATCH_ITEMS}",
                    "BatchItemRequest",
                )
            )
        answers = []
        with self.lock:
            for item in items:
                answers.append(self._batch_item(item))
        return json_response({"BatchItemResponse": answers, "time": qbo_time()})

    def _batch_item(self, item: Any) -> dict[str, Any]:
        bid = item.get("bId") if isinstance(item, dict) else None
        try:
            if not isinstance(item, dict) or not bid:
                raise QboFault("2020", "Required param missing", "bId is missing", "bId")
            if "Query" in item:
                return {"bId": bid, "QueryResponse": self._run_query(str(item["Query"]))}
            entity = next((k for k in item if k in WRITABLE.values()), None)
            if entity is None:
                raise QboFault("2020", "Required param missing", "the batch item names no entity", "bId")
            operation = item.get("operation")
            if operation not in ("create", "update"):
                raise QboFault(
                    "500", "Unsupported Operation", f"Operation {operation} is not supported", "operation"
                )
            payload = item[entity]
            self._interfere(entity, payload)
            if operation == "update":
                written = self.company.update(entity, payload if isinstance(payload, dict) else {})
            else:
                written = self.company.create(entity, payload)
            return {"bId": bid, entity: written}
        except QboFault as fault:
            return {"bId": bid, "Fault": fault.fault()}

    @route("POST", "/v3/company/{realm}/{entity}")
    def write(self, request: Request) -> Response:
        entity = WRITABLE.get(request.params["entity"].lower())
        if entity is None:
            raise HttpError(404, b"")
        return self._idempotent(request, 50, lambda: self._write(entity, request))

    def _write(self, entity: str, request: Request) -> Response:
        body = request.json()
        try:
            with self.lock:
                self._interfere(entity, body)
                written = self.company.create(entity, body)
            return json_response({entity: written, "time": qbo_time()})
        except QboFault as fault:
            return _answer(fault)

    def _idempotent(self, request: Request, longest: int, perform: Callable[[], Response]) -> Response:
        """Perform a write once per ``requestid``: a repeated id gets the first answer, nothing is done again."""
        request_id = request.arg("requestid")
        if request_id is None:
            return perform()
        if len(request_id) > longest:
            return _answer(
                QboFault(
                    "4000",
                    "Invalid requestid",
                    f"requestid is longer than {longest} characters",
                    "requestid",
                )
            )
        key = f"{self.realm_id}:{request_id}"
        with self.lock:
            seen = self.remembered.get(key)
            if seen is not None:
                self.replayed += 1
                return Response(seen[0], seen[1])
            answer: Response = perform()
            self.remembered[key] = (answer.status, answer.body)
        return answer


def _throttle_fault() -> QboFault:
    return QboFault(
        "3001",
        "message=ThrottleExceeded; errorCode=003001; statusCode=429",
        "The request limit was reached: at most 500 requests per minute and 10 at a time per company",
        status=429,
        kind="ThrottlingFault",
    )


def _answer(fault: QboFault) -> Response:
    return Response(fault.status, orjson.dumps(fault.body()))
