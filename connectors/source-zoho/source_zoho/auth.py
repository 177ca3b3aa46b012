"""Zoho OAuth: the SDK's refresh-token flow (:class:`~staffwire.auth.OAuth2RefreshTokenAuth`) with Zoho's rules.

The flow itself -- caching the access token until shortly before it expires (Zoho keeps at most 30 live tokens
per refresh token, so never refresh per request), one renewal for all parallel requests, masking every token --
is the SDK's. Zoho contributes only what differs:

* the token endpoint is ``POST {accounts}/oauth/v2/token`` of the account's data center, and API calls carry
  ``Authorization: Zoho-oauthtoken <token>``; tokens are renewed 5 minutes early;
* a 401 ``INVALID_TOKEN`` / ``AUTHENTICATION_FAILURE`` / ``INVALID_OAUTHTOKEN`` renews the token once and sends
  the call again; any other 401 (``OAUTH_SCOPE_MISMATCH``: renewing cannot add a scope) is left to
  :class:`~source_zoho.api.ZohoApi`, which names the missing scope, or the data center when a fresh token is
  refused too;
* the token endpoint reports a bad refresh token or client with **HTTP 200** ``{"error": "invalid_code"}``: those
  become config errors naming the field to fix; "too many requests continuously" (400 ``Access Denied``) is backed
  off and retried.

Zoho rations access tokens (about ten per refresh token per ten minutes), so a token outlives the process: the
config's ``access_token`` / ``token_expiry_date`` (from the CONTROL message of an earlier run) start the flow, and
every new token is handed to ``on_access_token`` for the connector to emit (:mod:`staffwire.token_fields`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import orjson
import requests
from staffwire.auth import AccessToken, OAuth2RefreshTokenAuth
from staffwire.errors import ConfigError
from staffwire.http.errors import describe_request
from staffwire.http.retry import RetryPolicy

__all__ = ["EARLY_RENEWAL", "RENEW_CODES", "ZohoAuth", "error_code"]

RENEW_CODES = frozenset({"INVALID_TOKEN", "AUTHENTICATION_FAILURE", "INVALID_OAUTHTOKEN"})
EARLY_RENEWAL = 300.0  # seconds before Zoho's expires_in runs out (half the lifetime for shorter tokens)
_CLIENT_FIELDS = {"invalid_client": "client_id", "invalid_client_secret": "client_secret"}


def error_code(response: requests.Response) -> str | None:
    """Zoho's ``code`` (API) or ``error`` (accounts server) from a JSON error body, if any."""
    body = _json(response)
    if isinstance(body, dict):
        value = body.get("code") or body.get("error")
        return str(value) if value else None
    return None


class ZohoAuth(OAuth2RefreshTokenAuth):
    """:class:`OAuth2RefreshTokenAuth` set up for Zoho (see the module docstring); adds no flow of its own.

    ``throttle`` paces retries of a throttled token request (default: 4 attempts, 2 s doubling).
    """

    def __init__(
        self,
        *,
        accounts_url: str,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        data_center: str,
        throttle: RetryPolicy | None = None,
        clock: Callable[[], float] = time.time,
        access_token: str | None = None,
        access_token_expires_at: float | None = None,
        on_access_token: Callable[[AccessToken], None] | None = None,
    ) -> None:
        accounts = accounts_url.rstrip("/")
        self.data_center = data_center
        super().__init__(
            f"{accounts}/oauth/v2/token",
            client_id=client_id,
            client_secret=client_secret,
            refresh_token=refresh_token,
            prefix="Zoho-oauthtoken",
            expiry_margin=EARLY_RENEWAL,
            renew_when=renews_token,
            token_failure=self.refusal,
            throttled=is_throttled,
            throttle=throttle or RetryPolicy(max_attempts=4, base_delay=2.0, jitter=0.0),
            clock=clock,
            access_token=access_token,
            access_token_expires_at=access_token_expires_at,
            on_access_token=on_access_token,
        )
        # errors of the token flow name the accounts server, not the API the client talks to
        self.system = f"Zoho accounts server {urlsplit(accounts).netloc or accounts}"

    def refusal(self, response: requests.Response) -> ConfigError | None:
        """The config error for a refused refresh token or OAuth client; None leaves the answer to the SDK."""
        code = error_code(response)
        where = describe_request("POST", self.token_url)
        if code == "invalid_code":
            return ConfigError(
                f"{self.system} rejected the refresh token (invalid_code) for {where}. The token is wrong, "
                f"revoked, or was issued in another data center than {self.data_center!r}: check data_center (or "
                "accounts_url), or generate a new refresh token.",
                request=where,
                status=response.status_code,
            )
        if code in _CLIENT_FIELDS:
            return ConfigError(
                f"{self.system} rejected the OAuth client ({code}) for {where}: check {_CLIENT_FIELDS[code]}, and "
                f"that the client was created for the {self.data_center!r} data center (or enable it there in "
                "the Zoho API console).",
                request=where,
                status=response.status_code,
            )
        return None


def renews_token(response: requests.Response) -> bool:
    """A 401 that a new access token cures (expired, missing or foreign token), unlike a missing scope."""
    return response.status_code == 401 and error_code(response) in RENEW_CODES


def is_throttled(response: requests.Response) -> bool:
    """Zoho's "too many requests continuously": 400 ``Access Denied`` (or a plain 429)."""
    if response.status_code == 429:
        return True
    body = _json(response)
    if not isinstance(body, dict):
        return False
    text = f"{body.get('error', '')} {body.get('error_description', '')}".lower()
    return "too many requests" in text or "access denied" in text


def _json(response: requests.Response) -> Any:
    try:
        return orjson.loads(response.content or b"null")
    except orjson.JSONDecodeError:
        return None
