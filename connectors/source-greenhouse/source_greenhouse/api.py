"""One Greenhouse Harvest v3 connection per run: the HTTP client, auth, rate-limit pacing and error reading.

Greenhouse's refusals become messages a person can act on: a 403 names the scope the credential lacks, a 401
that survives a fresh token says the credential was revoked, a 422 lists Greenhouse's validation messages.
Both are the SDK client's vendor hooks: :meth:`GreenhouseApi.classify` is its ``classify_error``.
Rate limits: every answer carries ``X-RateLimit-Limit`` / ``X-RateLimit-Remaining`` per 10-second window, and a
429 also ``X-RateLimit-Reset`` and ``Retry-After``. The SDK's client retries a 429 after its ``Retry-After``;
:class:`HeaderPacer` sees every answer (the client's ``on_response``, the 429s it retries included) and holds every
other request of the run until ``X-RateLimit-Reset`` too, so parallel requests do not spend the next window's
budget on more 429s.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

import requests
from staffwire.errors import ConfigError, InternalError, StaffwireError
from staffwire.http import BadResponseError, HttpClient, RateLimiter, RetryPolicy
from staffwire.http.errors import describe_request
from staffwire.secrets import SecretMasker

from source_greenhouse.auth import GreenhouseAuth
from source_greenhouse.config import GreenhouseCredentials

__all__ = ["GreenhouseApi", "GreenhouseRefusal", "HeaderPacer", "validation_messages"]

WINDOW = 10.0  # seconds: Greenhouse's rate-limit window


class HeaderPacer(RateLimiter):
    """A rate limiter driven by Greenhouse's headers: after an answer with ``X-RateLimit-Remaining: 0`` and an
    ``X-RateLimit-Reset`` (epoch seconds, sent with a 429), requests wait until that moment (at most a window)."""

    def __init__(
        self, *, clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        super().__init__(clock=clock, sleep=sleep)
        self._wall = clock
        self._blocked_until = 0.0
        self._block_lock = threading.Lock()
        self.waited = 0.0

    def observe(self, response: requests.Response) -> None:
        remaining = response.headers.get("X-RateLimit-Remaining")
        if remaining is None or remaining.strip() != "0":
            return
        reset = response.headers.get("X-RateLimit-Reset")
        now = self._wall()
        try:
            until = float(reset or "")
        except ValueError:
            return  # no moment given: the 429 that follows says when
        with self._block_lock:
            self._blocked_until = max(self._blocked_until, min(until, now + WINDOW))

    def next_wait(self) -> float:
        return max(0.0, self._blocked_until - self._wall(), super().next_wait())

    def acquire(self) -> float:
        wait = max(0.0, self._blocked_until - self._wall())
        if wait > 0:
            self._sleep(wait)
            self.waited += wait
        return wait + super().acquire()


class GreenhouseRefusal(StaffwireError):
    """A request Greenhouse refused for this record or call (404 / 422): not a failure of the run."""

    def __init__(self, message: str, *, status: int, messages: list[str]) -> None:
        super().__init__(message, status=status)
        self.status = status
        self.messages = messages


class GreenhouseApi:
    """See the module docstring. ``system`` is "Greenhouse" in every message."""

    system = "Greenhouse"

    def __init__(
        self,
        config: GreenhouseCredentials,
        *,
        masker: SecretMasker | None = None,
        retry: RetryPolicy | None = None,
        token_ttl_margin: float = 60.0,
    ) -> None:
        self.config = config
        self.auth = GreenhouseAuth(config, expiry_margin=token_ttl_margin)
        self.pacer = HeaderPacer()
        retry = retry or RetryPolicy(
            base_delay=config.retry_base_delay, max_delay=max(config.retry_base_delay, 60)
        )
        self.client = HttpClient(
            config.api_url,
            system=self.system,
            auth=self.auth,
            masker=masker,
            retry=retry,
            rate_limiter=self.pacer,
            classify_error=self.classify,
            on_response=self.pacer.observe,  # every answer: a 429 the client retries still tells the reset
        )

    def close(self) -> None:
        self.client.close()

    # ------------------------------------------------------------------------------------------- calls
    def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        stream: str | None = None,
    ) -> tuple[requests.Response, Any]:
        """Send one request; answer (response, body). Refusals are raised by the client (:meth:`classify`)."""
        return self.client.fetch_json(method, path, params=params, json=json, stream=stream)

    def get(self, path: str, **params: Any) -> Any:
        return self.call("GET", path, params=params)[1]

    def classify(self, response: requests.Response, stream: str | None) -> Exception | None:
        """The client's ``classify_error``: 401/403 become config errors naming the fix, 404/409/422 a
        :class:`GreenhouseRefusal` with Greenhouse's messages (an error of the stream when a stream read it);
        None leaves any other status (429 and 5xx after retries) to the SDK's typed error."""
        if response.status_code not in (401, 403, 404, 409, 422):
            return None
        try:
            body = self.client.decode(response, stream=stream)
        except BadResponseError as exc:  # not JSON (an HTML error page): the SDK's own error for that
            return exc
        return self.error(response, body, stream)

    def error(self, response: requests.Response, body: Any, stream: str | None) -> StaffwireError:
        request = describe_request(response.request.method or "GET", response.url or "")
        where = f"Stream {stream}: " if stream else ""
        status = response.status_code
        message = str(body.get("message") or "") if isinstance(body, dict) else ""
        if status == 403:
            scope = message.rpartition(": ")[2] if "scope" in message.lower() else "(not named)"
            return ConfigError(
                f"{where}Greenhouse refused {request} (403 {message or 'Forbidden'}): the API credential lacks the "
                f"scope {scope}. Add it to the Harvest V3 credential in Greenhouse (Configure > Dev Center > API "
                "Credentials > Manage scopes)" + (", or deselect the stream." if stream else "."),
                stream=stream,
                request=request,
                status=status,
            )
        if status == 401:
            return ConfigError(
                f"{where}Greenhouse refused the access token for {request} even after a new one was issued "
                f"(401 {message}): the API credential was revoked or disabled. Create a new Harvest V3 credential "
                "and update client_id and client_secret.",
                stream=stream,
                request=request,
                status=status,
            )
        messages = validation_messages(body) or ([message] if message else [f"HTTP {status}"])
        text = "; ".join(messages)
        if stream:
            return InternalError(
                f"{where}Greenhouse refused {request}: {text}", stream=stream, request=request
            )
        return GreenhouseRefusal(f"Greenhouse refused {request}: {text}", status=status, messages=messages)


def validation_messages(body: Any) -> list[str]:
    """Greenhouse's 422 ``{"message": "Validation error", "errors": [{"message", "field"}]}`` as texts."""
    if not isinstance(body, dict):
        return []
    out = []
    for error in body.get("errors") or []:
        if isinstance(error, dict) and error.get("message"):
            out.append(str(error["message"]))
    return out
