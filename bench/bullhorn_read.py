"""source-bullhorn on wide rows against the floor: a bare requests + orjson loop replaying the connector's own requests.

    .venv/bin/python bench/bullhorn_read.py [--candidates 30000] [--concurrency 3] [--repeat 3] [--cold]
    .venv/bin/python bench/bullhorn_read.py --memory 10000,100000
    .venv/bin/python bench/bullhorn_read.py --baseline-sdk /tmp/old/sdk   # also the connector on another SDK

The Bullhorn sandbox (faults off) holds ``--candidates`` Candidate rows and answers ``search/Candidate`` with every
meta field (the explicit field list the connector asks for: ~170 fields, ~3.7 KB a row, pages capped at 200 rows as
Bullhorn caps wide field lists). It encodes every row once before the runs (as its cache would after a first read),
so serving stays far below the readers' cost.

* **source-bullhorn**: ``source-bullhorn read`` (console script; raw ``Candidate`` stream, full refresh,
  ``max_concurrency`` = ``--concurrency``, no client-side rate limit).
* **floor**: the same HTTP work without a framework. A first (warm-up) connector run is logged by the sandbox; the
  floor replays exactly those ``search/`` requests (same URLs and params) the same way: requests of one keyset chain
  (the same query but for its ``id:{N TO *]`` start) one after another, chains ``--concurrency`` at a time on
  threads, pages parsed with ``orjson.loads`` on the fetching thread, and one RECORD line per row
  (``orjson.dumps``) written by the main thread in chain order. Only its own login is added.

Each reader is a child process writing to a pipe that this process drains, counting RECORD lines (both must emit
every row). Wall time is from start to exit; CPU time and peak RSS come from ``os.wait4`` (that child alone). After
one warm-up run each, runs are interleaved (floor, connector, floor, ...) ``--repeat`` times; the medians are
compared. By default both children share a bytecode cache (``PYTHONPYCACHEPREFIX``, filled by the warm-up runs), as
an installed package has ``.pyc`` files; ``--cold`` keeps this machine's ``PYTHONDONTWRITEBYTECODE=1``, so every run
compiles every module it imports from source (the connector imports far more than the floor).

``--memory SMALL,LARGE`` instead reads SMALL and then LARGE candidates (a fresh sandbox each) with the connector
once each and prints the two peak RSS figures and their ratio. See bench/README.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

# the floor logs in with Bullhorn's four hops, done by hand (no Staffwire code)
LOGIN = r"""
import sys, time, orjson, requests
from urllib.parse import parse_qs, urlsplit
login_info, user, password, client_id, secret, plan_file, workers = sys.argv[1:8]
http = requests.Session()
http.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=16))
info = http.get(login_info, params={"username": user}).json()
oauth, rest = info["oauthUrl"], info["restUrl"]
loc = http.get(oauth + "authorize", params={"client_id": client_id, "response_type": "code", "action": "Login",
               "username": user, "password": password}, allow_redirects=False).headers["Location"]
code = parse_qs(urlsplit(loc).query)["code"][0]
token = http.post(oauth + "token", params={"grant_type": "authorization_code", "code": code, "client_id": client_id,
                  "client_secret": secret}).json()["access_token"]
login = http.get(rest + "login", params={"version": "*", "access_token": token}).json()
http.headers["BhRestToken"] = login["BhRestToken"]
"""

FLOOR = (
    LOGIN
    + r"""
import json, queue
from concurrent.futures import ThreadPoolExecutor
plan = json.load(open(plan_file))
out = sys.stdout.buffer

def fetch(step):
    return orjson.loads(http.get(login["restUrl"] + step["path"], params=step["params"]).content)

def emit(rows):
    head = b'{"type":"RECORD","record":{"stream":"Candidate","emitted_at":%d,"data":' % int(time.time() * 1000)
    chunk = bytearray()
    for row in rows:
        chunk += head
        chunk += orjson.dumps(row)
        chunk += b"}}\n"
    out.write(chunk)

for step in plan["before"]:  # the connector's probes (first/last id), on the reading thread
    fetch(step)
queues = [queue.Queue(maxsize=4) for _ in plan["chains"]]

def work(index):
    for step in plan["chains"][index]:
        queues[index].put(fetch(step)["data"])
    queues[index].put(None)

with ThreadPoolExecutor(max_workers=int(workers)) as pool:
    for index in range(len(queues)):
        pool.submit(work, index)
    for q in queues:
        while (rows := q.get()) is not None:
            emit(rows)
out.flush()
"""
)

_KEYSET = re.compile(r"id:\{(\d+) TO \*\]|id > (\d+)")


def replay_plan(log: list[Any], fields: str) -> dict[str, Any]:
    """The connector's ``search``/``query`` requests as the floor replays them: probes (any other field list) first,
    then keyset chains -- requests that differ only in their ``id > N`` start, in the order they were sent -- in the
    order of their first start id (the order the connector emits them)."""
    before: list[dict[str, Any]] = []
    chains: dict[str, list[dict[str, Any]]] = {}
    for entry in log:
        match = re.search(r"/((?:search|query)/\w+)$", entry.path)
        if match is None:
            continue
        if entry.method != "GET":  # a query too long for a URL goes as a POST body: not replayed here
            raise SystemExit(f"the connector sent {entry.method} {entry.path}; the floor replays only GETs")
        params = {k: v[0] for k, v in entry.query.items()}
        step = {"path": match.group(1), "params": params}
        if params.get("fields") != fields:
            before.append(step)
            continue
        key = json.dumps({**params, "query": _KEYSET.sub("", params["query"])}, sort_keys=True)
        chains.setdefault(key, []).append(step)

    def start(chain: list[dict[str, Any]]) -> int:
        found = _KEYSET.search(chain[0]["params"]["query"])
        return int(next(g for g in found.groups() if g)) if found else 0

    return {"before": before, "chains": sorted(chains.values(), key=start)}


def _drain(process: subprocess.Popen[bytes], counts: dict[str, int]) -> None:
    assert process.stdout is not None
    records = 0
    for line in process.stdout:
        if line.startswith(b'{"type":"RECORD"'):
            records += 1
    counts["records"] = records


def run_child(argv: list[str], env: dict[str, str]) -> dict[str, float]:
    """Run one reader; its RECORD lines, wall seconds, CPU seconds (user + system) and peak RSS (MB)."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    counts: dict[str, int] = {}
    reader = threading.Thread(target=_drain, args=(process, counts))
    reader.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    reader.join()
    if process.returncode != 0:
        raise SystemExit(f"{argv[:3]} exited with {process.returncode}")
    return {
        "records": counts["records"],
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss": usage.ru_maxrss / 1024,
        "user": usage.ru_utime,
        "system": usage.ru_stime,
        "switches": usage.ru_nvcsw + usage.ru_nivcsw,
    }


class SandboxProcess:
    """The Bullhorn sandbox in a process of its own, driven over a pipe.

    Not in this process: a child's peak RSS (``ru_maxrss`` from ``os.wait4``) starts at its parent's RSS when it is
    spawned (Linux carries the high-water mark across exec), and a sandbox holding every encoded row would make it
    the sandbox's size. This process stays small (stdlib only)."""

    def __init__(
        self, candidates: int, config: dict[str, Any], page_delay: float = 0.0, serve: Any = None
    ) -> None:
        """``serve`` (a module-level function with ``_serve_sandbox``'s arguments) seeds and serves another way
        (bench/mirror_overhead.py: the sandbox for a standard-stream sync)."""
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=serve or _serve_sandbox, args=(child, candidates, config, page_delay), daemon=True
        )
        self._process.start()
        self.info: dict[str, Any] = self._conn.recv()
        print(self.info["banner"], flush=True)

    def call(self, command: str) -> Any:
        self._conn.send(command)
        return self._conn.recv()

    def stop(self) -> None:
        self.call("stop")
        self._process.join(10)


def _serve_sandbox(conn: Any, candidates: int, overrides: dict[str, Any], page_delay: float) -> None:
    from source_bullhorn.meta import entity_info
    from source_bullhorn.reference_data import entity_metas
    from source_bullhorn.sandbox import BullhornSandbox, Sizes

    t0 = time.perf_counter()
    sizes = Sizes(candidates=candidates, job_submissions=0, sendouts=0, appointments=0, notes=0, tearsheets=1)
    sandbox = BullhornSandbox(seed=1, sizes=sizes, log_requests=True).start()
    fields = entity_info(entity_metas()["Candidate"]).field_list
    sandbox.preload("Candidate", fields)  # every reader gets pages assembled from pre-encoded rows
    # the seeded rows never change: out of the garbage collector's view, or its full collections over ~1 GB of
    # rows stall the server for whole seconds in a 100k read (the sandbox's pauses, not the reader's)
    gc.collect()
    gc.freeze()
    if page_delay:  # every list page answers that much later (a real API's latency); logins and meta do not
        sandbox.faults.slow(r"/(search|query)/", delay=page_delay, times=None)
    config = sandbox.demo_config(entities=["Candidate"], **overrides)
    conn.send(
        {
            "banner": f"sandbox with {candidates:,} candidates ({len(fields.split(','))} fields) ready in "
            f"{time.perf_counter() - t0:.1f}s at {sandbox.url}",
            "config": config,
            "fields": fields,
            "login": [
                sandbox.login_info_url,
                sandbox.USERNAME,
                sandbox.PASSWORD,
                sandbox.CLIENT_ID,
                sandbox.CLIENT_SECRET,
            ],
        }
    )
    while True:
        command = conn.recv()
        if command == "clear":
            sandbox.clear_log()
            conn.send(None)
        elif command == "count":
            conn.send(len(sandbox.log))
        elif command == "page times":  # when each list page was answered
            conn.send([e.at for e in sandbox.log if re.search(r"/(search|query)/", e.path)])
        elif command == "plan":
            conn.send(replay_plan(sandbox.log, fields))
        elif command == "stop":
            sandbox.stop()
            conn.send(None)
            return


def read_config(args: argparse.Namespace) -> dict[str, Any]:
    """source-bullhorn's settings for the read: no client-side rate limit (the wide-row read is CPU-bound)."""
    return {"max_concurrency": args.concurrency, "page_size": args.page_size, "requests_per_minute": 100_000}


def connector_argv(config: dict[str, Any], tmp: str) -> list[str]:
    Path(tmp, "config.json").write_text(json.dumps(config))
    stream = {"name": "Candidate", "json_schema": {}, "supported_sync_modes": ["full_refresh"]}
    catalog = {
        "streams": [{"stream": stream, "sync_mode": "full_refresh", "destination_sync_mode": "append"}]
    }
    Path(tmp, "catalog.json").write_text(json.dumps(catalog))
    script = str(Path(sys.executable).with_name("source-bullhorn"))
    return [script, "read", "--config", f"{tmp}/config.json", "--catalog", f"{tmp}/catalog.json"]


def child_env(tmp: str, cold: bool) -> dict[str, str]:
    env = dict(os.environ)
    if not cold:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp, "pycache"))
    return env


def _fmt(run: dict[str, float]) -> str:
    return (
        f"{run['records']:>7,} records  wall {run['wall']:6.2f}s  CPU {run['cpu']:6.2f}s (user {run['user']:.2f}, "
        f"system {run['system']:.2f}, {run['switches']:,.0f} context switches)  RSS {run['rss']:6.1f} MB"
    )


def compare(args: argparse.Namespace) -> int:
    sandbox = SandboxProcess(args.candidates, read_config(args))
    runs: dict[str, list[dict[str, float]]] = {"floor": [], "source-bullhorn": []}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            env = child_env(tmp, args.cold)
            connector = connector_argv(sandbox.info["config"], tmp)
            sandbox.call("clear")
            warm = run_child(connector, env)  # warm-up, and the requests the floor replays
            plan = sandbox.call("plan")
            connector_requests = sandbox.call("count")
            Path(tmp, "plan.json").write_text(json.dumps(plan))
            floor = [
                sys.executable,
                "-c",
                FLOOR,
                *sandbox.info["login"],
                f"{tmp}/plan.json",
                str(args.concurrency),
            ]
            sandbox.call("clear")
            run_child(floor, env)  # warm-up
            steps = sum(len(c) for c in plan["chains"])
            print(
                f"connector requests: {connector_requests} in all, {len(plan['before'])} probes + {steps} pages in "
                f"{len(plan['chains'])} keyset chains (replayed by the floor: {sandbox.call('count')} requests with "
                f"its own login); warm-up connector run: {_fmt(warm)}",
                flush=True,
            )
            readers = [("floor", floor, env), ("source-bullhorn", connector, env)]
            if args.baseline_sdk:  # the same connector on another SDK checkout, first on the import path
                base_env = {
                    **env,
                    "PYTHONPATH": os.pathsep.join([args.baseline_sdk, env.get("PYTHONPATH", "")]),
                }
                readers.append(("baseline SDK", connector, base_env))
                runs["baseline SDK"] = []
                run_child(connector, base_env)  # warm-up
            for i in range(args.repeat):
                for name, argv, reader_env in readers:
                    run = run_child(argv, reader_env)
                    runs[name].append(run)
                    print(f"  run {i + 1} {name:<16} {_fmt(run)}", flush=True)
                sandbox.call("clear")
    finally:
        sandbox.stop()
    print(
        f"\n{args.candidates:,} candidates, concurrency {args.concurrency}, "
        f"{'cold (no bytecode cache)' if args.cold else 'bytecode cached'}, medians of {args.repeat}:"
    )
    med: dict[str, dict[str, float]] = {}
    for name, rs in runs.items():
        med[name] = {k: statistics.median(r[k] for r in rs) for k in ("wall", "cpu", "rss")}
        rate = args.candidates / med[name]["wall"]
        print(
            f"  {name:<16} wall {med[name]['wall']:6.2f}s ({rate:,.0f} records/s)  CPU {med[name]['cpu']:6.2f}s  "
            f"peak RSS {med[name]['rss']:6.1f} MB"
        )
    fl = med["floor"]
    for name in list(runs)[1:]:
        sb = med[name]
        pair_wall = [c["wall"] / f["wall"] for f, c in zip(runs["floor"], runs[name], strict=True)]
        pair_cpu = [c["cpu"] / f["cpu"] for f, c in zip(runs["floor"], runs[name], strict=True)]
        best_wall = min(r["wall"] for r in runs[name]) / min(r["wall"] for r in runs["floor"])
        best_cpu = min(r["cpu"] for r in runs[name]) / min(r["cpu"] for r in runs["floor"])
        print(
            f"  {name} / floor: wall {sb['wall'] / fl['wall']:.2f}x, CPU {sb['cpu'] / fl['cpu']:.2f}x, "
            f"peak RSS {sb['rss'] / fl['rss']:.2f}x (per interleaved pair: wall "
            f"{', '.join(f'{r:.2f}' for r in pair_wall)}; CPU {', '.join(f'{r:.2f}' for r in pair_cpu)}; "
            f"best of {args.repeat}: wall {best_wall:.2f}x, CPU {best_cpu:.2f}x)"
        )
    ok = all(r["records"] == args.candidates for rs in runs.values() for r in rs)
    return 0 if ok else 1


def memory(args: argparse.Namespace) -> int:
    sizes = [int(s) for s in args.memory.split(",")]
    peaks: list[float] = []
    for size in sizes:
        sandbox = SandboxProcess(size, read_config(args))
        try:
            with tempfile.TemporaryDirectory() as tmp:
                env = child_env(tmp, args.cold)
                argv = connector_argv(sandbox.info["config"], tmp)
                run_child(argv, env)  # warm-up (bytecode)
                sandbox.call("clear")
                run = run_child(argv, env)
        finally:
            sandbox.stop()
        if run["records"] != size:
            raise SystemExit(f"read {run['records']} of {size} candidates")
        peaks.append(run["rss"])
        print(f"  source-bullhorn {size:>9,} candidates: {_fmt(run)}", flush=True)
    print(f"peak RSS {sizes[-1]:,} / {sizes[0]:,} candidates: {peaks[-1] / peaks[0]:.2f}x")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=30_000)
    parser.add_argument("--concurrency", type=int, default=3)
    parser.add_argument("--page-size", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--cold", action="store_true", help="no bytecode cache: compile every import every run"
    )
    parser.add_argument(
        "--memory", metavar="SMALL,LARGE", help="compare the connector's peak RSS at two sizes"
    )
    parser.add_argument(
        "--baseline-sdk",
        metavar="DIR",
        help="also run the connector with DIR (an SDK checkout's sdk/ folder) first on PYTHONPATH, interleaved",
    )
    args = parser.parse_args(argv)
    return memory(args) if args.memory else compare(args)


if __name__ == "__main__":
    raise SystemExit(main())
