"""HttpStream: the fixed read loop -- pages, checkpoints, incremental de-duplication, parallel pages, partitions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pytest
from http_toolkit_sandbox import TOTAL, Sleeps, ToolkitSandbox, oauth
from staffwire.errors import TransientError
from staffwire.http import HttpClient, HttpStream, RetryPolicy, rate_limit_listener
from staffwire.paginate import OffsetPaginator, Paginator
from staffwire.state import Checkpoint, to_epoch_ms
from staffwire.streams import Estimate

BASE_MS = 1_700_000_000_000


class Changes(HttpStream):
    name = "changes"
    cursor_field = ["updated"]
    records_path = "data"

    def path(self, state: Mapping[str, Any] | None) -> str:
        return "/changes"

    def params(self, state: Mapping[str, Any] | None, query_from: datetime | None) -> dict[str, Any]:
        return {"since": to_epoch_ms(query_from)} if query_from else {}

    def paginator(self) -> Paginator:
        return OffsetPaginator(25, total_path="total")


class ParallelChanges(Changes):
    parallel_pages = 3


class WindowedChanges(Changes):
    parallel_partitions = 2

    def partitions(self, state: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
        edges = [BASE_MS + n * 20_000 for n in range(6)]  # 20 items per window, the last one open-ended
        return [{"since": a, "before": b} for a, b in zip(edges, [*edges[1:], BASE_MS + 10**9], strict=True)]


def run(stream: HttpStream, mode: str = "incremental", state: Mapping[str, Any] | None = None) -> list[Any]:
    return list(stream.read(mode, state))  # type: ignore[arg-type]


def records(items: list[Any]) -> list[int]:
    return [r["id"] for item in items if isinstance(item, list) for r in item]


def checkpoints(items: list[Any]) -> list[Mapping[str, Any]]:
    return [item.state for item in items if isinstance(item, Checkpoint)]


def iso(i: int) -> str:
    return datetime.fromtimestamp(
        (BASE_MS + i * 1000) / 1000, tz=__import__("datetime").timezone.utc
    ).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_full_refresh_yields_the_estimate_then_pages_and_no_checkpoints(client: HttpClient) -> None:
    items = run(Changes(client), "full_refresh")
    assert items[0] == Estimate(rows=TOTAL)
    assert [len(i) for i in items[1:]] == [25, 25, 25, 20]
    assert records(items) == list(range(TOTAL))


def test_incremental_checkpoints_after_every_page_with_the_max_cursor(client: HttpClient) -> None:
    items = run(Changes(client))
    assert records(items) == list(range(TOTAL))
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["Estimate", *["list", "Checkpoint"] * 4]
    assert [c["updated"] for c in checkpoints(items)] == [iso(24), iso(49), iso(74), iso(94)]
    assert checkpoints(items)[-1]["seen"] == {"94": iso(94)}


def test_a_second_incremental_run_emits_nothing_already_emitted(
    client: HttpClient, sandbox: ToolkitSandbox
) -> None:
    state = checkpoints(run(Changes(client)))[-1]
    sandbox.clear_log()
    again = run(Changes(client), state=state)
    assert records(again) == []  # item 94 is re-read at the boundary and dropped
    assert sandbox.log[0].arg("since") == str(BASE_MS + 94_000)
    assert checkpoints(again) == [state]


def test_a_change_after_the_cursor_is_emitted_once(client: HttpClient, sandbox: ToolkitSandbox) -> None:
    state = checkpoints(run(Changes(client)))[-1]
    sandbox.items[3]["updated"] = BASE_MS + 200_000
    assert records(run(Changes(client), state=state)) == [3]


def test_unsorted_apis_checkpoint_only_at_the_end(client: HttpClient) -> None:
    class Unsorted(Changes):
        sorted_by_cursor = False

    items = run(Unsorted(client))
    assert isinstance(items[-1], Checkpoint) and len(checkpoints(items)) == 1
    assert records(items) == list(range(TOTAL))


def test_parallel_pages_come_back_in_order(client: HttpClient, sandbox: ToolkitSandbox) -> None:
    items = run(ParallelChanges(client))
    assert records(items) == list(range(TOTAL))
    assert sorted(int(r.arg("offset") or 0) for r in sandbox.log) == [0, 25, 50, 75]
    assert [c["updated"] for c in checkpoints(items)] == [iso(24), iso(49), iso(74), iso(94)]


def test_parallel_pages_complete_short_pages_without_skipping(
    client: HttpClient, sandbox: ToolkitSandbox
) -> None:
    sandbox.faults.short_pages("/changes", max_records=10, times=3, after=1)
    items = run(ParallelChanges(client))
    assert records(items) == list(range(TOTAL))
    # every checkpoint claims only records already yielded
    seen: list[int] = []
    for item in items:
        if isinstance(item, list):
            seen.extend(r["id"] for r in item)
        elif isinstance(item, Checkpoint):
            assert item.state["updated"] == iso(max(seen))


def test_parallel_pages_survive_token_expiry_with_an_exact_record_set(
    sandbox: ToolkitSandbox, sleeps: Sleeps
) -> None:
    class Api(ParallelChanges):
        def path(self, state: Mapping[str, Any] | None) -> str:
            return "/api/items"

    sandbox.access.expire_after(2)
    auth = oauth(sandbox)
    client = HttpClient(sandbox.url, auth=auth, retry=RetryPolicy(base_delay=0.001, sleep=sleeps))
    assert records(run(Api(client), "full_refresh")) == list(range(TOTAL))


def test_partitions_are_read_in_order_with_a_checkpoint_after_each(client: HttpClient) -> None:
    items = run(WindowedChanges(client))
    assert records(items) == list(range(TOTAL))
    assert [c["updated"] for c in checkpoints(items)] == [
        iso(19),
        iso(39),
        iso(59),
        iso(79),
        iso(94),
        iso(94),
    ]


def test_a_failing_page_stops_the_read_after_the_pages_before_it(
    client: HttpClient, sandbox: ToolkitSandbox
) -> None:
    sandbox.faults.server_error("/changes", times=None, after=2)
    got: list[Any] = []
    with pytest.raises(TransientError):
        for item in Changes(client).read("incremental", None):
            got.append(item)
    assert records(got) == list(range(50))
    assert checkpoints(got)[-1]["updated"] == iso(49)


def test_parallel_workers_announce_rate_limits_to_the_readers_listener(client, sandbox, sleeps) -> None:
    sandbox.faults.rate_limit("/changes", times=2, after=1, retry_after="4")
    heard: list[float] = []
    with rate_limit_listener(heard.append):
        assert records(run(ParallelChanges(client))) == list(range(TOTAL))
    assert heard == [4.0, 4.0]


def test_a_stream_with_its_own_state_checkpoints_what_next_state_returns(client: HttpClient) -> None:
    from staffwire.paginate import NextTokenPaginator

    class Feed(HttpStream):
        name = "feed"
        records_path = "items"

        def path(self, state: Mapping[str, Any] | None) -> str:
            return "/cursor"

        def paginator(self) -> Paginator:
            return NextTokenPaginator(token_path="next")

        def next_state(self, state, records, response):  # type: ignore[no-untyped-def]
            pages = (state or {}).get("pages", 0) + 1
            return {"last_id": records[-1]["id"], "pages": pages, "status": response.status_code}

    items = run(Feed(client), "full_refresh", state={"pages": 10})
    assert records(items) == list(range(TOTAL))
    assert checkpoints(items) == [
        {"last_id": 19, "pages": 11, "status": 200},
        {"last_id": 39, "pages": 12, "status": 200},
        {"last_id": 59, "pages": 13, "status": 200},
        {"last_id": 79, "pages": 14, "status": 200},
        {"last_id": 94, "pages": 15, "status": 200},
    ]


class TwoBigPartitions(Changes):
    parallel_partitions = 2

    def paginator(self) -> Paginator:
        return OffsetPaginator(5, total_path="total")

    def partitions(self, state: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
        return [{"since": BASE_MS, "before": BASE_MS + 50_000}, {"since": BASE_MS + 50_000}]


def test_parallel_partitions_buffer_a_few_pages_not_whole_partitions(client: HttpClient, sandbox) -> None:
    import time

    reader = iter(TwoBigPartitions(client).read("full_refresh", None))
    assert [r["id"] for r in next(reader)] == [0, 1, 2, 3, 4]
    time.sleep(0.3)  # let both workers run ahead as far as they may
    fetched = len(sandbox.log)
    assert fetched <= 8  # per partition: 1 read + 2 queued + 1 waiting to be queued; 19 pages in all
    rest = list(reader)
    assert records(rest) == list(range(5, TOTAL))
    assert len(sandbox.log) == 19  # 10 pages of the first partition, 9 of the second


def test_a_failing_partition_raises_after_the_partitions_before_it(client: HttpClient, sandbox) -> None:
    sandbox.faults.server_error("/changes", status=400, times=None, after=13)  # not retried
    got: list[Any] = []
    with pytest.raises(Exception, match="HTTP 400"):
        for item in TwoBigPartitions(client).read("full_refresh", None):
            got.append(item)
    assert records(got)[:50] == list(range(50))


def test_parallel_pages_step_by_what_a_capped_api_returns(
    client: HttpClient, sandbox: ToolkitSandbox
) -> None:
    class AsksForMore(ParallelChanges):
        def paginator(self) -> Paginator:
            return OffsetPaginator(40, total_path="total")  # the API caps pages at 25

    assert records(run(AsksForMore(client), "full_refresh")) == list(range(TOTAL))
    asked = sorted((int(r.arg("offset") or 0), r.arg("limit")) for r in sandbox.log)
    assert asked == [(0, "40"), (25, "25"), (50, "25"), (75, "25")]  # no overlap, no gap-filling requests


def estimates(items: list[Any]) -> list[Estimate]:
    return [item for item in items if isinstance(item, Estimate)]


def test_parallel_pages_yield_one_estimate_of_the_total_before_the_first_page(client: HttpClient) -> None:
    items = run(ParallelChanges(client))
    assert estimates(items) == [Estimate(rows=TOTAL)]
    assert items[0] == Estimate(rows=TOTAL)


def test_an_incremental_read_estimates_what_the_api_counts_from_the_saved_cursor(client: HttpClient) -> None:
    state = {"updated": iso(89), "seen": {"89": iso(89)}}
    items = run(Changes(client), state=state)
    assert estimates(items) == [Estimate(rows=6)]  # items 89..94, item 89 then dropped as already emitted
    assert records(items) == [90, 91, 92, 93, 94]


def test_a_paginator_without_a_total_yields_no_estimate(client: HttpClient) -> None:
    class NoTotal(Changes):
        def paginator(self) -> Paginator:
            return OffsetPaginator(25)

    items = run(NoTotal(client), "full_refresh")
    assert estimates(items) == []
    assert records(items) == list(range(TOTAL))


def test_partitioned_reads_yield_no_estimate(client: HttpClient) -> None:
    items = run(WindowedChanges(client))
    assert estimates(items) == []
    assert records(items) == list(range(TOTAL))
