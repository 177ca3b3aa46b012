"""Installed Staffwire plugin connectors run in-process (threads + pipes), with the same guarantees."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from staffwire.plugins import PluginManager
from staffwire.runner import StateStore, parse_connection, run_sync
from staffwire.runner.executors import InProcessExecutor
from staffwire.runner.resolve import resolve_connector

HERE = Path(__file__).parent
TOKEN = "counter-token-0123456789"


@pytest.fixture(scope="module")
def pair() -> ModuleType:
    spec = importlib.util.spec_from_file_location("runner_sdk_pair", HERE / "connectors" / "sdk_pair.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["runner_sdk_pair"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def pm(pair: ModuleType) -> PluginManager:
    manager = PluginManager()
    assert manager.register_validated(pair, "runner-sdk-pair")
    return manager


def _connection(tmp_path: Path, **source: Any) -> Any:
    return parse_connection(
        {
            "name": "counter",
            "source": {
                "connector": "source-counter",
                "config": {"token": "${COUNTER_TOKEN}", "count": 10, "page": 3, **source},
            },
            "destination": {"connector": "destination-file", "config": {"path": str(tmp_path / "out.jsonl")}},
            "streams": [
                {"name": "numbers", "sync_mode": "incremental", "destination_sync_mode": "append_dedup"}
            ],
        }
    )


def _run(tmp_path: Path, store: StateStore, pm: PluginManager, **source: Any) -> Any:
    return run_sync(_connection(tmp_path, **source), store=store, env={"COUNTER_TOKEN": TOKEN}, pm=pm)


def test_installed_plugins_are_run_in_process(pm: PluginManager, tmp_path: Path) -> None:
    executor = resolve_connector("source-counter", role="source", base_dir=tmp_path, pm=pm)
    assert isinstance(executor, InProcessExecutor)
    assert executor.describe() == "source-counter (in-process plugin runner_sdk_pair.SourceCounter)"


def test_an_in_process_run_relays_and_commits(
    pm: PluginManager, tmp_path: Path, store: StateStore, pair: ModuleType
) -> None:
    result = _run(tmp_path, store, pm)

    assert result.status == "succeeded", result.errors
    assert result.streams == {
        "numbers": {
            "records_read": 10,
            "records_written": 10,
            "records_rejected": 0,
            "states_committed": 4,
            "status": "COMPLETE",
        }
    }
    assert pair.written(tmp_path / "out.jsonl") == list(range(1, 11))
    assert store.states("counter")[("", "numbers")]["stream"]["stream_state"] == {"id": 10}

    again = _run(tmp_path, store, pm, count=12)
    assert again.streams["numbers"]["records_read"] == 2
    assert pair.written(tmp_path / "out.jsonl")[-2:] == [11, 12]


def test_destination_rejections_keep_their_structured_reasons(
    pm: PluginManager, tmp_path: Path, store: StateStore
) -> None:
    connection = _connection(tmp_path, count=4)
    connection.destination.config["reject_odd"] = True
    result = run_sync(connection, store=store, env={"COUNTER_TOKEN": TOKEN}, pm=pm)

    assert result.status == "succeeded"
    assert result.streams["numbers"]["records_written"] == 2
    assert result.streams["numbers"]["records_rejected"] == 2
    detail = store.run(result.run_id)
    assert detail is not None
    assert detail["rejected_records"] == [
        {
            "origin": "destination",
            "stream": "numbers",
            "record_id": "1",
            "message": "destination-file stream 'numbers': record 1 rejected: id must be even",
            "reasons": [{"rule": "even", "field": "id", "value": 1, "message": "id must be even"}],
        },
        {
            "origin": "destination",
            "stream": "numbers",
            "record_id": "3",
            "message": "destination-file stream 'numbers': record 3 rejected: id must be even",
            "reasons": [{"rule": "even", "field": "id", "value": 3, "message": "id must be even"}],
        },
    ]


def test_a_failing_in_process_source_fails_the_run_after_what_was_committed(
    pm: PluginManager, tmp_path: Path, store: StateStore
) -> None:
    result = _run(tmp_path, store, pm, fail_at=8)

    assert result.status == "failed"
    assert result.failure_type == "config_error"
    assert result.error is not None and "numbers API refused record 8: check token" in result.error
    assert store.states("counter")[("", "numbers")]["stream"]["stream_state"] == {"id": 6}
    assert TOKEN not in repr(store.run(result.run_id))


def test_a_hung_in_process_source_is_cut_off_and_the_run_fails_after_what_was_committed(
    pm: PluginManager, tmp_path: Path, store: StateStore, pair: ModuleType
) -> None:
    pair.RELEASE.clear()
    try:
        result = run_sync(
            _connection(tmp_path, hang_at=8),
            store=store,
            env={"COUNTER_TOKEN": TOKEN},
            pm=pm,
            heartbeat_timeout=0.5,
        )
    finally:
        pair.RELEASE.set()  # let the abandoned thread end (at its next write, which now fails)

    assert result.status == "failed"
    assert [(e.origin, e.failure_type) for e in result.errors] == [("source", "transient_error")]
    assert result.errors[0].message.startswith("source source-counter printed nothing for ")
    assert (
        "(heartbeat_timeout 0.50s), so it was stopped. It ran in-process: its thread cannot be killed, so the "
        "runner stopped relaying and left it behind; run it with --subprocess to have it killed. The run is "
        "failed;" in result.errors[0].message
    )
    assert store.states("counter")[("", "numbers")]["stream"]["stream_state"] == {"id": 6}
    assert pair.written(tmp_path / "out.jsonl") == [1, 2, 3, 4, 5, 6]
    assert result.streams["numbers"]["status"] == "INCOMPLETE"


def test_a_hung_in_process_destination_is_cut_off_and_nothing_it_did_not_confirm_is_stored(
    pm: PluginManager, tmp_path: Path, store: StateStore, pair: ModuleType
) -> None:
    pair.RELEASE.clear()
    connection = _connection(tmp_path)
    connection.destination.config["hang_on_flush"] = True
    try:
        result = run_sync(connection, store=store, env={"COUNTER_TOKEN": TOKEN}, pm=pm, heartbeat_timeout=0.5)
    finally:
        pair.RELEASE.set()

    assert result.status == "failed"
    assert [(e.origin, e.failure_type) for e in result.errors] == [("destination", "transient_error")]
    assert result.errors[0].message.startswith("destination destination-file printed nothing for ")
    assert "It ran in-process: its thread cannot be killed" in result.errors[0].message
    assert store.states("counter") == {}
    assert result.streams["numbers"]["records_written"] == 0
