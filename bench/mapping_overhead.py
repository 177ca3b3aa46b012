"""How much CPU does mapping to the standard stream add to a source?

Compares, on 100k Bullhorn-like candidate rows (the real rows of ``tests/mapping/data/bullhorn_candidate.json``
with ids, names, emails, phones and timestamps varied per row):

* baseline: encoding the raw rows as RECORD lines, exactly as a source emits them (``staffwire.protocol.Output``
  in pages, orjson, block masking with two registered secrets, into a sink that discards);
* mapped: the compiled ``candidates`` mapping (``tests/mapping/data/bullhorn_candidates.yaml``, the mapping of
  docs/mapping.md: 20 fields with names, E.164 phones, email, address with country lookup, status value map,
  skills from a to-many list, epoch-ms timestamps, custom fields) followed by the same encoding of the result.

Prints CPU time per row for both and the ratio mapped / baseline (target: at most 1.30). For context it also
prints the ratio against the source's full per-row CPU (decoding the API's JSON pages with orjson + encoding).
One run; compile and caches are warmed on 1,000 rows first (a source compiles once per stream).

    .venv/bin/python bench/mapping_overhead.py [-n 100000]
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from pathlib import Path
from typing import Any

import orjson
from staffwire.mapping import compile_mappings, load_document
from staffwire.protocol import Output
from staffwire.secrets import SecretMasker

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "mapping" / "data"
PAGE = 500
AREAS = ["212", "312", "415", "617", "703", "206", "512", "303", "404", "813"]  # real US area codes
TARGET = 1.30


class _Discard:
    def write(self, data: bytes) -> int:
        return len(data)

    def flush(self) -> None:
        pass


def bullhorn_rows(count: int) -> list[dict[str, Any]]:
    """``count`` realistic rows: the real rows, each copy with its own id, person, contact data and times."""
    real = json.loads((DATA / "bullhorn_candidate.json").read_text(encoding="utf-8"))["data"]
    first = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Tim"]
    last = [
        "Lovelace",
        "Hopper",
        "Turing",
        "Dijkstra",
        "Liskov",
        "Knuth",
        "Allen",
        "Thompson",
        "Perlman",
        "Berners",
    ]
    rows = []
    for i in range(count):
        row = copy.copy(real[i % len(real)])
        row["id"] = 100_000 + i
        row["firstName"] = f" {first[i % 10]} "
        row["lastName"] = last[(i // 10) % 10]
        row["email"] = f"{first[i % 10].lower()}.{i}@example.com" if i % 7 else ""
        row["phone"] = f"({AREAS[i % len(AREAS)]}) {200 + (i * 7) % 700:03d}-{i % 10_000:04d}"
        row["mobile"] = (
            f"+1 {AREAS[(i + 3) % len(AREAS)]} {300 + (i * 3) % 600:03d} {(i * 13) % 10_000:04d}"
            if i % 3
            else None
        )
        row["dateAdded"] = 1_282_253_171_220 + i * 61_000
        row["dateLastModified"] = 1_700_000_000_000 + i * 1_001
        rows.append(row)
    return rows


def pages(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [rows[i : i + PAGE] for i in range(0, len(rows), PAGE)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--rows", type=int, default=100_000)
    args = parser.parse_args(argv)

    mapping = compile_mappings(load_document(DATA / "bullhorn_candidates.yaml"))["candidates"]
    masker = SecretMasker(["bullhorn-client-secret-0123", "hunter2-password-bullhorn"])
    out = Output(_Discard(), masker)  # type: ignore[arg-type]
    rows = bullhorn_rows(args.rows + 1_000)
    warm, rows = rows[:1_000], rows[1_000:]
    out.records("Candidate", warm)
    out.records("candidates", [r for r in mapping.map_records(warm) if isinstance(r, dict)])
    out.flush()
    batches = pages(rows)
    bodies = [orjson.dumps({"total": len(rows), "start": 0, "count": len(p), "data": p}) for p in batches]

    start = time.process_time()
    for body in bodies:
        orjson.loads(body)
    decode = time.process_time() - start

    start = time.process_time()
    for page in batches:
        out.records("Candidate", page)
    out.flush()
    baseline = time.process_time() - start

    rejected = 0
    start = time.process_time()
    for page in batches:
        mapped = []
        for item in mapping.map_records(page):
            if isinstance(item, dict):
                mapped.append(item)
            else:
                rejected += 1
        out.records("candidates", mapped)
    out.flush()
    with_mapping = time.process_time() - start

    # The same two loops with bare orjson RECORD lines (no Output buffer, no masking): the strictest reading.
    prefix = b'{"type":"RECORD","record":{"stream":"Candidate","emitted_at":1700000000000,"data":'
    start = time.process_time()
    for page in batches:
        b"".join([prefix + orjson.dumps(row) + b"}}\n" for row in page])
    bare_baseline = time.process_time() - start
    start = time.process_time()
    for page in batches:
        mapped = [item for item in mapping.map_records(page) if isinstance(item, dict)]
        b"".join([prefix + orjson.dumps(row) + b"}}\n" for row in mapped])
    bare_mapping = time.process_time() - start

    n = len(rows)
    ratio = with_mapping / baseline
    bare_ratio = bare_mapping / bare_baseline
    print(f"rows: {n:,} ({rejected:,} rejected by the mapping), {len(mapping.target_fields)} mapped fields")
    print(f"encode raw RECORD lines (baseline): {baseline / n * 1e6:7.2f} us/row  {baseline:6.2f} s")
    print(f"map + encode standard lines:        {with_mapping / n * 1e6:7.2f} us/row  {with_mapping:6.2f} s")
    print(
        f"ratio map+encode / encode:          {ratio:7.2f}   (target <= {TARGET:.2f}: "
        f"{'met' if ratio <= TARGET else 'NOT met'})"
    )
    print(
        f"bare orjson lines: raw {bare_baseline / n * 1e6:.2f} us/row, map + encode {bare_mapping / n * 1e6:.2f} "
        f"us/row, ratio {bare_ratio:.2f} (target <= {TARGET:.2f}: {'met' if bare_ratio <= TARGET else 'NOT met'})"
    )
    full = decode + baseline
    print(
        f"context: decode pages + encode raw: {full / n * 1e6:7.2f} us/row; adding the standard stream on top "
        f"costs {with_mapping / full * 100:5.1f}% of that"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
