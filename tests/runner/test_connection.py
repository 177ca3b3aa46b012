"""Connection files: validation, ${VAR} references, mapping/rule overrides, literal secrets refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from staffwire.errors import ConfigError
from staffwire.runner import check_no_literal_secrets, load_connection, parse_connection

VALID: dict[str, Any] = {
    "name": "ats-to-payroll",
    "source": {"connector": "source-bullhorn", "config": {"client_secret": "${BH_SECRET}", "page_size": 50}},
    "destination": {"connector": "destination-wingspan", "config": {"api_token": "${WS_TOKEN}"}},
    "streams": [{"name": "candidates"}],
}


def test_a_valid_connection_gets_defaults_for_the_stream_modes() -> None:
    connection = parse_connection(VALID)
    [stream] = connection.streams
    assert (stream.sync_mode, stream.destination_sync_mode) == ("incremental", "append_dedup")


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"name": "has spaces"}, "name: String should match pattern '^[A-Za-z0-9][A-Za-z0-9_.-]*$'"),
        ({"streams": []}, "streams: List should have at least 1 item after validation, not 0"),
        (
            {"streams": [{"name": "x", "sync_mode": "cdc"}]},
            "streams.0.sync_mode: Input should be 'full_refresh' or 'incremental'",
        ),
        ({"source": {"config": {}}}, "source.connector: Field required"),
        (
            {"destination": {"connector": "d", "confg": {}}},
            "destination.confg: Extra inputs are not permitted",
        ),
        ({"schedule": "hourly"}, "schedule: Extra inputs are not permitted"),
    ],
)
def test_invalid_connections_are_refused_naming_the_field(change: dict[str, Any], error: str) -> None:
    with pytest.raises(ConfigError) as refused:
        parse_connection({**VALID, **change}, origin="connection file c.yaml")
    assert (
        refused.value.message
        == f"connection file c.yaml is not a valid connection: {error}. Fix the file and run again."
    )


def test_a_stream_listed_twice_is_refused() -> None:
    with pytest.raises(ConfigError) as refused:
        parse_connection({**VALID, "streams": [{"name": "jobs"}, {"name": "jobs"}]})
    assert refused.value.message == "connection: stream 'jobs' is listed twice; keep one entry."


def test_a_missing_or_broken_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(
        ConfigError, match=r"^cannot read connection file .*nope.yaml: No such file or directory"
    ):
        load_connection(tmp_path / "nope.yaml")
    (tmp_path / "bad.yaml").write_text("name: [unclosed\n")
    with pytest.raises(ConfigError, match=r"bad.yaml is not valid YAML"):
        load_connection(tmp_path / "bad.yaml")


def test_env_references_defaults_and_escapes_are_resolved() -> None:
    connection = parse_connection(
        {
            **VALID,
            "source": {
                "connector": "s",
                "config": {
                    "url": "https://${HOST}/api",
                    "region": "${REGION:-us}",
                    "literal": "$${NOT_A_VAR}",
                    "list": ["${HOST}"],
                },
            },
        }
    )
    config = connection.source.effective_config({"HOST": "example.com"}, "source")
    assert config == {
        "url": "https://example.com/api",
        "region": "us",
        "literal": "${NOT_A_VAR}",
        "list": ["example.com"],
    }


def test_mapping_and_rule_overrides_are_merged_into_the_config() -> None:
    connection = parse_connection(
        {
            **VALID,
            "destination": {
                "connector": "d",
                "config": {"mapping": {"a": 1, "b": 2}},
                "mapping": {"b": "${B}"},
                "rules": [{"required": "email"}],
            },
        }
    )
    config = connection.destination.effective_config({"B": "3"}, "destination")
    assert config == {"mapping": {"a": 1, "b": "3"}, "rules": [{"required": "email"}]}


SPEC = {
    "type": "object",
    "properties": {
        "client_secret": {"type": "string", "airbyte_secret": True},
        "auth": {"oneOf": [{"properties": {"token": {"airbyte_secret": True}}}]},
    },
}


@pytest.mark.parametrize(
    ("config", "field"),
    [
        ({"client_secret": "abc123456"}, "client_secret"),
        ({"client_secret": "prefix-${BH_SECRET}"}, "client_secret"),
        ({"auth": {"token": 12345678}}, "auth.token"),
    ],
)
def test_a_literal_secret_is_refused(config: dict[str, Any], field: str) -> None:
    connection = parse_connection({**VALID, "source": {"connector": "source-x", "config": config}})
    with pytest.raises(ConfigError) as refused:
        check_no_literal_secrets(connection.source, SPEC, "source")
    assert refused.value.message == (
        f"source.config.{field} is a secret (source-x marks it airbyte_secret) but the file holds its value. "
        "Write it as ${SOME_ENV_VAR} and set that variable; never put secrets in the file."
    )
    assert "abc123456" not in refused.value.message


def test_secret_references_pass() -> None:
    connection = parse_connection(
        {
            **VALID,
            "source": {
                "connector": "s",
                "config": {"client_secret": "${BH_SECRET}", "auth": {"token": "${A}${B}"}},
            },
        }
    )
    check_no_literal_secrets(connection.source, SPEC, "source")
