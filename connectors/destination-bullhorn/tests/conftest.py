"""Fixtures for destination-bullhorn tests: a live Bullhorn sandbox (source-bullhorn's) on loopback and a helper
that runs the real destination in-process or as its console script, checking every output line with the
conformance kit and that no secret (config secrets, tokens the sandbox issued) appears in it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pytest
from destination_bullhorn import DestinationBullhorn
from source_bullhorn.sandbox import BullhornSandbox
from staffwire.testing.conformance import ConnectorResult, assert_conformant, assert_no_secrets, run_connector
from staffwire.testing.sandbox import sandbox_fixture

sandbox = sandbox_fixture(lambda: BullhornSandbox(seed=7, candidates=40), name="sandbox")


class WriteBack:
    """Runs destination-bullhorn against one sandbox."""

    def __init__(self, sandbox: BullhornSandbox) -> None:
        self.sandbox = sandbox

    def config(self, streams: Mapping[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
        # a high request budget: the tests are about what is written, not pacing (bench/ measures that)
        overrides = {"requests_per_minute": 60_000, **overrides}
        config = self.sandbox.demo_config(retry_base_seconds=0.001, **overrides)
        if streams is not None:
            config["streams"] = dict(streams)
        return config

    @staticmethod
    def catalog(*streams: tuple[str, str, str] | tuple[str, str, str, list[list[str]]]) -> dict[str, Any]:
        """``(stream, object, sync mode[, matching keys])`` per stream."""
        entries = []
        for entry in streams:
            name, obj, mode = entry[0], entry[1], entry[2]
            keys = entry[3] if len(entry) > 3 else []  # type: ignore[misc]
            entries.append(
                {
                    "stream": {
                        "name": name,
                        "json_schema": {"type": "object"},
                        "supported_sync_modes": ["full_refresh"],
                    },
                    "sync_mode": "full_refresh",
                    "destination_sync_mode": mode,
                    "destination_object_name": obj,
                    "primary_key": keys,
                }
            )
        return {"streams": entries}

    @staticmethod
    def messages(stream: str, records: Iterable[Mapping[str, Any]], state: int = 1) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = [
            {"type": "RECORD", "record": {"stream": stream, "data": dict(r), "emitted_at": 1}}
            for r in records
        ]
        out.append(
            {
                "type": "STATE",
                "state": {
                    "type": "STREAM",
                    "stream": {"stream_descriptor": {"name": stream}, "stream_state": {"n": state}},
                },
            }
        )
        return out

    def run(
        self,
        command: str,
        config: Mapping[str, Any] | None,
        connector: Any = DestinationBullhorn,
        **kwargs: Any,
    ) -> ConnectorResult:
        result = run_connector(connector, command, config=None if config is None else dict(config), **kwargs)
        assert_conformant(result)
        assert_no_secrets(result, [self.sandbox.PASSWORD, self.sandbox.CLIENT_SECRET, *self.tokens()])
        return result

    def write(
        self,
        config: Mapping[str, Any],
        catalog: Mapping[str, Any],
        messages: list[dict[str, Any]],
        **kwargs: Any,
    ) -> ConnectorResult:
        return self.run("write", config, catalog=dict(catalog), stdin=messages, **kwargs)

    def tokens(self) -> list[str]:
        books = [
            self.sandbox.sessions,
            self.sandbox.access_tokens,
            self.sandbox.refresh_tokens,
            self.sandbox.codes,
        ]
        return [t for b in books for t in list(b._tokens)]


@pytest.fixture
def writeback(sandbox: BullhornSandbox) -> WriteBack:
    return WriteBack(sandbox)


def stats(result: ConnectorResult) -> list[dict[str, float]]:
    """The destinationStats of every echoed state."""
    return [s["destinationStats"] for s in result.states]


def rejections(result: ConnectorResult) -> list[str]:
    return [m for m in result.log_messages("WARN") if " rejected: " in m]
