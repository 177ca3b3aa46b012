"""``check``'s account test: the token opens a Wingspan session, and the account (or acting user) may use the
Payments API."""

from __future__ import annotations

from typing import Any, Protocol

from staffwire.errors import ConfigError
from staffwire.http.errors import (
    AuthenticationError,
    BadResponseError,
    ConnectError,
    NotFoundError,
    PermissionDeniedError,
    TimeoutError_,
)
from staffwire.secrets import SecretMasker

from destination_wingspan.api import WingspanApi
from destination_wingspan.config import WingspanAuth, WingspanConfig

__all__ = ["SessionApi", "check_account", "check_session"]


class SessionApi(Protocol):
    """What the account test needs of a Wingspan client (destination-wingspan's and source-wingspan's)."""

    def session(self, token: str) -> dict[str, Any]: ...

    def get(self, path: str, *, stream: str | None = None) -> Any: ...


def check_account(config: WingspanConfig, secrets: SecretMasker) -> None:
    """ConfigError saying what to fix when the token, the URL or the acting user does not work."""
    api = WingspanApi(config, secrets)
    try:
        check_session(api, config)
    finally:
        api.close()


def check_session(api: SessionApi, config: WingspanAuth) -> dict[str, Any]:
    """The token's session, after checking that the account (or acting user) may use the Payments API;
    ConfigError saying what to fix otherwise."""
    session = _session(api, config)
    _acting_user(api, config, str(session.get("userId") or "?"))
    return session


def _session(api: SessionApi, config: WingspanAuth) -> dict[str, Any]:
    token = config.api_token.get_secret_value()
    try:
        session = api.session(token)
    except (PermissionDeniedError, AuthenticationError) as exc:
        raise ConfigError(
            "Wingspan rejected the API token (GET /users/session/token/{token} answered "
            f"HTTP {exc.status}: the session is expired or the token is wrong). Create a new API token in "
            "Wingspan and put it in api_token.",
            request="GET /users/session/token/{token}",
        ) from None
    except (ConnectError, TimeoutError_, NotFoundError, BadResponseError) as exc:
        raise ConfigError(
            f"Could not reach the Wingspan API at {config.api_url} ({exc.message}). Check api_url: it should "
            "be https://api.wingspan.app (production) or https://stagingapi.wingspan.app (staging).",
            request="GET /users/session/token/{token}",
        ) from None
    if not isinstance(session, dict) or not session.get("userId"):
        raise ConfigError(
            f"{config.api_url} answered the token check without a Wingspan session (no userId). Check api_url: "
            "it should be https://api.wingspan.app or https://stagingapi.wingspan.app."
        )
    return session


def _acting_user(api: SessionApi, config: WingspanAuth, user_id: str) -> None:
    try:
        api.get("/payments/custom-fields")
    except (PermissionDeniedError, AuthenticationError) as exc:
        if config.acting_user_id:
            raise ConfigError(
                f"Wingspan refused to act as user {config.acting_user_id} (acting_user_id, sent as "
                f"X-WINGSPAN-USER) for the token's user {user_id}: {exc.message} Use the id of an account "
                "this token may act for, or leave acting_user_id empty.",
                request="GET /payments/custom-fields",
            ) from None
        raise ConfigError(
            f"Wingspan accepted the token but refused GET /payments/custom-fields: {exc.message} Check that "
            "the token has Payments API access.",
            request="GET /payments/custom-fields",
        ) from None
