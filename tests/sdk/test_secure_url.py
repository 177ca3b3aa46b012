"""``staffwire.spec.SecureUrl``: https:// anywhere, plain http:// only for loopback hosts; ``format: uri`` in the spec."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field, ValidationError
from staffwire.spec import SecureUrl, connection_specification
from staffwire.urls import is_loopback_host, plain_http_allowed

PLAIN_HTTP = "config field 'api_url' must use https:// (plain http:// is accepted only for loopback hosts such as 127.0.0.1)"
NOT_A_URL = "config field 'api_url' must be an absolute https:// URL such as https://api.example.com"


class Config(BaseModel):
    api_url: SecureUrl = Field(
        title="API URL", description="Base URL of the API.", examples=["https://api.x.io"]
    )
    accounts_url: SecureUrl | None = None


@pytest.mark.parametrize(
    "url",
    [
        "https://api.example.com",
        "https://api.example.com/v1/",
        "HTTPS://API.EXAMPLE.COM",
        "http://127.0.0.1:8080/api",
        "http://127.3.4.5",
        "http://localhost:9000",
        "http://LocalHost",
        "http://[::1]:8000/x",
    ],
)
def test_accepted_urls_are_kept_as_given(url: str) -> None:
    assert Config(api_url=url).api_url == url


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://api.example.com", PLAIN_HTTP),
        ("http://10.0.0.1:8080", PLAIN_HTTP),
        ("http://128.0.0.1", PLAIN_HTTP),
        ("http://[::2]", PLAIN_HTTP),
        ("http://localhost.example.com", PLAIN_HTTP),
        ("http://0.0.0.0", PLAIN_HTTP),
        ("ftp://api.example.com", NOT_A_URL),
        ("api.example.com", NOT_A_URL),
        ("https://", NOT_A_URL),
        ("", NOT_A_URL),
    ],
)
def test_rejected_urls_name_the_field(url: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Config(api_url=url)
    errors = caught.value.errors()
    assert len(errors) == 1
    assert errors[0]["loc"] == ("api_url",)
    assert errors[0]["msg"] == f"Value error, {message}"


def test_an_optional_url_may_be_missing_and_is_checked_when_given() -> None:
    assert Config(api_url="https://a.io").accounts_url is None
    with pytest.raises(ValidationError) as caught:
        Config(api_url="https://a.io", accounts_url="http://accounts.example.com")
    assert caught.value.errors()[0]["msg"] == "Value error, " + PLAIN_HTTP.replace("api_url", "accounts_url")


def test_the_spec_shows_a_uri_string_with_the_field_metadata() -> None:
    properties = connection_specification(Config)["properties"]
    assert properties["api_url"] == {
        "type": "string",
        "format": "uri",
        "title": "API URL",
        "description": "Base URL of the API.",
        "examples": ["https://api.x.io"],
        "order": 0,
    }
    assert properties["accounts_url"] == {
        "type": "string",
        "format": "uri",
        "title": "Accounts Url",
        "order": 1,
    }


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("LOCALHOST", True),
        ("127.0.0.1", True),
        ("127.255.255.254", True),
        ("::1", True),
        ("128.0.0.1", False),
        ("0.0.0.0", False),
        ("example.com", False),
        ("", False),
    ],
)
def test_is_loopback_host(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://example.com", True),
        ("http://127.0.0.1/x", True),
        ("http://example.com", False),
        ("http:///no-host", False),
    ],
)
def test_plain_http_allowed(url: str, allowed: bool) -> None:
    assert plain_http_allowed(url) is allowed
