"""`staffwire sandbox run <system>` serves a plugin's emulator in the foreground until interrupted."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STAFFWIRE = str(Path(sys.executable).parent / "staffwire")


@contextmanager
def sandbox_run(
    system: str, env: dict[str, str] | None = None, *options: str
) -> Iterator[subprocess.Popen[str]]:
    """`staffwire sandbox run <system>` in the background; killed at the end if the test did not stop it."""
    proc = subprocess.Popen(
        [STAFFWIRE, "sandbox", "run", system, *options],
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


def _started(proc: subprocess.Popen[str]) -> tuple[str, dict[str, object], list[str]]:
    """The URL, the printed connector config and the fault / admin lines of a started `sandbox run`."""
    assert proc.stdout is not None
    url = re.fullmatch(r"\S+ sandbox listening on (\S+) \(Ctrl-C to stop\)\n", proc.stdout.readline())
    assert url, "no listening line"
    proc.stdout.readline()
    text = ""
    while not text.endswith("}\n"):
        text += proc.stdout.readline()
    lines = []
    while not lines or not lines[-1].startswith("admin: "):
        lines.append(proc.stdout.readline().rstrip("\n"))
    return url.group(1), json.loads(text), lines


def _get(url: str) -> object:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def test_sandbox_run_switches_faults_on_and_lists_the_tokens_it_issued(tmp_path: Path) -> None:
    # issue 16, R1 from the command line: one cut-off token answer is retried and check still succeeds
    with sandbox_run(
        "bullhorn", None, "--fault", "truncate@/oauth/token,times=1", "--fault", "expire-tokens,uses=50"
    ) as proc:
        url, config, lines = _started(proc)
        assert lines == [
            "fault switch on: truncate on /oauth/token (1 time(s))",
            "fault switch on: tokens and sessions expire after 50 uses",
            f"admin: GET {url}/__staffwire/tokens lists the tokens issued; GET/POST {url}/__staffwire/faults "
            "lists / switches on faults",
        ]
        path = tmp_path / "config.json"
        path.write_text(json.dumps(config))
        check = subprocess.run(
            [str(Path(sys.executable).parent / "source-bullhorn"), "check", "--config", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert json.loads(check.stdout.splitlines()[-1])["connectionStatus"] == {"status": "SUCCEEDED"}
        tokens = _get(url + "/__staffwire/tokens")
        assert isinstance(tokens, dict)
        # the cut-off answer spent its single-use code: the login started over with a second code
        assert [len(tokens[book]) for book in ("codes", "access_tokens", "refresh_tokens", "sessions")] == [
            2,
            2,
            2,
            1,
        ]
        assert [t["live"] for t in tokens["sessions"]] == [True]
        faults = _get(url + "/__staffwire/faults")
        assert faults == [
            {
                "kind": "truncate",
                "path": "/oauth/token",
                "method": None,
                "status": 500,
                "times": 1,
                "after": 0,
                "fired": 1,
            }
        ]
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0


def test_sandbox_run_size_seeds_that_many_candidates_and_bad_switches_are_refused() -> None:
    with sandbox_run("bullhorn", None, "--size", "3") as proc:
        url, _config, _lines = _started(proc)
        request = urllib.request.Request(
            url + "/__staffwire/faults", data=b'{"spec": "nonsense@/x"}', method="POST"
        )
        try:
            urllib.request.urlopen(request, timeout=10)
            raise AssertionError("a bad fault spec was accepted")
        except urllib.error.HTTPError as exc:
            assert exc.code == 400
            assert json.loads(exc.read())["error"].startswith(
                "unknown fault kind 'nonsense' in 'nonsense@/x'"
            )
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    bad = subprocess.run(
        [STAFFWIRE, "sandbox", "run", "bullhorn", "--fault", "slow@/x,delay=soon"],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1
    assert "--fault: option delay of 'slow@/x,delay=soon' must be a number, got 'soon'." in bad.stderr
