"""Start-up cost of a connector: wall time of ``spec`` for a Staffwire source vs an airbyte-cdk source.

Usage::

    .venv/bin/python bench/spec_startup.py [-n 20] [--also source-bullhorn ...]

Runs each command ``n`` times, interleaved (A, B, A, B, ...) so background load hits both alike, after one warm-up
run each, and prints mean and median wall times and the ratio Staffwire / airbyte-cdk (target: below 1/3).
The pair compared by default is two minimal sources with the same config fields, in ``bench/spec_startup/``:
``staffwire_source.py`` (a pydantic config model; the spec is generated) and ``cdk_source.py`` (an airbyte-cdk
``AbstractSource`` with a hand-written spec, launched through ``airbyte_cdk.entrypoint.launch``). ``--also``
adds console scripts (e.g. a real connector) as extra rows.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def time_once(command: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0 or b'"type":"SPEC"' not in proc.stdout.replace(b" ", b""):
        raise SystemExit(
            f"{' '.join(command)} failed (exit {proc.returncode}):\n{proc.stderr.decode()[-2000:]}"
        )
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20, help="runs per command (default 20)")
    parser.add_argument(
        "--also", nargs="*", default=[], metavar="SCRIPT", help="extra console scripts to time"
    )
    args = parser.parse_args(argv)

    commands: dict[str, list[str]] = {
        "staffwire (minimal source)": [
            sys.executable,
            str(HERE / "spec_startup" / "staffwire_source.py"),
            "spec",
        ],
        "airbyte-cdk (minimal source)": [
            sys.executable,
            str(HERE / "spec_startup" / "cdk_source.py"),
            "spec",
        ],
    }
    for script in args.also:
        path = shutil.which(script) or str(Path(sys.executable).parent / script)
        commands[script] = [path, "spec"]

    for command in commands.values():  # warm-up: disk cache, .pyc files
        time_once(command)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.n):
        for name, command in commands.items():
            times[name].append(time_once(command))

    width = max(map(len, times))
    print(f"{'command':<{width}}  {'mean':>8}  {'median':>8}  (n={args.n}, spec, wall time)")
    for name, values in times.items():
        print(
            f"{name:<{width}}  {statistics.mean(values) * 1000:7.0f}ms  {statistics.median(values) * 1000:7.0f}ms"
        )
    ours = statistics.mean(times["staffwire (minimal source)"])
    theirs = statistics.mean(times["airbyte-cdk (minimal source)"])
    ratio = ours / theirs
    print(
        f"ratio staffwire / airbyte-cdk (mean): {ratio:.2f}  target < 0.33: {'met' if ratio < 1 / 3 else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
