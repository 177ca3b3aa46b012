"""The SDK's reading layer (issue 15): the vendor hooks, one retry budget, the ordered parallel reader, key-range
partitioning, and the one-way dependency between staffwire.http and staffwire.auth."""

from __future__ import annotations

import ast
import contextvars
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import requests
from http_toolkit_sandbox import TOTAL, ToolkitSandbox
from staffwire.errors import ConfigError, InternalError
from staffwire.http import BadResponseError, HttpClient, HttpStream, RetryPolicy
from staffwire.http.parallel import ordered_parallel, ordered_parallel_chain
from staffwire.http.partition import KeyRange, KeyRangePartitioner
from staffwire.paginate import PageNumberPaginator, PageRequest, Paginator
from staffwire.streams import Estimate

SDK = Path(__file__).resolve().parents[2] / "sdk" / "staffwire"


# --------------------------------------------------------------------------------------------- vendor hooks
class VendorError(ConfigError):
    pass


def test_classify_error_gives_the_vendors_own_error_and_none_falls_back(sandbox: ToolkitSandbox) -> None:
    seen: list[tuple[int, str | None]] = []

    def classify(response: requests.Response, stream: str | None) -> Exception | None:
        seen.append((response.status_code, stream))
        if response.status_code == 403:
            return VendorError(f"{stream}: the token lacks the scope ZohoRecruit.modules.READ")
        return None

    with HttpClient(
        sandbox.url, system="Toolkit", classify_error=classify, retry=RetryPolicy(max_attempts=1)
    ) as c:
        with pytest.raises(VendorError) as caught:
            c.get_json("/status/403", stream="jobs")
        assert str(caught.value) == "jobs: the token lacks the scope ZohoRecruit.modules.READ"
        with pytest.raises(ConfigError) as generic:
            c.get_json("/status/401", stream="jobs")
        assert not isinstance(generic.value, VendorError)
        assert c.get_json("/items", params={"limit": 1})["total"] == TOTAL  # not called for a success
    assert seen == [(403, "jobs"), (401, "jobs")]


class Ranged(HttpStream):
    """Keyset reads of /ranged (ids 0..94) with the hooks a vendor fills in."""

    name = "ranged"
    records_path = "data"
    keyset_total_path = "total"
    keyset_count_path = "count"

    def __init__(self, client: HttpClient, *, page: int = 5, vendor_error: bool = False) -> None:
        super().__init__(client)
        self.page = page
        self.vendor_error = vendor_error

    def keyset_request(self, request: PageRequest, after: Any, upto: Any) -> None:
        request.params.update(after=-1 if after is None else after, count=self.page, sort="id")
        request.params.pop("upto", None)
        if upto is not None:
            request.params["upto"] = upto
        if self.vendor_error:
            request.params["vendor_error"] = "1"

    def keyset_probe(self, request: PageRequest, *, descending: bool) -> None:
        request.params.update(count=1, fields="id", sort="-id" if descending else "id")

    def validate_response(self, response: requests.Response, body: Any) -> None:
        if isinstance(body, dict) and body.get("status") == "error":
            raise VendorError(f"Toolkit refused stream {self.name}: {body['code']} ({body['message']})")


def test_validate_response_raises_an_error_inside_a_200_body(client: HttpClient) -> None:
    with pytest.raises(VendorError) as caught:
        list(Ranged(client, vendor_error=True).read_keyset(PageRequest("GET", "/ranged")))
    assert str(caught.value) == "Toolkit refused stream ranged: INVALID_QUERY (bad field)"


def test_an_empty_204_answer_reaches_parse_page_as_none_and_ends_the_read(client: HttpClient) -> None:
    bodies: list[Any] = []

    class Numbered(HttpStream):
        name = "numbered"

        def path(self, state: Mapping[str, Any] | None) -> str:
            return "/pages"

        def paginator(self) -> Paginator:
            return PageNumberPaginator(page_size=40)

        def parse_page(self, body: Any, response: requests.Response) -> list[dict[str, Any]]:
            bodies.append(None if body is None else len(body["data"]))
            return super().parse_page(body, response) if body is None else body["data"]

    pages = list(Numbered(client).read("full_refresh", None))
    assert [len(p) for p in pages] == [40, 40, 15]  # type: ignore[arg-type]
    assert bodies == [40, 40, 15, None]


def test_a_stream_pages_another_request_with_its_hooks(client: HttpClient) -> None:
    stream = Ranged(client)
    request = PageRequest("GET", "/pages")
    got = [len(records) for records, _ in stream.pages(request, PageNumberPaginator(page_size=30))]
    assert got == [30, 30, 30, 5, 0]  # the empty 204 answer ends it


# ---------------------------------------------------------------------------------------- one retry budget
def test_server_errors_and_broken_bodies_share_one_retry_budget(
    client: HttpClient, sandbox: ToolkitSandbox
) -> None:
    sandbox.faults.server_error("/items", status=503, times=2)
    sandbox.faults.truncate("/items", times=None)
    with pytest.raises(BadResponseError) as caught:
        client.get_json("/items")
    assert str(caught.value).startswith(
        "Toolkit answered truncated or invalid JSON for GET /items (HTTP 200, "
    )
    assert len(sandbox.requests_to("/items")) == 4  # the policy's max_attempts, not 4 per body retry


def test_a_post_search_marked_idempotent_is_retried_like_a_get(
    client: HttpClient, sandbox: ToolkitSandbox
) -> None:
    sandbox.faults.server_error("/things", status=503, times=1)
    response, body = client.fetch_page(PageRequest("POST", "/things", json={"q": 1}, idempotent=True))
    assert (response.status_code, body) == (201, {"id": 1})
    assert len(sandbox.requests_to("/things")) == 2


# ------------------------------------------------------------------------------------ ordered parallel reader
def _slow(items: list[int], delay: float) -> Iterator[int]:
    for item in items:
        time.sleep(delay)
        yield item


def test_ordered_parallel_yields_in_producer_order_whatever_finishes_first() -> None:
    producers = [
        lambda i=i: _slow([i * 10 + j for j in range(3)], 0.02 if i % 2 == 0 else 0.0) for i in range(6)
    ]
    assert list(ordered_parallel_chain(producers, workers=3)) == [
        i * 10 + j for i in range(6) for j in range(3)
    ]
    grouped = [list(items) for items in ordered_parallel(producers, workers=2, queue_size=1)]
    assert grouped == [[i * 10 + j for j in range(3)] for i in range(6)]


def test_ordered_parallel_raises_a_producers_error_after_the_items_before_it() -> None:
    def failing() -> Iterator[int]:
        yield 20
        raise RuntimeError("range 2 failed")

    def later_failing() -> Iterator[int]:
        raise RuntimeError("range 3 failed first in time")
        yield 0  # pragma: no cover

    producers = [lambda: _slow([0, 1], 0.03), lambda: iter([10]), failing, later_failing]
    got: list[int] = []
    with pytest.raises(RuntimeError, match=r"^range 2 failed$"):
        for item in ordered_parallel_chain(producers, workers=4):
            got.append(item)
    assert got == [0, 1, 10, 20]


def test_closing_the_reader_stops_every_worker() -> None:
    produced: list[int] = []
    lock = threading.Lock()

    def endless(start: int) -> Iterator[int]:
        n = start
        while True:
            with lock:
                produced.append(n)
            yield n
            n += 1

    before = threading.active_count()
    reader = ordered_parallel_chain([lambda: endless(0), lambda: endless(1000)], workers=2, queue_size=2)
    assert [next(reader) for _ in range(3)] == [0, 1, 2]
    reader.close()
    with lock:
        count = len(produced)
    time.sleep(0.15)
    assert len(produced) == count  # nothing produced after close
    assert threading.active_count() == before


def test_producers_ahead_of_the_reader_share_one_bounded_buffer() -> None:
    """A producer ahead of the reader keeps going until the shared budget is spent (not a small queue of its
    own), and no further: 6 items wait, plus the one each blocked producer holds."""
    release = threading.Event()
    produced = [0, 0, 0]

    def counted(index: int, count: int) -> Iterator[int]:
        if index == 0:
            release.wait(5)
        for n in range(count):
            produced[index] += 1
            yield index * 100 + n

    producers = [lambda i=i: counted(i, 10) for i in range(3)]
    reader = ordered_parallel_chain(producers, workers=3, queue_size=1, buffer=6)
    first = threading.Thread(target=lambda: got.append(next(reader)))
    got: list[int] = []
    first.start()
    deadline = time.monotonic() + 5
    while produced[1] + produced[2] < 8 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.1)  # would a producer go past the budget?
    assert produced[1] + produced[2] == 8 and produced[0] == 0
    release.set()
    first.join(5)
    got.extend(reader)
    assert got == [i * 100 + n for i in range(3) for n in range(10)]


def test_a_weighted_budget_counts_rows_not_pages() -> None:
    """Given a weight, the shared budget counts rows: pages of 50 rows where 100 were asked (an API capping wide
    pages) fill a budget of 600 rows with 12 pages, not 6; the blocked producers each hold one more."""
    release = threading.Event()
    produced = [0, 0, 0]

    def pages(index: int, count: int) -> Iterator[list[int]]:
        if index == 0:
            release.wait(5)
        for n in range(count):
            produced[index] += 1
            yield [index * 100 + n] * 50

    producers = [lambda i=i: pages(i, 20) for i in range(3)]
    reader = ordered_parallel_chain(producers, workers=3, queue_size=1, buffer=600, weight=len, step=100)
    got: list[list[int]] = []
    first = threading.Thread(target=lambda: got.append(next(reader)))
    first.start()
    deadline = time.monotonic() + 5
    while produced[1] + produced[2] < 14 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.1)  # would a producer go past the budget?
    assert produced[1] + produced[2] == 14 and produced[0] == 0
    release.set()
    first.join(5)
    got.extend(reader)
    assert [page[0] for page in got] == [i * 100 + n for i in range(3) for n in range(20)]
    assert all(len(page) == 50 for page in got)


_RUN: contextvars.ContextVar[str] = contextvars.ContextVar("reading_layer_test_run", default="none")


def test_workers_run_in_the_readers_context() -> None:
    """Log ownership and the rate-limit listener are context variables: a worker sees the reader's."""
    seen: list[tuple[str, str]] = []

    def producer() -> Iterator[int]:
        seen.append((_RUN.get(), threading.current_thread().name.split("_")[0]))
        yield 1

    token = _RUN.set("run-42")
    try:
        assert list(ordered_parallel_chain([producer, producer], workers=2, thread_name="ctx-test")) == [1, 1]
    finally:
        _RUN.reset(token)
    assert seen == [("run-42", "ctx-test"), ("run-42", "ctx-test")]


# ----------------------------------------------------------------------------------------- key ranges
def test_key_ranges_cover_the_span_with_an_open_last_range() -> None:
    cut = KeyRangePartitioner(workers=2, page_size=10)
    assert cut.ranges(1, 100, 95) == [
        KeyRange(0, 13), KeyRange(13, 26), KeyRange(26, 39), KeyRange(39, 52),
        KeyRange(52, 65), KeyRange(65, 78), KeyRange(78, 91), KeyRange(91, None),
    ]  # fmt: skip
    assert cut.ranges(5, 5, 1) == [KeyRange(4, None)]
    assert cut.worth_cutting(21) and not cut.worth_cutting(20)
    assert not KeyRangePartitioner(workers=1, page_size=10).worth_cutting(10_000)


@pytest.mark.parametrize("workers", [1, 3])
def test_read_keyset_reads_every_row_once_in_id_order_with_one_estimate(
    client: HttpClient, sandbox: ToolkitSandbox, workers: int
) -> None:
    stream = Ranged(client, page=10)  # the API caps pages at 7 of the 10 asked
    items = list(
        stream.read_keyset(PageRequest("GET", "/ranged"), partitioner=KeyRangePartitioner(workers, 10))
    )
    assert items[0] == Estimate(rows=TOTAL)
    assert not any(isinstance(i, Estimate) for i in items[1:])
    ids = [r["id"] for page, _response in items[1:] for r in page]  # type: ignore[misc]
    assert ids == list(range(TOTAL))
    probes = [r for r in sandbox.requests_to("/ranged") if r.query.get("fields") == ["id"]]
    assert len(probes) == (2 if workers > 1 else 0)


def test_read_keyset_resumes_after_a_key_and_a_small_read_is_not_cut(client: HttpClient, sandbox) -> None:
    stream = Ranged(client, page=10)
    items = list(
        stream.read_keyset(PageRequest("GET", "/ranged"), after=80, partitioner=KeyRangePartitioner(3, 10))
    )
    assert items[0] == Estimate(rows=14)
    assert [r["id"] for page, _ in items[1:] for r in page] == list(range(81, TOTAL))  # type: ignore[misc]
    assert not [r for r in sandbox.requests_to("/ranged") if r.query.get("sort") == ["-id"]]  # 14 <= 2 pages


def test_rows_added_during_a_cut_read_land_in_the_open_last_range(client: HttpClient, sandbox) -> None:
    stream = Ranged(client, page=10)
    seen: list[int] = []
    for item in stream.read_keyset(PageRequest("GET", "/ranged"), partitioner=KeyRangePartitioner(2, 10)):
        if isinstance(item, Estimate):
            sandbox.items.append({"id": 500, "name": "late", "updated": 0})  # after the probes
            continue
        seen.extend(r["id"] for r in item[0])
    assert seen == [*range(TOTAL), 500]


def test_a_key_that_does_not_increase_is_an_internal_error_naming_the_stream(client: HttpClient) -> None:
    class Stuck(Ranged):  # a where clause the API ignores: the same page again
        def keyset_request(self, request: PageRequest, after: Any, upto: Any) -> None:
            super().keyset_request(request, None, upto)

    with pytest.raises(InternalError) as caught:
        list(Stuck(client).read_keyset(PageRequest("GET", "/ranged")))
    assert "stream ranged" in str(caught.value) and "keys must increase" in str(caught.value)


# ------------------------------------------------------------------------------------ one-way dependency
def _imports(package: Path) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add((path.name, node.module))
            elif isinstance(node, ast.Import):
                found.update((path.name, alias.name) for alias in node.names)
    return found


def test_http_never_imports_auth() -> None:
    """auth/ uses http's errors and retry policy; http/ knows authenticators only through staffwire.authflow."""
    offending = sorted(
        (f, m) for f, m in _imports(SDK / "http") if m == "staffwire.auth" or m.startswith("staffwire.auth.")
    )
    assert offending == []
    assert ("client.py", "staffwire.authflow") in _imports(SDK / "http")
    contract = ast.parse((SDK / "authflow.py").read_text())
    neutral = [
        n.module
        for n in ast.walk(contract)
        if isinstance(n, ast.ImportFrom) and (n.module or "").startswith("staffwire")
    ]
    assert neutral == ["staffwire.secrets"]  # the contract itself depends on neither package


def test_the_client_refuses_an_authenticator_that_does_not_declare_the_contract(
    sandbox: ToolkitSandbox,
) -> None:
    class Bare:
        def auth_flow(self, request: requests.PreparedRequest) -> Iterator[requests.PreparedRequest]:
            yield request

    with pytest.raises(TypeError) as caught:
        HttpClient(sandbox.url, auth=Bare())  # type: ignore[arg-type]
    assert str(caught.value) == (
        "HttpClient(auth=...) needs an authenticator with auth_flow, bind, default_base_url and "
        "retry_auth_requests (derive it from staffwire.auth.Auth); got Bare"
    )
