"""The floor: the least a reader must do -- fetch each page with requests, parse it with orjson, and print one
Airbyte RECORD line per record. No framework, no checks.
``python -m bench.read_throughput.floor URL TOTAL SIZE [raw|urllib3]``.

With ``raw`` it only fetches the pages (no parsing, no output) and prints how many records it fetched: the rate
the sandbox serves at, which bounds every reader. With ``urllib3`` it does the same read through urllib3 directly,
requests not even imported (about 0.5 ms less CPU per request): how far below the requests floor a reader could
go at all."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import orjson

#: one page's body: start -> bytes
Fetch = Callable[[int], bytes]


def with_requests(url: str, size: int) -> Fetch:
    import requests

    session = requests.Session()
    return lambda start: session.get(url, params={"start": start, "count": size}).content


def with_urllib3(url: str, size: int) -> Fetch:
    import urllib3

    pool = urllib3.PoolManager()
    return lambda start: pool.request("GET", url, fields={"start": start, "count": size}).data


def main() -> None:
    url, total, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    mode = sys.argv[4] if len(sys.argv) > 4 else ""
    out = sys.stdout.buffer
    fetch = with_urllib3(url, size) if mode == "urllib3" else with_requests(url, size)
    start = 0
    if mode == "raw":
        while start < total:
            fetch(start)
            start += min(size, total - start)
        out.write(b"fetched %d\n" % start)
        return
    while start < total:
        body = orjson.loads(fetch(start))
        head = b'{"type":"RECORD","record":{"stream":"candidates","emitted_at":%d,"data":' % int(
            time.time() * 1000
        )
        chunk = bytearray()
        for record in body["data"]:
            chunk += head
            chunk += orjson.dumps(record)
            chunk += b"}}\n"
        out.write(chunk)
        if not body["count"]:
            break
        start += body["count"]
    out.flush()


if __name__ == "__main__":
    main()
