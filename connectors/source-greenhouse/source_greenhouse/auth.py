"""Greenhouse Harvest v3 auth: the SDK's OAuth 2.0 client-credentials flow with Greenhouse's rules.

``POST {token_url}`` with HTTP basic ``client_id:client_secret`` and ``grant_type=client_credentials`` (plus
``sub=<user id>`` to act as a user) answers ``{"access_token", "token_type": "Bearer", "expires_at"}``; the token
lives about an hour and is renewed a minute early, or once when the API answers 401. A 403 is a missing scope:
renewing cannot add one, so it is not retried (see :mod:`source_greenhouse.api`). The token endpoint's refusals
become config errors naming the field to fix.
"""

from __future__ import annotations

from typing import Any

import orjson
import requests
from staffwire.auth import OAuth2ClientCredentialsAuth
from staffwire.errors import ConfigError
from staffwire.http.errors import describe_request

from source_greenhouse.config import GreenhouseCredentials

__all__ = ["GreenhouseAuth"]


class GreenhouseAuth(OAuth2ClientCredentialsAuth):
    def __init__(self, config: GreenhouseCredentials, **options: Any) -> None:
        extra = {"sub": str(config.user_id)} if config.user_id else {}
        super().__init__(
            config.token_url,
            client_id=config.client_id,
            client_secret=config.client_secret.get_secret_value(),
            extra_params=extra,
            token_failure=self.refusal,
            **options,
        )
        self.user_id = config.user_id
        self.system = "Greenhouse"

    def refusal(self, response: requests.Response) -> ConfigError | None:
        """The config error for a refused credential or user; None leaves other answers to the SDK."""
        if response.status_code < 400:
            return None
        try:
            body = orjson.loads(response.content or b"{}")
        except orjson.JSONDecodeError:
            return None
        if not isinstance(body, dict):
            return None
        code, text = str(body.get("error") or ""), str(body.get("error_description") or "")
        where = describe_request("POST", self.token_url)
        reason = f"{code}: {text}" if text else code
        if code == "invalid_client":
            return ConfigError(
                f"Greenhouse refused the API credential ({reason}) for {where}. Check client_id and "
                "client_secret, and that the Harvest V3 credential is still active in Greenhouse (Configure > "
                "Dev Center > API Credentials): a revoked credential must be replaced.",
                request=where,
                status=response.status_code,
            )
        if code == "invalid_request" and self.user_id:
            return ConfigError(
                f"Greenhouse refused to act as user {self.user_id} ({reason}) for {where}. Set user_id to the "
                "numeric id of an active Greenhouse user (the number in the user's page URL), or leave it empty "
                "to act as the credential's service user.",
                request=where,
                status=response.status_code,
            )
        return None
