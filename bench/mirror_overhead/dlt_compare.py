#!/usr/bin/env python3
"""dlt's DuckDB loading of the mirror benchmark's records, for docs/mirror.md's library comparison.

dlt is not a Staffwire dependency: run this in a scratch environment, never the project's lock::

    python3 -m uv venv /tmp/dltenv && python3 -m uv pip install --python /tmp/dltenv/bin/python "dlt[duckdb]"
    /tmp/dltenv/bin/python bench/mirror_overhead/dlt_compare.py [--records 100000]

It loads the same records as ``bench/mirror_overhead/source.py`` (already parsed, as the runner's relay holds
them) into a fresh DuckDB file, per write disposition, ``append`` (no history) and ``merge`` with the ``scd2``
strategy (dlt's way to keep history, the closest to the mirror's versions), and per loader file format (parquet,
which needs ``dlt[parquet]``; jsonl; ``--ways 6`` adds insert_values, dlt's default for DuckDB, which took minutes
and gigabytes); each in a fresh process, with wall and CPU time (user + system, all threads). Compare with the mirror's own loader on the same records:
``.venv/bin/python bench/mirror_overhead/dlt_compare.py --staffwire``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))


def _lines(records: int) -> list[bytes]:
    """The benchmark source's RECORD lines (its own template, no subprocess)."""
    from source import _STATUS, _TEMPLATE

    out = []
    for i in range(1, records + 1):
        status = _STATUS[i % 4]
        out.append(
            (_TEMPLATE % (i, i, i % 12 + 1, i % 28 + 1, i, i, i % 10000, status, status.title())).encode()
        )
    return out


def one(records: int, how: str) -> dict[str, float]:
    lines = _lines(records)
    with tempfile.TemporaryDirectory(prefix="staffwire-dlt-") as tmp:
        if how == "staffwire":
            from staffwire.mirror import MirrorWriter, StreamIdentity

            started, cpu = time.perf_counter(), time.process_time()
            identity = StreamIdentity((("id",),), ("remote_updated_at",), ("remote_deleted_at",))
            writer = MirrorWriter(Path(tmp) / "mirror.duckdb", "bench", 1, {"candidates": identity})
            for line in lines:
                writer.add_line(line.rstrip(b"\n"))
            landed = writer.finish()
            assert landed["records"] == records
        else:
            import dlt
            import orjson

            rows = [orjson.loads(line)["record"]["data"] for line in lines]
            started, cpu = time.perf_counter(), time.process_time()
            pipeline = dlt.pipeline(
                pipeline_name="bench",
                pipelines_dir=str(Path(tmp) / "pipelines"),
                destination=dlt.destinations.duckdb(str(Path(tmp) / "dlt.duckdb")),
                dataset_name="mirror",
            )
            kind, file_format = how.split("/")
            disposition = "append" if kind == "append" else {"disposition": "merge", "strategy": "scd2"}
            info = pipeline.run(
                rows,
                table_name="candidates",
                write_disposition=disposition,
                primary_key="id",
                loader_file_format=file_format,
            )
            assert not info.has_failed_jobs
        wall, used = time.perf_counter() - started, time.process_time() - cpu
    return {
        "wall_s": wall,
        "cpu_s": used,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "one":
        print(json.dumps(one(int(sys.argv[2]), sys.argv[3])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument(
        "--staffwire", action="store_true", help="the mirror's own loader (project environment)"
    )
    parser.add_argument("--ways", type=int, default=4, help="dlt's first N of: parquet, jsonl, insert_values")
    args = parser.parse_args()
    dlt_ways = [
        f"{kind}/{fmt}" for fmt in ("parquet", "jsonl", "insert_values") for kind in ("append", "scd2")
    ]
    for how in ["staffwire"] if args.staffwire else dlt_ways[: args.ways]:
        done = subprocess.run(
            [sys.executable, str(HERE), "one", str(args.records), how],
            capture_output=True,
            text=True,
            check=True,
        )
        m = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"{how}: {args.records:,} records in {m['wall_s']:.2f} s, CPU {m['cpu_s']:.2f} s, "
            f"peak RSS {m['peak_rss_mb']:.0f} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
