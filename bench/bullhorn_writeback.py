"""Update throughput of destination-bullhorn against the Bullhorn sandbox at Bullhorn's published request limit.

Usage::

    .venv/bin/python bench/bullhorn_writeback.py [--updates 1500] [--rpm 1500] [--batch 100]

Starts a Bullhorn sandbox on loopback with ``--updates`` candidates, then runs the real ``destination-bullhorn
write`` console script (config ``requests_per_minute: --rpm``, Bullhorn's published ~1,500 requests per minute;
``batch_size: --batch``) with one status write-back record per candidate on stdin, each changing ``customText3``.
The destination paces its requests evenly (at most N per minute and N/60 in any second), so the allowed request
rate is N/60 per second; the figure of merit is the rate the run achieved (requests from the first to the last, over
that time) as a share of it (target: at least 90%), with the compare-before-write reads batched (one read per
``--batch`` records), and the updates per second that leaves. Also reported: updates per second, reads, 429s, and a second run of the same input, which must write
nothing (every record unchanged).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from source_bullhorn.sandbox import BullhornSandbox

EXE = Path(sys.executable).parent / "destination-bullhorn"


def messages(ids: list[int]) -> bytes:
    lines = [
        {
            "type": "RECORD",
            "record": {
                "stream": "workers",
                "data": {"id": f"w{i}", "ats_id": i, "s": f"ready {i}"},
                "emitted_at": 1,
            },
        }
        for i in ids
    ]
    lines.append(
        {
            "type": "STATE",
            "state": {
                "type": "STREAM",
                "stream": {"stream_descriptor": {"name": "workers"}, "stream_state": {"n": 1}},
            },
        }
    )
    return b"".join(json.dumps(m).encode() + b"\n" for m in lines)


CATALOG = {
    "streams": [
        {
            "stream": {
                "name": "workers",
                "json_schema": {"type": "object"},
                "supported_sync_modes": ["full_refresh"],
            },
            "sync_mode": "full_refresh",
            "destination_sync_mode": "update",
            "destination_object_name": "Candidate",
            "primary_key": [["id"]],
        }
    ]
}


def run_once(sandbox: BullhornSandbox, config: Path, catalog: Path, stdin: bytes, rpm: int) -> dict[str, Any]:
    first = len(sandbox.log)
    writes_before = len(sandbox.writes)
    started = time.perf_counter()
    proc = subprocess.run(
        [str(EXE), "write", "--config", str(config), "--catalog", str(catalog)],
        input=stdin,
        capture_output=True,
        check=False,
    )
    wall = time.perf_counter() - started
    requests = sandbox.log[first:]
    window = requests[-1].at - requests[0].at if len(requests) > 1 else 0.0
    rate = (len(requests) - 1) / window if window else 0.0  # requests per second, first to last
    states = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith(b'{"type":"STATE"')]
    updates = len(sandbox.writes) - writes_before
    return {
        "exit": proc.returncode,
        "wall_s": round(wall, 2),
        "window_s": round(window, 2),
        "requests": len(requests),
        "reads": sum(1 for r in requests if r.method == "GET" and "/entity/Candidate/" in r.path),
        "updates": updates,
        "http_429": sum(1 for r in requests if r.status == 429),
        "requests_per_s": round(rate, 2),
        "share_of_allowed_rate": round(rate / (rpm / 60.0) * 100, 1),
        "updates_per_s": round(updates / window, 1) if window else None,
        "stats": states[-1]["state"]["destinationStats"] if states else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--updates", type=int, default=1500)
    parser.add_argument("--rpm", type=int, default=1500)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()
    with (
        BullhornSandbox(candidates=args.updates + 50, log_requests=True) as sandbox,
        tempfile.TemporaryDirectory() as tmp,
    ):
        ids = sandbox.ids("Candidate", deleted=False)[: args.updates]
        config = sandbox.demo_config(
            requests_per_minute=args.rpm,
            batch_size=args.batch,
            streams={"workers": {"mapping": {"id": "ats_id", "customText3": "s"}}},
        )
        config_path, catalog_path = Path(tmp) / "config.json", Path(tmp) / "catalog.json"
        config_path.write_text(json.dumps(config))
        catalog_path.write_text(json.dumps(CATALOG))
        stdin = messages(ids)
        print(
            f"{len(ids)} status updates, limit {args.rpm} requests/min ({args.rpm / 60:.1f}/s), batch {args.batch}"
        )
        for label in ("first run (every record changes)", "second run (same input)"):
            sandbox.clear_log()
            result = run_once(sandbox, config_path, catalog_path, stdin, args.rpm)
            print(f"{label}: {json.dumps(result)}")


if __name__ == "__main__":
    main()
