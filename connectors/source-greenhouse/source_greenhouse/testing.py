"""Helpers for tests of the Greenhouse connectors: run source-greenhouse in-process through
staffwire.testing.conformance (every output line validated against the protocol, and no secret of the sandbox in
any line). Imported by tests only; connectors never import it at run time."""

from __future__ import annotations

from typing import Any

from staffwire.testing.conformance import ConnectorResult, assert_conformant, assert_no_secrets, run_connector

from source_greenhouse import SourceGreenhouse
from source_greenhouse.sandbox import CLIENT_SECRET, NO_OFFERS_CLIENT, READ_ONLY_CLIENT, GreenhouseSandbox

__all__ = ["catalog", "last_states", "make_config", "read", "run", "sandbox_secrets"]


def sandbox_secrets(sandbox: GreenhouseSandbox) -> list[str]:
    """Every secret the sandbox knows: client secrets and the tokens it issued."""
    return [CLIENT_SECRET, READ_ONLY_CLIENT[1], NO_OFFERS_CLIENT[1], *sandbox.tokens._tokens]


def make_config(sandbox: GreenhouseSandbox, **overrides: Any) -> dict[str, Any]:
    return sandbox.demo_config(**{"retry_base_delay": 0.001, **overrides})


def run(sandbox: GreenhouseSandbox, command: str, config: dict[str, Any], **kwargs: Any) -> ConnectorResult:
    """One command of the real connector; every line checked against the protocol, no secret anywhere."""
    result = run_connector(SourceGreenhouse, command, config=config, **kwargs)
    assert_conformant(result, catalog=kwargs.get("catalog"))
    assert_no_secrets(result, sandbox_secrets(sandbox))
    return result


def catalog(
    sandbox: GreenhouseSandbox, config: dict[str, Any], streams: list[str], mode: str = "incremental"
) -> dict[str, Any]:
    discovered = run(sandbox, "discover", config).catalog
    assert discovered is not None
    by_name = {s["name"]: s for s in discovered["streams"]}
    return {
        "streams": [
            {"stream": by_name[name], "sync_mode": mode, "destination_sync_mode": "append"}
            for name in streams
        ]
    }


def read(
    sandbox: GreenhouseSandbox,
    config: dict[str, Any],
    streams: list[str],
    *,
    mode: str = "incremental",
    state: Any = None,
) -> ConnectorResult:
    return run(sandbox, "read", config, catalog=catalog(sandbox, config, streams, mode), state=state)


def last_states(result: ConnectorResult) -> list[dict[str, Any]]:
    """The last STATE of every stream, as the state input of the next run."""
    last: dict[str, dict[str, Any]] = {}
    for state in result.states:
        last[state["stream"]["stream_descriptor"]["name"]] = {"type": "STREAM", "stream": state["stream"]}
    return list(last.values())
