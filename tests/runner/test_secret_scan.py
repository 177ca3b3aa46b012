"""The adversarial secret scan of issue 16, in both runner modes (in-process plugins and --subprocess).

Through `staffwire sync` (real processes, real HTTP against the sandboxes): a Zoho token endpoint that always
answers cut short (L1: a freshly issued token used to be quoted; in-process mode), then a Bullhorn -> Wingspan sync killed with
kill -9 in the middle (L2: resolved configs used to be left in the temp folder), then the rerun. Afterwards no
secret -- config secrets, every token the sandboxes issued, in raw, URL-encoded and JSON-escaped form, or its
first 16 characters -- may appear in stdout, stderr, any file under the run's temp folder or working folder (log
files included), the history database (and its WAL), or the JSON of `sync --json`, `runs --json` and
`runs show --json`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
import yaml
from destination_wingspan.sandbox import WingspanSandbox
from source_bullhorn.sandbox import BullhornSandbox
from source_zoho.sandbox import ZohoSandbox
from staffwire.runner import StateStore
from staffwire.runner.demo import DEMO_PAYABLES_MAPPING

STAFFWIRE = [sys.executable, "-m", "staffwire.cli"]


@pytest.fixture
def sandboxes() -> Iterator[tuple[BullhornSandbox, ZohoSandbox, WingspanSandbox]]:
    with (
        BullhornSandbox(seed=7, candidates=40) as bullhorn,
        ZohoSandbox(recruit_sizes={"Candidates": 5}) as zoho,
        WingspanSandbox() as wingspan,
    ):
        yield bullhorn, zoho, wingspan


def _forms(secret: str) -> set[str]:
    forms = {secret, quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1]}
    if len(secret) > 16:
        forms.add(secret[:16])
    return {f for f in forms if len(f) >= 8}


class Runner:
    """Runs `staffwire sync` / `runs` as processes with a private TMPDIR, keeping everything they printed."""

    def __init__(self, tmp_path: Path, env: dict[str, str], mode: list[str]) -> None:
        self.tmp = tmp_path / "tmp"
        self.tmp.mkdir()
        self.db = tmp_path / "staffwire.db"
        self.env = {**os.environ, **env, "TMPDIR": str(self.tmp)}
        self.mode = mode
        self.printed: list[str] = []

    def command(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [*STAFFWIRE, *args, "--db", str(self.db)],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.printed += [done.stdout, done.stderr]
        return done

    def sync(self, file: Path, *extra: str) -> subprocess.CompletedProcess[str]:
        return self.command("sync", str(file), *self.mode, *extra)

    def start(self, file: Path) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [*STAFFWIRE, "sync", str(file), *self.mode, "--db", str(self.db), "-q"],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )


def _connection(tmp_path: Path, name: str, source: dict[str, Any], destination: dict[str, Any]) -> Path:
    document = {
        "name": name,
        "source": source,
        "destination": destination,
        "streams": [{"name": "candidates"}] + ([{"name": "placements"}] if name == "bh-ws" else []),
    }
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(document))
    return path


def _committed(db: Path) -> int:
    store = StateStore(db)
    try:
        return sum(
            s["records_written"] + s["records_rejected"] + (s.get("records_ignored") or 0)
            for r in store.runs(connection="bh-ws")
            for s in (store.run(r["id"]) or {}).get("streams", [])
            if s["stream"] == "candidates"
        )
    finally:
        store.close()


@pytest.mark.parametrize("mode", [[], ["--subprocess"]], ids=["in-process", "subprocess"])
def test_no_secret_in_any_output_file_database_or_json_after_faults_and_kill_9(
    sandboxes: tuple[BullhornSandbox, ZohoSandbox, WingspanSandbox], tmp_path: Path, mode: list[str]
) -> None:
    bullhorn, zoho, wingspan = sandboxes
    bh = bullhorn.demo_config(page_size=10)
    zh = zoho.demo_config(retry_base_delay=0.001)
    ws = wingspan.demo_config(stream_mappings=[DEMO_PAYABLES_MAPPING], poll_interval_s=0.01)
    env = {
        "BH_SECRET": bh.pop("client_secret"),
        "BH_PASSWORD": bh.pop("password"),
        "ZH_SECRET": zh.pop("client_secret"),
        "ZH_REFRESH": zh.pop("refresh_token"),
        "WS_TOKEN": ws.pop("api_token"),
    }
    wingspan_side = {"connector": "destination-wingspan", "config": {**ws, "api_token": "${WS_TOKEN}"}}
    zoho_file = _connection(
        tmp_path,
        "zh-ws",
        {
            "connector": "source-zoho",
            "config": {**zh, "client_secret": "${ZH_SECRET}", "refresh_token": "${ZH_REFRESH}"},
        },
        wingspan_side,
    )
    bullhorn_file = _connection(
        tmp_path,
        "bh-ws",
        {
            "connector": "source-bullhorn",
            "config": {**bh, "client_secret": "${BH_SECRET}", "password": "${BH_PASSWORD}"},
        },
        wingspan_side,
    )
    runner = Runner(tmp_path, env, mode)

    runs = 2
    if not mode:  # L1 through the runner once (the masking does not depend on the mode; the kill below does)
        runs = 3
        zoho.faults.truncate("/oauth/v2/token", times=None)  # every answer cut short, each with a live token
        failed = runner.sync(zoho_file, "--json")
        assert failed.returncode == 1
        outcome = json.loads(failed.stdout)
        assert outcome["status"] == "failed" and outcome["failure_type"] == "transient_error"
        assert "answered truncated or invalid JSON for POST /oauth/v2/token (HTTP 200, " in outcome["error"]
        assert len(zoho.issued_tokens()) >= 2

    # L2: kill -9 mid-run
    bullhorn.faults.slow(r"/(search|query)/", delay=0.05, times=None)
    killed = runner.start(bullhorn_file)
    deadline = time.monotonic() + 60
    while _committed(runner.db) < 10:
        assert killed.poll() is None, killed.communicate()
        assert time.monotonic() < deadline, "no progress to kill"
        time.sleep(0.05)
    leftovers = sorted(p.name for p in runner.tmp.iterdir())
    assert leftovers and all(name.startswith(f"staffwire-run-{killed.pid}-") for name in leftovers)
    os.kill(killed.pid, signal.SIGKILL)
    out, err = killed.communicate()
    runner.printed += [out, err]
    files_after_kill = {p: p.read_bytes() for p in runner.tmp.rglob("*") if p.is_file()}
    bullhorn.faults.clear()

    resumed = runner.sync(bullhorn_file, "--json")
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads(resumed.stdout)["status"] == "succeeded"
    assert sorted(runner.tmp.iterdir()) == []  # the killed run's folder was cleared at start
    listing = runner.command("runs", "--json")
    ids = [r["id"] for r in json.loads(listing.stdout)]
    assert len(ids) == runs
    for run_id in ids:
        runner.command("runs", "show", str(run_id), "--json")

    secrets = [*env.values(), *bullhorn.issued_tokens(), *zoho.issued_tokens()]
    places: dict[str, str] = {f"printed output {i}": text for i, text in enumerate(runner.printed)}
    places.update({f"temp file {p}": data.decode("utf-8", "replace") for p, data in files_after_kill.items()})
    # The rotated configs (Bullhorn's reusable session, Zoho's access token) must be kept for the next run: they
    # live in <db>.credentials, mode 0600, apart from the history; every other file is scanned.
    credentials = runner.db.with_name(runner.db.name + ".credentials")
    assert credentials.stat().st_mode & 0o777 == 0o600
    for path in [*tmp_path.rglob("*.db*"), *tmp_path.rglob("*.log"), *tmp_path.rglob("*.json*")]:
        if path.is_file() and not path.name.startswith(credentials.name):
            places[f"file {path}"] = path.read_bytes().decode("utf-8", "replace")
    assert any("staffwire.db" in where for where in places)
    for secret in secrets:
        for form in _forms(secret):
            leaked = [where for where, text in places.items() if form in text]
            assert not leaked, f"{form!r} (a form of a secret) found in {leaked}"
