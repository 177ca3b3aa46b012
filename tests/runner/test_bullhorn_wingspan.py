"""Bullhorn -> Wingspan through `staffwire sync` (a real process), killed with SIGKILL mid-run, then run again:
every placed candidate is exactly one contractor and every hourly placement exactly one payable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from destination_wingspan.sandbox import WingspanSandbox
from source_bullhorn.sandbox import BullhornSandbox
from staffwire.runner import StateStore, load_connection, run_sync
from staffwire.runner.demo import DEMO_PAYABLES_MAPPING


@pytest.fixture
def sandboxes() -> Iterator[tuple[BullhornSandbox, WingspanSandbox]]:
    with BullhornSandbox(seed=7, candidates=200) as bullhorn, WingspanSandbox() as wingspan:
        yield bullhorn, wingspan


def _connection(
    tmp_path: Path, bullhorn: BullhornSandbox, wingspan: WingspanSandbox
) -> tuple[Path, dict[str, str]]:
    source = bullhorn.demo_config(page_size=10)
    destination = wingspan.demo_config(stream_mappings=[DEMO_PAYABLES_MAPPING], poll_interval_s=0.01)
    env = {
        "BH_SECRET": source.pop("client_secret"),
        "BH_PASSWORD": source.pop("password"),
        "WS_TOKEN": destination.pop("api_token"),
    }
    document = {
        "name": "bh-ws",
        "source": {
            "connector": "source-bullhorn",
            "config": {**source, "client_secret": "${BH_SECRET}", "password": "${BH_PASSWORD}"},
        },
        "destination": {
            "connector": "destination-wingspan",
            "config": {**destination, "api_token": "${WS_TOKEN}"},
        },
        "streams": [{"name": "candidates"}, {"name": "placements"}],
    }
    path = tmp_path / "bh-ws.yaml"
    path.write_text(yaml.safe_dump(document))
    return path, env


def _committed(db: Path) -> dict[str, int]:
    store = StateStore(db)
    try:
        return {
            s["stream"]: s["records_written"] + s["records_rejected"] + (s.get("records_ignored") or 0)
            for r in store.runs()
            for s in (store.run(r["id"]) or {}).get("streams", [])
        }
    finally:
        store.close()


def test_kill_9_mid_sync_then_rerun_gives_exactly_once_contractors_and_payables(
    sandboxes: tuple[BullhornSandbox, WingspanSandbox], tmp_path: Path
) -> None:
    bullhorn, wingspan = sandboxes
    file, env = _connection(tmp_path, bullhorn, wingspan)
    db = tmp_path / "staffwire.db"
    bullhorn.faults.slow(r"/(search|query)/", delay=0.04, times=None)  # long enough to be killed mid-way
    runner = subprocess.Popen(
        [sys.executable, "-m", "staffwire.cli", "sync", str(file), "--db", str(db), "-q"],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while _committed(db).get("candidates", 0) < 30:
        assert runner.poll() is None, "the sync ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.kill(runner.pid, signal.SIGKILL)
    runner.wait()
    committed = _committed(db)["candidates"]
    assert 30 <= committed < 200
    bullhorn.faults.clear()

    store = StateStore(db)
    try:
        resumed = run_sync(load_connection(file), store=store, env=env)
        killed = store.run(resumed.run_id - 1)
    finally:
        store.close()

    assert resumed.status == "succeeded", resumed.errors
    assert resumed.streams["candidates"]["records_read"] == 200 - committed
    assert killed is not None and killed["status"] == "failed"
    external_ids = [c["externalId"] for c in wingspan.contractors()]
    assert len(external_ids) == len(set(external_ids)) == 32
    references = [p["bulkPayableItemReference"] for p in wingspan.payables()]
    assert len(references) == len(set(references)) == 32


def test_the_console_scripts_run_as_subprocesses_give_the_same_result(
    sandboxes: tuple[BullhornSandbox, WingspanSandbox], tmp_path: Path
) -> None:
    bullhorn, wingspan = sandboxes
    file, env = _connection(tmp_path, bullhorn, wingspan)
    store = StateStore(tmp_path / "staffwire.db")
    try:
        result = run_sync(load_connection(file), store=store, env=env, prefer_subprocess=True)
        detail = store.run(result.run_id)
    finally:
        store.close()

    assert result.status == "succeeded", result.errors
    assert {
        k: (v["records_read"], v["records_written"], v["records_rejected"]) for k, v in result.streams.items()
    } == {"candidates": (200, 37, 0), "placements": (43, 32, 11)}
    # the 163 candidates that are neither placed nor deleted become nothing in Wingspan: ignored, not written
    assert result.streams["candidates"]["records_ignored"] == 163
    assert detail is not None
    assert detail["source"] == f"source-bullhorn (command {Path(sys.executable).parent / 'source-bullhorn'})"
    assert detail["rejected_records"][0]["reasons"][0]["rule"] == "unknown_worker"
    assert (len(wingspan.contractors()), len(wingspan.payables())) == (32, 32)
