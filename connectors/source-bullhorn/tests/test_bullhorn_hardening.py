"""Issue 16 cases for source-bullhorn: a catalog listing a stream twice (F1), malformed saved states (F2), a
token endpoint answering cut-off or HTML (R1, L1) and sessions that die after two requests (R4)."""

from __future__ import annotations

from typing import Any

import pytest
from source_bullhorn.source import SourceBullhorn
from staffwire.testing.conformance import assert_no_secrets, run_connector

RESET = (
    "Nothing was read. Reset stream '{stream}' to read it again from the start: remove its entry from the state "
    "file (or pass [] as the state); under the runner, `staffwire sync CONNECTION_FILE --reset`."
)


def _state(stream: str, blob: Any) -> list[dict[str, Any]]:
    return [{"type": "STREAM", "stream": {"stream_descriptor": {"name": stream}, "stream_state": blob}}]


def test_a_catalog_listing_a_stream_twice_is_a_config_error_and_nothing_is_read(bullhorn: Any) -> None:
    config = bullhorn.config(entities=["Candidate"])
    catalog = bullhorn.catalog(config, ["Candidate"])
    catalog["streams"] *= 2
    result = bullhorn.run("read", config, catalog=catalog)
    assert result.exit_code == 1
    assert result.records("Candidate") == []
    assert [(e["failure_type"], e["message"]) for e in result.trace_errors] == [
        (
            "config_error",
            "the catalog lists stream 'Candidate' twice; each stream may be selected once (reading it twice "
            "would send every record twice). Remove the duplicate from the catalog.",
        )
    ]


@pytest.mark.parametrize(
    ("blob", "key", "shown", "expected"),
    [
        ({"dateLastModified": "banana"}, "dateLastModified", "'banana'", "epoch milliseconds (an integer)"),
        ({"dateLastModified": 1.5}, "dateLastModified", "1.5", "epoch milliseconds (an integer)"),
        ({"window": {"from": 0, "to": "later"}}, "window.to", "'later'", "epoch milliseconds (an integer)"),
        ({"window": {"from": 0}}, "window.to", "None", "epoch milliseconds (an integer)"),
        ({"window": [1, 2]}, "window", "[1, 2]", 'an object {"from", "to", "after_id"}'),
    ],
    ids=["banana-cursor", "float-cursor", "bad-window-end", "window-without-end", "window-not-object"],
)
def test_a_malformed_saved_state_is_a_config_error_naming_stream_key_and_reset(
    bullhorn: Any, blob: dict[str, Any], key: str, shown: str, expected: str
) -> None:
    config = bullhorn.config(entities=["Candidate"])
    result = bullhorn.read(
        config, ["Candidate"], mode="incremental", state=_state("Candidate", blob), expect_exit=1
    )
    assert result.records("Candidate") == []
    (error,) = result.trace_errors
    assert error["failure_type"] == "config_error"
    assert error["stream_descriptor"] == {"name": "Candidate"}
    assert error["message"] == (
        f"The saved state of stream 'Candidate' is invalid: its {key!r} is {shown}, not {expected}. "
        + RESET.format(stream="Candidate")
    )


@pytest.mark.parametrize("fault", ["truncate", "html"])
def test_one_cut_off_or_html_token_answer_is_retried_and_check_succeeds(bullhorn: Any, fault: str) -> None:
    getattr(bullhorn.sandbox.faults, fault)("/oauth/token", times=1)
    result = bullhorn.run("check", bullhorn.config())
    assert result.connection_status == {"status": "SUCCEEDED"}
    assert len(bullhorn.sandbox.requests_to("/oauth/token")) == 2
    assert len(bullhorn.sandbox.requests_to("/oauth/authorize")) == 2  # the spent code is not sent again


def test_a_token_endpoint_that_keeps_answering_cut_off_is_transient_and_quotes_no_token(
    bullhorn: Any,
) -> None:
    bullhorn.sandbox.faults.truncate("/oauth/token", times=None)
    result = bullhorn.run("check", bullhorn.config())
    status = result.connection_status
    assert status is not None and status["status"] == "FAILED"
    assert status["message"].startswith(
        "Bullhorn answered truncated or invalid JSON for POST /dc/east/oauth/token (HTTP 200, "
    )
    assert status["message"].endswith("). The answer was probably cut off: try again later.")
    for token in bullhorn.sandbox.issued_tokens():
        assert token not in status["message"] and token[:12] not in status["message"]


def test_sessions_that_die_after_two_requests_do_not_fail_discover(bullhorn: Any) -> None:
    bullhorn.sandbox.sessions.expire_after(2)
    result = bullhorn.run("discover", bullhorn.config(entities=["Candidate", "JobOrder", "Placement"]))
    assert result.exit_code == 0, result.trace_errors
    assert {s["name"] for s in result.catalog["streams"]} >= {"Candidate", "JobOrder", "Placement"}


def test_a_million_character_client_id_fails_check_naming_the_field(bullhorn: Any) -> None:
    # F3: an HTTP 414 used to be a system_error "likely a bug" with exit 1
    result = bullhorn.run("check", bullhorn.config(client_id="c" * 1_000_000))
    assert result.exit_code == 0
    assert result.connection_status == {
        "status": "FAILED",
        "message": "Bullhorn refused GET /dc/east/oauth/authorize (authorization): its URL is too long (HTTP 414). "
        "A value the connector sends with it comes from the config and is far too long: check the config fields "
        "(tokens, ids and names are at most a few thousand characters). Far too long for any API: config field "
        "'client_id' (1,000,000 characters).",
    }


def test_a_password_in_the_login_url_is_never_printed(bullhorn: Any) -> None:
    # L5
    config = bullhorn.config()
    config["login_info_url"] = "http://admin:UrlPw-Secret-123@127.0.0.1:1/rest-services/loginInfo"
    result = run_connector(SourceBullhorn, "check", config=config)
    assert_no_secrets(result, ["UrlPw-Secret-123"])
    assert result.connection_status is not None and result.connection_status["status"] == "FAILED"
