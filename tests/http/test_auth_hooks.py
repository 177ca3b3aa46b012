"""The hooks that let a connector keep its API's OAuth quirks on the SDK's refresh-token flow (as source-zoho
does): which 401s renew, connector-worded token errors, throttled refreshes, early renewal of short-lived tokens."""

from __future__ import annotations

import pytest
import requests
from http_toolkit_sandbox import Clock, Sleeps, ToolkitSandbox, oauth
from staffwire.auth import OAuth2RefreshTokenAuth
from staffwire.errors import ConfigError, TransientError
from staffwire.http import AuthenticationError, HttpClient, RetryPolicy
from staffwire.http.errors import RateLimitedError

TOKEN = "/oauth/token"
ITEMS = "/api/items"


def client_for(sandbox: ToolkitSandbox, auth: OAuth2RefreshTokenAuth, sleeps: Sleeps) -> HttpClient:
    return HttpClient(
        sandbox.url, system="Toolkit", auth=auth, retry=RetryPolicy(base_delay=0.001, jitter=0, sleep=sleeps)
    )


def body_code(response: requests.Response) -> str | None:
    try:
        return str(response.json().get("code"))
    except ValueError:
        return None


# ----------------------------------------------------------------------------------------------- renew_when
@pytest.mark.parametrize(
    ("code", "renewed"),
    [("TOKEN_EXPIRED", True), ("SCOPE_MISSING", False)],
    ids=["expired-token-renews", "missing-scope-does-not"],
)
def test_renew_when_decides_which_401_answers_renew_the_token(
    sandbox: ToolkitSandbox, sleeps: Sleeps, code: str, renewed: bool
) -> None:
    auth = oauth(sandbox, renew_when=lambda r: r.status_code == 401 and body_code(r) == "TOKEN_EXPIRED")
    sandbox.faults.server_error(ITEMS, status=401, body={"code": code}, times=1)
    client = client_for(sandbox, auth, sleeps)
    if renewed:
        assert len(client.get_json(ITEMS)["data"]) == 10
        assert [(r.path, r.status) for r in sandbox.log] == [
            (TOKEN, 200),
            (ITEMS, 401),
            (TOKEN, 200),
            (ITEMS, 200),
        ]
    else:
        with pytest.raises(AuthenticationError, match=rf'"{code}"'):
            client.get_json(ITEMS)
        assert [(r.path, r.status) for r in sandbox.log] == [(TOKEN, 200), (ITEMS, 401)]


def test_without_renew_when_every_401_renews_once(sandbox: ToolkitSandbox, sleeps: Sleeps) -> None:
    sandbox.faults.server_error(ITEMS, status=401, body={"code": "SCOPE_MISSING"}, times=1)
    client_for(sandbox, oauth(sandbox), sleeps).get_json(ITEMS)
    assert [(r.path, r.status) for r in sandbox.log] == [
        (TOKEN, 200),
        (ITEMS, 401),
        (TOKEN, 200),
        (ITEMS, 200),
    ]


# -------------------------------------------------------------------------------------------- token_failure
def test_token_failure_raises_the_connectors_own_error(sandbox: ToolkitSandbox, sleeps: Sleeps) -> None:
    def failure(response: requests.Response) -> Exception | None:
        if response.json().get("error") == "invalid_code":
            return ConfigError(
                "Toolkit rejected the refresh token: generate a new one and update refresh_token."
            )
        return None

    sandbox.error_in_200 = True
    with pytest.raises(ConfigError) as caught:
        client_for(sandbox, oauth(sandbox, token_failure=failure), sleeps).get_json(ITEMS)
    assert type(caught.value) is ConfigError
    assert (
        str(caught.value)
        == "Toolkit rejected the refresh token: generate a new one and update refresh_token."
    )
    assert [r.path for r in sandbox.log] == [TOKEN]


def test_token_failure_returning_none_leaves_the_answer_to_the_default_reading(
    sandbox: ToolkitSandbox, sleeps: Sleeps
) -> None:
    seen: list[int] = []

    def failure(response: requests.Response) -> Exception | None:
        seen.append(response.status_code)
        return None

    auth = oauth(sandbox, token_failure=failure)
    client = client_for(sandbox, auth, sleeps)
    assert len(client.get_json(ITEMS)["data"]) == 10
    sandbox.error_in_200 = True
    auth.invalidate()
    with pytest.raises(AuthenticationError, match=r"^Toolkit refused the refresh token .*\(invalid_code\)"):
        client.get_json(ITEMS)
    assert seen == [200, 200]


# ---------------------------------------------------------------------------------------- throttled refreshes
SLOW_DOWN = {"error": "Access Denied", "error_description": "too many requests"}


def slowed(response: requests.Response) -> bool:
    return response.status_code == 400 and response.json().get("error") == "Access Denied"


def test_a_throttled_token_request_is_retried_after_the_throttle_backoff(
    sandbox: ToolkitSandbox, sleeps: Sleeps
) -> None:
    throttle = RetryPolicy(max_attempts=3, base_delay=0.5, jitter=0, sleep=sleeps)
    auth = oauth(sandbox, throttled=slowed, throttle=throttle)
    sandbox.faults.server_error(TOKEN, status=400, body=SLOW_DOWN, times=2)
    assert len(client_for(sandbox, auth, sleeps).get_json(ITEMS)["data"]) == 10
    assert [(r.path, r.status) for r in sandbox.log] == [
        (TOKEN, 400),
        (TOKEN, 400),
        (TOKEN, 200),
        (ITEMS, 200),
    ]
    assert sleeps == [0.5, 1.0]


def test_a_refresh_throttled_beyond_its_attempts_is_a_transient_rate_limit_error(
    sandbox: ToolkitSandbox, sleeps: Sleeps
) -> None:
    throttle = RetryPolicy(max_attempts=3, base_delay=0.5, jitter=0, sleep=sleeps)
    auth = oauth(sandbox, throttled=slowed, throttle=throttle)
    sandbox.faults.server_error(TOKEN, status=400, body=SLOW_DOWN, times=None)
    with pytest.raises(RateLimitedError) as caught:
        client_for(sandbox, auth, sleeps).get_json(ITEMS)
    assert isinstance(caught.value, TransientError)
    assert str(caught.value) == (
        "Toolkit refused to issue an access token: too many token requests in a short time (POST /oauth/token, 3 "
        "attempts). Wait a few minutes and run again; do not run many syncs with the same refresh token at once."
    )
    assert (caught.value.request, caught.value.status) == ("POST /oauth/token", 400)
    assert [r.path for r in sandbox.log] == [TOKEN] * 3
    assert sleeps == [0.5, 1.0]


def test_without_throttled_a_400_from_the_token_endpoint_is_not_retried(
    sandbox: ToolkitSandbox, sleeps: Sleeps
) -> None:
    sandbox.faults.server_error(TOKEN, status=400, body=SLOW_DOWN, times=None)
    with pytest.raises(AuthenticationError):
        client_for(sandbox, oauth(sandbox), sleeps).get_json(ITEMS)
    assert [r.path for r in sandbox.log] == [TOKEN]


# ------------------------------------------------------------------------------------------- early renewal
@pytest.mark.parametrize(
    ("ttl", "renews_after"),
    [(600, 540.0), (100, 50.0)],
    ids=["margin-before-expiry", "half-way-through-a-short-lifetime"],
)
def test_a_token_is_renewed_at_the_margin_or_half_way_whichever_comes_later(
    sandbox: ToolkitSandbox, sleeps: Sleeps, ttl: int, renews_after: float
) -> None:
    clock = Clock()
    sandbox.token_ttl = ttl
    client = client_for(sandbox, oauth(sandbox, clock=clock, expiry_margin=60), sleeps)
    client.get_json(ITEMS)
    clock.now += renews_after - 0.1
    client.get_json(ITEMS)
    clock.now += 0.1
    client.get_json(ITEMS)
    assert [r.path for r in sandbox.log] == [TOKEN, ITEMS, ITEMS, TOKEN, ITEMS]


def test_a_zero_expires_in_is_read_as_the_default_lifetime(sandbox: ToolkitSandbox, sleeps: Sleeps) -> None:
    clock = Clock()
    sandbox.token_ttl = 0
    auth = oauth(sandbox, clock=clock, default_expires_in=1000, expiry_margin=60)
    client = client_for(sandbox, auth, sleeps)
    for _ in range(3):
        client.get_json(ITEMS)
    clock.now += 940
    client.get_json(ITEMS)
    assert [r.path for r in sandbox.log] == [TOKEN, ITEMS, ITEMS, ITEMS, TOKEN, ITEMS]
