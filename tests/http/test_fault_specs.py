"""Fault switches written as text (`staffwire sandbox run --fault`, the admin route): each kind does what the
toolkit's switch does, table-driven; bad specs say what is allowed."""

from __future__ import annotations

import base64

import pytest
import requests
from http_toolkit_sandbox import ToolkitSandbox
from staffwire.auth import BasicAuth
from staffwire.http import HttpClient
from staffwire.secrets import SecretMasker
from staffwire.testing.faults import FaultSpecError, parse_fault_spec


@pytest.mark.parametrize(
    ("spec", "status", "headers"),
    [
        ("rate-limit@/items,retry-after=7", 429, {"Retry-After": "7"}),
        ("rate-limit@/items", 429, {}),
        ("server-error@/items,status=503,retry-after=2", 503, {"Retry-After": "2"}),
        ("server-error@/items", 500, {}),
        ("html@/items", 200, {"Content-Type": "text/html; charset=utf-8"}),
    ],
)
def test_a_status_fault_spec_answers_as_the_toolkit_switch_does(
    sandbox: ToolkitSandbox, spec: str, status: int, headers: dict[str, str]
) -> None:
    sandbox.switch_on(spec)
    first = requests.get(sandbox.url + "/items", timeout=5)
    assert first.status_code == status
    assert {k: first.headers.get(k) for k in headers} == headers
    assert requests.get(sandbox.url + "/items", timeout=5).json()["total"] == 95  # times=1 by default


def test_truncate_short_pages_and_after_take_effect(sandbox: ToolkitSandbox) -> None:
    sandbox.switch_on("short-pages@/items,max=2,times=forever")
    sandbox.switch_on("truncate@/items,after=1")
    assert len(requests.get(sandbox.url + "/items", timeout=5).json()["data"]) == 2
    cut = requests.get(sandbox.url + "/items", timeout=5)
    with pytest.raises(ValueError):
        cut.json()


def test_a_dropped_connection_after_a_write_applies_the_write(sandbox: ToolkitSandbox) -> None:
    sandbox.switch_on("drop-after-write@/things,method=POST")
    with pytest.raises(requests.ConnectionError):
        requests.post(sandbox.url + "/things", json={"name": "x"}, timeout=5)
    assert len(sandbox.created) == 1


def test_expire_tokens_limits_every_token_book(sandbox: ToolkitSandbox) -> None:
    assert sandbox.switch_on("expire-tokens,uses=1") == "tokens and sessions expire after 1 uses"
    token = sandbox.access.issue()
    assert sandbox.access.use(token) is not None and sandbox.access.use(token) is None
    assert sandbox.issued_tokens() == [token]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            "boom",
            "unknown fault kind 'boom' in 'boom'; kinds: rate-limit, server-error, drop, drop-after-write, "
            "slow, truncate, html, short-pages, expire-tokens",
        ),
        (
            "slow@/x,speed=2",
            "fault 'slow' takes the options times=, after=, method=, delay= (got 'speed=2' in "
            "'slow@/x,speed=2')",
        ),
        ("drop@/x,times=often", "option times of 'drop@/x,times=often' must be a number, got 'often'"),
        (
            "html@(",
            "the path of 'html@(' is not a regular expression: missing ), unterminated subpattern at "
            "position 0",
        ),
    ],
)
def test_a_bad_fault_spec_says_what_is_allowed(spec: str, message: str) -> None:
    with pytest.raises(FaultSpecError) as caught:
        parse_fault_spec(spec)
    assert str(caught.value) == message


def test_the_base64_form_a_basic_auth_header_carries_is_masked(sandbox: ToolkitSandbox) -> None:
    masker = SecretMasker()
    HttpClient(sandbox.url, system="Toolkit", auth=BasicAuth("api.user", "pw-0123456789"), masker=masker)
    header = base64.b64encode(b"api.user:pw-0123456789").decode()
    assert masker.mask(f"Authorization: Basic {header}") == "Authorization: Basic ****"
