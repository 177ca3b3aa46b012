"""A read killed mid-stream (kill -9 of the real console script) resumes from its last state: nothing is lost and
only the rows after the last checkpoint are read again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from source_bullhorn.sandbox import BullhornSandbox

SCRIPT = Path(sys.executable).with_name("source-bullhorn")


def test_state_resume_after_the_process_is_killed_mid_read(
    make_bullhorn: Any, helpers: Any, tmp_path: Path
) -> None:
    with BullhornSandbox(seed=9, candidates=400) as sandbox:
        bullhorn = make_bullhorn(sandbox)
        config = bullhorn.config(page_size=25, max_concurrency=1)
        catalog = bullhorn.catalog(config, ["Candidate"], "incremental")
        (tmp_path / "config.json").write_text(json.dumps(config))
        (tmp_path / "catalog.json").write_text(json.dumps(catalog))
        sandbox.faults.slow(r"/search/Candidate", delay=0.05, times=None, after=4)
        process = subprocess.Popen(
            [
                str(SCRIPT),
                "read",
                "--config",
                str(tmp_path / "config.json"),
                "--catalog",
                str(tmp_path / "catalog.json"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        seen: list[int] = []
        states: list[dict[str, Any]] = []
        assert process.stdout is not None
        for line in process.stdout:
            message = json.loads(line)
            if message["type"] == "RECORD":
                seen.append(message["record"]["data"]["id"])
            elif message["type"] == "STATE":
                states.append(message["state"])
                if len(states) == 5:
                    process.send_signal(signal.SIGKILL)
                    break
        process.wait(timeout=10)
        assert process.returncode == -signal.SIGKILL
        sandbox.faults.clear()
        last = states[-1]
        window = last["stream"]["stream_state"]["window"]
        resumed = bullhorn.read(
            config, ["Candidate"], mode="incremental", state=[{"type": "STREAM", "stream": last["stream"]}]
        )
        again = helpers.ids(resumed, "Candidate")
        assert again == [i for i in sandbox.ids("Candidate") if i > window["after_id"]]
        assert sorted(set(seen) | set(again)) == sandbox.ids("Candidate")
        assert resumed.states[-1]["stream"]["stream_state"] == {"dateLastModified": window["to"]}
