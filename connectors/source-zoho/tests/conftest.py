"""Fixtures for source-zoho tests: a live Zoho sandbox on loopback and helpers that run the real connector
in-process through staffwire.testing.conformance (every output line validated against the protocol)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from source_zoho import SourceZoho
from source_zoho.sandbox import ZohoSandbox
from staffwire.testing.conformance import ConnectorResult, assert_conformant, run_connector
from staffwire.testing.sandbox import sandbox_fixture

SMALL_RECRUIT = {
    "Candidates": 12,
    "JobOpenings": 5,
    "Clients": 4,
    "Contacts": 5,
    "Applications": 8,
    "Interviews": 4,
    "Departments": 2,
}
SMALL_CRM = {"Accounts": 5, "Contacts": 6, "Leads": 7, "Deals": 4}


sandbox = sandbox_fixture(
    lambda: ZohoSandbox(recruit_sizes=SMALL_RECRUIT, crm_sizes=SMALL_CRM), name="sandbox"
)


def make_config(sandbox: ZohoSandbox, **overrides: Any) -> dict[str, Any]:
    config = sandbox.demo_config(**{"data_center": "us", "retry_base_delay": 0.001, **overrides})
    return {k: v for k, v in config.items() if v is not None}


@pytest.fixture
def config() -> Callable[..., dict[str, Any]]:
    return make_config


def run(command: str, config: dict[str, Any], **kwargs: Any) -> ConnectorResult:
    """Run one command of the real connector; every output line is checked against the protocol."""
    result = run_connector(SourceZoho, command, config=config, **kwargs)
    assert_conformant(result, catalog=kwargs.get("catalog"))
    return result


def read(
    config: dict[str, Any],
    streams: list[str],
    *,
    mode: str = "incremental",
    state: Any = None,
    ok: bool = True,
) -> ConnectorResult:
    """discover, then read ``streams`` in ``mode`` (catalog in the given order)."""
    catalog = run("discover", config).catalog
    assert catalog is not None
    by_name = {s["name"]: s for s in catalog["streams"]}
    configured = {
        "streams": [
            {
                "stream": by_name[name],
                "sync_mode": mode,
                "destination_sync_mode": "append_dedup" if mode == "incremental" else "overwrite",
                **(
                    {"cursor_field": by_name[name].get("default_cursor_field"), "primary_key": [["id"]]}
                    if mode == "incremental"
                    else {}
                ),
            }
            for name in streams
        ]
    }
    result = run("read", config, catalog=configured, state=state)
    if ok:
        assert result.exit_code == 0, result.trace_errors
    return result


def records(result: ConnectorResult, stream: str) -> list[dict[str, Any]]:
    return [m["data"] for m in result.record_messages(stream)]


def ids(result: ConnectorResult, stream: str) -> list[str]:
    return [str(r["id"]) for r in records(result, stream)]


def last_state(result: ConnectorResult) -> list[dict[str, Any]]:
    """The last STATE of each stream, as the list a --state file holds."""
    latest: dict[str, dict[str, Any]] = {}
    for state in result.states:
        latest[state["stream"]["stream_descriptor"]["name"]] = {"type": "STREAM", "stream": state["stream"]}
    return list(latest.values())


@pytest.fixture
def zoho() -> Any:
    """The helpers above, for test modules (conftest is not importable under --import-mode=importlib)."""

    class Helpers:
        pass

    h = Helpers()
    for fn in (make_config, run, read, records, ids, last_state):
        setattr(h, fn.__name__, staticmethod(fn))
    return h
