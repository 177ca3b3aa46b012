"""What every part of the Wingspan sandbox shares: the demo account, ids, clocks, the write limiter, and
:class:`WingspanState`, the typed state and the small CRUD helpers the route mixins build on.

The route mixins (:mod:`.contractors`, :mod:`.payables`, :mod:`.bulk`, :mod:`.processing`) each subclass
:class:`WingspanState`; :class:`~destination_wingspan.sandbox.server.WingspanSandbox` combines them and owns the
state's initial values.
"""

from __future__ import annotations

import hashlib
import itertools
import queue
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from staffwire.testing.sandbox import HttpError, Request, Response, Sandbox, json_response

__all__ = [
    "DEMO_CHILD_USER_ID",
    "DEMO_TOKEN",
    "DEMO_USER_ID",
    "Ids",
    "Row",
    "Table",
    "WingspanState",
    "WriteLimiter",
    "now",
]

DEMO_TOKEN = "ws-demo-token-3f9a1c7e5b2d4f60"
DEMO_USER_ID = "Ws7kQ2mN4pR8tV1xZ3bC5d"
DEMO_CHILD_USER_ID = "Ws9hJ6gF2dS4aQ8wE1rT7y"

_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

Row = dict[str, Any]
Table = dict[str, Row]
View = Callable[[Row], Row]


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _same(row: Row) -> Row:
    return row


class Ids:
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


class WriteLimiter:
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


class WingspanState(Sandbox):
    """The sandbox's tables (declared here, filled in by ``WingspanSandbox.__init__``) and the helpers that
    every route family uses: the acting client, ownership checks, and list / read / patch of an owned row.
    """

    process_delay: float
    item_delay: float
    retry_after: str | None
    dedupe_by_email: bool
    limiter: WriteLimiter
    ids: Ids
    #: token -> user id of the account it belongs to
    tokens: dict[str, str]
    #: account user id -> the user ids it may act as through X-WINGSPAN-USER
    accounts: dict[str, set[str]]
    collaborators: Table
    payables_by_id: Table
    collaborator_batches: Table
    collaborator_items: Table
    payable_batches: Table
    payable_items: Table
    member_clients: Table
    invoices_by_id: Table
    custom_fields: Table
    #: (clientId, bulkPayableItemReference) -> item id
    references: dict[tuple[str, str], str]
    #: email -> the errorMessage Wingspan's processing answers for it (see ``refuse_email``)
    refused_emails: dict[str, str]
    writes_accepted: int
    writes_limited: int
    _queue: queue.Queue[tuple[str, str] | None]

    @staticmethod
    def _client(request: Request) -> str:
        """The user id the request acts as (set by ``before_request`` from the token and X-WINGSPAN-USER)."""
        return request.query["_client"][0]

    def _owned(self, table: Table, key: str, request: Request, what: str) -> Row:
        obj = table.get(request.params[key])
        if obj is None or obj["clientId"] != self._client(request):
            raise HttpError(404, {"error": f"{what} {request.params[key]} not found"})
        return obj

    @staticmethod
    def _rows(table: Table, client_id: str | None) -> list[Row]:
        """Copies of a table's rows (of one client, or all), in creation order, for test assertions."""
        return [dict(r) for r in table.values() if client_id is None or r["clientId"] == client_id]

    def _list(self, request: Request, table: Table, view: View = _same) -> Response:
        """``GET /payments/<things>``: the acting client's rows."""
        client = self._client(request)
        with self.lock:
            return json_response([view(r) for r in table.values() if r["clientId"] == client])

    def _read(self, request: Request, find: Callable[[Request], Row], view: View = _same) -> Response:
        """``GET /payments/<thing>/{id}``: one owned row (404 when it is not the acting client's)."""
        with self.lock:
            return json_response(view(find(request)))

    def _patch(
        self,
        request: Request,
        body: Row,
        find: Callable[[Request], Row],
        apply: Callable[[Row, Row], None],
        view: View = _same,
    ) -> Response:
        """``PATCH /payments/<thing>/{id}``: ``apply(row, body)``, stamp ``updatedAt``, answer the row."""
        with self.lock:
            row = find(request)
            apply(row, body)
            row["updatedAt"] = now()
            return json_response(view(row))
