"""source-bullhorn read throughput: records/s of a 100k-candidate read from the Bullhorn sandbox (faults off),
against the floor -- a bare requests + orjson loop that fetches the same pages (same explicit field list, same key
paging) and prints one RECORD line per row, with no framework at all.

    .venv/bin/python bench/bullhorn_read.py [--candidates 100000] [--concurrency 3] [--page-size 500]

Both readers run as subprocesses writing to a pipe that this process drains and counts; the sandbox runs in this
process. It encodes every row once before the runs (as its cache would after a first read), so its serving cost
stays far below the readers'; a third subprocess measures it (the same pages fetched and dropped). One run each
(sandbox fetch-only, floor, connector), then the ratio connector / floor is printed. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

# both helper scripts start with Bullhorn's four-hop login, done by hand (no Staffwire code)
LOGIN = r"""
import sys, time, orjson, requests
from urllib.parse import parse_qs, urlsplit
login_info, user, password, client_id, secret, fields, size = sys.argv[1:8]
http = requests.Session()
info = http.get(login_info, params={"username": user}).json()
oauth, rest = info["oauthUrl"], info["restUrl"]
loc = http.get(oauth + "authorize", params={"client_id": client_id, "response_type": "code", "action": "Login",
               "username": user, "password": password}, allow_redirects=False).headers["Location"]
code = parse_qs(urlsplit(loc).query)["code"][0]
token = http.post(oauth + "token", params={"grant_type": "authorization_code", "code": code, "client_id": client_id,
                  "client_secret": secret}).json()["access_token"]
login = http.get(rest + "login", params={"version": "*", "access_token": token}).json()
http.headers["BhRestToken"] = login["BhRestToken"]
url = login["restUrl"] + "search/Candidate"
"""

FLOOR = (
    LOGIN
    + r"""
out = sys.stdout.buffer
after = 0
while True:
    body = orjson.loads(http.get(url, params={"query": "id:{%d TO *] AND (isDeleted:0 OR isDeleted:1)" % after,
                                 "fields": fields, "count": size, "start": 0, "sort": "id"}).content)
    rows = body["data"]
    if not rows:
        break
    head = b'{"type":"RECORD","record":{"stream":"Candidate","emitted_at":%d,"data":' % int(time.time() * 1000)
    chunk = bytearray()
    for row in rows:
        chunk += head
        chunk += orjson.dumps(row)
        chunk += b"}}\n"
    out.write(chunk)
    after = rows[-1]["id"]
    if body["count"] >= body["total"]:
        break
out.flush()
"""
)

# what the sandbox alone serves: the same pages (offset-paged over one cached result list), read and dropped
FETCH = (
    LOGIN
    + r"""
import re
head = re.compile(rb'\{"total":(\d+),"start":(\d+),"count":(\d+),')
start = 0
while True:
    body = http.get(url, params={"query": "id:[0 TO *] AND (isDeleted:0 OR isDeleted:1)", "fields": fields,
                                 "count": size, "start": start, "sort": "id"}).content
    total, _, count = map(int, head.match(body).groups())
    sys.stdout.buffer.write(b'{"type":"RECORD"}\n' * count)
    start += count
    if not count or start >= total:
        break
"""
)


def _drain(process: subprocess.Popen[bytes], counts: dict[str, int]) -> None:
    assert process.stdout is not None
    records = 0
    for line in process.stdout:
        if line.startswith(b'{"type":"RECORD"'):
            records += 1
    counts["records"] = records


def _timed(argv: list[str]) -> tuple[int, float]:
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    counts: dict[str, int] = {}
    reader = threading.Thread(target=_drain, args=(process, counts))
    reader.start()
    process.wait()
    reader.join()
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"{argv[0]} exited with {process.returncode}")
    return counts["records"], elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=3)
    parser.add_argument("--page-size", type=int, default=500)
    args = parser.parse_args(argv)

    from source_bullhorn.meta import entity_info
    from source_bullhorn.reference_data import entity_metas
    from source_bullhorn.sandbox import BullhornSandbox, Sizes

    t0 = time.perf_counter()
    sizes = Sizes(
        candidates=args.candidates, job_submissions=0, sendouts=0, appointments=0, notes=0, tearsheets=1
    )
    sandbox = BullhornSandbox(seed=1, sizes=sizes, log_requests=False).start()
    fields = entity_info(entity_metas()["Candidate"]).field_list
    sandbox.preload("Candidate", fields)  # both readers get pages assembled from pre-encoded rows
    print(
        f"sandbox with {args.candidates:,} candidates ready in {time.perf_counter() - t0:.1f}s at {sandbox.url}"
    )
    login = [
        sandbox.login_info_url,
        sandbox.USERNAME,
        sandbox.PASSWORD,
        sandbox.CLIENT_ID,
        sandbox.CLIENT_SECRET,
        fields,
        str(args.page_size),
    ]
    try:
        fetch_records, fetch_s = _timed([sys.executable, "-c", FETCH, *login])
        floor_records, floor_s = _timed([sys.executable, "-c", FLOOR, *login])
        with tempfile.TemporaryDirectory() as tmp:
            config: dict[str, Any] = sandbox.demo_config(
                entities=["Candidate"],
                max_concurrency=args.concurrency,
                page_size=args.page_size,
                requests_per_minute=100_000,
            )
            Path(tmp, "config.json").write_text(json.dumps(config))
            stream = {"name": "Candidate", "json_schema": {}, "supported_sync_modes": ["full_refresh"]}
            catalog = {
                "streams": [
                    {"stream": stream, "sync_mode": "full_refresh", "destination_sync_mode": "append"}
                ]
            }
            Path(tmp, "catalog.json").write_text(json.dumps(catalog))
            script = str(Path(sys.executable).with_name("source-bullhorn"))
            records, seconds = _timed(
                [script, "read", "--config", f"{tmp}/config.json", "--catalog", f"{tmp}/catalog.json"]
            )
    finally:
        sandbox.stop()
    floor_rate, rate = floor_records / floor_s, records / seconds
    print(
        f"sandbox (fetch only, pages read and dropped): {fetch_records:,} records in {fetch_s:.1f}s = "
        f"{fetch_records / fetch_s:,.0f} records/s"
    )
    print(
        f"floor (requests + orjson loop): {floor_records:,} records in {floor_s:.1f}s = {floor_rate:,.0f} records/s"
    )
    print(
        f"source-bullhorn read (concurrency {args.concurrency}): {records:,} records in {seconds:.1f}s = "
        f"{rate:,.0f} records/s"
    )
    print(f"ratio source-bullhorn / floor: {rate / floor_rate:.2f}")
    return 0 if records == floor_records == fetch_records == args.candidates else 1


if __name__ == "__main__":
    raise SystemExit(main())
