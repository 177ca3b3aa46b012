"""destination-wingspan spec and check: readable FAILED messages for every config mistake."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from destination_wingspan import DestinationWingspan
from destination_wingspan.sandbox import DEMO_CHILD_USER_ID, DEMO_TOKEN, WingspanSandbox
from destination_wingspan.testing import fast_config
from staffwire.testing.conformance import assert_conformant, assert_no_secrets, run_connector
from staffwire.testing.startup import modules_loaded_by_spec


def check(config: dict[str, Any]) -> dict[str, Any]:
    result = run_connector(DestinationWingspan, "check", config=config)
    assert_conformant(result)
    assert_no_secrets(result, [DEMO_TOKEN, "wrong-token-123456"])
    assert result.exit_code == 0
    return result.connection_status  # type: ignore[return-value]


def test_spec_marks_the_token_secret_and_lists_the_config_fields() -> None:
    result = run_connector(DestinationWingspan, "spec")
    assert_conformant(result)
    spec = result.spec
    assert spec is not None
    properties = spec["connectionSpecification"]["properties"]
    assert properties["api_token"]["airbyte_secret"] is True
    assert spec["connectionSpecification"]["required"] == ["api_token"]
    assert list(properties)[:6] == [
        "api_token",
        "api_url",
        "acting_user_id",
        "contractor_trigger",
        "contractor_mode",
        "contractor_labels",
    ]
    assert spec["supported_destination_sync_modes"] == ["append", "append_dedup"]


def test_check_succeeds_with_the_demo_token(sandbox: WingspanSandbox) -> None:
    assert check(fast_config(sandbox)) == {"status": "SUCCEEDED"}
    assert check(fast_config(sandbox, acting_user_id=DEMO_CHILD_USER_ID)) == {"status": "SUCCEEDED"}


def test_check_fails_readably_for_a_bad_token(sandbox: WingspanSandbox) -> None:
    status = check(fast_config(sandbox, api_token="wrong-token-123456"))
    assert status == {
        "status": "FAILED",
        "message": (
            "Wingspan rejected the API token (GET /users/session/token/{token} answered HTTP 403: the session is "
            "expired or the token is wrong). Create a new API token in Wingspan and put it in api_token."
        ),
    }


def test_check_fails_readably_for_a_wrong_acting_user(sandbox: WingspanSandbox) -> None:
    status = check(fast_config(sandbox, acting_user_id="SomebodyElse000000000"))
    assert status["status"] == "FAILED"
    assert status["message"].startswith(
        "Wingspan refused to act as user SomebodyElse000000000 (acting_user_id, sent as X-WINGSPAN-USER) for the "
        "token's user Ws7kQ2mN4pR8tV1xZ3bC5d: "
    )
    assert "Not authorized to act as user SomebodyElse000000000" in status["message"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_check_fails_readably_when_nothing_listens_at_the_api_url(sandbox: WingspanSandbox) -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    status = check(fast_config(sandbox, api_url=url, max_attempts=1))
    assert status["status"] == "FAILED"
    assert status["message"].startswith(f"Could not reach the Wingspan API at {url} (")
    assert status["message"].endswith(
        "Check api_url: it should be https://api.wingspan.app (production) or "
        "https://stagingapi.wingspan.app (staging)."
    )


def test_check_fails_readably_when_the_api_url_is_not_wingspan(sandbox: WingspanSandbox) -> None:
    status = check(fast_config(sandbox, api_url=sandbox.url + "/v2"))
    assert status["status"] == "FAILED"
    assert status["message"].startswith(
        f"Could not reach the Wingspan API at {sandbox.url}/v2 (Wingspan has "
        "nothing at GET /v2/users/session/token/"
    )


BAD_CONFIGS = [
    (
        {"api_url": "http://api.wingspan.app"},
        "config field 'api_url' must use https:// (plain http:// is accepted only for loopback hosts",
    ),
    (
        {"api_url": "ftp://example.com"},
        "config field 'api_url' must be an absolute https:// URL such as https://api.example.com",
    ),
    ({"contractor_mode": "csv"}, "contractor_mode"),
    ({"writes_per_second": 0}, "writes_per_second"),
    (
        {"contractor_trigger": {"status": "placed"}},
        "contractor_trigger.status: unknown condition key; use one of: ",
    ),
    (
        {
            "stream_mappings": [
                {
                    "stream": "placements",
                    "target": "payables",
                    "when": {"field": "pay_unit"},
                    "fields": {
                        "reference": "id",
                        "worker_id": "candidate_id",
                        "amount": {"const": 1},
                        "due_date": "x",
                    },
                }
            ]
        },
        "stream_mappings[0].when: a condition needs exactly one operator of",
    ),
    (
        {"contractor_labels": {"x": {"path": "a", "times": 2}}},
        "contractor_labels.x.times: unknown key 'times' (did you mean 'items'?)",
    ),
    (
        {"stream_mappings": [{"stream": "jobs", "target": "payables", "fields": {"amount": "rate"}}]},
        "stream_mappings[0] (jobs -> payables) must map ['reference', 'worker_id', 'due_date'].",
    ),
    ({"stream_mappings": [{"stream": "jobs", "target": "timesheets", "fields": {}}]}, "stream_mappings"),
    (
        {"stream_mappings": [{"stream": "jobs", "target": "invoices", "fields": {"reference": "id"}}]},
        "stream_mappings[0] (jobs -> invoices) must map ['client_email', 'due_date', 'amount or line_items'].",
    ),
]


@pytest.mark.parametrize(("override", "message"), BAD_CONFIGS)
def test_check_fails_readably_for_an_invalid_config(
    sandbox: WingspanSandbox, override: dict, message: str
) -> None:
    status = check({**fast_config(sandbox), **override})
    assert status["status"] == "FAILED"
    assert message in status["message"]


def test_check_fails_for_a_config_without_a_token(sandbox: WingspanSandbox) -> None:
    config = fast_config(sandbox)
    del config["api_token"]
    status = check(config)
    assert status["status"] == "FAILED"
    assert "api_token" in status["message"]


HEAVY = [
    "requests",
    "jsonschema",
    "rich",
    "yaml",
    "staffwire.http",
    "staffwire.mapping",
    "destination_wingspan.api",
]


def test_spec_imports_neither_the_http_client_nor_the_mapping_engine() -> None:
    assert modules_loaded_by_spec("destination_wingspan.run:DestinationWingspan", HEAVY) == []


def test_check_refuses_a_blank_token_before_any_request(sandbox: WingspanSandbox) -> None:
    status = check(fast_config(sandbox, api_token="  "))
    assert status == {
        "status": "FAILED",
        "message": "config field 'api_token' is empty: put a Wingspan API token in it "
        "(Settings > API tokens)",
    }
    assert sandbox.log == []
