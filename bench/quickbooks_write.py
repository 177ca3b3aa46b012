"""Write throughput of destination-quickbooks at Intuit's rate limits, with a duplicate check.

Usage::

    .venv/bin/python bench/quickbooks_write.py [--records 400] [--mode single|batch|both] [--scale 1] [--runs 2]

Starts a QuickBooks sandbox on loopback that enforces Intuit's published per-company limits -- 500 requests per
minute, 40 batch requests per minute, 10 in flight (429 beyond them) -- and runs the real ``destination-quickbooks
write`` console script with its default limits on ``--records`` placed candidates (each one 1099 Vendor).

* ``single``: one create request per vendor (``use_batch: false``). The figure is API requests per second while
  writing (first to last write; every request counts, lookups too) against the allowed 500/60 = 8.33 per second
  (target: at least 90%).
* ``batch``: creates through /batch, 30 per request. Bounded by 40 batch requests per minute, so at most
  30 x 40 / 60 = 20 vendors per second; the figure is vendors written per second against that ceiling.

``--scale N`` runs N times faster with the same proportions (the sandbox's window is 60/N s, the connector's
limits N times the defaults), for a quick look; the reported figures use scale 1 unless said otherwise.
``--runs 2`` re-sends the same input: the second run must write nothing. Every vendor must exist exactly once.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from destination_quickbooks.sandbox import QuickBooksSandbox
from destination_quickbooks.testing import candidate, catalog, record, state

EXE = Path(sys.executable).parent / "destination-quickbooks"
WRITE_PATHS = ("/vendor", "/batch")


def input_lines(records: int) -> bytes:
    messages: list[dict[str, Any]] = [record("candidates", candidate(i)) for i in range(1, records + 1)]
    messages.append(state("candidates", "bench"))
    return b"".join(json.dumps(m).encode() + b"\n" for m in messages)


def run_once(sandbox: QuickBooksSandbox, config: Path, catalog_path: Path, stdin: bytes) -> dict[str, Any]:
    first_log = len(sandbox.log)
    started = time.perf_counter()
    proc = subprocess.run(
        [str(EXE), "write", "--config", str(config), "--catalog", str(catalog_path)],
        input=stdin,
        capture_output=True,
        check=False,
    )
    wall = time.perf_counter() - started
    calls = [r for r in sandbox.log[first_log:] if r.path.startswith("/v3/")]
    writes = [r for r in calls if r.method == "POST" and r.path.endswith(WRITE_PATHS) and r.status != 429]
    window_calls = [r for r in calls if writes and writes[0].at <= r.at <= writes[-1].at]
    window = (writes[-1].at - writes[0].at) if len(writes) > 1 else 0.0
    return {
        "exit": proc.returncode,
        "wall": wall,
        "calls": len(window_calls),
        "writes": len(writes),
        "throttled": sum(1 for r in calls if r.status == 429),
        "window": window,
        "stderr": proc.stderr.decode()[-800:],
    }


def bench(mode: str, records: int, scale: float, runs: int) -> bool:
    per_minute, batches_per_minute = 500, 40
    stdin = input_lines(records)
    with (
        QuickBooksSandbox(window_s=60.0 / scale, log_requests=True) as sandbox,
        tempfile.TemporaryDirectory(prefix="quickbooks-bench-") as tmp,
    ):
        config_path, catalog_path = Path(tmp) / "config.json", Path(tmp) / "catalog.json"
        overrides: dict[str, Any] = {"use_batch": mode == "batch", "commit_size": 100000}
        if scale != 1:
            overrides["requests_per_minute"] = int(per_minute * scale)
            overrides["batch_requests_per_minute"] = int(batches_per_minute * scale)
        config_path.write_text(json.dumps(sandbox.demo_config(**overrides)))
        catalog_path.write_text(json.dumps(catalog("candidates")))
        allowed = per_minute * scale / 60.0
        ceiling = 30 * batches_per_minute * scale / 60.0
        print(
            f"\n[{mode}] destination-quickbooks -> QuickBooks sandbox at Intuit's limits"
            f"{f' x{scale:g}' if scale != 1 else ''}: {records} vendors"
        )
        ok = True
        for n in range(1, runs + 1):
            result = run_once(sandbox, config_path, catalog_path, stdin)
            window = result["window"]
            requests_rate = (result["calls"] - 1) / window if window else 0.0
            if mode == "single" or n > 1:
                figure = f"{requests_rate:.2f} requests/s = {requests_rate / allowed:.0%} of the allowed {allowed:.2f}/s"
                passed = requests_rate >= 0.9 * allowed
            else:
                batch_rate = (result["writes"] - 1) / window if window else 0.0
                allowed_batches = batches_per_minute * scale / 60.0
                figure = (
                    f"{batch_rate:.3f} batch requests/s = {batch_rate / allowed_batches:.0%} of the allowed "
                    f"{allowed_batches:.3f}/s, i.e. {batch_rate * 30:.1f} vendors/s (ceiling {ceiling:.1f}/s)"
                )
                passed = batch_rate >= 0.9 * allowed_batches
            if n == 1:
                print(
                    f"run {n}: exit {result['exit']}, {result['writes']} write requests, {result['calls']} API requests "
                    f"in {window:.2f}s of writing ({result['wall']:.2f}s wall): {figure}; {result['throttled']} "
                    "answered 429"
                )
                ok = ok and passed
            else:
                print(
                    f"run {n}: exit {result['exit']}, {result['writes']} write requests (expected 0), "
                    f"{result['wall']:.2f}s wall, {result['throttled']} answered 429"
                )
                ok = ok and result["writes"] == 0
            if result["exit"] != 0:
                print(result["stderr"])
                ok = False
            ok = ok and result["throttled"] == 0
        keys = Counter(v.get("AcctNum") for v in sandbox.entities("Vendor") if v.get("AcctNum"))
        duplicates = sum(c - 1 for c in keys.values())
        print(f"end state: {len(keys)} vendors (expected {records}), {duplicates} duplicates")
        return ok and duplicates == 0 and len(keys) == records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=400)
    parser.add_argument("--mode", choices=("single", "batch", "both"), default="both")
    parser.add_argument("--scale", type=float, default=1.0, help="run N times faster, same proportions")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args(argv)
    modes = ("single", "batch") if args.mode == "both" else (args.mode,)
    ok = all([bench(mode, args.records, args.scale, args.runs) for mode in modes])
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
