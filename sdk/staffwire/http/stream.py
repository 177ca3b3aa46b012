"""``HttpStream``: the template of a stream read over HTTP. The loop is fixed; a connector fills in the blanks.

Override what differs (most streams need two or three)::

    class Candidates(HttpStream):
        name = "Candidate"
        cursor_field = ["dateLastModified"]
        records_path = "data"

        def path(self, state): return "/search/Candidate"
        def params(self, state, query_from): return {"query": f"dateLastModified:[{ms(query_from)} TO *]"}
        def paginator(self): return OffsetPaginator(500, offset_param="start", limit_param="count",
                                                    total_path="total")

What the loop does:

* full refresh: yields each page (a list of records, the runtime's fast path);
* incremental (``cursor_field`` set): starts from the saved cursor minus :attr:`lookback`, drops records already
  emitted in the overlap (:class:`~staffwire.state.CursorTracker`), and yields a
  :class:`~staffwire.state.Checkpoint` after every page when the API returns records in cursor order
  (:attr:`sorted_by_cursor`), else once at the end -- a checkpoint never claims a record not yet yielded;
* a stream whose state is not a cursor (an event batch id, a sync token) returns it from :meth:`next_state`
  after each page, and that is checkpointed instead;
* parallel pages (:attr:`parallel_pages` > 1 with an :class:`~staffwire.paginate.OffsetPaginator` that knows the
  total): after the first page, fetches the remaining offsets in a bounded thread pool and yields them in order;
* estimate: when the paginator knows the total (an :class:`~staffwire.paginate.OffsetPaginator` with a
  ``total_path``), one :class:`~staffwire.streams.Estimate` of that many rows is yielded before the first page of
  a read that is not partitioned (an incremental read's total may include overlap rows later dropped as repeats);
* partitions (:meth:`partitions` returns e.g. date windows or sub-resources): reads each partition with its own
  paginator, :attr:`parallel_partitions` at a time, yields them in partition order, checkpointing after each
  complete partition via :meth:`partition_state`;
* key ranges (:meth:`read_keyset`, for a stream's own ``read``): keyset paging by a unique increasing key, cut
  into :class:`~staffwire.http.partition.KeyRange` s read in parallel and yielded in key order (see below).

Vendor hooks: :meth:`validate_response` (an error inside a 200 body), :meth:`parse_page` (records of a body; an
empty 204/304 body arrives as None), the client's ``classify_error`` (a vendor's own error for a failed status).
Every page goes through the client's one paging loop (:meth:`HttpClient.page_loop
<staffwire.http.HttpClient.page_loop>`) and retry loop; every parallel read through
:mod:`staffwire.http.parallel`. :meth:`pages` pages any request with any paginator from inside a stream (a
sub-resource of each record, say) with the same hooks.

Key ranges, for an API that filters and sorts by id (Bullhorn's ``id:{N TO *]``) -- a full backfill in parallel
whose every page is a safe checkpoint::

    class Things(HttpStream):
        name = "things"
        keyset_total_path = "total"          # a body's count of the rows matching (the probes use it)

        def path(self, state): return "/things"
        def keyset_request(self, request, after, upto):      # narrow to after < id <= upto (None: open)
            request.params["where"] = " AND ".join(
                [f"id > {after or 0}", *([f"id <= {upto}"] if upto is not None else [])])
            request.params.update(orderBy="id", count=200)
        def keyset_probe(self, request, *, descending):      # one row, its id only, from one end
            request.params.update(count=1, fields="id", orderBy="-id" if descending else "id")

        def read(self, sync_mode, state):
            after = (state or {}).get("after_id", 0)
            base = PageRequest("GET", self.path(state))
            cut = KeyRangePartitioner(workers=3, page_size=200)
            for item in self.read_keyset(base, after=after, partitioner=cut):
                if isinstance(item, Estimate):
                    yield item
                    continue
                records, _response = item
                yield records
                yield Checkpoint({"after_id": records[-1]["id"]})   # exact: pages come in id order
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime, timedelta
from functools import partial
from typing import Any, ClassVar

import requests

from staffwire.errors import RecordRejected
from staffwire.http.client import HttpClient
from staffwire.http.parallel import ordered_parallel, ordered_parallel_chain
from staffwire.http.partition import KeyRange, KeyRangePartitioner
from staffwire.paginate import (
    KeysetPaginator,
    OffsetPaginator,
    PageRequest,
    Paginator,
    SinglePagePaginator,
    get_path,
    records_extractor,
)
from staffwire.state import Checkpoint, CursorTracker
from staffwire.streams import Estimate, Record, Stream, SyncMode

__all__ = ["HttpStream"]

Item = dict[str, Any] | list[dict[str, Any]] | Checkpoint | Estimate
#: what a stream's read may yield (a subclass's own read may yield records and rejects too)
ReadItem = Mapping[str, Any] | list[dict[str, Any]] | Record | Checkpoint | Estimate | RecordRejected
Page = tuple[list[dict[str, Any]], requests.Response]
_QUEUED_PAGES = 2


class HttpStream(Stream):
    """See the module docstring. Subclasses set ``name`` and override :meth:`path` (at least)."""

    method: ClassVar[str] = "GET"
    #: dotted path to the records in a page's body (None: the body is the list)
    records_path: ClassVar[str | None] = None
    #: re-read this far before the saved cursor (late-committed records); repeats are de-duplicated
    lookback: ClassVar[timedelta] = timedelta(0)
    #: the API returns records in ascending cursor order, so every page boundary is a safe checkpoint
    sorted_by_cursor: ClassVar[bool] = True
    #: pages fetched at once when the total is known (1 = sequential)
    parallel_pages: ClassVar[int] = 1
    #: partitions read at once (1 = sequential)
    parallel_partitions: ClassVar[int] = 1
    #: keyset reading (:meth:`read_keyset`): the unique, increasing key the API filters and sorts by
    keyset_key: ClassVar[str] = "id"
    #: keyset reading: where a body tells how many rows match its request (the estimate, the probes, the stop)
    keyset_total_path: ClassVar[str | None] = None
    #: keyset reading: where a body tells how many rows it holds (None: the records parsed)
    keyset_count_path: ClassVar[str | None] = None

    def __init__(self, client: HttpClient, *, start_date: Any = None) -> None:
        self.client = client
        self.start_date = start_date
        self._extract = records_extractor(self.records_path)

    # --------------------------------------------------------------------------------- connector overrides
    def path(self, state: Mapping[str, Any] | None) -> str:
        raise NotImplementedError(f"stream {self.get_name()!r} does not implement path()")

    def params(self, state: Mapping[str, Any] | None, query_from: datetime | None) -> dict[str, Any]:
        """Query parameters of the first page; ``query_from`` is where an incremental read starts."""
        return {}

    def request_body(self, state: Mapping[str, Any] | None, query_from: datetime | None) -> Any:
        """JSON body of the first page (POST searches), or None."""
        return None

    def paginator(self) -> Paginator:
        """A new paginator for one read (paginators are stateful)."""
        return SinglePagePaginator()

    def validate_response(self, response: requests.Response, body: Any) -> None:
        """Raise a staffwire error for an answer that is an error despite its status (an error object inside an
        HTTP 200 body). Called on every page after decoding, before :meth:`parse_page`. Default: nothing."""

    def parse_page(self, body: Any, response: requests.Response) -> list[dict[str, Any]]:
        """The records of one page (default: :attr:`records_path`). Transform records here if needed. An empty
        answer (204, 304) arrives as ``None`` and gives ``[]``, which ends the paging."""
        return self._extract(body)

    def partitions(self, state: Mapping[str, Any] | None) -> list[Mapping[str, Any]] | None:
        """Independent slices to read one by one (date windows, parent ids), or None for a single read."""
        return None

    def next_state(
        self, state: Mapping[str, Any] | None, records: list[dict[str, Any]], response: requests.Response
    ) -> Mapping[str, Any] | None:
        """The state after a page, for streams whose state is not a cursor (an event batch id, a sync token):
        return it to checkpoint after this page. Default None: the cursor tracker decides (incremental) and a
        full refresh does not checkpoint. ``state`` is the last state returned here (or the input state)."""
        return None

    def partition_request(self, partition: Mapping[str, Any], request: PageRequest) -> None:
        """Narrow the first request of a partition to it (default: merge the partition into the params)."""
        request.params.update(partition)

    def partition_state(
        self, partition: Mapping[str, Any], state: Mapping[str, Any]
    ) -> Mapping[str, Any] | None:
        """The state once ``partition`` and every partition before it are read (default: the tracker's)."""
        return state

    def keyset_request(self, request: PageRequest, after: Any, upto: Any) -> None:
        """Keyset reading: narrow ``request`` to rows with ``after < key`` (None: from the first) and
        ``key <= upto`` (None: open-ended), sorted by the key ascending. Called before every page."""
        raise NotImplementedError(f"stream {self.get_name()!r} does not implement keyset_request()")

    def keyset_probe(self, request: PageRequest, *, descending: bool) -> None:
        """Keyset reading: make an already narrowed ``request`` ask for one row (its key is enough), sorted by
        the key descending or ascending -- the probes of a cut read."""
        raise NotImplementedError(f"stream {self.get_name()!r} does not implement keyset_probe()")

    # --------------------------------------------------------------------------------------- the loop
    def read(self, sync_mode: SyncMode, state: Mapping[str, Any] | None) -> Iterable[ReadItem]:
        cursor = self.get_cursor_field()
        incremental = sync_mode == "incremental" and bool(cursor)
        tracker: CursorTracker | None = None
        if incremental and cursor:
            keys = [p[0] for p in (self.get_primary_key() or [["id"]])]
            tracker = CursorTracker(
                cursor[0], key_fields=keys, state=state, lookback=self.lookback, start=self.start_date
            )
        query_from = tracker.query_from if tracker is not None else None
        base = PageRequest(
            self.method,
            self.path(state),
            self.params(state, query_from),
            self.request_body(state, query_from),
        )
        partitions = self.partitions(state)
        custom = [state]
        if partitions is None:
            totals: list[int] = []
            pages = self._pages(base, totals)
            yield from self._emit(
                pages, tracker, custom, checkpoint_pages=self.sorted_by_cursor, totals=totals
            )
            if tracker is not None and not self.sorted_by_cursor:
                yield Checkpoint(tracker.state())
            return
        for partition, pages in self._partition_pages(base, partitions):
            yield from self._emit(pages, tracker, custom, checkpoint_pages=False)
            current = tracker.state() if tracker is not None else {}
            partition_state = self.partition_state(partition, current)
            if partition_state is not None and (tracker is not None or partition_state):
                yield Checkpoint(partition_state)

    def _emit(
        self,
        pages: Iterator[Page],
        tracker: CursorTracker | None,
        custom: list[Mapping[str, Any] | None],
        *,
        checkpoint_pages: bool,
        totals: list[int] | None = None,
    ) -> Iterator[Item]:
        estimated = False
        for page, response in pages:
            if totals and not estimated:
                estimated = True
                yield Estimate(rows=totals[0])
            records = tracker.filter(page) if tracker is not None else page
            if records:
                yield records
            own = self.next_state(custom[0], records, response)
            if own is not None:
                custom[0] = own
                yield Checkpoint(own)
            elif tracker is not None and checkpoint_pages:
                yield Checkpoint(tracker.state())

    # ------------------------------------------------------------------------------------------ fetching
    def fetch(self, request: PageRequest) -> tuple[requests.Response, list[dict[str, Any]], Any]:
        """One page: (response, records, body), through :meth:`validate_response` and :meth:`parse_page`."""
        response, body = self.client.fetch_page(request, stream=self.get_name())
        self.validate_response(response, body)
        return response, self.parse_page(body, response), body

    def pages(self, request: PageRequest, paginator: Paginator | None = None) -> Iterator[Page]:
        """Every page of ``request`` as ``paginator`` (default: :meth:`paginator`) moves it, through this
        stream's hooks: for a stream that pages more than its own path (sub-resources of its records)."""
        paginator = paginator if paginator is not None else self.paginator()
        for _sent, response, records, _body in self.client.page_loop(
            request, paginator, self.fetch, stream=self.get_name()
        ):
            yield records, response

    def _pages(self, base: PageRequest, totals: list[int] | None = None) -> Iterator[Page]:
        """Sequential paging; switches to parallel fetches once the first page tells the total. The total the
        first page tells (if any) is appended to ``totals`` before that page is yielded."""
        paginator = self.paginator()
        loop = self.client.page_loop(base, paginator, self.fetch, stream=self.get_name())
        try:
            for sent, response, records, _body in loop:
                if (
                    totals is not None
                    and not totals
                    and isinstance(paginator, OffsetPaginator)
                    and paginator.total is not None
                ):
                    totals.append(paginator.total)
                yield records, response
                if (
                    paginator.has_next_page
                    and self.parallel_pages > 1
                    and isinstance(paginator, OffsetPaginator)
                    and paginator.total is not None
                ):
                    yield from self._parallel_offsets(sent, paginator, len(records))
                    return
        finally:
            loop.close()

    def _parallel_offsets(
        self, request: PageRequest, paginator: OffsetPaginator, first: int
    ) -> Iterator[Page]:
        """The remaining pages of a known total, fetched ``parallel_pages`` at a time and yielded in order.

        Offsets advance by what the first page actually held (an API may cap pages below the size asked for:
        Bullhorn answers 200 of 500 for wide field lists), asking for exactly that many so pages never overlap;
        a page that still comes back short is completed by sequential requests from where it stopped before
        moving on, so no record is skipped or repeated.
        """
        total = paginator.total or 0
        limit = max(1, min(paginator.limit, first))
        request = request.copy()
        if paginator.limit_param:
            request.params[paginator.limit_param] = limit

        def offset_pages(offset: int) -> Iterator[Page]:
            page_request = request.copy()
            page_request.params[paginator.offset_param] = offset
            response, records, _body = self.fetch(page_request)
            yield records, response
            got = len(records)
            while 0 < got < limit and offset + got < min(offset + limit, total):
                gap = request.copy()
                gap.params[paginator.offset_param] = offset + got
                if paginator.limit_param:
                    gap.params[paginator.limit_param] = limit - got
                response, more, _body = self.fetch(gap)
                if not more:
                    break
                yield more, response
                got += len(more)

        producers: list[Callable[[], Iterable[Page]]] = [
            partial(offset_pages, offset) for offset in range(paginator.offset, total, limit)
        ]
        yield from ordered_parallel_chain(
            producers, workers=self.parallel_pages, thread_name=f"{self.get_name()}-pages"
        )

    def _partition_pages(
        self, base: PageRequest, partitions: list[Mapping[str, Any]]
    ) -> Iterator[tuple[Mapping[str, Any], Iterator[Page]]]:
        """Each partition's pages, partitions read ``parallel_partitions`` at a time and yielded in order; at
        most ``parallel_partitions * 2`` pages wait in memory whatever a partition's size."""

        def request_for(partition: Mapping[str, Any]) -> PageRequest:
            request = base.copy()
            self.partition_request(partition, request)
            return request

        producers: list[Callable[[], Iterable[Page]]] = [
            partial(self._pages, request_for(partition)) for partition in partitions
        ]
        reader = ordered_parallel(
            producers,
            workers=self.parallel_partitions,
            queue_size=_QUEUED_PAGES,
            ahead=self.parallel_partitions,
            thread_name=f"{self.get_name()}-partitions",
        )
        try:
            yield from zip(partitions, reader, strict=False)
        finally:
            reader.close()

    # -------------------------------------------------------------------------------------- key ranges
    def read_keyset(
        self,
        request: PageRequest,
        *,
        after: Any = None,
        partitioner: KeyRangePartitioner | None = None,
    ) -> Iterator[Page | Estimate]:
        """Every row of ``request`` with key after ``after`` (None: all), as pages in key order, preceded by one
        :class:`~staffwire.streams.Estimate` when the first answer tells the total (:attr:`keyset_total_path`).

        Sequential keyset paging (:meth:`keyset_request` before every page), or with a ``partitioner`` of more
        than one worker: two one-row probes (:meth:`keyset_probe`) find the first and last key and the total, and
        the key span is cut into :class:`~staffwire.http.partition.KeyRange` s read in parallel (see
        :mod:`staffwire.http.partition`). Empty pages are not yielded; a page's last record holds the key to
        resume after."""
        if partitioner is None or not partitioner.parallel:
            yield from self._keyset_range(request, KeyRange(after), estimate=True)
            return
        first, total = self._keyset_edge(request, after, descending=False)
        if total is not None:
            yield Estimate(rows=total)
        if first is None:
            return
        if not partitioner.worth_cutting(total):
            yield from self._keyset_range(request, KeyRange(after), estimate=False)
            return
        last, _ = self._keyset_edge(request, after, descending=True)
        if last is None:
            return
        threads = self._keyset_threads(partitioner)
        ranges = partitioner.ranges(first, last, total)
        producers: list[Callable[[], Iterable[Page | Estimate]]] = [
            partial(self._keyset_range, request, key_range, estimate=False) for key_range in ranges
        ]
        yield from ordered_parallel_chain(
            producers,
            workers=threads,
            queue_size=_QUEUED_PAGES,
            ahead=len(ranges),
            buffer=partitioner.buffer_pages * partitioner.page_size,
            weight=_rows,
            step=partitioner.page_size,
            thread_name=f"{self.get_name()}-ranges",
        )

    def _keyset_threads(self, partitioner: KeyRangePartitioner) -> int:
        """Threads of a cut read: one more than ``workers`` when the client's rate limiter already holds requests
        in flight to ``workers``. A thread decodes and hands over its page between requests; with one thread per
        request slot, that slot sits idle meanwhile (bench/README.md, "Bullhorn read, latency-bound"). The limiter
        still caps requests in flight; without such a cap, ``workers`` threads, so ``workers`` stays the number of
        requests in flight."""
        limiter = self.client.rate_limiter
        cap = limiter.max_concurrency if limiter is not None else None
        return partitioner.workers + (1 if cap is not None and cap <= partitioner.workers else 0)

    def keyset_paginator(self, key_range: KeyRange) -> KeysetPaginator:
        """The paginator of one key range (default: :attr:`keyset_key`, :meth:`keyset_request`, the total and
        count paths)."""
        return KeysetPaginator(
            key=self.keyset_key,
            start=key_range.after,
            apply=lambda request, last: self.keyset_request(request, last, key_range.upto),
            total_path=self.keyset_total_path,
            count_path=self.keyset_count_path,
        )

    def _keyset_range(
        self, request: PageRequest, key_range: KeyRange, *, estimate: bool
    ) -> Iterator[Page | Estimate]:
        paginator = self.keyset_paginator(key_range)
        loop = self.client.page_loop(request, paginator, self.fetch, stream=self.get_name())
        try:
            for _sent, response, records, _body in loop:
                if estimate:
                    estimate = False
                    if paginator.total is not None:
                        yield Estimate(rows=paginator.total)
                if records:
                    yield records, response
        finally:
            loop.close()

    def _keyset_edge(self, request: PageRequest, after: Any, *, descending: bool) -> tuple[Any, int | None]:
        """(key at one end, total) of the rows of ``request`` after ``after``."""
        probe = request.copy()
        self.keyset_request(probe, after, None)
        self.keyset_probe(probe, descending=descending)
        _response, records, body = self.fetch(probe)
        total = _count(get_path(body, self.keyset_total_path)) if self.keyset_total_path else None
        if not records:
            return None, total
        return get_path(records[0], self.keyset_key), total


def _rows(item: Page | Estimate) -> int:
    """What a page weighs in a cut read's shared budget: its rows. A range holds about ``range_pages`` pages of
    ``page_size`` rows; an API that answers fewer rows than asked (Bullhorn: 200 for a wide field list) gives more,
    smaller pages per range, and the budget, counted in rows, still holds the ranges ahead of the reader."""
    return len(item[0]) if isinstance(item, tuple) else 0


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return None
