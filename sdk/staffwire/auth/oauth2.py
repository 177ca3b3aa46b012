"""OAuth 2.0 refresh-token grant: exchange a long-lived refresh token for short-lived access tokens.

The access token is cached until ``expiry_margin`` seconds before it expires, renewed once for all parallel
requests, and renewed (and the request retried once) when the API answers 401 anyway. When the token endpoint
returns a new refresh token (rotation: Bullhorn's refresh tokens are single-use) it is used from then on and
passed to ``on_refresh_token_rotated`` -- the connector emits it as a CONTROL message so the platform stores it.
Every token obtained is registered with the secret masker before anything else can print it.

Some token endpoints report failure inside an HTTP 200 body (Zoho: ``{"error": "invalid_code"}``); the default
:meth:`OAuth2RefreshTokenAuth.token_error` catches an ``error`` field or a missing ``access_token``, and a
``token_error=`` callable can recognise other shapes.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import requests

from staffwire.auth.refreshing import Obtain, RefreshingAuth
from staffwire.http.errors import AuthenticationError

__all__ = ["AccessToken", "OAuth2RefreshTokenAuth"]


@dataclass(frozen=True)
class AccessToken:
    token: str
    expires_at: float | None
    body: Mapping[str, Any] = field(default_factory=dict, repr=False)


class OAuth2RefreshTokenAuth(RefreshingAuth[AccessToken]):
    """``credentials_in``: where client id/secret and the refresh token go -- ``"body"`` (form, the RFC's way),
    ``"query"`` (Zoho, Bullhorn) or ``"basic"`` (client id/secret as HTTP basic auth, the rest in the form)."""

    def __init__(
        self,
        token_url: str,
        *,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        scopes: list[str] | None = None,
        extra_params: Mapping[str, str] | None = None,
        credentials_in: Literal["body", "query", "basic"] = "body",
        header: str = "Authorization",
        prefix: str = "Bearer",
        expiry_margin: float = 60.0,
        default_expires_in: float = 3600.0,
        on_refresh_token_rotated: Callable[[str], None] | None = None,
        token_error: Callable[[Mapping[str, Any]], str | None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(clock=clock)
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.refresh_token = refresh_token
        self.scopes = scopes
        self.extra_params = dict(extra_params or {})
        self.credentials_in = credentials_in
        self.header = header
        self.prefix = prefix
        self.expiry_margin = expiry_margin
        self.default_expires_in = default_expires_in
        self.on_refresh_token_rotated = on_refresh_token_rotated
        self._token_error = token_error

    def secrets(self) -> list[str]:
        return [self.client_secret, self.refresh_token]

    # the token request ---------------------------------------------------------------------------------
    def token_request(self) -> requests.PreparedRequest:
        fields: dict[str, Any] = {"grant_type": "refresh_token", "refresh_token": self.refresh_token}
        if self.scopes:
            fields["scope"] = " ".join(self.scopes)
        fields.update(self.extra_params)
        headers = {"Accept": "application/json"}
        if self.credentials_in == "basic":
            pair = f"{self.client_id}:{self.client_secret}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        else:
            fields.update({"client_id": self.client_id, "client_secret": self.client_secret})
        if self.credentials_in == "query":
            return self.build("POST", self.token_url, params=fields, headers=headers)
        return self.build("POST", self.token_url, data=fields, headers=headers)

    def token_error(self, body: Mapping[str, Any]) -> str | None:
        """The error a 200 token answer carries, or None when it holds a token."""
        if self._token_error is not None:
            custom = self._token_error(body)
            if custom:
                return custom
        error = body.get("error")
        if error:
            description = body.get("error_description")
            return f"{error}: {description}" if description else str(error)
        if not body.get("access_token"):
            return "the answer has no access_token"
        return None

    def obtain(self) -> Obtain[AccessToken]:
        response = yield self.token_request()
        what = "refreshing the access token"
        body = self.answer_json(
            response,
            what=what,
            refused_advice=(
                "The refresh token, client ID or client secret is invalid or was revoked: "
                "re-authorise the connection to get a new refresh token."
            ),
            empty=b"{}",
        )
        if not isinstance(body, dict):
            body = {}
        problem_text = self.token_error(body)
        if problem_text:
            masked = self.masker.mask(problem_text) if self.masker else problem_text
            raise AuthenticationError(
                f"{self.system} refused the refresh token while {what} ({masked}). The refresh token, client ID "
                "or client secret is invalid, revoked or for another data center: re-authorise the connection.",
                system=self.system,
                method="POST",
                status=response.status_code,
                response=response,
            )
        token = str(body["access_token"])
        self.register_secret(token)
        rotated = body.get("refresh_token")
        if rotated and rotated != self.refresh_token:
            self.register_secret(rotated)
            self.refresh_token = str(rotated)
            if self.on_refresh_token_rotated is not None:
                self.on_refresh_token_rotated(self.refresh_token)
        expires_in = body.get("expires_in")
        try:
            lifetime = float(expires_in) if expires_in is not None else self.default_expires_in
        except (TypeError, ValueError):
            lifetime = self.default_expires_in
        return AccessToken(token, self.clock() + lifetime, body)

    # using the token -----------------------------------------------------------------------------------
    def expires_at(self, credential: AccessToken) -> float | None:
        return credential.expires_at

    def apply(self, request: requests.PreparedRequest, credential: AccessToken) -> requests.PreparedRequest:
        request.headers[self.header] = (
            f"{self.prefix} {credential.token}" if self.prefix else credential.token
        )
        return request

    @property
    def access_token(self) -> str | None:
        credential, _ = self.current()
        return credential.token if credential else None
