"""Bad input is answered, never crashed on: each case gives the exact message, failure type and exit code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sdk_support import configured_catalog
from source_example import API_KEY, SourceExample
from staffwire.testing.conformance import assert_conformant, run_connector

CATALOG = configured_catalog("items")


def _files(tmp_path: Path, **contents: str | None) -> dict[str, str]:
    """Write each given file (None: leave it absent) and return its path."""
    paths = {}
    for name, text in contents.items():
        path = tmp_path / f"{name}.json"
        if text is not None:
            path.write_text(text)
        paths[name] = str(path)
    return paths


# (case, config file text, expected CONNECTION_STATUS message) -- check answers FAILED and exits 0
CHECK_CASES = [
    (
        "missing file",
        None,
        "cannot read the config file {config}: no such file. Check the path and run again.",
    ),
    (
        "not JSON",
        "{not json",
        "the config file {config} is not valid JSON (unexpected character, expected a string key at line 1, "
        "column 2). Fix the file and run again.",
    ),
    ("a list", "[1, 2]", "the config file {config} must hold a JSON object; found a JSON list."),
    ("required field missing", "{}", "config field 'api_key' is required"),
    (
        "wrong type",
        '{"api_key": "k-123456", "page_size": "ten"}',
        "config field 'page_size' is invalid: Input should be a valid integer, unable to parse string as an integer",
    ),
    (
        "out of range",
        '{"api_key": "k-123456", "page_size": 0}',
        "config field 'page_size' is invalid: Input should be greater than or equal to 1",
    ),
    (
        "two problems",
        '{"page_size": []}',
        "config field 'api_key' is required; config field 'page_size' is invalid: Input should be a valid integer",
    ),
]


@pytest.mark.parametrize(("case", "text", "message"), CHECK_CASES, ids=[c[0] for c in CHECK_CASES])
def test_check_reports_a_bad_config_as_failed_status(
    tmp_path: Path, case: str, text: str | None, message: str
) -> None:
    paths = _files(tmp_path, config=text)
    result = run_connector(SourceExample, ["check", "--config", paths["config"]])
    assert result.exit_code == 0
    assert result.connection_status == {"status": "FAILED", "message": message.format(**paths)}
    assert result.trace_errors == []
    assert_conformant(result)


def test_check_reports_rejected_credentials_as_failed_status(config: dict[str, Any]) -> None:
    result = run_connector(SourceExample, "check", config={**config, "api_key": "wrong-key-123"})
    assert (result.exit_code, result.connection_status) == (
        0,
        {
            "status": "FAILED",
            "message": "Example API rejected the api_key (401 on GET /items); check the api_key in the config.",
        },
    )


def test_check_reports_an_unreachable_api_as_failed_status(config: dict[str, Any], sandbox: Any) -> None:
    sandbox.stop()
    result = run_connector(SourceExample, "check", config=config)
    assert result.exit_code == 0
    status = result.connection_status
    assert status is not None and status["status"] == "FAILED"
    assert status["message"].startswith("Example API could not be reached for stream 'items' (GET /items): ")


def test_check_succeeds_with_a_working_config(config: dict[str, Any]) -> None:
    result = run_connector(SourceExample, "check", config=config)
    assert (result.exit_code, result.connection_status) == (0, {"status": "SUCCEEDED"})


# (case, argv builder, files, expected message) -- read/discover answer a TRACE ERROR config_error and exit 1
VALID_CONFIG = '{"api_key": "' + API_KEY + '", "api_url": "http://127.0.0.1:9"}'
TRACE_CASES: list[tuple[str, list[str], dict[str, str | None], str]] = [
    (
        "discover without a required field",
        ["discover", "--config", "{config}"],
        {"config": "{}"},
        "config field 'api_key' is required",
    ),
    (
        "read with a catalog that is not JSON",
        ["read", "--config", "{config}", "--catalog", "{catalog}"],
        {"config": VALID_CONFIG, "catalog": "streams:"},
        "the catalog file {catalog} is not valid JSON (unexpected character, expected a JSON value at line 1, column 1). "
        "Fix the file and run again.",
    ),
    (
        "read with a missing catalog file",
        ["read", "--config", "{config}", "--catalog", "{catalog}"],
        {"config": VALID_CONFIG, "catalog": None},
        "cannot read the catalog file {catalog}: no such file. Check the path and run again.",
    ),
    (
        "read with a catalog without streams",
        ["read", "--config", "{config}", "--catalog", "{catalog}"],
        {"config": VALID_CONFIG, "catalog": "{}"},
        "the catalog file {catalog} is not a valid configured catalog: catalog.streams is required.",
    ),
    (
        "read with an invalid sync mode",
        ["read", "--config", "{config}", "--catalog", "{catalog}"],
        {
            "config": VALID_CONFIG,
            "catalog": '{"streams": [{"stream": {"name": "items", "json_schema": {}, "supported_sync_modes": '
            '["full_refresh"]}, "sync_mode": "INVALID", "destination_sync_mode": "append"}]}',
        },
        "the catalog file {catalog} is not a valid configured catalog: catalog.streams[0].sync_mode is "
        "'INVALID'; expected one of: full_refresh, incremental.",
    ),
    (
        "read with an unknown stream",
        ["read", "--config", "{config}", "--catalog", "{catalog}"],
        {
            "config": VALID_CONFIG,
            "catalog": '{"streams": [{"stream": {"name": "Nope", "json_schema": {}, "supported_sync_modes": '
            '["full_refresh"]}, "sync_mode": "full_refresh", "destination_sync_mode": "append"}]}',
        },
        "the catalog selects stream 'Nope', which source-example does not have (its streams: items, people). "
        "Run discover and select streams from its catalog.",
    ),
    (
        "read with a LEGACY state",
        ["read", "--config", "{config}", "--catalog", "{catalog}", "--state", "{state}"],
        {"config": VALID_CONFIG, "catalog": '{"streams": []}', "state": '{"items": {"updated_at": 3}}'},
        "the state file {state} holds a single JSON object (the LEGACY state format), which Staffwire does not "
        "read. Pass a JSON list of per-stream state messages, or [] to start from scratch.",
    ),
    (
        "read with a state that is a string",
        ["read", "--config", "{config}", "--catalog", "{catalog}", "--state", "{state}"],
        {"config": VALID_CONFIG, "catalog": '{"streams": []}', "state": '"yesterday"'},
        "the state file {state} must hold a JSON list of per-stream state messages (or []); found a JSON string.",
    ),
    (
        "read with a LEGACY entry in the state list",
        ["read", "--config", "{config}", "--catalog", "{catalog}", "--state", "{state}"],
        {"config": VALID_CONFIG, "catalog": '{"streams": []}', "state": '[{"type": "LEGACY", "data": {}}]'},
        "the state file {state}: entry 0 has state type 'LEGACY'; only STREAM and GLOBAL are read. "
        "Pass a JSON list of per-stream state messages, or [] to start from scratch.",
    ),
    (
        "read with a state entry without a stream name",
        ["read", "--config", "{config}", "--catalog", "{catalog}", "--state", "{state}"],
        {"config": VALID_CONFIG, "catalog": '{"streams": []}', "state": '[{"type": "STREAM", "stream": {}}]'},
        "the state file {state}: entry 0 has no stream.stream_descriptor.name. "
        "Pass a JSON list of per-stream state messages, or [] to start from scratch.",
    ),
    (
        "read without --catalog",
        ["read", "--config", "{config}"],
        {"config": VALID_CONFIG},
        "source-example read: the following arguments are required: --catalog. "
        "Run 'source-example read --help' for the commands and their options.",
    ),
    (
        "an unknown command",
        ["write", "--config", "{config}"],
        {"config": VALID_CONFIG},
        "source-example: argument COMMAND: invalid choice: 'write' (choose from 'spec', 'check', 'discover', "
        "'read'). Run 'source-example --help' for the commands and their options.",
    ),
    (
        "no command",
        [],
        {},
        "source-example: the following arguments are required: COMMAND. "
        "Run 'source-example --help' for the commands and their options.",
    ),
]


@pytest.mark.parametrize(("case", "argv", "files", "message"), TRACE_CASES, ids=[c[0] for c in TRACE_CASES])
def test_bad_input_gives_a_config_error_trace_and_exit_1(
    tmp_path: Path, case: str, argv: list[str], files: dict[str, str | None], message: str
) -> None:
    paths = _files(tmp_path, **files)
    result = run_connector(SourceExample, [a.format(**paths) for a in argv])
    assert result.exit_code == 1
    assert len(result.trace_errors) == 1
    error = result.trace_errors[0]
    assert (error["failure_type"], error["message"]) == ("config_error", message.format(**paths))
    assert result.records() == [] and result.states == []
    assert_conformant(result)


@pytest.mark.parametrize("state_text", ["[]", None, ""], ids=["empty list", "absent file", "empty file"])
def test_read_starts_from_scratch_on_an_empty_or_absent_state(
    tmp_path: Path, config: dict[str, Any], state_text: str | None
) -> None:
    paths = _files(tmp_path, state=state_text)
    result = run_connector(
        SourceExample,
        ["read", "--state", paths["state"]],
        config=config,
        catalog=configured_catalog("items", mode="incremental"),
    )
    assert result.exit_code == 0
    assert [r["id"] for r in result.records("items")] == [1, 2, 3, 4, 5]
    assert_conformant(result)


def test_a_connector_bug_in_check_is_a_system_error_trace_and_exit_1() -> None:
    class Broken(SourceExample):
        def check(self, config: Any) -> None:
            raise KeyError("token")

    result = run_connector(Broken, "check", config={"api_key": API_KEY})
    assert result.exit_code == 1
    assert result.connection_status is None
    (error,) = result.trace_errors
    assert error["failure_type"] == "system_error"
    assert error["message"] == (
        "source-example check failed with an unexpected error (KeyError: 'token'). "
        "This is a bug in source-example: report it with the logs of this run."
    )
    assert error["internal_message"] == "KeyError('token')"
    assert "Traceback (most recent call last)" in error["stack_trace"]
    assert_conformant(result)


def test_a_connector_bug_in_discover_is_a_system_error_trace() -> None:
    class Broken(SourceExample):
        def streams(self, config: Any) -> list[Any]:
            return [None]  # type: ignore[list-item]

    result = run_connector(Broken, "discover", config={"api_key": API_KEY})
    assert result.exit_code == 1
    (error,) = result.trace_errors
    assert error["failure_type"] == "system_error"
    assert error["message"].startswith(
        "source-example discover failed with an unexpected error (AttributeError: "
    )
    assert_conformant(result)


def test_spec_needs_no_config_and_exits_0() -> None:
    result = run_connector(SourceExample, "spec")
    assert result.exit_code == 0
    assert result.spec is not None
    assert result.spec["documentationUrl"] == "https://example.com/docs/source-example"
    assert_conformant(result)


def test_a_validator_message_that_names_its_field_is_shown_as_is() -> None:
    from pydantic import BaseModel
    from staffwire.entrypoint import _describe_validation_error
    from staffwire.spec import SecureUrl

    class Config(BaseModel):
        api_url: SecureUrl

    try:
        Config.model_validate({"api_url": "http://example.com"})
    except Exception as exc:
        message = _describe_validation_error(exc)
    assert message == (
        "config field 'api_url' must use https:// (plain http:// is accepted only for loopback hosts such as 127.0.0.1)"
    )
