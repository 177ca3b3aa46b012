"""source-wingspan spec, check and bad config: a readable message, the protocol's failure type, the token masked."""

from __future__ import annotations

from typing import Any

import pytest
from destination_wingspan.sandbox import DEMO_CHILD_USER_ID, DEMO_TOKEN, WingspanSandbox
from source_wingspan import SourceWingspan
from staffwire.testing.conformance import assert_conformant, run_connector
from staffwire.testing.startup import modules_loaded_by_spec


def test_spec_lists_destination_wingspans_auth_fields_first_and_marks_the_token_secret() -> None:
    result = run_connector(SourceWingspan, "spec")
    assert_conformant(result)
    spec = result.spec
    assert spec is not None
    properties = spec["connectionSpecification"]["properties"]
    assert list(properties)[:4] == ["api_token", "api_url", "acting_user_id", "collaborator_events"]
    assert properties["api_token"]["airbyte_secret"] is True
    assert spec["connectionSpecification"]["required"] == ["api_token"]
    assert spec["supportsIncremental"] is True


def test_spec_imports_nothing_that_check_discover_or_read_need() -> None:
    later = [
        "requests",
        "staffwire.http",
        "source_wingspan.api",
        "source_wingspan.changes",
        "source_wingspan.standard",
        "source_wingspan.streams",
        "destination_wingspan.api",
        "destination_wingspan.account",
        "destination_wingspan.sandbox",
    ]
    assert modules_loaded_by_spec("source_wingspan.source:SourceWingspan", later) == []


def test_check_succeeds_for_the_account_and_its_child_account(sandbox: WingspanSandbox, ws: Any) -> None:
    assert ws.run("check", ws.config(sandbox)).connection_status == {"status": "SUCCEEDED"}
    child = ws.config(sandbox, acting_user_id=DEMO_CHILD_USER_ID)
    assert ws.run("check", child).connection_status == {"status": "SUCCEEDED"}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"api_token": ""},
            "config field 'api_token' is empty: put a Wingspan API token in it (Settings > API tokens)",
        ),
        (
            {"api_token": "   "},
            "config field 'api_token' is empty: put a Wingspan API token in it (Settings > API tokens)",
        ),
        (
            {"api_token": "ws-wrong-token-0123456789"},
            "Wingspan rejected the API token (GET /users/session/token/{token} answered HTTP 403: the session is "
            "expired or the token is wrong). Create a new API token in Wingspan and put it in api_token.",
        ),
        (
            {"api_url": "http://api.wingspan.example"},
            "config field 'api_url' must use https:// (plain http:// is accepted only for loopback hosts such as "
            "127.0.0.1)",
        ),
    ],
)
def test_check_fails_with_a_message_that_says_what_to_fix(
    sandbox: WingspanSandbox, ws: Any, overrides: dict[str, Any], message: str
) -> None:
    result = ws.run("check", ws.config(sandbox, **overrides))
    assert result.exit_code == 0
    assert result.connection_status == {"status": "FAILED", "message": message}


def test_check_names_an_acting_user_the_token_may_not_act_for(sandbox: WingspanSandbox, ws: Any) -> None:
    result = ws.run("check", ws.config(sandbox, acting_user_id="SomebodyElse000000000"))
    status = result.connection_status
    assert status["status"] == "FAILED"
    assert status["message"].startswith(
        "Wingspan refused to act as user SomebodyElse000000000 (acting_user_id, sent as X-WINGSPAN-USER) for "
        "the token's user Ws7kQ2mN4pR8tV1xZ3bC5d:"
    )
    assert status["message"].endswith(
        "Use the id of an account this token may act for, or leave acting_user_id empty."
    )


def test_check_says_when_the_api_url_does_not_answer(ws: Any) -> None:
    with WingspanSandbox() as gone:
        url = gone.url
    result = ws.run("check", {"api_token": DEMO_TOKEN, "api_url": url, "max_attempts": 1})
    assert result.connection_status["status"] == "FAILED"
    assert result.connection_status["message"].startswith(f"Could not reach the Wingspan API at {url} (")
    assert result.connection_status["message"].endswith(
        "Check api_url: it should be https://api.wingspan.app (production) or https://stagingapi.wingspan.app "
        "(staging)."
    )


def test_read_with_an_empty_token_is_a_config_error_before_any_request(
    sandbox: WingspanSandbox, ws: Any
) -> None:
    catalog = ws.catalog(ws.config(sandbox), ("Payee",), "full_refresh")
    sandbox.clear_log()
    result = ws.run("read", ws.config(sandbox, api_token=""), catalog=catalog)
    assert result.exit_code == 1
    assert [(e["failure_type"], e["message"]) for e in result.trace_errors] == [
        (
            "config_error",
            "config field 'api_token' is empty: put a Wingspan API token in it (Settings > API tokens)",
        )
    ]
    assert sandbox.log == []


def test_read_with_a_wrong_token_fails_each_stream_as_a_config_error(
    sandbox: WingspanSandbox, ws: Any
) -> None:
    catalog = ws.catalog(ws.config(sandbox), ("Payee", "workers"))
    result = ws.run("read", ws.config(sandbox, api_token="ws-wrong-token-0123456789"), catalog=catalog)
    assert result.exit_code == 1
    assert [(e["failure_type"], e["message"]) for e in result.trace_errors] == [
        (
            "config_error",
            f'Stream {name}: Wingspan rejected the credentials for GET /payments/payee (HTTP 401): "Session '
            'expired". Check the credentials in the connector config (they may be wrong, expired or revoked).',
        )
        for name in ("Payee", "workers")
    ]
    assert result.stream_statuses() == {
        "Payee": ["STARTED", "INCOMPLETE"],
        "workers": ["STARTED", "INCOMPLETE"],
    }
    assert "ws-wrong-token-0123456789" not in result.output


def test_the_token_never_appears_even_when_requests_carry_it_in_the_path(
    sandbox: WingspanSandbox, ws: Any
) -> None:
    # check puts the token in the URL of GET /users/session/token/{token}; a failure there must not leak it
    sandbox.faults.server_error("/users/session/token/", times=10)
    result = ws.run("check", ws.config(sandbox, max_attempts=2))
    assert result.connection_status["status"] == "FAILED"
    assert DEMO_TOKEN not in result.output
