"""Faults while writing back: 429, 5xx, an expired BhRestToken, a connection dropped after Bullhorn performed the
write, and a destination killed (SIGKILL) mid-run and run again: exact values, no duplicate creates."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from source_bullhorn.sandbox import BullhornSandbox

from .conftest import rejections, stats

EXE = Path(sys.executable).parent / "destination-bullhorn"
NOTES = {
    "notes": {
        "mapping": {
            "externalID": {"template": "staffwire:onboarded:{id}"},
            "personReference": "ats_id",
            "comments": {"template": "Wingspan onboarding complete on {completed_on}"},
        }
    }
}
NOTE_CATALOG = ("notes", "Note", "append_dedup")
CANDIDATES = {"workers": {"mapping": {"id": "ats_id", "customText3": "onboarding_status"}}}
CANDIDATE_CATALOG = ("workers", "Candidate", "update")


def _notes(n: int) -> list[dict[str, Any]]:
    return [{"id": f"wingspan:{i}", "ats_id": i + 1, "completed_on": "2026-12-01"} for i in range(n)]


def _onboarded(sandbox: BullhornSandbox) -> dict[str, int]:
    """externalID -> how many notes carry it."""
    counts: dict[str, int] = {}
    for note in sandbox.rows["Note"].values():
        key = note.get("externalID") or ""
        if key.startswith("staffwire:onboarded:"):
            counts[key] = counts.get(key, 0) + 1
    return counts


def _expire_sessions_at(sandbox: BullhornSandbox, path: str) -> Callable[[BullhornSandbox], None]:
    def install(sb: BullhornSandbox) -> None:
        original = sb.before_request
        done = {"expired": False}

        def before(request: Any) -> Any:
            if not done["expired"] and path in request.path and request.method in ("POST", "PUT"):
                done["expired"] = True
                sb.expire_sessions()
            return original(request)

        sb.before_request = before  # type: ignore[method-assign]

    return install


FAULTS: dict[str, Callable[[BullhornSandbox], Any]] = {
    "429 on a write": lambda sb: sb.faults.rate_limit(r"/entity/", method="PUT", times=2, retry_after="0"),
    "429 on a compare read": lambda sb: sb.faults.rate_limit(r"/search/Note", times=2),
    "500 on a create": lambda sb: sb.faults.server_error(r"/entity/Note$", method="PUT", times=2),
    "503 on a read": lambda sb: sb.faults.server_error(r"/search/Note", status=503, times=1),
    "dropped after the create was performed": lambda sb: sb.faults.drop(
        r"/entity/Note$", method="PUT", applied=True, times=2
    ),
    "dropped before the create reached Bullhorn": lambda sb: sb.faults.drop(
        r"/entity/Note$", method="PUT", times=1
    ),
    "expired BhRestToken": lambda sb: _expire_sessions_at(sb, "/entity/Note")(sb),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_notes_are_created_exactly_once_under_every_fault(
    writeback: Any, sandbox: BullhornSandbox, fault: str
) -> None:
    FAULTS[fault](sandbox)
    result = writeback.write(
        writeback.config(NOTES), writeback.catalog(NOTE_CATALOG), writeback.messages("notes", _notes(4))
    )
    assert result.exit_code == 0, result.trace_errors
    assert stats(result)[0]["createdRecordCount"] == 4.0 and rejections(result) == []
    assert _onboarded(sandbox) == {f"staffwire:onboarded:wingspan:{i}": 1 for i in range(4)}


@pytest.mark.parametrize(
    "fault",
    [
        lambda sb: sb.faults.server_error(r"/entity/Candidate/\d+$", method="POST", times=2),
        lambda sb: sb.faults.drop(r"/entity/Candidate/\d+$", method="POST", applied=True, times=1),
        lambda sb: sb.faults.rate_limit(r"/entity/Candidate/", times=3),
    ],
    ids=["500 on an update", "dropped after the update was performed", "429 on reads and updates"],
)
def test_updates_land_with_exact_values_under_faults(
    writeback: Any, sandbox: BullhornSandbox, fault: Any
) -> None:
    fault(sandbox)
    ids = sandbox.ids("Candidate", deleted=False)[:3]
    records = [{"id": f"w{i}", "ats_id": i, "onboarding_status": f"ready-{i}"} for i in ids]
    result = writeback.write(
        writeback.config(CANDIDATES),
        writeback.catalog(CANDIDATE_CATALOG),
        writeback.messages("workers", records),
    )
    assert result.exit_code == 0, result.trace_errors
    assert [sandbox.rows["Candidate"][i].get("customText3") for i in ids] == [f"ready-{i}" for i in ids]


def test_a_bullhorn_outage_fails_the_run_as_transient_without_echoing_the_state(
    writeback: Any, sandbox: BullhornSandbox
) -> None:
    sandbox.faults.server_error(r"/entity/Note$", method="PUT", times=None)
    result = writeback.write(
        writeback.config(NOTES), writeback.catalog(NOTE_CATALOG), writeback.messages("notes", _notes(1))
    )
    assert result.exit_code == 1 and result.states == []
    assert [e["failure_type"] for e in result.trace_errors] == ["transient_error"]
    assert _onboarded(sandbox) == {}


def test_killed_mid_run_then_rerun_leaves_each_note_once(
    tmp_path: Path, writeback: Any, sandbox: BullhornSandbox
) -> None:
    messages = writeback.messages("notes", _notes(12))
    sandbox.faults.slow(r"/entity/Note$", method="PUT", delay=0.1, times=None)
    config_path, catalog_path = tmp_path / "config.json", tmp_path / "catalog.json"
    config_path.write_text(json.dumps(writeback.config(NOTES)))
    catalog_path.write_text(json.dumps(writeback.catalog(NOTE_CATALOG)))
    proc = subprocess.Popen(
        [str(EXE), "write", "--config", str(config_path), "--catalog", str(catalog_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(b"".join(json.dumps(m).encode() + b"\n" for m in messages))
    proc.stdin.close()
    deadline = time.monotonic() + 30
    while len(_onboarded(sandbox)) < 5 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.005)
    assert proc.poll() is None, "the destination finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert b'"type":"STATE"' not in proc.stdout.read()  # nothing was acknowledged
    proc.stdout.close()
    time.sleep(0.3)  # a create the sandbox was still serving when the client died lands now
    made_before_kill = len(_onboarded(sandbox))
    assert 5 <= made_before_kill < 12
    sandbox.faults.clear()

    rerun = writeback.write(
        writeback.config(NOTES), writeback.catalog(NOTE_CATALOG), messages, connector="destination-bullhorn"
    )

    assert rerun.exit_code == 0, rerun.trace_errors
    assert stats(rerun)[0]["unchangedRecordCount"] == float(made_before_kill)
    assert stats(rerun)[0]["createdRecordCount"] == float(12 - made_before_kill)
    assert _onboarded(sandbox) == {f"staffwire:onboarded:wingspan:{i}": 1 for i in range(12)}
