"""No secret in any error text: tokens in query strings, in echoed error bodies, in connection errors."""

from __future__ import annotations

import pytest
from http_toolkit_sandbox import CLIENT_SECRET, Sleeps, ToolkitSandbox, oauth
from staffwire.auth import ApiKeyAuth
from staffwire.http import ClientError, ConnectError, HttpClient, RetryPolicy
from staffwire.secrets import SecretMasker

KEY = "key-0123456789abcdef"


def everything_said(error: BaseException) -> str:
    parts = [str(error), repr(error.args)]
    for name in ("message", "internal_message", "request", "path"):
        parts.append(str(getattr(error, name, "")))
    return "\n".join(parts)


@pytest.mark.parametrize("location", ["query", "header"])
def test_an_api_echoing_the_key_in_its_error_never_leaks_it(sandbox: ToolkitSandbox, location: str) -> None:
    masker = SecretMasker()
    client = HttpClient(
        sandbox.url,
        system="Toolkit",
        masker=masker,
        auth=ApiKeyAuth(KEY, name="api_key" if location == "query" else "X-API-Key", location=location),
    )
    with pytest.raises(ClientError) as caught:
        client.get_json("/echo-error")
    said = everything_said(caught.value)
    assert KEY not in said
    assert "****" in str(caught.value)
    assert str(caught.value).startswith('Toolkit rejected GET /echo-error (HTTP 400): "invalid key ')


def test_a_secret_in_the_query_string_stays_out_of_the_message(client: HttpClient) -> None:
    with pytest.raises(ClientError) as caught:
        client.get_json(
            "/status/400", params={"client_secret": CLIENT_SECRET, "token": "unregistered-token-xyz"}
        )
    said = everything_said(caught.value)
    assert CLIENT_SECRET not in said and "unregistered-token-xyz" not in said
    assert caught.value.request == "GET /status/400"


def test_a_connection_error_does_not_repeat_the_url_query(sleeps: Sleeps) -> None:
    client = HttpClient(
        "http://127.0.0.1:9",
        system="Toolkit",
        masker=SecretMasker([KEY]),
        retry=RetryPolicy(max_attempts=1, sleep=sleeps),
    )
    with pytest.raises(ConnectError) as caught:
        client.get_json(f"/items?api_key={KEY}&other=unregistered-token-xyz")
    said = everything_said(caught.value)
    assert KEY not in said and "unregistered-token-xyz" not in said


def test_an_access_token_obtained_at_run_time_and_echoed_back_is_masked(
    sandbox: ToolkitSandbox, sleeps
) -> None:
    auth = oauth(sandbox, header="X-API-Key", prefix="")
    client = HttpClient(sandbox.url, system="Toolkit", auth=auth, retry=RetryPolicy(sleep=sleeps))
    with pytest.raises(ClientError) as caught:
        client.get_json("/echo-error")
    token = auth.access_token
    assert token and token not in everything_said(caught.value)
    assert str(caught.value).startswith(
        'Toolkit rejected GET /echo-error (HTTP 400): "invalid key None for ****".'
    )
