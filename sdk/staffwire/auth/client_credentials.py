"""OAuth 2.0 client-credentials grant (RFC 6749 4.4): a client id and secret exchanged for short-lived tokens.

Everything but the grant is the refresh-token flow's (:class:`~staffwire.auth.OAuth2RefreshTokenAuth`): the token
is cached until shortly before it expires, renewed once for all parallel requests, renewed and the request sent
again once on a 401, masked as soon as it is known; the same hooks (``token_failure``, ``renew_when`` ...) apply.
The client authenticates with HTTP basic auth by default (the RFC's recommended way; Greenhouse requires it);
``extra_params`` carries grant extras such as Greenhouse's ``sub`` (the user to act as).

A token answer may give its lifetime as ``expires_in`` (seconds) or as ``expires_at`` (an ISO 8601 moment or epoch
seconds: Greenhouse's token endpoint answers ``{"access_token", "token_type", "expires_at"}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from staffwire.auth.oauth2 import OAuth2RefreshTokenAuth
from staffwire.py310 import datetime_fromisoformat

__all__ = ["OAuth2ClientCredentialsAuth"]


class OAuth2ClientCredentialsAuth(OAuth2RefreshTokenAuth):
    """See the module docstring. Keyword arguments are those of :class:`OAuth2RefreshTokenAuth` without
    ``refresh_token`` and ``on_refresh_token_rotated``."""

    credential_name = "client credentials"
    obtaining = "requesting an access token"
    refused_advice = "The client ID or client secret is wrong, or the credential was revoked: check them."
    rejected_advice = refused_advice

    def __init__(
        self,
        token_url: str,
        *,
        client_id: str,
        client_secret: str,
        credentials_in: Literal["body", "query", "basic"] = "basic",
        **options: Any,
    ) -> None:
        super().__init__(
            token_url,
            client_id=client_id,
            client_secret=client_secret,
            refresh_token="",
            credentials_in=credentials_in,
            **options,
        )

    def secrets(self) -> list[str]:
        return [self.client_secret]

    def grant_fields(self) -> dict[str, Any]:
        return {"grant_type": "client_credentials"}

    def token_lifetime(self, body: Mapping[str, Any], now: float) -> float | None:
        lifetime = super().token_lifetime(body, now)
        if lifetime is not None:
            return lifetime
        return _seconds_until(body.get("expires_at"), now)


def _seconds_until(moment: Any, now: float) -> float | None:
    """Seconds from ``now`` to an ``expires_at`` (ISO 8601 or epoch seconds); None when unreadable."""
    if isinstance(moment, bool) or moment is None:
        return None
    if isinstance(moment, int | float):
        return float(moment) - now
    try:
        parsed = datetime_fromisoformat(str(moment).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    return parsed.timestamp() - now
