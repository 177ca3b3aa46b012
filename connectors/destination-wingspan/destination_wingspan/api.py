"""The Wingspan Payments API calls this destination makes, over :class:`staffwire.http.HttpClient`.

Two clients share one session: reads go out unthrottled, writes through a :class:`RateLimiter` at the configured
writes per second with bounded concurrency (Wingspan limits writes per account, 100/s published). Creates are
never blindly retried here: the HttpClient retries only what is safe (idempotent methods, 429, connections that
never opened), and the contractor/payable writers verify by lookup before retrying a create whose answer was lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote

import requests
from staffwire.auth.simple import BearerAuth
from staffwire.http.client import HttpClient
from staffwire.http.errors import ClientError, ConnectError, ServerError, TimeoutError_, api_error_text
from staffwire.http.ratelimit import RateLimiter
from staffwire.http.retry import RetryPolicy
from staffwire.secrets import SecretMasker

from destination_wingspan.config import WingspanConfig

__all__ = ["LOST", "SYSTEM", "WingspanApi", "create_once", "reason"]

SYSTEM = "Wingspan"
#: A request whose answer may have been lost: it may or may not have taken effect in Wingspan.
LOST = (ConnectError, TimeoutError_, ServerError)
T = TypeVar("T")


class WingspanApi:
    """Thin, typed-by-convention wrappers around the endpoints the destination uses."""

    def __init__(self, config: WingspanConfig, masker: SecretMasker | None = None) -> None:
        token = config.api_token.get_secret_value()
        self.masker = masker if masker is not None else SecretMasker()
        self.masker.add(token)
        self.config = config
        headers = {"Content-Type": "application/json"}
        if config.acting_user_id:
            headers["X-WINGSPAN-USER"] = config.acting_user_id
        retry = RetryPolicy(
            max_attempts=config.max_attempts,
            base_delay=config.backoff_base_s,
            max_delay=max(config.backoff_base_s, 30.0),
        )
        session = requests.Session()
        timeout = (min(10.0, config.request_timeout_s), config.request_timeout_s)
        common: dict[str, Any] = {
            "system": SYSTEM,
            "masker": self.masker,
            "timeout": timeout,
            "retry": retry,
            "headers": headers,
            "session": session,
        }
        self.reads = HttpClient(
            config.api_url, auth=BearerAuth(token), pool_size=config.max_concurrency + 2, **common
        )
        self.writes = HttpClient(
            config.api_url,
            auth=BearerAuth(token),
            rate_limiter=RateLimiter(
                per_second=config.writes_per_second, max_concurrency=config.max_concurrency
            ),
            **common,
        )

    def close(self) -> None:
        self.reads.close()

    # session -------------------------------------------------------------------------------------------
    def session(self, token: str) -> dict[str, Any]:
        # percent-encoded, so a "/" or "?" in a token cannot change the path; the masker knows this form too
        return self.reads.get_json(f"/users/session/token/{quote(token, safe='')}")

    # generic -------------------------------------------------------------------------------------------
    def get(self, path: str, *, stream: str | None = None) -> Any:
        return self.reads.get_json(path, stream=stream)

    def post(
        self,
        path: str,
        body: Any,
        *,
        stream: str | None = None,
        idempotent: bool = False,
        ok_statuses: tuple[int, ...] = (),
    ) -> tuple[int, Any]:
        response, data = self.writes.fetch_json(
            "POST", path, json=body, stream=stream, idempotent=idempotent, ok_statuses=ok_statuses
        )
        return response.status_code, data

    def patch(self, path: str, body: Any, *, stream: str | None = None) -> Any:
        # every PATCH this destination sends sets absolute values, so repeating it is harmless
        return self.writes.request_json("PATCH", path, json=body, stream=stream, idempotent=True)

    def delete(self, path: str, *, stream: str | None = None) -> Any:
        return self.writes.request_json("DELETE", path, stream=stream)


def reason(exc: ClientError) -> str:
    """Wingspan's own error text for a refused request (falls back to the full message)."""
    if exc.response is not None:
        text = api_error_text(exc.response)
        if text:
            return f"{text} (HTTP {exc.status})"
    return exc.message


def create_once(create: Callable[[], T], landed: Callable[[], bool], *, attempts: int) -> T | None:
    """Send a create that Wingspan has no idempotency key for, at most ``attempts`` times: when its answer is
    lost (:data:`LOST`), ask ``landed`` whether it took effect before sending it again. Returns what ``create``
    returned, or None when a lost create had landed; the last lost answer raises."""
    for attempt in range(1, attempts + 1):
        try:
            return create()
        except LOST:
            if attempt == attempts:
                raise
            if landed():
                return None
    raise AssertionError("unreachable")  # pragma: no cover -- the loop returns or raises
