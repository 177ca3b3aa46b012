"""Fixtures for source-bullhorn tests: a live Bullhorn sandbox on loopback and a helper that runs the real
connector in-process through staffwire.testing.conformance (every output line validated against the protocol)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from source_bullhorn.sandbox import BullhornSandbox
from source_bullhorn.source import CORE_ENTITIES, SourceBullhorn
from staffwire.testing.conformance import ConnectorResult, assert_conformant, assert_no_secrets, run_connector


class Bullhorn:
    """Runs source-bullhorn against one sandbox."""

    def __init__(self, sandbox: BullhornSandbox) -> None:
        self.sandbox = sandbox

    def config(self, **overrides: Any) -> dict[str, Any]:
        base = {"entities": list(CORE_ENTITIES), "retry_base_seconds": 0.001, "lookback_seconds": 0}
        base.update(overrides)
        return self.sandbox.demo_config(**base)

    def run(self, command: str, config: Mapping[str, Any], **kwargs: Any) -> ConnectorResult:
        result = run_connector(SourceBullhorn, command, config=dict(config), **kwargs)
        catalog = kwargs.get("catalog")
        assert_conformant(result, catalog=catalog)
        assert_no_secrets(result, [self.sandbox.PASSWORD, self.sandbox.CLIENT_SECRET, *self.tokens()])
        return result

    def tokens(self) -> list[str]:
        book = [
            self.sandbox.sessions,
            self.sandbox.access_tokens,
            self.sandbox.refresh_tokens,
            self.sandbox.codes,
        ]
        return [t for b in book for t in list(b._tokens)]

    def catalog(
        self, config: Mapping[str, Any], streams: list[str], mode: str = "full_refresh"
    ) -> dict[str, Any]:
        discovered = {s["name"]: s for s in self.run("discover", config).catalog["streams"]}
        return {
            "streams": [
                {
                    "stream": discovered[name],
                    "sync_mode": mode if mode in discovered[name]["supported_sync_modes"] else "full_refresh",
                    "destination_sync_mode": "append",
                }
                for name in streams
            ]
        }

    def read(
        self,
        config: Mapping[str, Any],
        streams: list[str],
        *,
        mode: str = "full_refresh",
        state: Any = None,
        expect_exit: int = 0,
    ) -> ConnectorResult:
        catalog = self.catalog(config, streams, mode)
        result = self.run("read", config, catalog=catalog, state=state)
        assert result.exit_code == expect_exit, result.trace_errors
        return result


def ids(result: ConnectorResult, stream: str) -> list[int]:
    return sorted(r["id"] for r in result.records(stream))


def final_state(result: ConnectorResult) -> list[dict[str, Any]]:
    """The last STATE of every stream, as a state file for the next run."""
    last: dict[str, dict[str, Any]] = {}
    for state in result.states:
        stream = state["stream"]
        last[stream["stream_descriptor"]["name"]] = {"type": "STREAM", "stream": stream}
    return list(last.values())


@pytest.fixture
def sandbox() -> Iterator[BullhornSandbox]:
    with BullhornSandbox(seed=7, candidates=60) as sb:
        yield sb


@pytest.fixture
def bullhorn(sandbox: BullhornSandbox) -> Bullhorn:
    return Bullhorn(sandbox)


@pytest.fixture
def helpers() -> Any:
    class H:
        ids = staticmethod(ids)
        final_state = staticmethod(final_state)

    return H


@pytest.fixture
def make_bullhorn() -> type[Bullhorn]:
    """The runner class, for tests that start a sandbox of their own size."""
    return Bullhorn
