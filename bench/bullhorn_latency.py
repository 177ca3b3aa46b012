"""How much of Bullhorn's allowed request rate a backfill keeps in use when every page takes 100 ms to answer.

    .venv/bin/python bench/bullhorn_latency.py [--candidates 20000] [--delay 0.1] [--concurrency 3,4] [--rpm 1500]

Bullhorn publishes about 1,500 requests per minute per tenant (connectors/source-bullhorn/README.md, "Limits";
the connector's ``requests_per_minute`` setting): 25 requests/s on average. The Bullhorn sandbox (its own process)
answers every ``search``/``query`` page ``--delay`` seconds late (the kit's ``slow`` fault switch; logins and
``meta`` answer at once), with every meta field of Candidate (~3.7 KB rows, 200 to a page). Readers:

* **source-bullhorn** with ``requests_per_minute`` = ``--rpm`` and ``max_concurrency`` = each of ``--concurrency``
  (3 is the connector's default);
* **airbyte-cdk**: an ``HttpStream`` with the CDK's defaults, one request at a time
  (``bench/bullhorn_cdk_source.py``, same query, fields and key paging).

The figure is the backfill's request rate while it reads: the list pages answered, over the time from the first to
the last answer (``(n - 1) / span``), divided by the allowed rate (``--rpm`` / 60). Login hops and start-up are
outside that window (the process wall time is printed too). Readers run one after another, ``--repeat`` times,
interleaved. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from bullhorn_read import SandboxProcess, child_env, connector_argv, run_child


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=20_000)
    parser.add_argument("--delay", type=float, default=0.1, help="seconds added to every list page")
    parser.add_argument("--concurrency", default="3", help="source-bullhorn max_concurrency values, e.g. 3,4")
    parser.add_argument("--rpm", type=int, default=1500, help="the allowed requests per minute")
    parser.add_argument("--page-size", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--no-cdk", action="store_true", help="skip the airbyte-cdk anchor")
    args = parser.parse_args(argv)
    allowed = args.rpm / 60
    levels = [int(c) for c in args.concurrency.split(",")]

    base = {"page_size": args.page_size, "requests_per_minute": args.rpm}
    sandbox = SandboxProcess(args.candidates, {**base, "max_concurrency": levels[0]}, page_delay=args.delay)
    shares: dict[str, list[float]] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            env = child_env(tmp, cold=False)
            readers: dict[str, list[str]] = {}
            for level in levels:
                config = {**sandbox.info["config"], "max_concurrency": level}
                folder = Path(tmp, f"c{level}")
                folder.mkdir()
                readers[f"source-bullhorn (max_concurrency {level})"] = connector_argv(config, str(folder))
            if not args.no_cdk:
                cdk_config = {**sandbox.info["config"], "fields": sandbox.info["fields"]}
                Path(tmp, "cdk.json").write_text(json.dumps(cdk_config))
                catalog = readers[next(iter(readers))][-1]
                script = str(Path(__file__).with_name("bullhorn_cdk_source.py"))
                readers["airbyte-cdk HttpStream (sequential)"] = [
                    sys.executable,
                    script,
                    "read",
                    "--config",
                    f"{tmp}/cdk.json",
                    "--catalog",
                    catalog,
                ]
            for argv_ in readers.values():  # warm-up: bytecode cache
                run_child(argv_, env)
            print(
                f"{args.candidates:,} candidates, {args.delay * 1000:.0f} ms added to each page, allowed "
                f"{args.rpm}/min = {allowed:.1f} requests/s",
                flush=True,
            )
            for i in range(args.repeat):
                for name, argv_ in readers.items():
                    sandbox.call("clear")
                    run = run_child(argv_, env)
                    times = sorted(sandbox.call("page times"))
                    span = times[-1] - times[0]
                    rate = (len(times) - 1) / span if span > 0 else 0.0
                    shares.setdefault(name, []).append(rate / allowed)
                    print(
                        f"  run {i + 1} {name:<38} {run['records']:>7,} records  {len(times)} pages in {span:5.2f}s "
                        f"= {rate:5.1f} requests/s = {rate / allowed:6.1%} of allowed  (process wall "
                        f"{run['wall']:.2f}s, CPU {run['cpu']:.2f}s)",
                        flush=True,
                    )
                    if run["records"] != args.candidates:
                        raise SystemExit(f"{name} read {run['records']} of {args.candidates} candidates")
    finally:
        sandbox.stop()
    print(f"\nshare of the allowed {allowed:.1f} requests/s in use while reading (median of {args.repeat}):")
    for name, values in shares.items():
        print(f"  {name:<38} {statistics.median(values):6.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
