"""destination-quickbooks registers itself and its sandbox through the staffwire.connectors entry point."""

from __future__ import annotations

import subprocess
import sys
import time

import requests
from destination_quickbooks import DestinationQuickBooks
from destination_quickbooks.sandbox import QuickBooksSandbox
from staffwire.plugins import PluginManager


def test_the_entry_point_registers_the_destination_and_its_sandbox() -> None:
    pm = PluginManager()
    pm.load_entrypoint_plugins()
    [info] = [c for c in pm.connectors() if c.name == "destination-quickbooks"]
    assert info.cls is DestinationQuickBooks
    assert pm.sandboxes()["quickbooks"] is QuickBooksSandbox


def test_the_sandbox_runs_as_a_module_and_prints_a_config_for_it() -> None:
    with QuickBooksSandbox() as probe:  # borrow a free port
        port = probe.port
    proc = subprocess.Popen(
        [sys.executable, "-m", "destination_quickbooks.sandbox", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert proc.stdout is not None
        assert (
            proc.stdout.readline()
            .decode()
            .startswith(f"quickbooks sandbox listening on http://127.0.0.1:{port}")
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                answer = requests.post(
                    f"http://127.0.0.1:{port}/oauth2/v1/tokens/bearer",
                    data={
                        "grant_type": "refresh_token",
                        "refresh_token": "AB11775000000sandboxRefreshToken0001",
                    },
                    auth=("ABqbo-sandbox-client-7Hn2", "qbo-sandbox-secret-3f9a1c7e5b2d"),
                    timeout=2,
                )
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        assert answer.json()["token_type"] == "bearer"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
