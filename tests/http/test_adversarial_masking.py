"""Issue 16, secrets L1-L6 at the SDK's depth: a secret is masked in every form it can take, before any cut.

L1: a token answer cut short quotes no live token. L3: a secret straddling the excerpt's cut is not half printed.
L4: collapsing whitespace does not defeat masking. L5: a password in a URL is a secret. L6: the percent-encoded
form of a token in a URL path is masked. R1: a cut-off or HTML token answer is retried like a 503.
"""

from __future__ import annotations

import orjson
import pytest
import requests
from http_toolkit_sandbox import Sleeps, ToolkitSandbox, oauth
from staffwire.http import BadResponseError, ClientError, HttpClient, RetryPolicy, api_error_text
from staffwire.secrets import SecretMasker, mask_token_shaped, secrets_in_config, token_shaped

PASSWORD = "Demo  Pass\tword!"


def answer(body: bytes, status: int = 400, content_type: str = "application/json") -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body
    response.headers["Content-Type"] = content_type
    return response


def test_a_secret_straddling_the_excerpt_cut_is_masked_whole() -> None:
    secret = "Demo-Password-0123456789"
    body = ("x" * 295 + secret + " tail").encode()  # the secret starts 5 characters before the 300th
    text = api_error_text(answer(body, content_type="text/plain"), SecretMasker([secret]))
    assert "Demo-Pas" not in text and "0123456789" not in text
    assert text == "x" * 295 + "**** ..."


def test_a_cut_never_leaves_part_of_the_mask() -> None:
    secret = "Demo-Password-0123456789"
    body = ("x" * 298 + secret).encode()
    assert (
        api_error_text(answer(body, content_type="text/plain"), SecretMasker([secret])) == "x" * 298 + "..."
    )


@pytest.mark.parametrize(
    "echoed",
    [PASSWORD, "Demo Pass word!", "Demo\n\nPass  word!", orjson.dumps(PASSWORD).decode()[1:-1]],
    ids=["raw", "whitespace-collapsed", "newlines", "json-escaped"],
)
def test_collapsing_whitespace_does_not_defeat_masking(echoed: str) -> None:
    masker = SecretMasker([PASSWORD])
    text = api_error_text(
        answer(f"login failed for password {echoed} !".encode(), content_type="text/plain"), masker
    )
    assert text == "login failed for password **** !"
    assert masker.mask(f"[{echoed}]") == "[****]"


def test_a_secret_echoed_in_a_json_error_field_with_collapsed_whitespace_is_masked() -> None:
    body = orjson.dumps({"error": {"message": "bad password Demo Pass word!"}})
    assert api_error_text(answer(body), SecretMasker([PASSWORD])) == "bad password ****"


def test_the_password_of_a_url_in_any_config_field_is_a_secret() -> None:
    config = {
        "api_url": "http://admin:UrlPw-Secret-123@127.0.0.1:1",
        "nested": [{"u": "https://u:p%40ss-word@x.io"}],
    }
    assert secrets_in_config({"properties": {}}, config) == ["UrlPw-Secret-123", "p@ss-word"]
    masker = SecretMasker(secrets_in_config({"properties": {}}, config))
    assert (
        masker.mask("GET http://admin:UrlPw-Secret-123@127.0.0.1:1/x")
        == "GET http://admin:****@127.0.0.1:1/x"
    )
    assert masker.mask("https://u:p%40ss-word@x.io") == "https://u:****@x.io"


def test_a_registered_url_masks_its_password_too() -> None:
    masker = SecretMasker(["http://admin:UrlPw-Secret-123@127.0.0.1:1"])
    assert masker.mask("password UrlPw-Secret-123") == "password ****"


def test_a_token_in_a_url_path_is_masked_in_its_percent_encoded_form() -> None:
    token = "tok/ä+x y"
    masker = SecretMasker([token])
    encoded = requests.utils.quote(token, safe="")
    assert encoded == "tok%2F%C3%A4%2Bx%20y"
    assert masker.mask(f"PUT /users/{encoded}/x") == "PUT /users/****/x"


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        (
            '{"access_token":"1000.8f3c2a9e1d7b4c6a.77aa01","expires_in":3600',
            ["1000.8f3c2a9e1d7b4c6a.77aa01"],
        ),
        ('{"BhRestToken":"a1b2c3d4-e5f6-4711-8899-aabbccddeeff"}', ["a1b2c3d4-e5f6-4711-8899-aabbccddeeff"]),
        ('{"api_domain":"https://www.zohoapis.com","token_type":"Bearer"}', []),
        ("<html><body>Service Temporarily Unavailable</body></html>", []),
    ],
)
def test_token_shaped_values_are_found_and_plain_words_and_hosts_are_not(
    text: str, tokens: list[str]
) -> None:
    assert token_shaped(text) == tokens
    for token in tokens:
        assert token not in mask_token_shaped(text)


def test_a_token_answer_cut_short_quotes_no_live_token(sandbox: ToolkitSandbox) -> None:
    # L1: every attempt is cut short, so the error quotes the last bytes of an answer that was never parsed
    sandbox.faults.truncate("/oauth/token", times=None)
    masker = SecretMasker()
    auth = oauth(sandbox)
    auth.restart = RetryPolicy(max_attempts=2, sleep=Sleeps())  # started over once (a flow may choose to)
    client = HttpClient(
        sandbox.url,
        system="Toolkit",
        auth=auth,
        masker=masker,
        retry=RetryPolicy(max_attempts=2, sleep=Sleeps()),
    )
    with pytest.raises(BadResponseError) as caught:
        client.get_json("/api/items")
    issued = [t for t in sandbox.access._tokens]
    assert len(issued) == 4  # two exchanges of two attempts: all live, none printed
    message = caught.value.message
    assert message == (
        "Toolkit answered truncated or invalid JSON for POST /oauth/token (HTTP 200, 44 bytes, ending "
        '\'{"access_token":"****\'). The answer was probably cut off: try again later.'
    )
    for token in issued:
        assert token[:12] not in message
    # the quoted answer's token (the last one issued) is registered: masked from now on, wherever it shows
    assert masker.mask(f"later {issued[-1]}").startswith("later ****")
    assert caught.value.failure_type.value == "transient_error"


@pytest.mark.parametrize("fault", ["truncate", "html"])
def test_one_cut_off_or_html_token_answer_is_retried_like_a_503(sandbox: ToolkitSandbox, fault: str) -> None:
    # R1
    getattr(sandbox.faults, fault)("/oauth/token", times=1)
    sleeps = Sleeps()
    client = HttpClient(
        sandbox.url,
        system="Toolkit",
        auth=oauth(sandbox),
        retry=RetryPolicy(base_delay=0.5, jitter=0.0, sleep=sleeps),
    )
    assert len(client.get_json("/api/items")["data"]) == 10
    assert [r.path for r in sandbox.log] == ["/oauth/token", "/oauth/token", "/api/items"]
    assert sleeps == [0.5]


def test_a_caller_request_answering_html_is_not_retried_by_the_auth_rule(sandbox: ToolkitSandbox) -> None:
    sandbox.faults.html("/status/400", times=1)
    client = HttpClient(sandbox.url, system="Toolkit", retry=RetryPolicy(max_attempts=1, sleep=Sleeps()))
    with pytest.raises(BadResponseError):
        client.get_json("/status/400")
    assert len(sandbox.log) == 1


def test_an_error_body_of_a_plain_request_is_masked_before_it_is_parsed(sandbox: ToolkitSandbox) -> None:
    masker = SecretMasker(["key-0123456789abcdef"])
    client = HttpClient(sandbox.url, system="Toolkit", masker=masker)
    with pytest.raises(ClientError) as caught:
        client.get_json("/echo-error", params={"api_key": "key-0123456789abcdef"})
    assert "0123456789abcdef" not in caught.value.message


def test_a_huge_secret_is_masked_in_every_form_without_a_pattern() -> None:
    secret = "t/" * 5000 + "ä"  # 10,001 characters: replaced literally, not compiled into the pattern
    masker = SecretMasker([secret, "short-secret-1"])
    encoded = requests.utils.quote(secret, safe="")
    assert masker.mask(f"a {secret} b {encoded} c short-secret-1") == "a **** b **** c ****"
    assert f"x{secret}" in masker and "nothing" not in masker
