"""Auth flows over real HTTP: static keys, OAuth2 refresh (expiry, 401, rotation, errors), session logins."""

from __future__ import annotations

import threading
from collections.abc import Generator
from typing import Any

import pytest
import requests
from http_toolkit_sandbox import (
    CLIENT_ID,
    CLIENT_SECRET,
    PASSWORD,
    REFRESH_TOKEN,
    TOTAL,
    USER,
    Clock,
    Sleeps,
    ToolkitSandbox,
    oauth,
)
from staffwire.auth import (
    ApiKeyAuth,
    BasicAuth,
    BearerAuth,
    LoginSession,
    SessionLoginAuth,
)
from staffwire.errors import ConfigError, InternalError
from staffwire.http import AuthenticationError, HttpClient, RetryPolicy
from staffwire.paginate import OffsetPaginator
from staffwire.secrets import SecretMasker


def fast(sleeps: Sleeps) -> RetryPolicy:
    return RetryPolicy(max_attempts=3, base_delay=0.001, jitter=0, sleep=sleeps)


def read_all(client: HttpClient, path: str) -> list[int]:
    pages = client.paginate(path, paginator=OffsetPaginator(10, total_path="total"), records="data")
    return [r["id"] for page in pages for r in page]


# ----------------------------------------------------------------------------------------------- static
def test_bearer_auth_sets_the_header(sandbox: ToolkitSandbox) -> None:
    HttpClient(sandbox.url, auth=BearerAuth("tok-123456", prefix="Zoho-oauthtoken")).get_json("/items")
    assert sandbox.log[0].headers["authorization"] == "Zoho-oauthtoken tok-123456"


def test_api_key_auth_in_a_header_or_the_query(sandbox: ToolkitSandbox) -> None:
    HttpClient(sandbox.url, auth=ApiKeyAuth("key-abcdef", name="X-Key")).get_json("/items")
    HttpClient(sandbox.url, auth=ApiKeyAuth("key-abcdef", name="api_key", location="query")).get_json(
        "/items", params={"limit": 1}
    )
    assert sandbox.log[0].headers["x-key"] == "key-abcdef"
    assert sandbox.log[1].query == {"limit": ["1"], "api_key": ["key-abcdef"]}


def test_basic_auth_and_static_secrets_are_registered_with_the_masker(sandbox: ToolkitSandbox) -> None:
    masker = SecretMasker()
    HttpClient(sandbox.url, auth=BasicAuth("user", "hunter2-pass"), masker=masker).get_json("/items")
    HttpClient(sandbox.url, auth=ApiKeyAuth("key-abcdef"), masker=masker)
    assert masker.mask("hunter2-pass key-abcdef") == "**** ****"
    assert sandbox.log[0].headers["authorization"] == "Basic dXNlcjpodW50ZXIyLXBhc3M="


# ----------------------------------------------------------------------------------------------- OAuth2
def test_oauth_token_is_obtained_once_and_cached(sandbox: ToolkitSandbox, sleeps: Sleeps) -> None:
    auth = oauth(sandbox)
    client = HttpClient(sandbox.url, auth=auth, retry=fast(sleeps))
    assert read_all(client, "/api/items") == list(range(TOTAL))
    assert [r.path for r in sandbox.log].count("/oauth/token") == 1
    assert auth.renewals == 1


def test_oauth_token_is_renewed_shortly_before_it_expires(sandbox: ToolkitSandbox, sleeps: Sleeps) -> None:
    clock = Clock()
    sandbox.token_ttl = 600
    auth = oauth(sandbox, clock=clock, expiry_margin=60)
    client = HttpClient(sandbox.url, auth=auth, retry=fast(sleeps))
    client.get_json("/api/items")
    clock.now += 539
    client.get_json("/api/items")
    assert auth.renewals == 1
    clock.now += 1  # 540 s: inside the 60 s margin
    client.get_json("/api/items")
    assert auth.renewals == 2
    assert [r.path for r in sandbox.log] == [
        "/oauth/token",
        "/api/items",
        "/api/items",
        "/oauth/token",
        "/api/items",
    ]


def test_tokens_expiring_after_n_requests_are_refreshed_without_losing_or_repeating_records(
    sandbox: ToolkitSandbox, sleeps: Sleeps
) -> None:
    sandbox.access.expire_after(3)
    auth = oauth(sandbox)
    client = HttpClient(sandbox.url, auth=auth, retry=fast(sleeps))
    assert read_all(client, "/api/items") == list(range(TOTAL))  # exactly once each, in order
    # 10 pages; a token serves 3 of them, then one 401 triggers a refresh and the page is asked again
    assert auth.renewals == 4
    assert [r.status for r in sandbox.requests_to("/api/items")].count(401) == 3


def test_a_rotated_refresh_token_is_used_next_and_passed_to_the_callback(
    sandbox: ToolkitSandbox, sleeps: Sleeps
) -> None:
    sandbox.rotate = True
    rotated: list[str] = []
    masker = SecretMasker()
    auth = oauth(sandbox, on_refresh_token_rotated=rotated.append)
    client = HttpClient(sandbox.url, auth=auth, retry=fast(sleeps), masker=masker)
    client.get_json("/api/items")
    auth.invalidate()
    client.get_json("/api/items")
    assert rotated == ["refresh-rotated-0001", "refresh-rotated-0002"]
    token_requests = sandbox.requests_to("/oauth/token")
    sent = [
        dict(part.split("=") for part in r.body.decode().split("&"))["refresh_token"] for r in token_requests
    ]
    assert sent == [REFRESH_TOKEN, "refresh-rotated-0001"]
    assert masker.mask("refresh-rotated-0002") == "****"
    assert auth.refresh_token == "refresh-rotated-0002"


def test_every_access_token_obtained_is_masked(sandbox: ToolkitSandbox, sleeps: Sleeps) -> None:
    masker = SecretMasker()
    auth = oauth(sandbox)
    HttpClient(sandbox.url, auth=auth, masker=masker, retry=fast(sleeps)).get_json("/api/items")
    assert auth.access_token is not None
    assert masker.mask(f"token={auth.access_token}") == "token=****"


def test_credentials_in_the_query_string_for_zoho_style_endpoints(
    sandbox: ToolkitSandbox, sleeps: Sleeps
) -> None:
    HttpClient(sandbox.url, auth=oauth(sandbox, credentials_in="query"), retry=fast(sleeps)).get_json(
        "/api/items"
    )
    token_request = sandbox.requests_to("/oauth/token")[0]
    assert token_request.arg("refresh_token") == REFRESH_TOKEN and token_request.arg("client_id") == CLIENT_ID


def test_token_endpoint_error_hidden_in_a_200_body_is_a_config_error(
    sandbox: ToolkitSandbox, sleeps: Sleeps
) -> None:
    sandbox.error_in_200 = True
    client = HttpClient(sandbox.url, system="Zoho", auth=oauth(sandbox), retry=fast(sleeps))
    with pytest.raises(AuthenticationError) as caught:
        client.get_json("/api/items")
    assert isinstance(caught.value, ConfigError)
    assert str(caught.value) == (
        "Zoho refused the refresh token while refreshing the access token (invalid_code). The refresh token, "
        "client ID or client secret is invalid, revoked or for another data center: re-authorise the connection."
    )


def test_a_custom_hook_recognises_other_error_shapes(sandbox: ToolkitSandbox, sleeps: Sleeps) -> None:
    def token_error(body: Any) -> str | None:
        return "token type is not Bearer" if body.get("token_type") == "Bearer" else None

    client = HttpClient(sandbox.url, auth=oauth(sandbox, token_error=token_error), retry=fast(sleeps))
    with pytest.raises(AuthenticationError, match=r"\(token type is not Bearer\)"):
        client.get_json("/api/items")


def test_a_revoked_refresh_token_is_a_config_error_that_never_shows_secrets(
    sandbox: ToolkitSandbox, sleeps: Sleeps, masker: SecretMasker
) -> None:
    sandbox.refresh_tokens.clear()
    client = HttpClient(sandbox.url, system="Toolkit", auth=oauth(sandbox), retry=fast(sleeps), masker=masker)
    with pytest.raises(AuthenticationError) as caught:
        client.get_json("/api/items")
    assert str(caught.value) == (
        'Toolkit answered HTTP 400 for POST /oauth/token (refreshing the access token): "invalid_grant: refresh '
        'token is invalid". The refresh token, client ID or client secret is invalid or was revoked: re-authorise '
        "the connection to get a new refresh token."
    )
    assert REFRESH_TOKEN not in str(caught.value) and CLIENT_SECRET not in str(caught.value)
    assert len(sandbox.requests_to("/oauth/token")) == 1  # a refused grant is not retried


def test_parallel_requests_with_an_expired_token_trigger_exactly_one_refresh(
    sandbox: ToolkitSandbox, sleeps: Sleeps
) -> None:
    auth = oauth(sandbox)
    client = HttpClient(sandbox.url, auth=auth, retry=fast(sleeps), pool_size=8)
    client.get_json("/api/items")
    sandbox.access.expire_all()  # every request now sees a 401 first
    barrier = threading.Barrier(8)
    results: list[int] = []

    def worker() -> None:
        barrier.wait()
        results.append(client.get_json("/api/items", params={"limit": 1})["data"][0]["id"])

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [0] * 8
    assert len(sandbox.requests_to("/oauth/token")) == 2  # the first token, then one refresh for all eight
    assert auth.renewals == 2


# ----------------------------------------------------------------------------------------------- session login
class TwoHopLogin(SessionLoginAuth):
    def __init__(self, login_info_url: str, username: str, password: str) -> None:
        super().__init__()
        self.login_info_url = login_info_url
        self.username = username
        self.password = password

    def secrets(self) -> list[str]:
        return [self.password]

    def login(self) -> Generator[requests.PreparedRequest, requests.Response, LoginSession]:
        info = self.json_of((yield self.build("GET", self.login_info_url)), "login discovery")
        body = self.json_of(
            (
                yield self.build(
                    "POST", info["loginUrl"], json={"username": self.username, "password": self.password}
                )
            ),
            "login",
        )
        return LoginSession(token=body["sessionToken"], base_url=body["restUrl"])

    def apply_token(self, request: requests.PreparedRequest, session: LoginSession) -> None:
        request.headers["X-Session"] = session.token


def test_session_login_provides_the_token_and_the_base_url(sandbox: ToolkitSandbox, sleeps: Sleeps) -> None:
    auth = TwoHopLogin(sandbox.url + "/login-info", USER, PASSWORD)
    client = HttpClient(auth=auth, retry=fast(sleeps))
    assert client.get_json("/items", params={"limit": 2})["data"] == sandbox.items[:2]
    assert [r.path for r in sandbox.log] == ["/login-info", "/session/login", "/rest/corp7/items"]


def test_an_expired_session_is_renewed_and_the_page_asked_again_exactly_once(
    sandbox: ToolkitSandbox, sleeps: Sleeps
) -> None:
    sandbox.sessions.expire_after(4)
    auth = TwoHopLogin(sandbox.url + "/login-info", USER, PASSWORD)
    client = HttpClient(auth=auth, retry=fast(sleeps))
    assert read_all(client, "/items") == list(range(TOTAL))
    statuses = [r.status for r in sandbox.requests_to("/rest/corp7/items")]
    assert statuses.count(200) == 10 and statuses.count(401) == 2
    assert auth.renewals == 3


def test_a_failed_login_is_a_config_error_without_the_password(
    sandbox: ToolkitSandbox, sleeps: Sleeps
) -> None:
    masker = SecretMasker()
    auth = TwoHopLogin(sandbox.url + "/login-info", USER, "wrong-password-123")
    client = HttpClient(system="Toolkit", auth=auth, retry=fast(sleeps), masker=masker)
    with pytest.raises(AuthenticationError) as caught:
        client.get_json("/items")
    assert str(caught.value) == (
        'Toolkit answered HTTP 401 for POST /session/login (login): "Invalid username or password". The login '
        "failed: check the username, password and client credentials in the connector config."
    )
    assert "wrong-password-123" not in repr(caught.value.__dict__)


def test_a_login_without_a_base_url_needs_one_on_the_client(sandbox: ToolkitSandbox, sleeps: Sleeps) -> None:
    class NoBase(TwoHopLogin):
        def login(self) -> Generator[requests.PreparedRequest, requests.Response, LoginSession]:
            session = yield from super().login()
            return LoginSession(token=session.token)

    auth = NoBase(sandbox.url + "/login-info", USER, PASSWORD)
    with pytest.raises(InternalError) as caught:
        HttpClient(system="Toolkit", auth=auth, retry=fast(sleeps)).get_json("/items")
    assert str(caught.value) == (
        "Toolkit: the login returned no base URL and the HTTP client has none, so GET /items has nowhere to go. "
        "Pass base_url to the HttpClient or return it from login()."
    )
    # with a base URL on the client, the same login works
    client = HttpClient(sandbox.url + "/rest/corp7", auth=NoBase(sandbox.url + "/login-info", USER, PASSWORD))
    assert client.get_json("/items", params={"limit": 1})["data"] == sandbox.items[:1]
