"""A destination process killed (SIGKILL) mid-batch and run again with the same input: everything exactly once."""

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
from destination_wingspan.sandbox import WingspanSandbox
from destination_wingspan.testing import catalog, fast_config, standard_input, stats, write

EXE = Path(sys.executable).parent / "destination-wingspan"
ITEM = r"/bulk/collaborator/batch/[^/]+/item$"
PAYABLE_ITEM = r"/bulk/payable/batch/[^/]+/item$"


def _posted(path: str, n: int) -> Callable[[WingspanSandbox], bool]:
    return lambda sb: len(sb.requests_to(path, "POST")) >= n


def _submitted(kind: str) -> Callable[[WingspanSandbox], bool]:
    return lambda sb: any(
        b"Pending" in r.body for r in sb.requests_to(rf"/bulk/{kind}/batch/[^/]+$", "PATCH")
    )


MOMENTS = [
    pytest.param(
        lambda f: f.slow(ITEM, delay=0.15, times=None), _posted(ITEM, 3), id="adding-contractor-items"
    ),
    pytest.param(lambda f: None, _submitted("collaborator"), id="contractor-batch-processing"),
    pytest.param(
        lambda f: f.slow(PAYABLE_ITEM, delay=0.15, times=None),
        _posted(PAYABLE_ITEM, 2),
        id="adding-payable-items",
    ),
    pytest.param(lambda f: None, _submitted("payable"), id="payable-batch-processing"),
]


@pytest.mark.parametrize(("slow_down", "moment"), MOMENTS)
def test_killed_mid_batch_then_rerun_ends_with_each_contractor_and_payable_once(
    tmp_path: Path, slow_down: Callable, moment: Callable[[WingspanSandbox], bool]
) -> None:
    messages = standard_input(n_candidates=6, n_payables=5)
    with WingspanSandbox(process_delay=0.4, rate_limit_per_s=None, dedupe_by_email=False) as sandbox:
        slow_down(sandbox.faults)
        config_path, catalog_path = tmp_path / "config.json", tmp_path / "catalog.json"
        config_path.write_text(json.dumps(fast_config(sandbox)))
        catalog_path.write_text(json.dumps(catalog()))
        proc = subprocess.Popen(
            [str(EXE), "write", "--config", str(config_path), "--catalog", str(catalog_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert proc.stdin is not None
        proc.stdin.write(b"".join(json.dumps(m).encode() + b"\n" for m in messages))
        proc.stdin.close()
        deadline = time.monotonic() + 20
        while not moment(sandbox) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.005)
        assert proc.poll() is None, "the destination finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        assert proc.stdout is not None
        proc.stdout.close()
        sandbox.faults.clear()

        rerun = write(fast_config(sandbox), messages)

        assert rerun.exit_code == 0, rerun.trace_errors
        assert stats(rerun) == [("candidates", 6, 0), ("placements", 1, 0), ("payables", 5, 0)]
        contractors = sandbox.contractors()
        assert sorted(c["externalId"] for c in contractors) == [f"bullhorn:{i}" for i in range(1, 7)]
        payables = sandbox.payables()
        assert sorted(p["labels"]["staffwireReference"] for p in payables) == [f"ts-{i}" for i in range(1, 6)]
        ordered = sorted(payables, key=lambda p: p["labels"]["staffwireReference"])
        assert [(p["amount"], len(p["lineItems"])) for p in ordered] == [(1250.0, 1), (1250.0, 2)] * 2 + [
            (1250.0, 1)
        ]
        by_external = {c["externalId"]: c["collaboratorId"] for c in contractors}
        assert all(
            p["collaboratorId"] == by_external[f"bullhorn:{p['labels']['staffwireReference'][3:]}"]
            for p in payables
        )
