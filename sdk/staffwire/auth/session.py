"""Session logins: a chain of requests that ends in a session token and, often, the base URL to use with it.

Subclass :class:`SessionLoginAuth`, implement :meth:`~SessionLoginAuth.login` as a flow that yields the hop requests
(build them with :meth:`~staffwire.auth.base.Auth.build`; redirects are not followed, so a hop can read
``Location``) and returns a :class:`LoginSession`, and :meth:`~SessionLoginAuth.apply_token` to put the token on a
request::

    class BullhornLogin(SessionLoginAuth):
        def login(self):
            info = self.json_of((yield self.build("GET", self.login_info_url, params={"username": self.user})),
                                "data-center discovery")
            ...
            return LoginSession(token=body["BhRestToken"], base_url=body["restUrl"])

        def apply_token(self, request, session):
            request.headers["BhRestToken"] = session.token

An :class:`~staffwire.http.HttpClient` built without a base URL sends requests relative to the session's
``base_url``. When the API answers one of :attr:`renew_on` (401, 403) the session is renewed -- once for all
parallel requests -- and the failed request is sent again once, so a paging loop neither loses nor repeats a page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

from staffwire.auth.refreshing import Obtain, RefreshingAuth
from staffwire.errors import InternalError
from staffwire.http.errors import describe_request

__all__ = ["SESSION_BASE_URL", "LoginSession", "SessionLoginAuth"]

#: the placeholder base URL a client uses until the login tells it the real one
SESSION_BASE_URL = "http://session-base-url.invalid"


@dataclass(frozen=True)
class LoginSession:
    token: str
    base_url: str | None = None
    expires_at: float | None = None
    data: Mapping[str, Any] = field(default_factory=dict, repr=False)


class SessionLoginAuth(RefreshingAuth[LoginSession]):
    """Base for multi-hop logins; see the module docstring."""

    renew_on: tuple[int, ...] = (401, 403)
    #: sessions may die after a few requests (shared by parallel workers): one request may renew several times
    #: (the login itself proves the credentials); an OAuth access token is renewed once per request
    max_renewals = 4
    default_base_url: str | None = SESSION_BASE_URL

    def login(self) -> Obtain[LoginSession]:
        """Yield the login hops; return the session."""
        raise NotImplementedError
        yield  # pragma: no cover

    def apply_token(self, request: requests.PreparedRequest, session: LoginSession) -> None:
        """Put the session token on ``request`` (default: ``Authorization: Bearer``)."""
        request.headers["Authorization"] = f"Bearer {session.token}"

    # RefreshingAuth ------------------------------------------------------------------------------------
    def obtain(self) -> Obtain[LoginSession]:
        session = yield from self.login()
        self.register_secret(session.token)
        return session

    def expires_at(self, credential: LoginSession) -> float | None:
        return credential.expires_at

    def apply(self, request: requests.PreparedRequest, credential: LoginSession) -> requests.PreparedRequest:
        url = request.url or ""
        if url.startswith(SESSION_BASE_URL):
            if not credential.base_url:
                raise InternalError(
                    f"{self.system}: the login returned no base URL and the HTTP client has none, so "
                    f"{describe_request(request.method or 'GET', url)} has nowhere to go. Pass base_url to the "
                    "HttpClient or return it from login()."
                )
            request.url = credential.base_url.rstrip("/") + url[len(SESSION_BASE_URL) :]
        self.apply_token(request, credential)
        return request

    @property
    def session(self) -> LoginSession | None:
        return self.current()[0]

    # helpers for login() ---------------------------------------------------------------------------------
    def json_of(self, response: requests.Response, what: str) -> Any:
        """The JSON body of a login hop, or a clear error naming the hop (``what``)."""
        return self.answer_json(
            response,
            what=what,
            refused_advice=(
                "The login failed: check the username, password and client credentials in the connector config."
            ),
            empty=b"null",
        )
