"""The loopback page server of the benchmark: a Sandbox answering Bullhorn-style list pages from pre-encoded bytes.

``GET /n/{total}/candidates?start=S&count=C`` answers ``{"total","start","count","data":[...]}`` where ``data`` is
one of the pre-encoded pages (ids cycle through ``distinct`` pages; only the envelope is encoded per request).
Run as ``python -m bench.read_throughput.server --page-size 500``: prints its URL, serves until stdin closes.
"""

from __future__ import annotations

import argparse
import sys

from staffwire.testing.sandbox import Request, Response, Sandbox, route

from bench.read_throughput.data import encoded_pages


class PageServer(Sandbox):
    name = "bench-pages"

    def __init__(self, page_size: int) -> None:
        super().__init__(log_requests=False)
        self.page_size = page_size
        self.pages = encoded_pages(page_size)

    @route("GET", "/n/{total}/candidates")
    def candidates(self, request: Request) -> Response:
        total = int(request.params["total"])
        start = request.int_arg("start", 0)
        count = max(0, min(request.int_arg("count", self.page_size), self.page_size, total - start))
        page = self.pages[(start // self.page_size) % len(self.pages)]
        if count < self.page_size:  # the last, partial page: encode just it
            import orjson

            page = orjson.dumps(orjson.loads(page)[:count])
        head = b'{"total":%d,"start":%d,"count":%d,"data":' % (total, start, count)
        return Response(200, head + page + b"}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--page-size", type=int, default=500)
    args = parser.parse_args()
    server = PageServer(args.page_size).start()
    print(server.url, flush=True)
    sys.stdin.read()  # until the parent closes our stdin
    server.stop()


if __name__ == "__main__":
    main()
