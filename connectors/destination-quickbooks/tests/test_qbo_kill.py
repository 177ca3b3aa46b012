"""A destination process killed (SIGKILL) at any point and run again with the same input: every customer, job,
item, vendor and bill exists exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from destination_quickbooks.sandbox import QuickBooksSandbox
from destination_quickbooks.testing import catalog, fast_config, keyed, standard_input, stats, write

EXE = Path(sys.executable).parent / "destination-quickbooks"


def _logged(path: str, n: int) -> Callable[[QuickBooksSandbox], bool]:
    return lambda sb: len(sb.requests_to(path, "POST")) >= n


def _queried(entity: str) -> Callable[[QuickBooksSandbox], bool]:
    return lambda sb: any(f"FROM {entity} " in (r.arg("query") or "") for r in sb.log)


#: every write is slowed (so the process is still writing when the moment comes, however loaded the machine)
SLOW = r"/(customer|batch)$"
MOMENTS = [
    pytest.param(_queried("Customer"), id="customer-create-in-flight"),
    pytest.param(_logged(r"/batch$", 1), id="job-batch-in-flight"),
    pytest.param(_logged(r"/batch$", 3), id="bill-batch-in-flight"),
]


@pytest.mark.parametrize("moment", MOMENTS)
def test_killed_mid_write_then_rerun_leaves_everything_exactly_once(
    tmp_path: Path, moment: Callable[[QuickBooksSandbox], bool]
) -> None:
    messages = standard_input(n_placements=4, n_payables=4)
    with QuickBooksSandbox(requests_per_minute=None, batch_requests_per_minute=None) as sandbox:
        sandbox.faults.slow(SLOW, delay=0.4, times=None)
        config = fast_config(sandbox, request_timeout_s=5)
        config_path, catalog_path = tmp_path / "config.json", tmp_path / "catalog.json"
        config_path.write_text(json.dumps(config))
        catalog_path.write_text(json.dumps(catalog()))
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
        while not moment(sandbox) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.005)
        assert proc.poll() is None, "the destination finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        proc.stdout.close()
        time.sleep(1.0)  # the write in flight when the process died completes on the server
        sandbox.faults.clear()

        rerun = write(config, messages)  # the old refresh token: Intuit's grace period covers it

        assert rerun.exit_code == 0, rerun.trace_errors
        assert stats(rerun) == [
            ("clients", 1, 0),
            ("candidates", 4, 0),
            ("jobs", 1, 0),
            ("placements", 4, 0),
            ("payables", 4, 0),
        ]
        assert sorted(keyed(sandbox, "Customer", "Notes")) == ["Customer/bullhorn:80"] + [
            f"Job/bullhorn:50{i}" for i in range(1, 5)
        ]
        assert sorted(keyed(sandbox, "Vendor", "AcctNum")) == [f"bullhorn:{i}" for i in range(1, 5)]
        assert sorted(keyed(sandbox, "Item", "Sku")) == [f"bullhorn:50{i}" for i in range(1, 5)]
        bills = keyed(sandbox, "Bill", "PrivateNote")
        assert sorted(bills) == [f"Bill/timesheets:ts-{i}" for i in range(1, 5)]
        assert [bills[f"Bill/timesheets:ts-{i}"]["TotalAmt"] for i in range(1, 5)] == [1250.0] * 4
        names = [c["DisplayName"] for c in sandbox.entities("Customer")] + [
            v["DisplayName"] for v in sandbox.entities("Vendor")
        ]
        assert not any(
            "[bullhorn" in n for n in names
        )  # nothing was renamed around a leftover of the killed run
