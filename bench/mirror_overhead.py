"""What the mirror adds to a sync, and whether its memory stays flat as a sync grows.

Usage::

    .venv/bin/python bench/mirror_overhead.py [--records 100000] [--runs 3] [--big 1000000]
        [--realistic-big N] [--no-realistic]

Two cases, side by side in one run, each measured the same way: one ``staffwire sync`` in a fresh process (its
wall time, and its peak RSS from ``getrusage``) with the CPU time of the whole process tree (runner, source,
destination: user + system), mirror off and on (the embedded DuckDB file next to the run history) interleaved
``--runs`` times, each on a fresh database.

* **realistic** (the target is measured on this one): a real sync of source-bullhorn's standard ``candidates``
  stream (the connector's HTTP reads, its standard mapping and normalisation) from the Bullhorn sandbox over
  loopback, seeded with ``--records`` candidates in a process of its own (``bullhorn_read.SandboxProcess``; its
  serving CPU is not the sync's and is not counted; pages are cached by a warm-up sync), into a destination that
  only confirms states (``bench/mirror_overhead/destination.py``), through a connection file like the demo's
  (secrets as ``${VAR}``; ``mirror: true`` or not). ``--realistic-big N`` also syncs N candidates with the mirror
  on, for its peak RSS (the sandbox's own process needs ~10 KB of memory a candidate: ~10 GB at 1M).
  ``--placements`` adds the standard ``placements`` stream (about one per four candidates).
* **adversarial** (the worst case, an upper bound on the mirror's share): ``--records`` standard ``candidates``
  records (about 700 bytes each, a STATE every 10,000) from a source that writes pre-formatted lines into the same
  destination (``bench/mirror_overhead/source.py``), so the runner's own relay is the whole cost of a plain sync.
  Then the same sync with the mirror on at ``--big`` records: the peak RSS must not grow with the record count
  (the mirror spools records to disk and loads them in batches of 20,480 lines into a buffer pool of 96MB).

Targets: the mirror adds at most 25% to the wall time of a 100k-record sync (the realistic case); peak RSS at 1M
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
from typing import Any

import yaml

HERE = Path(__file__).resolve()
CONNECTORS = HERE.parent / "mirror_overhead"


def adversarial_connection(records: int) -> dict[str, Any]:
    """The worst case: a source and destination that do almost nothing, so the relay is the whole sync."""
    return {
        "name": "bench",
        "source": {"connector": str(CONNECTORS / "source.py"), "config": {"records": records}},
        "destination": {"connector": str(CONNECTORS / "destination.py"), "config": {}},
        "streams": [{"name": "candidates", "sync_mode": "incremental", "destination_sync_mode": "append"}],
    }


def one(case: str, records: int, mirror: bool) -> dict:
    """One sync in this process: wall time, peak RSS and records per stream. ``case`` is ``adversarial`` or the
    path of a connection file (the realistic case)."""
    from staffwire.runner import StateStore, load_connection, parse_connection, run_sync

    with tempfile.TemporaryDirectory(prefix="staffwire-bench-") as tmp:
        if case == "adversarial":
            document = adversarial_connection(records)
            connection = parse_connection(
                {**document, **({"mirror": True} if mirror else {})}, base_dir=Path(tmp)
            )
        else:
            connection = load_connection(case)  # the file says whether the mirror is on
            assert bool(connection.mirror) == mirror, case
        store = StateStore(Path(tmp) / "staffwire.db")
        started = time.perf_counter()
        result = run_sync(connection, store=store)
        wall = time.perf_counter() - started
        store.close()
        assert result.status == "succeeded", result.error
        read = {name: s["records_read"] for name, s in result.streams.items()}
        if case == "adversarial":
            assert read == {"candidates": records}, read
        if mirror:
            import duckdb

            landed = duckdb.connect(str(Path(tmp) / "mirror.duckdb"), read_only=True)
            assert landed.execute("SELECT count(*) FROM mirror_records").fetchone() == (sum(read.values()),)
            landed.close()
    return {
        "wall_s": wall,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "read": read,
    }


def measure(case: str, records: int, mirror: bool) -> dict:
    """One sync in a fresh process; adds the CPU time of its whole process tree (user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, str(HERE), "one", case, str(records), "on" if mirror else "off"],
        capture_output=True,
        text=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"the {case} sync failed:\n{done.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "cpu_s": cpu}


def serve_bullhorn(conn: Any, candidates: int, overrides: dict[str, Any], page_delay: float) -> None:
    """The Bullhorn sandbox for the realistic case (in its own process, driven by bullhorn_read.SandboxProcess):
    ``candidates`` Candidate rows and the entities they refer to (owners, a client corporation per 20), none of
    the entities the ``candidates`` stream does not read. Pages are cached after the warm-up sync."""
    from source_bullhorn.sandbox import BullhornSandbox, Sizes

    t0 = time.perf_counter()
    sizes = Sizes(candidates=candidates, job_submissions=0, sendouts=0, appointments=0, notes=0, tearsheets=1)
    sandbox = BullhornSandbox(seed=1, sizes=sizes).start()
    conn.send(
        {
            "banner": f"Bullhorn sandbox with {candidates:,} candidates ready in {time.perf_counter() - t0:.1f}s "
            f"at {sandbox.url}",
            "config": sandbox.demo_config(**overrides),
        }
    )
    while conn.recv() != "stop":
        conn.send(None)
    sandbox.stop()
    conn.send(None)


def bullhorn_connection(folder: Path, config: dict[str, Any], mirror: bool, streams: tuple[str, ...]) -> Path:
    """A connection file like the demo's (secrets as ``${VAR}``, their values only in this process's environment,
    which the syncs inherit): source-bullhorn's standard ``streams`` into the do-nothing destination."""
    source = dict(config)
    os.environ["BULLHORN_CLIENT_SECRET"] = source.pop("client_secret")
    os.environ["BULLHORN_PASSWORD"] = source.pop("password")
    source.update(client_secret="${BULLHORN_CLIENT_SECRET}", password="${BULLHORN_PASSWORD}")
    document = {
        "name": "bench-bullhorn",
        "source": {"connector": "source-bullhorn", "config": source},
        "destination": {"connector": str(CONNECTORS / "destination.py"), "config": {}},
        "streams": [
            {"name": name, "sync_mode": "incremental", "destination_sync_mode": "append"} for name in streams
        ],
        **({"mirror": True} if mirror else {}),
    }
    path = folder / f"bullhorn-mirror-{'on' if mirror else 'off'}.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def compare(title: str, cases: dict[bool, str], records: int, runs: int) -> dict[str, Any]:
    """Mirror off and on interleaved ``runs`` times, a fresh database each; prints the medians."""
    load_before = os.getloadavg()[0]
    walls: dict[bool, list[float]] = {False: [], True: []}
    cpus: dict[bool, list[float]] = {False: [], True: []}
    rss: dict[bool, list[float]] = {False: [], True: []}
    read: dict[str, int] = {}
    for _ in range(runs):
        for mirror in (False, True):
            m = measure(cases[mirror], records, mirror)
            walls[mirror].append(m["wall_s"])
            cpus[mirror].append(m["cpu_s"])
            rss[mirror].append(m["peak_rss_mb"])
            if read and m["read"] != read:
                raise SystemExit(f"{title}: runs read different records: {read} vs {m['read']}")
            read = m["read"]
    off, on = statistics.median(walls[False]), statistics.median(walls[True])
    cpu_off, cpu_on = statistics.median(cpus[False]), statistics.median(cpus[True])
    counts = ", ".join(f"{name} {n:,}" for name, n in read.items())
    print(
        f"{title}: {counts} records, median of {runs} (load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after):",
        flush=True,
    )
    for label, mirror in (("mirror off", False), ("mirror on ", True)):
        print(
            f"  {label}: {statistics.median(walls[mirror]):.2f} s  (runs: "
            f"{', '.join(f'{w:.2f}' for w in walls[mirror])}), CPU {statistics.median(cpus[mirror]):.2f} s, "
            f"peak RSS {max(rss[mirror]):.0f} MB"
        )
    print(f"  mirror overhead: {100 * (on - off) / off:+.1f}% of the sync's wall time (target <= +25%)")
    print(f"  mirror CPU: {100 * (cpu_on - cpu_off) / cpu_off:+.1f}% of the sync's CPU time", flush=True)
    return {"peak_rss_on": max(rss[True])}


def realistic(records: int, runs: int, big: int, streams: tuple[str, ...]) -> None:
    """The case the target is measured on: source-bullhorn's standard candidates over loopback HTTP."""
    from bullhorn_read import SandboxProcess

    settings = {"requests_per_minute": 100_000}  # no client-side rate limit: the read is CPU-bound
    sandbox = SandboxProcess(records, settings, serve=serve_bullhorn)
    try:
        with tempfile.TemporaryDirectory(prefix="staffwire-bench-") as tmp:
            cases = {
                m: str(bullhorn_connection(Path(tmp), sandbox.info["config"], m, streams))
                for m in (False, True)
            }
            measure(cases[False], records, False)  # warm-up: bytecode, and the sandbox's page cache
            small = compare(
                f"realistic (source-bullhorn standard {' + '.join(streams)} over HTTP)", cases, records, runs
            )
    finally:
        sandbox.stop()
    if big:
        sandbox = SandboxProcess(big, settings, serve=serve_bullhorn)
        try:
            with tempfile.TemporaryDirectory(prefix="staffwire-bench-") as tmp:
                on = bullhorn_connection(Path(tmp), sandbox.info["config"], True, streams)
                m = measure(str(on), big, True)
        finally:
            sandbox.stop()
        print(
            f"  realistic, mirror on at {big:,} candidates: {m['wall_s']:.2f} s, CPU {m['cpu_s']:.2f} s, peak RSS "
            f"{m['peak_rss_mb']:.0f} MB ({m['peak_rss_mb'] / small['peak_rss_on']:.2f}x the {records:,}-record peak;"
            f" load average {os.getloadavg()[0]:.1f})",
            flush=True,
        )


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "one":
        print(json.dumps(one(sys.argv[2], int(sys.argv[3]), sys.argv[4] == "on")))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--big", type=int, default=1_000_000, help="adversarial case's memory check (0: skip)"
    )
    parser.add_argument(
        "--realistic-big",
        type=int,
        default=0,
        help="also the realistic case's peak RSS at this many candidates",
    )
    parser.add_argument(
        "--placements",
        action="store_true",
        help="the realistic sync reads placements too (~1 per 4 candidates)",
    )
    parser.add_argument("--no-realistic", action="store_true", help="the adversarial case only")
    args = parser.parse_args()
    if not args.no_realistic:
        streams = ("candidates", "placements") if args.placements else ("candidates",)
        realistic(args.records, args.runs, args.realistic_big, streams)
    measure("adversarial", 2_000, True)  # warm the page cache and the connector processes' imports
    adversarial = {m: "adversarial" for m in (False, True)}
    small = compare(
        "adversarial (worst case: a do-nothing source, the relay is the sync)",
        adversarial,
        args.records,
        args.runs,
    )
    if args.big:
        big = measure("adversarial", args.big, True)
        print(
            f"  adversarial, mirror on at {args.big:,} records: {big['wall_s']:.2f} s, CPU {big['cpu_s']:.2f} s, "
            f"peak RSS {big['peak_rss_mb']:.0f} MB ({big['peak_rss_mb'] / small['peak_rss_on']:.2f}x the "
            f"{args.records:,}-record peak; target <= 1.25x; load average {os.getloadavg()[0]:.1f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
