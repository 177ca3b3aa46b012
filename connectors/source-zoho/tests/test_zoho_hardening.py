"""Issue 16 cases for source-zoho: a catalog listing a stream twice (F1), malformed saved cursors (F2: a
ValueError / AttributeError before), a token answer cut short (L1: quoted a live token) or HTML (R1: failed
without a retry)."""

from __future__ import annotations

from typing import Any

import pytest

RESET = (
    "Nothing was read. Reset stream '{stream}' to read it again from the start: remove its entry from the state "
    "file (or pass [] as the state); under the runner, `staffwire sync CONNECTION_FILE --reset`."
)


def _state(stream: str, blob: Any) -> list[dict[str, Any]]:
    return [{"type": "STREAM", "stream": {"stream_descriptor": {"name": stream}, "stream_state": blob}}]


def test_a_catalog_listing_a_stream_twice_is_a_config_error_and_nothing_is_read(
    sandbox: Any, zoho: Any
) -> None:
    config = zoho.make_config(sandbox)
    catalog = zoho.run("discover", config).catalog
    stream = next(s for s in catalog["streams"] if s["name"] == "zoho_Candidates")
    entry = {"stream": stream, "sync_mode": "full_refresh", "destination_sync_mode": "append"}
    result = zoho.run("read", config, catalog={"streams": [entry, entry]})
    assert result.exit_code == 1
    assert zoho.records(result, "zoho_Candidates") == []
    assert [(e["failure_type"], e["message"]) for e in result.trace_errors] == [
        (
            "config_error",
            "the catalog lists stream 'zoho_Candidates' twice; each stream may be selected once (reading it twice "
            "would send every record twice). Remove the duplicate from the catalog.",
        )
    ]


@pytest.mark.parametrize(
    ("blob", "key", "shown", "expected"),
    [
        ({"Modified_Time": "banana"}, "Modified_Time", "'banana'", "a date-time or epoch cursor value"),
        ({"Modified_Time": True}, "Modified_Time", "True", "a date-time or epoch cursor value"),
        (
            {"Modified_Time": "2024-01-01T00:00:00Z", "seen": ["1"]},
            "seen",
            "['1']",
            "an object of record keys and cursor values",
        ),
        (
            {"Modified_Time": "2024-01-01T00:00:00Z", "seen": {"7": "soon"}},
            "seen.7",
            "'soon'",
            "a date-time or epoch cursor value",
        ),
        ({"deleted": "banana"}, "deleted", "'banana'", "a JSON object"),
        (
            {"deleted": {"deleted_time": []}},
            "deleted.deleted_time",
            "[]",
            "a date-time or epoch cursor value",
        ),
    ],
    ids=["banana", "boolean", "seen-list", "seen-value", "deleted-string", "deleted-cursor"],
)
def test_a_malformed_saved_cursor_is_a_config_error_naming_stream_key_and_reset(
    sandbox: Any, zoho: Any, blob: dict[str, Any], key: str, shown: str, expected: str
) -> None:
    config = zoho.make_config(sandbox)
    result = zoho.read(config, ["zoho_Candidates"], state=_state("zoho_Candidates", blob), ok=False)
    assert result.exit_code == 1
    assert zoho.records(result, "zoho_Candidates") == []
    (error,) = result.trace_errors
    assert error["failure_type"] == "config_error"
    assert error["message"] == (
        f"The saved state of stream 'zoho_Candidates' is invalid: its {key!r} is {shown}, not {expected}. "
        + RESET.format(stream="zoho_Candidates")
    )


@pytest.mark.parametrize("fault", ["truncate", "html"])
def test_one_cut_off_or_html_token_answer_is_retried_and_check_succeeds(
    sandbox: Any, zoho: Any, fault: str
) -> None:
    getattr(sandbox.faults, fault)("/oauth/v2/token", times=1)
    result = zoho.run("check", zoho.make_config(sandbox))
    assert result.connection_status == {"status": "SUCCEEDED"}
    assert len(sandbox.requests_to("/oauth/v2/token")) == 2


def test_a_token_answer_always_cut_short_fails_check_without_printing_a_live_token(
    sandbox: Any, zoho: Any
) -> None:
    sandbox.faults.truncate("/oauth/v2/token", times=None)
    result = zoho.run("check", zoho.make_config(sandbox))
    status = result.connection_status
    assert status is not None and status["status"] == "FAILED"
    assert "answered truncated or invalid JSON for POST /oauth/v2/token (HTTP 200, " in status["message"]
    issued = sandbox.issued_tokens()
    assert issued  # every attempt issued a live token
    everything = b"\n".join(result.lines).decode() + result.stderr
    for token in issued:
        assert token[:16] not in everything
