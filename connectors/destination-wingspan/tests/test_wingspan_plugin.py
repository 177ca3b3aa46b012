"""destination-wingspan registers itself and its sandbox through the staffwire.connectors entry point."""

from __future__ import annotations

import subprocess
import sys
import time

import requests
from destination_wingspan import DestinationWingspan
from destination_wingspan.sandbox import DEMO_TOKEN, WingspanSandbox
from staffwire.plugins import PluginManager


def test_the_entry_point_registers_the_destination_and_its_sandbox() -> None:
    pm = PluginManager()
    pm.load_entrypoint_plugins()
    [info] = [c for c in pm.connectors() if c.name == "destination-wingspan"]
    assert info.cls is DestinationWingspan
    assert pm.sandboxes()["wingspan"] is WingspanSandbox


def test_the_sandbox_runs_as_a_module() -> None:
    with WingspanSandbox() as probe:  # borrow a free port
        port = probe.port
    proc = subprocess.Popen(
        [sys.executable, "-m", "destination_wingspan.sandbox", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().decode().startswith(f"demo token: {DEMO_TOKEN}")
        deadline = time.monotonic() + 10
        while True:
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/users/session/token/{DEMO_TOKEN}", timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        assert answer.json()["userId"] == "Ws7kQ2mN4pR8tV1xZ3bC5d"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
