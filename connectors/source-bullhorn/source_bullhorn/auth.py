"""Bullhorn's four-hop login as a Staffwire session-login flow.

1. data-center discovery: ``GET {login_info_url}?username=..``, following 307s, gives ``oauthUrl`` and ``restUrl``;
2. headless authorize: ``GET {oauthUrl}/authorize?...&action=Login`` answers 302 with the URL-encoded code in
   ``Location`` (a 200 without ``Location`` means a wrong password or terms of service never accepted);
3. token: ``POST {oauthUrl}/token`` (authorization_code; later refresh_token, single use and rotating);
4. REST login: ``GET {restUrl}/login?version=*&access_token=..&ttl=..`` gives ``BhRestToken`` and the corp
   ``restUrl`` every later call is relative to.

On 401/403 the base class renews once for all parallel requests (refresh token first, the full login if Bullhorn
refuses it -- e.g. another consumer of the same API user spent it) and retries the request. Every token, code and
refresh token is registered with the masker the moment it arrives.

Across processes: ``session=`` starts with the REST session of an earlier process (used until it expires),
``refresh_token=`` with its single-use refresh token (then only discovery, the refresh and the REST login run, not
the password login), and ``on_login=`` receives every new session with the refresh token that comes with it, for
the connector to emit in a CONTROL config message (see :mod:`staffwire.token_fields`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import orjson
import requests
from staffwire.auth.refreshing import Obtain
from staffwire.auth.session import LoginSession, SessionLoginAuth
from staffwire.errors import ConfigError
from staffwire.http.errors import AuthenticationError, error_for_response, json_body
from staffwire.urls import plain_http_allowed

__all__ = ["BullhornLogin"]

SYSTEM = "Bullhorn"
_MAX_REDIRECTS = 5


def check_url(url: str, what: str) -> str:
    """A URL Bullhorn named for the next hop: https://, or plain http:// to a loopback host (sandboxes, tests)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{what} must be an absolute https:// URL, got {url!r}")
    if not plain_http_allowed(url):
        raise ValueError(
            f"{what} must use https:// ({url!r} uses plain http://, which is accepted only for loopback hosts)"
        )
    return url


def _base(url: str) -> str:
    """Bullhorn's URLs come with or without ``/authorize`` and trailing slashes: normalise to the bare base."""
    url = url.strip().rstrip("/")
    if url.endswith("/authorize"):
        url = url[: -len("/authorize")]
    return url.rstrip("/")


def _body(response: requests.Response) -> Any:
    try:
        return orjson.loads(response.content or b"null")
    except orjson.JSONDecodeError:
        return None


class BullhornLogin(SessionLoginAuth):
    """``BullhornLogin(client_id, client_secret, username, password, login_info_url, ttl_minutes)``."""

    system = SYSTEM

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        username: str,
        password: str,
        login_info_url: str,
        ttl_minutes: int = 60,
        refresh_token: str | None = None,
        session: LoginSession | None = None,
        on_login: Callable[[LoginSession, str | None], None] | None = None,
    ) -> None:
        super().__init__()
        self.client_id = client_id
        self.client_secret = client_secret
        self.username = username
        self.password = password
        self.login_info_url = login_info_url
        self.ttl_minutes = ttl_minutes
        self.oauth_url: str | None = None
        self.rest_login_url: str | None = None
        self.refresh_token: str | None = refresh_token
        self.on_login = on_login
        if session is not None:
            self._credential = session
        self.logins = 0
        self.refreshes = 0
        self._state_lock = threading.Lock()

    def secrets(self) -> list[str]:
        seeded = [self.refresh_token, self._credential.token if self._credential else None]
        return [s for s in (self.client_secret, self.password, *seeded) if s]

    def apply_token(self, request: requests.PreparedRequest, session: LoginSession) -> None:
        request.headers["BhRestToken"] = session.token

    def _answer(self, response: requests.Response) -> Any:
        """A token or login answer's JSON; a 2xx answer still cut off or HTML after the client's retries is a
        transient BadResponseError (its token-shaped values masked), not a verdict on the credentials."""
        if response.status_code >= 400:
            return _body(response)
        return json_body(response, system=SYSTEM, masker=self.masker, auth_answer=True)

    # ------------------------------------------------------------------------------------------- flow
    def login(self) -> Obtain[LoginSession]:
        access: str | None = None
        if self.refresh_token:
            if self.oauth_url is None or self.rest_login_url is None:
                yield from self._discover()
            access = yield from self._refresh()
        if access is None:
            if self.oauth_url is None or self.rest_login_url is None:
                yield from self._discover()
            code = yield from self._authorize()
            access = yield from self._token({"grant_type": "authorization_code", "code": code})
        session = yield from self._rest_login(access)
        if self.on_login is not None:
            self.on_login(session, self.refresh_token)
        return session

    def _discover(self) -> Obtain[None]:
        url = self.login_info_url
        response: requests.Response | None = None
        for _ in range(_MAX_REDIRECTS + 1):
            response = yield self.build("GET", url, params={"username": self.username}, expect_json=True)
            if response.status_code in (301, 302, 303, 307, 308) and response.headers.get("Location"):
                url = urljoin(url, response.headers["Location"])
                url = url.split("?", 1)[0]  # the username goes in params again
                continue
            break
        assert response is not None
        where = f"the data-center discovery at {self.login_info_url}"
        if response.status_code >= 400:
            error = error_for_response(
                response, system=SYSTEM, masker=self.masker, what="data-center discovery", auth_answer=True
            )
            raise ConfigError(
                f"{SYSTEM}: {where} answered HTTP {response.status_code}. Check login_info_url (Bullhorn's is "
                "https://rest.bullhornstaffing.com/rest-services/loginInfo) and the username.",
                internal_message=error.message,
                request=f"GET {urlsplit(url).path}",
                status=response.status_code,
            )
        body = _body(response)
        if not isinstance(body, dict) or not body.get("oauthUrl") or not body.get("restUrl"):
            raise ConfigError(
                f"{SYSTEM}: {where} did not answer like Bullhorn's loginInfo (no oauthUrl and restUrl in the answer). "
                "Check login_info_url: it must point at Bullhorn's rest-services/loginInfo endpoint.",
                request=f"GET {urlsplit(url).path}",
                status=response.status_code,
            )
        try:
            self.oauth_url = check_url(_base(str(body["oauthUrl"])), "Bullhorn's oauthUrl")
            self.rest_login_url = check_url(_base(str(body["restUrl"])), "Bullhorn's restUrl")
        except ValueError as exc:
            raise ConfigError(f"{SYSTEM}: {where} named an unusable URL: {exc}.") from None

    def _authorize(self) -> Obtain[str]:
        url = f"{self.oauth_url}/authorize"
        params = {
            "client_id": self.client_id,
            "response_type": "code",
            "action": "Login",
            "username": self.username,
            "password": self.password,
        }
        response = yield self.build("GET", url, params=params)
        request = f"GET {urlsplit(url).path}"
        location = response.headers.get("Location")
        if response.status_code in (301, 302, 303, 307) and location:
            code = parse_qs(urlsplit(location).query).get("code", [None])[0]
            if code:
                self.register_secret(code)
                return code
            raise ConfigError(
                f"{SYSTEM} redirected the authorization request without a code (error: "
                f"{parse_qs(urlsplit(location).query).get('error', ['unknown'])[0]}). Check client_id and that the "
                "API user is allowed to use this OAuth client.",
                request=request,
            )
        if response.status_code == 200:
            page = response.content.decode("utf-8", "replace").lower()
            if "invalid credentials" in page or ("password" in page and "invalid" in page):
                raise ConfigError(
                    f"{SYSTEM} refused the login of user '{self.username}': the username or password is wrong. "
                    "Check username and password in the connector config.",
                    request=request,
                    status=200,
                )
            raise ConfigError(
                f"{SYSTEM} did not issue an authorization code for user '{self.username}' (HTTP 200 without a "
                "redirect). The API user must log in once in a browser to accept Bullhorn's terms of service; "
                "then run the connection again.",
                request=request,
                status=200,
            )
        body = _body(response)
        error = body.get("error") if isinstance(body, dict) else None
        if error == "invalid_client" or response.status_code in (400, 401):
            raise ConfigError(
                f"{SYSTEM} does not know the OAuth client id '{self.client_id}' ({request} answered HTTP "
                f"{response.status_code}). Check client_id in the connector config.",
                request=request,
                status=response.status_code,
            )
        raise error_for_response(
            response, system=SYSTEM, masker=self.masker, what="authorization", auth_answer=True
        )

    def _token(self, grant: dict[str, str]) -> Obtain[str]:
        url = f"{self.oauth_url}/token"
        params = {**grant, "client_id": self.client_id, "client_secret": self.client_secret}
        # a single-use code: a lost answer is not sent again but restarts the login (RefreshingAuth.restart)
        response = yield self.build("POST", url, params=params)
        body = self._answer(response)
        request = f"POST {urlsplit(url).path}"
        if response.status_code >= 400 or not isinstance(body, dict) or not body.get("access_token"):
            error = body.get("error") if isinstance(body, dict) else None
            if error == "invalid_client":
                raise ConfigError(
                    f"{SYSTEM} refused the OAuth client credentials ({request} answered invalid_client). Check "
                    "client_id and client_secret in the connector config.",
                    request=request,
                    status=response.status_code,
                )
            raise AuthenticationError(
                f"{SYSTEM} refused the token request ({request}, HTTP {response.status_code}, "
                f"{error or 'no access token in the answer'}). Check client_id and client_secret.",
                system=SYSTEM,
                method="POST",
                path=urlsplit(url).path,
                status=response.status_code,
            )
        self.register_secret(body["access_token"])
        refresh = body.get("refresh_token")
        if refresh:
            self.register_secret(refresh)
        with self._state_lock:
            self.refresh_token = refresh
        return str(body["access_token"])

    def _refresh(self) -> Obtain[str | None]:
        """Spend the single-use refresh token; None when Bullhorn refuses it (then the full login runs)."""
        token, self.refresh_token = self.refresh_token, None
        url = f"{self.oauth_url}/token"
        params = {
            "grant_type": "refresh_token",
            "refresh_token": token or "",
            "client_id": self.client_id,
            "client_secret": self.client_secret,
        }
        response = yield self.build("POST", url, params=params)  # single use: never sent twice
        body = _body(response)
        if response.status_code >= 400 or not isinstance(body, dict) or not body.get("access_token"):
            return None
        self.refreshes += 1
        self.register_secret(body["access_token"])
        if body.get("refresh_token"):
            self.register_secret(body["refresh_token"])
            self.refresh_token = body["refresh_token"]
        return str(body["access_token"])

    def _rest_login(self, access_token: str) -> Obtain[LoginSession]:
        url = f"{self.rest_login_url}/login"
        params = {"version": "*", "access_token": access_token, "ttl": str(self.ttl_minutes)}
        response = yield self.build("GET", url, params=params, expect_json=True)
        body = self._answer(response)
        if response.status_code >= 400 or not isinstance(body, dict) or not body.get("BhRestToken"):
            message = body.get("errorMessage") if isinstance(body, dict) else None
            raise AuthenticationError(
                f"{SYSTEM} refused the REST login (GET {urlsplit(url).path}, HTTP {response.status_code}"
                f"{': ' + str(message) if message else ''}). Check the API user's REST access.",
                system=SYSTEM,
                method="GET",
                path=urlsplit(url).path,
                status=response.status_code,
            )
        token = str(body["BhRestToken"])
        self.register_secret(token)
        rest_url = check_url(str(body.get("restUrl") or self.rest_login_url), "Bullhorn's restUrl")
        self.logins += 1
        expires = self.clock() + self.ttl_minutes * 60.0
        return LoginSession(token=token, base_url=rest_url.rstrip("/") + "/", expires_at=expires)
