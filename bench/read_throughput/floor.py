"""The floor: the least a reader must do -- fetch each page with requests, parse it with orjson, and print one
Airbyte RECORD line per record. No framework, no checks. ``python -m bench.read_throughput.floor URL TOTAL SIZE [raw]``.

With ``raw`` it only fetches the pages (no parsing, no output) and prints how many records it fetched: the rate
the sandbox serves at, which bounds every reader. With ``urllib3`` it does the same read through urllib3 directly,
without requests (about 0.5 ms less CPU per request): how far below the requests floor a reader could go at all."""

from __future__ import annotations

import sys
import time
from typing import BinaryIO

import orjson
import requests


def main() -> None:
    url, total, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    out = sys.stdout.buffer
    session = requests.Session()
    start = 0
    if sys.argv[4:] == ["urllib3"]:
        _urllib3(url, total, size, out)
        return
    if sys.argv[4:] == ["raw"]:
        while start < total:
            session.get(url, params={"start": start, "count": size}).content  # noqa: B018 -- read the body
            start += min(size, total - start)
        out.write(b"fetched %d\n" % start)
        return
    while start < total:
        body = orjson.loads(session.get(url, params={"start": start, "count": size}).content)
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


def _urllib3(url: str, total: int, size: int, out: BinaryIO) -> None:
    import urllib3

    pool = urllib3.PoolManager()
    start = 0
    while start < total:
        body = orjson.loads(pool.request("GET", url, fields={"start": start, "count": size}).data)
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
