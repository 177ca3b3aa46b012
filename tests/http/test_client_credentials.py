"""OAuth2ClientCredentialsAuth against the toolkit sandbox's client-credentials token endpoint (real HTTP)."""

from __future__ import annotations

import base64

import pytest
from http_toolkit_sandbox import CLIENT_ID, CLIENT_SECRET, Clock, ToolkitSandbox
from staffwire.auth import OAuth2ClientCredentialsAuth
from staffwire.http import AuthenticationError, HttpClient, RetryPolicy
from staffwire.secrets import SecretMasker


def _client(sandbox: ToolkitSandbox, auth: OAuth2ClientCredentialsAuth) -> HttpClient:
    policy = RetryPolicy(max_attempts=2, base_delay=0.001, jitter=0.0)
    return HttpClient(sandbox.url, system="Toolkit", auth=auth, retry=policy, masker=SecretMasker())


def _auth(sandbox: ToolkitSandbox, clock: Clock, **kwargs: object) -> OAuth2ClientCredentialsAuth:
    sandbox.client_token_clock = clock
    return OAuth2ClientCredentialsAuth(
        sandbox.url + "/oauth/client-token",
        client_id=str(kwargs.pop("client_id", CLIENT_ID)),
        client_secret=str(kwargs.pop("client_secret", CLIENT_SECRET)),
        clock=clock,
        **kwargs,  # type: ignore[arg-type]
    )


def test_the_client_authenticates_with_basic_auth_and_sends_the_grant_and_its_extras(
    sandbox: ToolkitSandbox,
) -> None:
    clock = Clock()
    with _client(sandbox, _auth(sandbox, clock, extra_params={"sub": "4080"})) as client:
        assert len(client.get_json("/api/items", params={"limit": 2})["data"]) == 2
    token_request = sandbox.requests_to("/oauth/client-token")[0]
    expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert token_request.headers["authorization"] == f"Basic {expected}"
    assert token_request.body == b"grant_type=client_credentials&sub=4080"
    api = sandbox.requests_to("/api/items")[0]
    assert api.headers["authorization"].startswith("Bearer acc-1-")


def test_an_expires_at_answer_keeps_the_token_until_shortly_before_that_moment(
    sandbox: ToolkitSandbox,
) -> None:
    clock = Clock()
    sandbox.token_ttl = 3600
    auth = _auth(sandbox, clock)
    with _client(sandbox, auth) as client:
        client.get_json("/api/items")
        clock.now += 3600 - 61  # still more than the 60 s margin left
        client.get_json("/api/items")
        assert len(sandbox.client_token_forms) == 1
        clock.now += 2  # inside the margin: renewed before use
        client.get_json("/api/items")
    assert len(sandbox.client_token_forms) == 2
    assert auth.renewals == 2


def test_a_token_the_api_no_longer_accepts_is_replaced_once_and_the_call_repeated(
    sandbox: ToolkitSandbox,
) -> None:
    sandbox.token_uses = 1
    with _client(sandbox, _auth(sandbox, Clock())) as client:
        client.get_json("/api/items")
        assert client.get_json("/api/items")["data"]
    assert len(sandbox.client_token_forms) == 2
    assert [r.status for r in sandbox.requests_to("/api/items")] == [200, 401, 200]


def test_wrong_client_credentials_are_an_authentication_error_that_says_what_to_check(
    sandbox: ToolkitSandbox,
) -> None:
    auth = _auth(sandbox, Clock(), client_secret="not-the-secret")
    with _client(sandbox, auth) as client, pytest.raises(AuthenticationError) as caught:
        client.get_json("/api/items")
    message = str(caught.value)
    assert "requesting an access token" in message
    assert message.endswith(
        "The client ID or client secret is wrong, or the credential was revoked: check them."
    )
    assert "not-the-secret" not in message


@pytest.mark.parametrize(
    ("body", "lifetime"),
    [
        ({"expires_in": 120}, 120.0),
        ({"expires_at": "1970-01-12T14:46:40Z"}, 3600.0),  # Clock starts at 1,000,000 s
        ({"expires_at": 1_000_600}, 600.0),
        ({"expires_at": "soon"}, None),
        ({"expires_at": "1970-01-12T13:48:20"}, None),  # no time zone: not trusted
        ({}, None),
    ],
)
def test_the_lifetime_comes_from_expires_in_or_expires_at(body: dict, lifetime: float | None) -> None:
    auth = OAuth2ClientCredentialsAuth("http://127.0.0.1/token", client_id="c", client_secret="s")
    assert auth.token_lifetime(body, 1_000_000.0) == lifetime
