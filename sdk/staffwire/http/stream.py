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
  emitted in the overlap (:class:`~staffwire.incremental.CursorTracker`), and yields a
  :class:`~staffwire.streams.Checkpoint` after every page when the API returns records in cursor order
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
  complete partition via :meth:`partition_state`.
"""

from __future__ import annotations

import contextvars
import itertools
import queue
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any, ClassVar

import requests

from staffwire.http.client import HttpClient
from staffwire.incremental import CursorTracker
from staffwire.paginate import (
    OffsetPaginator,
    PageRequest,
    Paginator,
    SinglePagePaginator,
    records_extractor,
)
from staffwire.streams import Checkpoint, Estimate, Stream, SyncMode

__all__ = ["HttpStream"]

Item = dict[str, Any] | list[dict[str, Any]] | Checkpoint | Estimate
Page = tuple[list[dict[str, Any]], requests.Response]


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
        """Called on every page after decoding, before :meth:`parse_page`. Raise a staffwire error for an answer
        that is an error despite its status (an error inside an HTTP 200 body, a list that is not a list)."""

    def parse_page(self, body: Any, response: requests.Response) -> list[dict[str, Any]]:
        """The records of one page (default: :attr:`records_path`). Transform records here if needed."""
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

    # --------------------------------------------------------------------------------------- the loop
    def read(self, sync_mode: SyncMode, state: Mapping[str, Any] | None) -> Iterable[Item]:
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
        """One page: (response, records, body)."""
        response, body = self.client.fetch_json(
            request.method,
            request.path,
            params=request.params,
            json=request.json,
            headers=request.headers or None,
            stream=self.get_name(),
        )
        self.validate_response(response, body)
        return response, self.parse_page(body, response), body

    def _pages(self, base: PageRequest, totals: list[int] | None = None) -> Iterator[Page]:
        """Sequential paging; switches to parallel fetches once the first page tells the total. The total the
        first page tells (if any) is appended to ``totals`` before that page is yielded."""
        paginator = self.paginator()
        request = base.copy()
        paginator.init_request(request)
        stream = self.get_name()
        while True:
            response, records, body = self.fetch(request)
            self.client.check_page(paginator, response, records, body, request, stream)
            if (
                totals is not None
                and not totals
                and isinstance(paginator, OffsetPaginator)
                and paginator.total is not None
            ):
                totals.append(paginator.total)
            yield records, response
            if not paginator.has_next_page:
                return
            if (
                self.parallel_pages > 1
                and isinstance(paginator, OffsetPaginator)
                and paginator.total is not None
            ):
                yield from self._parallel_offsets(request, paginator, len(records))
                return
            paginator.update_request(request)

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
        if paginator.limit_param:
            request = request.copy()
            request.params[paginator.limit_param] = limit
        offsets = list(range(paginator.offset, total, limit))
        with ThreadPoolExecutor(
            max_workers=self.parallel_pages, thread_name_prefix=f"{self.get_name()}-pages"
        ) as pool:
            pending: deque[tuple[int, Future[tuple[requests.Response, list[dict[str, Any]], Any]]]] = deque()

            def submit(offset: int) -> None:
                page_request = request.copy()
                page_request.params[paginator.offset_param] = offset
                context = contextvars.copy_context()
                pending.append((offset, pool.submit(context.run, self.fetch, page_request)))

            upcoming = iter(offsets)
            for offset in upcoming:
                submit(offset)
                if len(pending) >= self.parallel_pages * 2:
                    break
            try:
                while pending:
                    offset, future = pending.popleft()
                    response, records, _body = future.result()
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
                    nxt = next(upcoming, None)
                    if nxt is not None:
                        submit(nxt)
            finally:
                for _offset, future in pending:
                    future.cancel()

    def _partition_pages(
        self, base: PageRequest, partitions: list[Mapping[str, Any]]
    ) -> Iterator[tuple[Mapping[str, Any], Iterator[Page]]]:
        def request_for(partition: Mapping[str, Any]) -> PageRequest:
            request = base.copy()
            self.partition_request(partition, request)
            return request

        if self.parallel_partitions <= 1:
            for partition in partitions:
                yield partition, self._pages(request_for(partition))
            return
        # Each partition is read by a worker into a small bounded queue; the partitions are yielded in order, so
        # at most ``parallel_partitions * _QUEUED_PAGES`` pages wait in memory whatever a partition's size.
        stop = threading.Event()
        pool = ThreadPoolExecutor(
            max_workers=self.parallel_partitions, thread_name_prefix=f"{self.get_name()}-partitions"
        )
        running: deque[tuple[Mapping[str, Any], queue.Queue[Any]]] = deque()
        remaining = iter(partitions)

        def start(partition: Mapping[str, Any]) -> None:
            pages: queue.Queue[Any] = queue.Queue(maxsize=_QUEUED_PAGES)
            pool.submit(contextvars.copy_context().run, self._produce, request_for(partition), pages, stop)
            running.append((partition, pages))

        try:
            for partition in itertools.islice(remaining, self.parallel_partitions):
                start(partition)
            while running:
                partition, pages = running.popleft()
                yield partition, _drain(pages)
                nxt = next(remaining, None)
                if nxt is not None:
                    start(nxt)
        finally:
            stop.set()
            pool.shutdown(wait=True, cancel_futures=True)

    def _produce(self, request: PageRequest, pages: queue.Queue[Any], stop: threading.Event) -> None:
        """Worker: read one partition's pages into ``pages``, then ``_DONE`` (or the error), until told to stop."""
        try:
            for page in self._pages(request):
                if not _put(pages, page, stop):
                    return
            _put(pages, _DONE, stop)
        except BaseException as exc:  # handed to the reader, which raises it in order
            _put(pages, _Failed(exc), stop)


_QUEUED_PAGES = 2


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


_DONE = object()


def _put(pages: queue.Queue[Any], item: Any, stop: threading.Event) -> bool:
    while not stop.is_set():
        try:
            pages.put(item, timeout=0.05)
            return True
        except queue.Full:
            continue
    return False


def _drain(pages: queue.Queue[Any]) -> Iterator[Page]:
    while True:
        item = pages.get()
        if item is _DONE:
            return
        if isinstance(item, _Failed):
            raise item.error
        yield item
