"""Intuit OAuth 2.0: the SDK's refresh-token flow (:class:`~staffwire.auth.OAuth2RefreshTokenAuth`) with Intuit's rules.

* ``POST https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer`` with the client credentials as HTTP Basic and
  ``grant_type=refresh_token``; access tokens last an hour (renewed 5 minutes early, and once when the API
  answers 401);
* Intuit rotates refresh tokens: an answer may carry a new one, and the previous one keeps working for a grace
  period. The flow switches to the new one at once and passes it to ``on_rotated`` (the destination emits it as
  a CONTROL message, so the platform stores it before the old one expires);
* ``invalid_grant`` (400: the refresh token was revoked, expired after 100 days unused, or belongs to another
  app) and ``invalid_client`` (401) become config errors that say which field to fix and how.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import orjson
import requests
from staffwire.auth import OAuth2RefreshTokenAuth
from staffwire.errors import ConfigError
from staffwire.http.errors import describe_request

__all__ = ["EARLY_RENEWAL", "IntuitAuth"]

EARLY_RENEWAL = 300.0


class IntuitAuth(OAuth2RefreshTokenAuth):
    def __init__(
        self,
        token_url: str,
        *,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        on_rotated: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(
            token_url,
            client_id=client_id,
            client_secret=client_secret,
            refresh_token=refresh_token,
            credentials_in="basic",
            expiry_margin=EARLY_RENEWAL,
            on_refresh_token_rotated=on_rotated,
            token_failure=self.refusal,
            renew_when=lambda response: response.status_code == 401,
        )
        self.system = f"Intuit's OAuth server {urlsplit(token_url).netloc or token_url}"

    def refusal(self, response: requests.Response) -> ConfigError | None:
        """The config error for a refused refresh token or client; None leaves the answer to the SDK."""
        error = _error(response)
        where = describe_request("POST", self.token_url)
        if error == "invalid_grant":
            return ConfigError(
                f"{self.system} refused the refresh token (invalid_grant) for {where}: it was revoked (the app "
                "was disconnected from the company), expired (100 days unused), or was issued to another app. "
                "Reconnect the app to the QuickBooks company (OAuth 2.0 authorization) and put the new refresh "
                "token in refresh_token.",
                request=where,
                status=response.status_code,
            )
        if error == "invalid_client" or response.status_code == 401:
            return ConfigError(
                f"{self.system} refused the app's credentials (invalid_client) for {where}: check client_id and "
                "client_secret (Intuit Developer > your app > Keys & credentials; production and development "
                "keys differ).",
                request=where,
                status=response.status_code,
            )
        return None


def _error(response: requests.Response) -> str | None:
    try:
        body: Any = orjson.loads(response.content or b"null")
    except orjson.JSONDecodeError:
        return None
    return str(body.get("error")) if isinstance(body, dict) and body.get("error") else None
