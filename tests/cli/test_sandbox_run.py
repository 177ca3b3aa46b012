"""`staffwire sandbox run <system>` serves a plugin's emulator in the foreground until interrupted."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STAFFWIRE = str(Path(sys.executable).parent / "staffwire")


@contextmanager
def sandbox_run(system: str, env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[str]]:
    """`staffwire sandbox run <system>` in the background; killed at the end if the test did not stop it."""
    proc = subprocess.Popen(
        [STAFFWIRE, "sandbox", "run", system],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def test_sandbox_run_serves_the_emulator_until_ctrl_c(pets_plugin: Path) -> None:
    with sandbox_run("pets", env={**os.environ, "PYTHONPATH": str(pets_plugin)}) as proc:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.fullmatch(
            r"pets sandbox listening on (http://127\.0\.0\.1:\d+) \(Ctrl-C to stop\)\n", line
        )
        assert match, line
        with urllib.request.urlopen(match.group(1) + "/pets", timeout=10) as response:
            assert json.loads(response.read()) == [{"id": 1, "name": "Rex"}]
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0


def test_sandbox_run_prints_a_connector_config_that_passes_check(tmp_path: Path) -> None:
    with sandbox_run("bullhorn") as proc:
        assert proc.stdout is not None
        url = re.fullmatch(
            r"bullhorn sandbox listening on (\S+) \(Ctrl-C to stop\)\n", proc.stdout.readline()
        )
        assert url, "no listening line"
        assert proc.stdout.readline() == (
            "a connector config for it (the sandbox's demo credentials, not real ones):\n"
        )
        text = ""
        while not text.endswith("}\n"):
            text += proc.stdout.readline()
        config = json.loads(text)
        assert config["login_info_url"] == url.group(1) + "/rest-services/loginInfo"
        path = tmp_path / "config.json"
        path.write_text(json.dumps(config))
        check = subprocess.run(
            [str(Path(sys.executable).parent / "source-bullhorn"), "check", "--config", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert json.loads(check.stdout.splitlines()[-1]) == {
            "type": "CONNECTION_STATUS",
            "connectionStatus": {"status": "SUCCEEDED"},
        }
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
