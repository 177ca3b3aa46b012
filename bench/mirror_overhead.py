"""What the mirror adds to a sync, and whether its memory stays flat as a sync grows.

Usage::

    .venv/bin/python bench/mirror_overhead.py [--records 100000] [--runs 3] [--big 1000000]

A connection runs ``--records`` standard ``candidates`` records (about 700 bytes each: names, email, phones,
address, status, owner, skills, timestamps; ids, emails and statuses vary per record, a STATE every 10,000) from
a fast source into a destination that only confirms states, both plain Airbyte-protocol subprocesses (this
``bench/mirror_overhead/source.py`` / ``destination.py``), so the runner's own relay is the whole cost of a plain sync and the
mirror's share is as large as it can be. Each measurement is one ``staffwire sync`` in a fresh process (its wall
time, and its peak RSS from ``getrusage``), mirror off and on (the embedded DuckDB file next to the run history)
interleaved ``--runs`` times, each on a fresh database, with the CPU time of the whole process tree (runner,
source, destination: user + system). Then the same sync with the mirror on at ``--big`` records: the peak RSS must
not grow with the record count (the mirror spools records to disk and loads them in batches of 20,480 lines into
a buffer pool of 96MB). Targets: the mirror adds at most 25% to the wall time at 100k records; peak RSS at 1M
within 1.25x of peak RSS at 100k. On a shared, loaded machine the wall time follows the CPU time: read both.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
CONNECTORS = HERE.parent / "mirror_overhead"


def one(records: int, mirror: bool) -> dict:
    """One sync in this process: wall time and peak RSS."""
    from staffwire.runner import StateStore, parse_connection, run_sync

    with tempfile.TemporaryDirectory(prefix="staffwire-bench-") as tmp:
        connection = parse_connection(
            {
                "name": "bench",
                "source": {"connector": str(CONNECTORS / "source.py"), "config": {"records": records}},
                "destination": {"connector": str(CONNECTORS / "destination.py"), "config": {}},
                "streams": [
                    {"name": "candidates", "sync_mode": "incremental", "destination_sync_mode": "append"}
                ],
                **({"mirror": True} if mirror else {}),
            },
            base_dir=Path(tmp),
        )
        store = StateStore(Path(tmp) / "staffwire.db")
        started = time.perf_counter()
        result = run_sync(connection, store=store)
        wall = time.perf_counter() - started
        store.close()
        assert result.status == "succeeded", result.error
        assert result.streams["candidates"]["records_read"] == records
        if mirror:
            import duckdb

            landed = duckdb.connect(str(Path(tmp) / "mirror.duckdb"), read_only=True)
            assert landed.execute("SELECT count(*) FROM mirror_records").fetchone() == (records,)
            landed.close()
    return {"wall_s": wall, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def measure(records: int, mirror: bool) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, str(HERE), "one", str(records), "on" if mirror else "off"],
        capture_output=True,
        text=True,
        check=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "cpu_s": cpu}


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "one":
        print(json.dumps(one(int(sys.argv[2]), sys.argv[3] == "on")))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--big", type=int, default=1_000_000)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    measure(2_000, True)  # warm the page cache and the connector processes' imports
    walls: dict[bool, list[float]] = {False: [], True: []}
    cpus: dict[bool, list[float]] = {False: [], True: []}
    rss: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(args.runs):
        for mirror in (False, True):
            m = measure(args.records, mirror)
            walls[mirror].append(m["wall_s"])
            cpus[mirror].append(m["cpu_s"])
            rss[mirror].append(m["peak_rss_mb"])
    off, on = statistics.median(walls[False]), statistics.median(walls[True])
    cpu_off, cpu_on = statistics.median(cpus[False]), statistics.median(cpus[True])
    print(
        f"{args.records:,} records, median of {args.runs} (load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after):"
    )
    for label, mirror in (("mirror off", False), ("mirror on ", True)):
        print(
            f"  {label}: {statistics.median(walls[mirror]):.2f} s  (runs: "
            f"{', '.join(f'{w:.2f}' for w in walls[mirror])}), CPU {statistics.median(cpus[mirror]):.2f} s, "
            f"peak RSS {max(rss[mirror]):.0f} MB"
        )
    print(f"  mirror overhead: {100 * (on - off) / off:+.1f}% of the sync's wall time (target <= +25%)")
    print(f"  mirror CPU: {100 * (cpu_on - cpu_off) / cpu_off:+.1f}% of the sync's CPU time")
    if args.big:
        big = measure(args.big, True)
        small = max(rss[True])
        print(
            f"  mirror on at {args.big:,} records: {big['wall_s']:.2f} s, CPU {big['cpu_s']:.2f} s, peak RSS "
            f"{big['peak_rss_mb']:.0f} MB ({big['peak_rss_mb'] / small:.2f}x the {args.records:,}-record peak; "
            f"target <= 1.25x; load average {os.getloadavg()[0]:.1f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
