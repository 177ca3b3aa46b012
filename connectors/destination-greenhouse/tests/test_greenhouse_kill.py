"""destination-greenhouse killed (SIGKILL) in the middle of submitting and run again with the same input: every
candidate, application, resume and note exists exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from destination_greenhouse.testing import candidate, catalog, config, state, submission, write
from source_greenhouse.sandbox import GreenhouseSandbox

EXE = Path(sys.executable).parent / "destination-greenhouse"
MOMENTS = {
    "creating-candidates": r"^/v3/candidates$",
    "creating-applications": r"^/v3/applications$",
}


@pytest.mark.skipif(not EXE.exists(), reason="the destination-greenhouse console script is not installed")
@pytest.mark.parametrize("path", list(MOMENTS.values()), ids=list(MOMENTS))
def test_killed_mid_submission_then_rerun_leaves_everything_once(tmp_path: Path, path: str) -> None:
    jobs = [4001, 4002, 4003, 4004, 4006]
    messages = [candidate(n, resume_url=f"https://x.example/cv{n}.pdf") for n in range(1, 6)]
    messages += [submission(n, jobs[n - 1]) for n in range(1, 6)]
    messages.append(state(1))
    with GreenhouseSandbox(candidates=6, rate_limit=None) as sandbox:
        cfg = config(sandbox, note_template="Submitted by {agency_name}")
        sandbox.faults.slow(path, method="POST", delay=0.12, times=None)
        config_path, catalog_path = tmp_path / "config.json", tmp_path / "catalog.json"
        config_path.write_text(json.dumps(cfg))
        catalog_path.write_text(json.dumps(catalog()))
        proc = subprocess.Popen(
            [str(EXE), "write", "--config", str(config_path), "--catalog", str(catalog_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert proc.stdin is not None
        proc.stdin.write(b"".join(json.dumps(m).encode() + b"\n" for m in messages))
        proc.stdin.close()
        deadline = time.monotonic() + 30
        while (
            len(sandbox.requests_to(path, "POST")) < 2 and time.monotonic() < deadline and proc.poll() is None
        ):
            time.sleep(0.005)
        assert proc.poll() is None, "the destination finished before it could be killed"
        time.sleep(0.05)  # inside a slowed create: the request is in, its answer not yet out
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        sandbox.faults.clear()
        # the create the killed process had in flight still completes at Greenhouse (its answer goes nowhere);
        # a rerun comes after that, as it does in life: no client can see a create that has not happened yet
        time.sleep(0.4)

        rerun = write(sandbox, cfg, messages)

        assert rerun.exit_code == 0, rerun.trace_errors
        ours = {
            c["id"]: c
            for c in sandbox.tables["candidates"].values()
            if c["email_addresses"] and c["email_addresses"][0]["value"].endswith("@agency-talent.example")
        }
        emails = Counter(c["email_addresses"][0]["value"] for c in ours.values())
        assert sorted(emails.values()) == [1] * 5
        apps = [a for a in sandbox.tables["applications"].values() if a["candidate_id"] in ours]
        assert sorted((a["candidate_id"], a["job_id"]) for a in apps) == sorted(
            (next(i for i, c in ours.items() if c["first_name"] == f"First{n}"), jobs[n - 1])
            for n in range(1, 6)
        )
        resumes = Counter(
            a["application_id"]
            for a in sandbox.tables["attachments"].values()
            if a["application_id"] in {x["id"] for x in apps}
        )
        assert sorted(resumes.values()) == [1] * 5
        notes = Counter(n["candidate_id"] for n in sandbox.tables["notes"].values())
        assert sorted(notes.values()) == [1] * 5
