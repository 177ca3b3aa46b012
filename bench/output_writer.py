"""CPU per row of the SDK's record writer on wide Bullhorn rows, against bare ``orjson.dumps``, and optionally
against another SDK checkout's writer.

    .venv/bin/python bench/output_writer.py [--rows 4000] [--rounds 3] [--baseline-sdk /tmp/old/sdk]

Rows: Bullhorn sandbox Candidates projected on every meta field (what ``search/Candidate`` answers the connector,
~3.7 KB each), in 200-row pages. Each measurement runs in a fresh process: the writer
(``staffwire.protocol.Output.records`` into a sink that drops the bytes, six registered secrets as in a
source-bullhorn run: client secret, password, auth code, access, refresh and REST tokens) and bare
``orjson.dumps`` of every row. CPU time (``time.process_time``), best of 7 passes; ``--rounds`` interleaved rounds.
See bench/README.md ("Bullhorn read, wide rows").
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys

MEASURE = r"""
import pickle, sys, time, orjson
pages = pickle.load(sys.stdin.buffer)
from staffwire.protocol import Output
from staffwire.secrets import SecretMasker
masker = SecretMasker(["demo-client-secret-7f3a", "Demo-Passw0rd!", "60:-1-3c789ee8f77a6298a3b46000",
                       "at-1-221b8c887fc089b9e965ab3d", "rt-1-5d2e8c887fc089b9e965ab3e", "8ffx2-bh-abcdef0123456789"])

class Sink:
    def write(self, data): return len(data)
    def flush(self): pass

output = Output(Sink(), masker)
rows = sum(map(len, pages))
def best(run):
    fastest = float("inf")
    for _ in range(7):
        start = time.process_time()
        run()
        fastest = min(fastest, time.process_time() - start)
    return fastest / rows * 1e6
def writer():
    for page in pages:
        output.records("Candidate", page)
    output.flush()
def bare():
    for page in pages:
        for row in page:
            orjson.dumps(row)
print(f"{best(writer):.2f} {best(bare):.2f}")
"""


def wide_rows(count: int) -> list[dict]:
    import orjson
    from source_bullhorn.meta import entity_info
    from source_bullhorn.reference_data import entity_metas
    from source_bullhorn.sandbox import BullhornSandbox, Sizes

    sizes = Sizes(candidates=count, job_submissions=0, sendouts=0, appointments=0, notes=0, tearsheets=1)
    sandbox = BullhornSandbox(seed=1, sizes=sizes, log_requests=False)  # not started: only its rows are used
    fields = entity_info(entity_metas()["Candidate"]).field_list
    encode = sandbox.projector.encoder(sandbox.entities["Candidate"], fields)
    return [orjson.loads(encode(row)) for row in list(sandbox.rows["Candidate"].values())[:count]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline-sdk", metavar="DIR", help="also measure the writer of this sdk/ folder")
    args = parser.parse_args(argv)
    rows = wide_rows(args.rows)
    data = pickle.dumps([rows[i : i + 200] for i in range(0, len(rows), 200)])
    sdks = [("this SDK", "")] + ([("baseline SDK", args.baseline_sdk)] if args.baseline_sdk else [])
    print(f"{len(rows):,} wide rows, us of CPU per row (best of 7 passes):")
    for round_ in range(args.rounds):
        for name, path in sdks:
            env = {
                **os.environ,
                "PYTHONPATH": os.pathsep.join(p for p in (path, os.environ.get("PYTHONPATH")) if p),
            }
            done = subprocess.run(
                [sys.executable, "-c", MEASURE], input=data, capture_output=True, env=env, check=True
            )
            writer, bare = done.stdout.decode().split()
            print(
                f"  round {round_ + 1} {name:<13} writer {writer:>6} us/row   bare orjson.dumps {bare:>6} us/row"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
