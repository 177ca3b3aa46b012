"""source-wingspan inside `staffwire sync`: its fingerprint states are committed by the runner, so a second run
sends nothing and a run after the Wingspan sandbox onboarded a worker sends exactly that worker (what the demo's
Wingspan -> ATS connection relies on)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from destination_wingspan.sandbox import DEMO_TOKEN, WingspanSandbox
from staffwire.runner import RunResult, StateStore, load_connection, run_sync

PLAIN_DESTINATION = Path(__file__).parent / "connectors" / "plain_destination.py"


def _file(tmp_path: Path, sandbox: WingspanSandbox, out: Path) -> Path:
    document = {
        "name": "ws-back",
        "source": {
            "connector": "source-wingspan",
            "config": {"api_token": "${WS_TOKEN}", "api_url": sandbox.url, "backoff_base_s": 0.01},
        },
        "destination": {"connector": str(PLAIN_DESTINATION), "config": {"path": str(out)}},
        "streams": [
            {"name": "workers", "sync_mode": "incremental"},
            {"name": "payables", "sync_mode": "incremental"},
        ],
    }
    path = tmp_path / "ws-back.yaml"
    path.write_text(yaml.safe_dump(document))
    return path


def test_runs_send_only_the_workers_that_changed(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    env = {"WS_TOKEN": DEMO_TOKEN}
    with WingspanSandbox(seed=True, rate_limit_per_s=None) as sandbox:
        connection = load_connection(_file(tmp_path, sandbox, out))
        store = StateStore(tmp_path / "staffwire.db")
        try:
            first = run_sync(connection, store=store, env=env)
            again = run_sync(connection, store=store, env=env)
            sandbox.onboard("bullhorn:102", at="2026-12-01T09:30:00.000Z")
            onboarded = run_sync(connection, store=store, env=env)
        finally:
            store.close()

    def written(result: RunResult) -> dict[str, int]:
        return {k: v["records_written"] for k, v in result.streams.items()}

    assert [r.status for r in (first, again, onboarded)] == ["succeeded"] * 3
    assert written(first) == {"workers": 6, "payables": 6}
    assert written(again) == {"workers": 0, "payables": 0}
    assert written(onboarded) == {"workers": 1, "payables": 0}
    last = json.loads(out.read_text().splitlines()[-1])
    assert (last["stream"], last["candidate_id"], last["onboarding_status"], last["onboarded_at"]) == (
        "workers",
        "bullhorn:102",
        "ready",
        "2026-12-01T09:30:00Z",
    )
