"""Fixtures for source-wingspan tests: a live, seeded Wingspan sandbox on loopback (destination-wingspan's) and
helpers that run the real connector in-process through staffwire.testing.conformance: every output line is
validated against the protocol, every record against its stream's schema, and no line may hold the token."""

from __future__ import annotations

from typing import Any

import pytest
from destination_wingspan.sandbox import DEMO_TOKEN, WingspanSandbox
from source_wingspan import SourceWingspan
from staffwire.testing.conformance import ConnectorResult, assert_conformant, assert_no_secrets, run_connector
from staffwire.testing.sandbox import sandbox_fixture

RAW_STREAMS = ("Payee", "Collaborator", "Payable", "Invoice", "BulkCollaboratorBatch", "BulkPayableBatch")
STREAMS = (*RAW_STREAMS, "workers", "payables")

sandbox = sandbox_fixture(lambda: WingspanSandbox(seed=True, rate_limit_per_s=None), name="sandbox")


class Helpers:
    """The helpers, for test modules (conftest is not importable under --import-mode=importlib)."""

    @staticmethod
    def config(sb: WingspanSandbox, **overrides: Any) -> dict[str, Any]:
        return {"api_token": DEMO_TOKEN, "api_url": sb.url, "backoff_base_s": 0.01, **overrides}

    @staticmethod
    def run(command: str, config: dict[str, Any], **kwargs: Any) -> ConnectorResult:
        result = run_connector(SourceWingspan, command, config=config, **kwargs)
        assert_conformant(result, catalog=kwargs.get("catalog"))
        assert_no_secrets(result, [DEMO_TOKEN, str(config.get("api_token"))])
        return result

    @classmethod
    def catalog(
        cls, config: dict[str, Any], streams: tuple[str, ...] = STREAMS, mode: str = "incremental"
    ) -> Any:
        discovered = cls.run("discover", config).catalog
        assert discovered is not None
        by_name = {s["name"]: s for s in discovered["streams"]}
        return {
            "streams": [
                {
                    "stream": by_name[name],
                    "sync_mode": mode,
                    "destination_sync_mode": "append_dedup" if mode == "incremental" else "overwrite",
                    **(
                        {
                            "cursor_field": by_name[name]["default_cursor_field"],
                            "primary_key": by_name[name]["source_defined_primary_key"],
                        }
                        if mode == "incremental"
                        else {}
                    ),
                }
                for name in streams
            ]
        }

    @classmethod
    def read(
        cls,
        config: dict[str, Any],
        streams: tuple[str, ...] = STREAMS,
        *,
        mode: str = "incremental",
        state: Any = None,
        ok: bool = True,
    ) -> ConnectorResult:
        result = cls.run("read", config, catalog=cls.catalog(config, streams, mode), state=state)
        if ok:
            assert result.exit_code == 0, result.trace_errors
        return result

    @staticmethod
    def records(result: ConnectorResult, stream: str) -> list[dict[str, Any]]:
        return [m["data"] for m in result.record_messages(stream)]

    @staticmethod
    def counts(result: ConnectorResult) -> dict[str, int]:
        out: dict[str, int] = {}
        for message in result.record_messages():
            out[message["stream"]] = out.get(message["stream"], 0) + 1
        return out

    @staticmethod
    def last_state(result: ConnectorResult) -> list[dict[str, Any]]:
        """The last STATE of each stream, as the list a --state file holds."""
        latest: dict[str, dict[str, Any]] = {}
        for state in result.states:
            latest[state["stream"]["stream_descriptor"]["name"]] = {
                "type": "STREAM",
                "stream": state["stream"],
            }
        return list(latest.values())


@pytest.fixture
def ws() -> type[Helpers]:
    return Helpers
