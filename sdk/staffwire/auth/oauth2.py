"""OAuth 2.0 refresh-token grant: exchange a long-lived refresh token for short-lived access tokens.

The access token is cached until ``expiry_margin`` seconds before it expires, renewed once for all parallel
requests, and renewed (and the request retried once) when the API answers 401 anyway. When the token endpoint
returns a new refresh token (rotation: Bullhorn's refresh tokens are single-use) it is used from then on and
passed to ``on_refresh_token_rotated`` -- the connector emits it as a CONTROL message so the platform stores it.
Every token obtained is registered with the secret masker before anything else can print it.

Some token endpoints report failure inside an HTTP 200 body (Zoho: ``{"error": "invalid_code"}``); the default
:meth:`OAuth2RefreshTokenAuth.token_error` catches an ``error`` field or a missing ``access_token``, and a
``token_error=`` callable can recognise other shapes. Three more hooks let a connector keep its API's quirks
without writing its own flow:

* ``token_failure=`` turns a token answer into the connector's own error (one that names the config field to
  fix), or returns None for the default reading;
* ``throttled=`` recognises a token endpoint that throttles refreshes with something other than 429 (Zoho: 400
  "too many requests continuously"); such answers are retried after the ``throttle`` policy's backoff;
* ``renew_when=`` (see :mod:`staffwire.auth.refreshing`) decides which API answers mean "renew the token".

A token whose lifetime is shorter than twice ``expiry_margin`` is renewed when half of its lifetime has passed,
so a short-lived token is not replaced before every request.

Tokens outlive the process: ``access_token=`` / ``access_token_expires_at=`` start the flow with a token an earlier
process obtained (used while it is not due for renewal), and ``on_access_token=`` is called with every token obtained,
so the connector can emit it in a CONTROL config message for the platform (or Staffwire's runner) to store. Vendors
that ration tokens per refresh token (Zoho: about ten per ten minutes) need this; see :mod:`staffwire.token_fields`.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import requests

from staffwire.auth.refreshing import Obtain, RefreshingAuth
from staffwire.http.errors import AuthenticationError, RateLimitedError, describe_request
from staffwire.http.retry import RetryPolicy

__all__ = ["AccessToken", "OAuth2RefreshTokenAuth"]


@dataclass(frozen=True)
class AccessToken:
    token: str
    expires_at: float | None
    body: Mapping[str, Any] = field(default_factory=dict, repr=False)
    issued_at: float | None = None


class OAuth2RefreshTokenAuth(RefreshingAuth[AccessToken]):
    """``credentials_in``: where client id/secret and the refresh token go -- ``"body"`` (form, the RFC's way),
    ``"query"`` (Zoho, Bullhorn) or ``"basic"`` (client id/secret as HTTP basic auth, the rest in the form).
    The hooks ``token_error``, ``token_failure``, ``throttled`` and ``renew_when`` are described in the module
    docstring; ``throttle`` defaults to 4 attempts, 2 s doubling."""

    #: what the token request spends and what it is doing, in error messages
    credential_name: str = "refresh token"
    obtaining: str = "refreshing the access token"
    #: advice when the token endpoint answers 400/401/403, and when a 200 answer carries an error
    refused_advice: str = (
        "The refresh token, client ID or client secret is invalid or was revoked: "
        "re-authorise the connection to get a new refresh token."
    )
    rejected_advice: str = (
        "The refresh token, client ID or client secret is invalid, revoked or for another data center: "
        "re-authorise the connection."
    )

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
        token_failure: Callable[[requests.Response], Exception | None] | None = None,
        throttled: Callable[[requests.Response], bool] | None = None,
        throttle: RetryPolicy | None = None,
        renew_when: Callable[[requests.Response], bool] | None = None,
        clock: Callable[[], float] = time.time,
        access_token: str | None = None,
        access_token_expires_at: float | None = None,
        on_access_token: Callable[[AccessToken], None] | None = None,
    ) -> None:
        super().__init__(clock=clock, renew_when=renew_when)
        self.on_access_token = on_access_token
        if access_token and access_token_expires_at is not None:
            self._credential = AccessToken(access_token, access_token_expires_at)
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
        self._token_failure = token_failure
        self._throttled = throttled
        self.throttle = throttle or RetryPolicy(max_attempts=4, base_delay=2.0, jitter=0.0)

    #: the token request is retried by the client itself (``expect_json``) and the refresh token stays valid,
    #: so a cut-off exchange is not started over: that would only spend the endpoint's refresh quota
    restart = RetryPolicy(max_attempts=1)

    def secrets(self) -> list[str]:
        seeded = self._credential.token if self._credential is not None else ""
        return [s for s in (self.client_secret, self.refresh_token, seeded) if s]

    # the token request ---------------------------------------------------------------------------------
    def token_request(self) -> requests.PreparedRequest:
        fields: dict[str, Any] = self.grant_fields()
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
            return self.build("POST", self.token_url, params=fields, headers=headers, expect_json=True)
        return self.build("POST", self.token_url, data=fields, headers=headers, expect_json=True)

    def grant_fields(self) -> dict[str, Any]:
        """The grant's own fields of the token request (a subclass changes the grant)."""
        return {"grant_type": "refresh_token", "refresh_token": self.refresh_token}

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

    def send_token_request(self) -> Obtain[requests.Response]:
        """Yield the token request -- again after a backoff while the endpoint throttles -- and return the answer."""
        attempt = 1
        while True:
            response = yield self.token_request()
            if self._throttled is None or not self._throttled(response):
                return response
            if attempt >= self.throttle.max_attempts:
                request = describe_request("POST", self.token_url)
                raise RateLimitedError(
                    f"{self.system} refused to issue an access token: too many token requests in a short time "
                    f"({request}, {attempt} attempts). Wait a few minutes and run again; do not run many syncs "
                    "with the same refresh token at once.",
                    system=self.system,
                    method="POST",
                    path=request.partition(" ")[2],
                    status=response.status_code,
                    response=response,
                )
            self.throttle.sleep(self.throttle.backoff(attempt))
            attempt += 1

    def obtain(self) -> Obtain[AccessToken]:
        response = yield from self.send_token_request()
        if self._token_failure is not None:
            failure = self._token_failure(response)
            if failure is not None:
                raise failure
        what = self.obtaining
        body = self.answer_json(
            response,
            what=what,
            refused_advice=self.refused_advice,
            empty=b"{}",
        )
        if not isinstance(body, dict):
            body = {}
        problem_text = self.token_error(body)
        if problem_text:
            masked = self.masker.mask(problem_text) if self.masker else problem_text
            raise AuthenticationError(
                f"{self.system} refused the {self.credential_name} while {what} ({masked}). "
                + self.rejected_advice,
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
        now = self.clock()
        lifetime = self.token_lifetime(body, now)
        if (
            lifetime is None or lifetime <= 0
        ):  # "expires_in": 0 says nothing usable; renewing per request is worse
            lifetime = self.default_expires_in
        obtained = AccessToken(token, now + lifetime, body, issued_at=now)
        if self.on_access_token is not None:
            self.on_access_token(obtained)
        return obtained

    def token_lifetime(self, body: Mapping[str, Any], now: float) -> float | None:
        """Seconds the token in ``body`` lives: its ``expires_in``, or None when absent or unreadable."""
        expires_in = body.get("expires_in")
        try:
            return float(expires_in) if expires_in is not None else None
        except (TypeError, ValueError):
            return None

    # using the token -----------------------------------------------------------------------------------
    def expires_at(self, credential: AccessToken) -> float | None:
        return credential.expires_at

    def renew_at(self, credential: AccessToken) -> float | None:
        """``expiry_margin`` before expiry, or half-way through a lifetime shorter than twice the margin."""
        if credential.expires_at is None:
            return None
        margin = self.expiry_margin
        if credential.issued_at is not None:
            margin = min(margin, (credential.expires_at - credential.issued_at) / 2)
        return credential.expires_at - margin

    def apply(self, request: requests.PreparedRequest, credential: AccessToken) -> requests.PreparedRequest:
        request.headers[self.header] = (
            f"{self.prefix} {credential.token}" if self.prefix else credential.token
        )
        return request

    @property
    def access_token(self) -> str | None:
        credential, _ = self.current()
        return credential.token if credential else None
