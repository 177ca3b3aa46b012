"""How rows come out of Bullhorn: key paging by id inside a cursor window, id-range chunks fetched in parallel.

* Never deep offsets: every page asks ``id > last id`` (Lucene ``id:{N TO *]`` on ``search/``, ``id > N`` on
  ``query/``) sorted by id, with ``start=0``; the next page starts after the last id actually returned, so a page
  of 200 rows where 500 were asked simply means more pages. Reading stops on an empty page or when the page held
  everything that was left (``count >= total``).
* Incremental windows are ``[from, to)`` on the cursor (``dateLastModified``; ``dateAdded`` where that is all an
  entity has), in whole seconds (Lucene dates are ``yyyyMMddHHmmss``); ``to`` is frozen when the read starts, so
  rows changed during the read land in the next window and rows at equal timestamps are told apart by id.
* Soft-deleted rows are asked for explicitly (``isDeleted`` either way), so deletes reach the destination.
* With ``max_concurrency > 1`` a large read is cut into id ranges read by worker threads; pages are still
  yielded in id order, so a checkpoint after any page is exact.
* :attr:`EntityReader.expected` is the ``total`` of the first answer of the last :meth:`~EntityReader.pages` call:
  the rows the whole read expects (that first request, sequential or the parallel id probe, always spans every
  range), which the stream reports as its estimate.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any

from staffwire.errors import InternalError

from source_bullhorn.api import BullhornApi

__all__ = ["EntityReader", "lucene_time"]

Row = dict[str, Any]
_DONE = object()


def lucene_time(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%Y%m%d%H%M%S")


class EntityReader:
    """Reads one entity with an explicit field list; see the module docstring."""

    def __init__(
        self,
        api: BullhornApi,
        *,
        entity: str,
        searchable: bool,
        fields: str,
        cursor: str | None,
        deleted_flag: bool,
        page_size: int,
        concurrency: int,
        stream: str,
    ) -> None:
        self.api = api
        self.entity = entity
        self.searchable = searchable
        self.fields = fields
        self.cursor = cursor
        self.deleted_flag = deleted_flag
        self.page_size = page_size
        self.concurrency = concurrency
        self.stream = stream
        self.pages_read = 0
        self.expected: int | None = None
        self._note_total = False

    # ------------------------------------------------------------------------------------------ queries
    def conditions(self, lo: int | None, hi: int | None) -> list[str]:
        out: list[str] = []
        if self.deleted_flag:
            out.append(
                "(isDeleted:0 OR isDeleted:1)"
                if self.searchable
                else "(isDeleted = true OR isDeleted = false)"
            )
        if self.cursor and (lo is not None or hi is not None):
            if self.searchable:
                low = lucene_time(lo) if lo is not None else "*"
                high = lucene_time(hi) if hi is not None else "*"
                out.append(f"{self.cursor}:[{low} TO {high}{'}' if hi is not None else ']'}")
            else:
                if lo is not None:
                    out.append(f"{self.cursor} >= {lo}")
                if hi is not None:
                    out.append(f"{self.cursor} < {hi}")
        return out

    def _query(self, conditions: list[str], after_id: int, upto_id: int | None) -> str:
        parts = [f"id:{{{after_id} TO *]" if self.searchable else f"id > {after_id}"]
        if upto_id is not None:
            parts.append(f"id:[* TO {upto_id}]" if self.searchable else f"id <= {upto_id}")
        return " AND ".join([*parts, *conditions])

    def _edge(self, conditions: list[str], after_id: int, descending: bool) -> tuple[int | None, int | None]:
        """(id at one end, total) of the rows after ``after_id``."""
        page = self.api.list_page(
            self.entity,
            searchable=self.searchable,
            query=self._query(conditions, after_id, None),
            fields="id",
            count=1,
            sort="-id" if descending else "id",
            stream=self.stream,
        )
        self.pages_read += 1
        self._noted(page.total)
        if not page.data:
            return None, page.total or 0
        return int(page.data[0]["id"]), page.total

    # ------------------------------------------------------------------------------------------- paging
    def _chunk(
        self, conditions: list[str], after_id: int, upto_id: int | None, stop: threading.Event | None = None
    ) -> Iterator[list[Row]]:
        while stop is None or not stop.is_set():
            page = self.api.list_page(
                self.entity,
                searchable=self.searchable,
                query=self._query(conditions, after_id, upto_id),
                fields=self.fields,
                count=self.page_size,
                sort="id",
                stream=self.stream,
            )
            self.pages_read += 1
            self._noted(page.total)
            rows = page.data
            if not rows:
                return
            last = rows[-1].get("id")
            if not isinstance(last, int) or last <= after_id:
                raise InternalError(
                    f"Bullhorn answered {'search' if self.searchable else 'query'}/{self.entity} with rows out of id "
                    f"order (last id {last!r} after {after_id}); the connector cannot page it safely.",
                    stream=self.stream,
                )
            yield rows
            after_id = last
            if page.total is not None and page.count >= page.total:
                return

    def pages(self, lo: int | None, hi: int | None, after_id: int = 0) -> Iterator[list[Row]]:
        """Every row with cursor in ``[lo, hi)`` (None: open) and id > ``after_id``, as pages in id order."""
        self.expected, self._note_total = None, True
        conditions = self.conditions(lo, hi)
        if self.concurrency <= 1:
            yield from self._chunk(conditions, after_id, None)
            return
        first, total = self._edge(conditions, after_id, descending=False)
        if first is None:
            return
        if total is not None and total <= self.page_size * 2:
            yield from self._chunk(conditions, after_id, None)
            return
        last, _ = self._edge(conditions, after_id, descending=True)
        if last is None:
            return
        n = min(self.concurrency * 4, max(1, (total or 0) // self.page_size))
        span = max(1, (last - first + n) // n)
        bounds: list[tuple[int, int | None]] = []
        low = first - 1
        while low < last:
            high = min(last, low + span)
            bounds.append((low, high))
            low = high
        bounds[-1] = (bounds[-1][0], None)  # the last range is open: rows added meanwhile are not lost
        yield from self._parallel(conditions, bounds)

    def _noted(self, total: int | None) -> None:
        """Keep the total of a read's first answer (always fetched on the reading thread, before any worker)."""
        if self._note_total:
            self._note_total = False
            self.expected = total

    def _parallel(self, conditions: list[str], bounds: list[tuple[int, int | None]]) -> Iterator[list[Row]]:
        stop = threading.Event()
        queues: list[queue.Queue[Any]] = [queue.Queue(maxsize=4) for _ in bounds]

        def put(q: queue.Queue[Any], item: Any) -> bool:
            while not stop.is_set():
                try:
                    q.put(item, timeout=0.1)
                    return True
                except queue.Full:
                    continue
            return False

        def work(index: int) -> None:
            q = queues[index]
            try:
                low, high = bounds[index]
                for rows in self._chunk(conditions, low, high, stop):
                    if not put(q, rows):
                        return
                put(q, _DONE)
            except BaseException as exc:
                put(q, exc)

        pool = ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix=f"bullhorn-{self.entity}")
        try:
            for index in range(len(bounds)):
                pool.submit(work, index)
            for q in queues:
                while True:
                    item = q.get()
                    if item is _DONE:
                        break
                    if isinstance(item, BaseException):
                        raise item
                    yield item
        finally:
            stop.set()
            pool.shutdown(wait=True, cancel_futures=True)
