"""Zoho OAuth: the refresh-token grant against the data center's accounts server, as an auth flow.

* ``POST {accounts}/oauth/v2/token`` with the refresh token; the access token is cached until shortly before
  ``expires_in`` runs out (Zoho keeps at most 30 live tokens per refresh token, so never refresh per request).
* ``Authorization: Zoho-oauthtoken <token>`` on every API call; a 401 ``INVALID_TOKEN`` /
  ``AUTHENTICATION_FAILURE`` / ``INVALID_OAUTHTOKEN`` renews the token once and sends the call again.
* The token endpoint reports a bad refresh token with **HTTP 200** ``{"error": "invalid_code"}``: the body is
  checked, not only the status. "too many requests continuously" (400 ``Access Denied``) is backed off.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from typing import Any
from urllib.parse import urlsplit

import orjson
import requests
from staffwire.auth.base import Auth, AuthFlow
from staffwire.errors import ConfigError, TransientError

__all__ = ["RENEW_CODES", "ZohoAuth", "error_code"]

RENEW_CODES = frozenset({"INVALID_TOKEN", "AUTHENTICATION_FAILURE", "INVALID_OAUTHTOKEN"})
_EARLY = 300.0  # renew this many seconds before Zoho says the token expires


def error_code(response: requests.Response) -> str | None:
    """Zoho's ``code`` (API) or ``error`` (accounts server) from a JSON error body, if any."""
    try:
        body = orjson.loads(response.content or b"null")
    except orjson.JSONDecodeError:
        return None
    if isinstance(body, dict):
        value = body.get("code") or body.get("error")
        return str(value) if value else None
    return None


class ZohoAuth(Auth):
    """Refresh-token grant with caching, renewal on 401 and back-off when Zoho throttles refreshes."""

    def __init__(
        self,
        *,
        accounts_url: str,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        data_center: str,
        throttle_attempts: int = 4,
        throttle_delay: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.accounts_url = accounts_url.rstrip("/")
        self.token_url = f"{self.accounts_url}/oauth/v2/token"
        self.client_id = client_id
        self.client_secret = client_secret
        self.refresh_token = refresh_token
        self.data_center = data_center
        self.throttle_attempts = throttle_attempts
        self.throttle_delay = throttle_delay
        self.clock = clock
        self.sleep = sleep
        self.access_token: str | None = None
        self.expires_at = 0.0
        self.refresh_count = 0

    def secrets(self) -> list[str]:
        return [self.client_secret, self.refresh_token]

    @property
    def _host(self) -> str:
        return urlsplit(self.accounts_url).netloc or self.accounts_url

    def invalidate(self) -> None:
        self.access_token = None
        self.expires_at = 0.0

    def auth_flow(self, request: requests.PreparedRequest) -> AuthFlow:
        if self.access_token is None or self.clock() >= self.expires_at:
            yield from self._refresh()
        request.headers["Authorization"] = f"Zoho-oauthtoken {self.access_token}"
        response = yield request
        if response.status_code == 401 and error_code(response) in RENEW_CODES:
            self.invalidate()
            yield from self._refresh()
            request.headers["Authorization"] = f"Zoho-oauthtoken {self.access_token}"
            yield request

    def _refresh(self) -> Generator[requests.PreparedRequest, requests.Response, None]:
        form = {
            "grant_type": "refresh_token",
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "refresh_token": self.refresh_token,
        }
        where = "POST /oauth/v2/token"
        for attempt in range(1, self.throttle_attempts + 1):
            started = self.clock()
            response = yield self.build("POST", self.token_url, data=form)
            body = _json(response)
            if _throttled(response, body):
                if attempt == self.throttle_attempts:
                    raise TransientError(
                        f"Zoho accounts server {self._host} refused to issue an access token: too many token "
                        f"requests in a short time ({where}, {attempt} attempts). Wait a few minutes and run "
                        "again; do not run many syncs with the same refresh token at once.",
                        request=where,
                        status=response.status_code,
                    )
                self.sleep(self.throttle_delay * 2 ** (attempt - 1))
                continue
            token = body.get("access_token") if isinstance(body, dict) else None
            if response.status_code == 200 and token:
                self.register_secret(token)
                self.access_token = str(token)
                expires_in = float(body.get("expires_in") or 3600)
                self.expires_at = started + max(expires_in - _EARLY, expires_in / 2)
                self.refresh_count += 1
                return
            raise self._token_error(response, body, where)

    def _token_error(self, response: requests.Response, body: Any, where: str) -> Exception:
        code = str(body.get("error") or "") if isinstance(body, dict) else ""
        host = self._host
        if code == "invalid_code":
            return ConfigError(
                f"Zoho accounts server {host} rejected the refresh token (invalid_code) for {where}. The token is "
                f"wrong, revoked, or was issued in another data center than {self.data_center!r}: check "
                "data_center (or accounts_url), or generate a new refresh token.",
                request=where,
                status=response.status_code,
            )
        if code in ("invalid_client", "invalid_client_secret"):
            field = "client_id" if code == "invalid_client" else "client_secret"
            return ConfigError(
                f"Zoho accounts server {host} rejected the OAuth client ({code}) for {where}: check {field}, and "
                f"that the client was created for the {self.data_center!r} data center (or enable it there in "
                "the Zoho API console).",
                request=where,
                status=response.status_code,
            )
        if response.status_code >= 500:
            return TransientError(
                f"Zoho accounts server {host} failed with HTTP {response.status_code} for {where}. Try again later.",
                request=where,
                status=response.status_code,
            )
        detail = code or f"HTTP {response.status_code}"
        return ConfigError(
            f"Zoho accounts server {host} did not issue an access token ({detail}) for {where}. Check client_id, "
            "client_secret, refresh_token and data_center.",
            request=where,
            status=response.status_code,
        )


def _json(response: requests.Response) -> Any:
    try:
        return orjson.loads(response.content or b"null")
    except orjson.JSONDecodeError:
        return None


def _throttled(response: requests.Response, body: Any) -> bool:
    if not isinstance(body, dict):
        return response.status_code == 429
    text = f"{body.get('error', '')} {body.get('error_description', '')}".lower()
    return response.status_code == 429 or "too many requests" in text or "access denied" in text
