"""The Wingspan reads this source makes, over :class:`staffwire.http.HttpClient`: bearer token, the optional
``X-WINGSPAN-USER`` header, a request rate below Wingspan's GET limit, and the HTTP client's retries (429 with
or without ``Retry-After``, 5xx, dropped connections: every read is idempotent).

A list is read by the SDK's stream layer (:class:`WingspanList`, an :class:`~staffwire.http.HttpStream`): Wingspan
answers each list as one bare JSON array, with no paging and no filters, so the only vendor part is the check that
the answer is that array."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests
from staffwire.auth.simple import BearerAuth
from staffwire.errors import TransientError
from staffwire.http.client import HttpClient
from staffwire.http.ratelimit import RateLimiter
from staffwire.http.retry import RetryPolicy
from staffwire.http.stream import HttpStream
from staffwire.secrets import SecretMasker

from source_wingspan.config import SourceWingspanConfig

__all__ = ["SYSTEM", "WingspanList", "WingspanReader"]

SYSTEM = "Wingspan"


class WingspanReader:
    """GETs against one Wingspan account; satisfies destination-wingspan's ``SessionApi`` for the account test."""

    def __init__(self, config: SourceWingspanConfig, masker: SecretMasker) -> None:
        token = config.api_token.get_secret_value()
        masker.add(token)
        self.config = config
        headers = {"X-WINGSPAN-USER": config.acting_user_id} if config.acting_user_id else {}
        self.http = HttpClient(
            config.api_url,
            system=SYSTEM,
            auth=BearerAuth(token),
            masker=masker,
            timeout=(min(10.0, config.request_timeout_s), config.request_timeout_s),
            retry=RetryPolicy(
                max_attempts=config.max_attempts,
                base_delay=config.backoff_base_s,
                max_delay=max(config.backoff_base_s, 30.0),
            ),
            rate_limiter=RateLimiter(
                per_second=config.requests_per_second, max_concurrency=config.max_concurrency
            ),
            headers=headers,
        )

    def close(self) -> None:
        self.http.close()

    def session(self, token: str) -> dict[str, Any]:
        body: dict[str, Any] = self.http.get_json(f"/users/session/token/{token}")
        return body

    def get(self, path: str, *, stream: str | None = None) -> Any:
        return self.http.get_json(path, stream=stream)

    def list(self, path: str, *, stream: str) -> list[dict[str, Any]]:
        """A list endpoint's records: Wingspan answers every list as one bare JSON array of objects."""
        return WingspanList(self, path, stream=stream).rows()


class WingspanList(HttpStream):
    """One Wingspan list endpoint read by the SDK's loop: one GET (the default single-page paginator), the body
    is the list (``records_path`` None). ``stream`` names the stream the list is read for, in errors."""

    def __init__(self, api: WingspanReader, list_path: str, *, stream: str) -> None:
        super().__init__(api.http)
        self.list_path = list_path
        self.stream_name = stream

    def get_name(self) -> str:
        return self.stream_name

    def path(self, state: Mapping[str, Any] | None) -> str:
        return self.list_path

    def validate_response(self, response: requests.Response, body: Any) -> None:
        if not isinstance(body, list) or not all(isinstance(row, dict) for row in body):
            path = self.path(None)
            raise TransientError(
                f"{SYSTEM} answered GET {path} with {type(body).__name__}, not the JSON array of records it "
                "sends for a list; retry later, and check api_url if it persists.",
                stream=self.get_name(),
                request=f"GET {path}",
            )

    def rows(self) -> list[dict[str, Any]]:
        """The whole list: the records of the one page the SDK's loop reads."""
        return [row for item in self.read("full_refresh", None) if isinstance(item, list) for row in item]
