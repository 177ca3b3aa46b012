"""How Bullhorn is asked for rows: the vendor half of a keyset read (the SDK's half is
:meth:`staffwire.http.HttpStream.read_keyset` with a :class:`~staffwire.http.partition.KeyRangePartitioner`).

* Never deep offsets: every page asks ``id > last id`` (Lucene ``id:{N TO *]`` on ``search/``, ``id > N`` on
  ``query/``) sorted by id, with ``start=0``; the next page starts after the last id actually returned, so a page
  of 200 rows where 500 were asked simply means more pages. Reading stops on an empty page or when the page held
  everything that was left (``count >= total``).
* Incremental windows are ``[from, to)`` on the cursor (``dateLastModified``; ``dateAdded`` where that is all an
  entity has), in whole seconds (Lucene dates are ``yyyyMMddHHmmss``); ``to`` is frozen when the read starts, so
  rows changed during the read land in the next window and rows at equal timestamps are told apart by id.
* Soft-deleted rows are asked for explicitly (``isDeleted`` either way), so deletes reach the destination.
* With ``max_concurrency > 1`` a large read is cut into id ranges read in parallel (the SDK's key-range
  partitioning: two ``count=1`` probes for the first and last id and the total); pages are still yielded in id
  order, so a checkpoint after any page is exact.
* The estimate is the ``total`` of the read's first answer (the first page, or the parallel id probe, which spans
  every range).
* A where clause longer than :data:`MAX_GET_QUERY` goes in a POST body (Bullhorn answers long GET URLs badly);
  that POST only reads, so it is retried like a GET.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from staffwire.paginate import PageRequest

from source_bullhorn.api import MAX_GET_QUERY

__all__ = ["EntityQuery", "lucene_time"]


def lucene_time(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%Y%m%d%H%M%S")


class EntityQuery:
    """The requests of one entity's reads with an explicit field list; see the module docstring."""

    def __init__(
        self,
        *,
        entity: str,
        searchable: bool,
        fields: str,
        cursor: str | None,
        deleted_flag: bool,
        page_size: int,
    ) -> None:
        self.entity = entity
        self.searchable = searchable
        self.fields = fields
        self.cursor = cursor
        self.deleted_flag = deleted_flag
        self.page_size = page_size
        self.path = f"search/{entity}" if searchable else f"query/{entity}"
        self._clause_key = "query" if searchable else "where"
        self._sort_key = "sort" if searchable else "orderBy"

    def conditions(self, lo: int | None, hi: int | None) -> list[str]:
        """The clauses of a read of rows with cursor in ``[lo, hi)`` (None: open), soft-deleted rows included."""
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

    def clause(self, conditions: list[str], after_id: int, upto_id: int | None) -> str:
        parts = [f"id:{{{after_id} TO *]" if self.searchable else f"id > {after_id}"]
        if upto_id is not None:
            parts.append(f"id:[* TO {upto_id}]" if self.searchable else f"id <= {upto_id}")
        return " AND ".join([*parts, *conditions])

    def request(self) -> PageRequest:
        """A page of rows sorted by id (the clause is added by :meth:`narrow`)."""
        params: dict[str, Any] = {"fields": self.fields, "count": self.page_size, "start": 0}
        params[self._sort_key] = "id"
        if not self.searchable:
            params["showTotalMatched"] = "true"
        return PageRequest("GET", self.path, params)

    def narrow(
        self, request: PageRequest, conditions: list[str], after_id: int | None, upto_id: int | None
    ) -> None:
        """Put the clause for ``after_id < id <= upto_id`` and ``conditions`` on ``request``."""
        clause = self.clause(conditions, after_id or 0, upto_id)
        others = {k: v for k, v in request.params.items() if k != self._clause_key}
        if len(clause) > MAX_GET_QUERY:
            request.method, request.idempotent = "POST", True
            request.json = {self._clause_key: clause}
            request.params = others
        else:
            request.method, request.idempotent, request.json = "GET", None, None
            request.params = {self._clause_key: clause, **others}

    def probe(self, request: PageRequest, *, descending: bool) -> None:
        """One row, its id only, from the low or high end."""
        request.params.update({"fields": "id", "count": 1, self._sort_key: "-id" if descending else "id"})
