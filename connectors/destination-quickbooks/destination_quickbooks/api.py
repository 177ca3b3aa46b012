"""The QuickBooks Online Accounting API calls this destination makes, over :class:`staffwire.http.HttpClient`.

* Every call goes to ``{api}/v3/company/{realm_id}/...`` with ``minorversion``, through Intuit's OAuth flow
  (:mod:`.auth`) and one rate limiter: ``requests_per_minute`` (Intuit: 500 per company) spread evenly, at most
  ``max_concurrency`` (10) in flight, and ``batch_requests_per_minute`` (40) more for /batch;
* every write carries a ``requestid`` (Intuit's idempotency key): a repeated id is answered with the first answer
  and performs nothing, so a write whose answer was lost (timeout, dropped connection, 5xx) is simply sent again
  with the same id -- writes are retried like reads;
* 400 answers are returned as :class:`~.faults.Fault` for the caller to turn into per-record rejections; 403 (a
  token of another company) is a config error naming ``realm_id``; 429 is retried after a backoff by the client.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import orjson
import requests
from staffwire.errors import ConfigError, InternalError
from staffwire.http.client import HttpClient
from staffwire.http.errors import PermissionDeniedError
from staffwire.http.ratelimit import RateLimiter
from staffwire.http.retry import RetryPolicy
from staffwire.secrets import SecretMasker

from destination_quickbooks.auth import IntuitAuth
from destination_quickbooks.config import QuickBooksConfig
from destination_quickbooks.faults import Fault, parse_fault

__all__ = ["PAGE_SIZE", "SYSTEM", "QuickBooksApi", "quote", "request_id"]

SYSTEM = "QuickBooks Online"
PAGE_SIZE = 1000  # the most a query answers
_NAMESPACE = uuid.UUID("5b0c4d1e-7a39-4f43-9c52-2f1e0a9d6c11")


def request_id(*parts: Any) -> str:
    """A ``requestid`` derived from what is written (36 characters: fits both the 50 and the batch's 36 limit)."""
    return str(uuid.uuid5(_NAMESPACE, orjson.dumps(parts, option=orjson.OPT_SORT_KEYS).decode()))


def quote(text: str) -> str:
    """A string literal of the query language (backslash before quotes and backslashes)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


class _Limits(RateLimiter):
    """The per-company request limiter plus, for /batch, the batch limiter (a batch request counts in both)."""

    def __init__(self, general: RateLimiter, batches: RateLimiter) -> None:
        super().__init__(max_concurrency=None)
        self.general = general
        self.batches = batches
        self.max_concurrency = general.max_concurrency

    def next_wait(self) -> float:
        return max(self.general.next_wait(), self.batches.next_wait())

    @contextlib.contextmanager
    def slot(self) -> Iterator[float]:
        waited = self.batches.acquire()
        with self.general.slot() as more:
            yield waited + more


def _paced(per_minute: int, concurrency: int | None = None) -> RateLimiter:
    """At most ``per_minute`` in any minute, spread evenly (one per 60/per_minute s) instead of in one burst."""
    return RateLimiter(limits=[(per_minute, 60.0), (1, 60.0 / per_minute)], max_concurrency=concurrency)


class QuickBooksApi:
    def __init__(
        self,
        config: QuickBooksConfig,
        masker: SecretMasker | None = None,
        on_rotated: Callable[[str], None] | None = None,
    ) -> None:
        self.config = config
        self.masker = masker if masker is not None else SecretMasker()
        self.masker.add(config.client_secret.get_secret_value())
        self.masker.add(config.refresh_token.get_secret_value())
        self.auth = IntuitAuth(
            config.token_endpoint,
            client_id=config.client_id,
            client_secret=config.client_secret.get_secret_value(),
            refresh_token=config.refresh_token.get_secret_value(),
            on_rotated=on_rotated,
        )
        self.general = _paced(config.requests_per_minute, config.max_concurrency)
        retry = RetryPolicy(
            max_attempts=config.max_attempts,
            base_delay=config.backoff_base_s,
            max_delay=max(config.backoff_base_s, 30.0),
            rate_limit_attempts=max(10, config.max_attempts),
        )
        session = requests.Session()
        common: dict[str, Any] = {
            "system": SYSTEM,
            "masker": self.masker,
            "timeout": (min(10.0, config.request_timeout_s), config.request_timeout_s),
            "retry": retry,
            "session": session,
            "auth": self.auth,
            "headers": {"Content-Type": "application/json"},
        }
        base = f"{config.base_url}/v3/company/{config.realm_id}"
        self.client = HttpClient(
            base, rate_limiter=self.general, pool_size=config.max_concurrency + 2, **common
        )
        self.batch_client = HttpClient(
            base, rate_limiter=_Limits(self.general, _paced(config.batch_requests_per_minute)), **common
        )
        self.params = {"minorversion": str(config.minor_version)}

    def close(self) -> None:
        self.client.close()

    # reading ---------------------------------------------------------------------------------------------
    def company_info(self) -> dict[str, Any]:
        body = self._json("GET", f"/companyinfo/{self.config.realm_id}")
        return dict(body.get("CompanyInfo") or {})

    def query(self, statement: str) -> dict[str, Any]:
        """One query's ``QueryResponse``; a refused query raises (it is this connector's mistake or the config's)."""
        body = self._json("GET", "/query", params={"query": statement})
        return dict(body.get("QueryResponse") or {})

    def query_all(self, entity: str, where: str = "") -> list[dict[str, Any]]:
        """Every entity a query selects, paged with STARTPOSITION/MAXRESULTS (1000 at a time)."""
        found: list[dict[str, Any]] = []
        start = 1
        clause = f" WHERE {where}" if where else ""
        while True:
            page = self.query(f"SELECT * FROM {entity}{clause} STARTPOSITION {start} MAXRESULTS {PAGE_SIZE}")
            rows = page.get(entity) or []
            found.extend(rows)
            if len(rows) < PAGE_SIZE:
                return found
            start += PAGE_SIZE

    def read(self, entity: str, entity_id: str) -> dict[str, Any]:
        body = self._json("GET", f"/{entity.lower()}/{entity_id}")
        return dict(body.get(entity) or {})

    # writing ---------------------------------------------------------------------------------------------
    def write(
        self, entity: str, body: dict[str, Any], requestid: str
    ) -> tuple[dict[str, Any] | None, Fault | None]:
        """Create (no ``Id``) or update one entity: (the entity, None) or (None, the Fault)."""
        answer = self._json(
            "POST",
            f"/{entity.lower()}",
            json=body,
            params={"requestid": requestid},
            idempotent=True,
            faults=True,
        )
        fault = parse_fault(answer)
        if fault is not None:
            return None, fault
        return dict(answer.get(entity) or {}), None

    def batch(self, items: list[dict[str, Any]], requestid: str) -> list[dict[str, Any]]:
        """The BatchItemResponse list of one /batch request (each item has its entity or its Fault)."""
        answer = self._json(
            "POST",
            "/batch",
            json={"BatchItemRequest": items},
            params={"requestid": requestid},
            idempotent=True,
            client=self.batch_client,
            faults=True,
        )
        fault = parse_fault(answer)
        if fault is not None:
            raise InternalError(f"{SYSTEM} refused a batch request of {len(items)} items: {fault.text()}")
        return list(answer.get("BatchItemResponse") or [])

    # plumbing --------------------------------------------------------------------------------------------
    def _json(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
        client: HttpClient | None = None,
        faults: bool = False,
    ) -> dict[str, Any]:
        try:
            _, body = (client or self.client).fetch_json(
                method,
                path,
                params={**self.params, **(params or {})},
                json=json,
                idempotent=idempotent,
                ok_statuses=(400,) if faults else (),
            )
        except PermissionDeniedError:
            raise ConfigError(
                f"{SYSTEM} refused access to company {self.config.realm_id} ({method} {path}: HTTP 403): the refresh "
                "token was issued for another company. Check realm_id (the Company ID of the company the app was "
                "connected to), or reconnect the app to this company and use its refresh token.",
                request=f"{method} {path}",
                status=403,
            ) from None
        if not isinstance(body, dict):
            raise InternalError(
                f"{SYSTEM} answered {method} {path} with {type(body).__name__}, not an object"
            )
        if not faults:
            fault = parse_fault(body)
            if fault is not None:
                raise InternalError(f"{SYSTEM} refused {method} {path}: {fault.text()}")
        return body
