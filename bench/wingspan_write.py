"""Write throughput of destination-wingspan against its sandbox's write rate limit, with a duplicate check.

Usage::

    .venv/bin/python bench/wingspan_write.py [--contractors 1500] [--payables 1500] [--limit 100] [--runs 2]

Starts a Wingspan sandbox on loopback that enforces ``--limit`` writes per second per account (429 beyond it, as
the real API does at its published 100 writes/s), then runs the real ``destination-wingspan write`` console script
with the same limit in its config and ``--contractors`` placed candidates plus ``--payables`` payables on stdin.
Reports the writes per second the destination achieved while writing (first to last write request, so time spent
waiting for Wingspan to process batches does not count), as a percentage of the limit (target: at least 90%), the
429s it caused, and whether every contractor and payable exists exactly once. ``--runs 2`` re-sends the same input:
the second run must write nothing new.
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

from destination_wingspan.sandbox import WingspanSandbox
from destination_wingspan.testing import candidate, catalog, payable, record, state

EXE = Path(sys.executable).parent / "destination-wingspan"


def input_lines(contractors: int, payables: int) -> bytes:
    messages: list[dict[str, Any]] = [record("candidates", candidate(i)) for i in range(1, contractors + 1)]
    messages.append(state("candidates", "bench"))
    messages += [
        record("payables", payable(f"bench-{i}", (i - 1) % contractors + 1)) for i in range(1, payables + 1)
    ]
    messages.append(state("payables", "bench"))
    return b"".join(json.dumps(m).encode() + b"\n" for m in messages)


def run_once(sandbox: WingspanSandbox, config: Path, catalog_path: Path, stdin: bytes) -> dict[str, Any]:
    first_log = len(sandbox.log)
    started = time.perf_counter()
    proc = subprocess.run(
        [str(EXE), "write", "--config", str(config), "--catalog", str(catalog_path)],
        input=stdin,
        capture_output=True,
        check=False,
    )
    wall = time.perf_counter() - started
    writes = [r for r in sandbox.log[first_log:] if r.method != "GET"]
    limited = sum(1 for r in writes if r.status == 429)
    accepted = [r for r in writes if r.status != 429]
    window = (accepted[-1].at - accepted[0].at) if len(accepted) > 1 else 0.0
    states = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith(b'{"type":"STATE"')]
    return {
        "exit": proc.returncode,
        "wall": wall,
        "writes": len(accepted),
        "limited": limited,
        "window": window,
        "states": len(states),
        "stderr": proc.stderr.decode()[-500:],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contractors", type=int, default=1500)
    parser.add_argument("--payables", type=int, default=1500)
    parser.add_argument(
        "--limit", type=float, default=100.0, help="the sandbox's (and the config's) writes/s"
    )
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args(argv)

    stdin = input_lines(args.contractors, args.payables)
    with (
        WingspanSandbox(process_delay=0.05, rate_limit_per_s=args.limit, dedupe_by_email=False) as sandbox,
        tempfile.TemporaryDirectory(prefix="wingspan-bench-") as tmp,
    ):
        config_path, catalog_path = Path(tmp) / "config.json", Path(tmp) / "catalog.json"
        config_path.write_text(
            json.dumps(
                sandbox.demo_config(
                    writes_per_second=args.limit,
                    max_concurrency=args.concurrency,
                    poll_interval_s=0.1,
                    contractor_batch_size=1000,
                    payable_batch_size=1000,
                )
            )
        )
        catalog_path.write_text(json.dumps(catalog("candidates", "payables")))
        print(
            f"destination-wingspan -> Wingspan sandbox limited to {args.limit:g} writes/s: "
            f"{args.contractors} contractors, {args.payables} payables"
        )
        ok = True
        for n in range(1, args.runs + 1):
            result = run_once(sandbox, config_path, catalog_path, stdin)
            rate = (result["writes"] - 1) / result["window"] if result["window"] else 0.0
            print(
                f"run {n}: exit {result['exit']}, {result['states']} states echoed, {result['writes']} writes "
                f"in {result['window']:.2f}s of writing ({result['wall']:.2f}s wall) = {rate:.1f} writes/s "
                f"({rate / args.limit:.0%} of the limit), {result['limited']} answered 429"
            )
            if result["exit"] != 0:
                print(result["stderr"])
                ok = False
            if n == 1 and rate < 0.9 * args.limit:
                ok = False
        externals = Counter(c["externalId"] for c in sandbox.contractors())
        references = Counter(p["bulkPayableItemReference"] for p in sandbox.payables())
        duplicates = sum(v - 1 for v in externals.values()) + sum(v - 1 for v in references.values())
        print(
            f"end state: {len(externals)} contractors (expected {args.contractors}), {len(references)} payables "
            f"(expected {args.payables}), {duplicates} duplicates"
        )
        ok = (
            ok and duplicates == 0 and len(externals) == args.contractors and len(references) == args.payables
        )
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
