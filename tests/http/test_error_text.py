"""The API's own words in error messages, from the body shapes the staffing APIs use."""

from __future__ import annotations

import orjson
import pytest
import requests
from staffwire.http import api_error_text, describe_request
from staffwire.secrets import SecretMasker


def answer(body: object | bytes, content_type: str = "application/json") -> requests.Response:
    response = requests.Response()
    response.status_code = 400
    response._content = body if isinstance(body, bytes) else orjson.dumps(body)
    response.headers["Content-Type"] = content_type
    return response


@pytest.mark.parametrize(
    ("body", "text"),
    [
        # Bullhorn
        (
            {
                "errorMessage": "Bad 'BhRestToken' or timed-out.",
                "errorMessageKey": "errors.x",
                "errorCode": 401,
            },
            "Bad 'BhRestToken' or timed-out.",
        ),
        (
            {
                "errorMessage": "error persisting an entity",
                "messages": [{"detailMessage": "email is invalid"}],
            },
            "error persisting an entity",
        ),
        # Zoho API, Zoho accounts, Zoho per-record errors
        (
            {"code": "INVALID_TOKEN", "message": "invalid oauth token", "status": "error"},
            "INVALID_TOKEN: invalid oauth token",
        ),
        ({"error": "invalid_code"}, "invalid_code"),
        (
            {
                "data": [
                    {"code": "MANDATORY_NOT_FOUND", "message": "required field not found", "status": "error"}
                ]
            },
            "MANDATORY_NOT_FOUND: required field not found",
        ),
        # OAuth 2.0
        (
            {"error": "invalid_grant", "error_description": "refresh token expired"},
            "invalid_grant: refresh token expired",
        ),
        # JSON:API / problem+json / nested
        ({"errors": [{"detail": "first"}, {"detail": "second"}]}, "first; second"),
        (
            {"type": "about:blank", "title": "Bad Request", "detail": "amount must be positive"},
            "amount must be positive",
        ),
        ({"error": {"message": "nested message", "code": 17}}, "nested message"),
        # not JSON, HTML, empty
        (b"Service temporarily unavailable", "Service temporarily unavailable"),
        (b"<!DOCTYPE html><html><body>Login</body></html>", "(an HTML page)"),
        (b"", ""),
        ({"unexpected": "shape"}, '{"unexpected":"shape"}'),
    ],
)
def test_api_error_text(body: object, text: str) -> None:
    assert api_error_text(answer(body)) == text


def test_api_error_text_is_short_and_masked() -> None:
    masker = SecretMasker(["tok-secret-123"])
    assert api_error_text(answer({"message": "token tok-secret-123 expired"}), masker) == "token **** expired"
    long = api_error_text(answer(b"x" * 5000))
    assert len(long) == 303 and long.endswith("...")


@pytest.mark.parametrize(
    ("method", "url", "described"),
    [
        (
            "get",
            "https://rest9.bullhornstaffing.com/rest-services/abc/search/Candidate?query=x&BhRestToken=t",
            "GET /rest-services/abc/search/Candidate",
        ),
        (
            "POST",
            "https://accounts.zoho.com/oauth/v2/token?refresh_token=r&client_secret=s",
            "POST /oauth/v2/token",
        ),
        ("GET", "https://api.example.com", "GET /"),
        ("GET", "/relative/path?x=1#frag", "GET /relative/path"),
    ],
)
def test_describe_request_never_includes_the_query(method: str, url: str, described: str) -> None:
    assert describe_request(method, url) == described
