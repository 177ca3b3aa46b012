"""Zoho's record reads on the SDK's stream and paginator layer: each read is an
:class:`~staffwire.http.HttpStream` whose paging is the SDK's own paginators, so the one paging loop (with its
loop detection), the retries and the typed errors are the SDK's. What is Zoho's own is small:

* :class:`ModifiedSincePaginator` (records, Recruit and CRM): keyset paging by ``Modified_Time`` (see its
  docstring), a :class:`~staffwire.paginate.PageNumberPaginator` on ``info.more_records`` and, on CRM, a
  :class:`~staffwire.paginate.NextTokenPaginator` on ``info.next_page_token`` within one keyset window;
* :meth:`ZohoRecords.parse_page`: an empty answer (204, 304) is no records; a row already given (re-read by the
  keyset overlap) is dropped; on CRM the other field groups are fetched for the page's ids and merged (``fields``
  is limited to 50 per call, so the first group, with ``Modified_Time``, drives the paging);
* :class:`ZohoDeleted`: the deleted-records API, a plain PageNumberPaginator (``page``/``per_page`` until
  ``more_records`` is false or the answer is empty);
* :meth:`ZohoRead.validate_response`: an error inside an HTTP 200 body is a typed error like a refused request
  (Zoho's refusals with an error status are read by the client's ``classify_error``, :meth:`ZohoApi.classify`).

The cursors and the state (two of them, live and deleted) stay with the streams (:mod:`source_zoho.streams`):
these reads are driven in full refresh and only give pages.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

import requests
from staffwire.http.stream import HttpStream
from staffwire.paginate import NextTokenPaginator, PageNumberPaginator, PageRequest, Paginator

from source_zoho.api import IDS_PER_CALL, OVERLAP, field_groups, parse_time

if TYPE_CHECKING:
    from source_zoho.api import ZohoApi

__all__ = ["ModifiedSincePaginator", "ZohoDeleted", "ZohoRead", "ZohoRecords"]

MORE = "info.more_records"


class ZohoRead(HttpStream):
    """One read of one Zoho endpoint for one stream (named in every error), started at ``since``."""

    records_path = "data"

    def __init__(self, api: ZohoApi, module: str, stream: str, since: datetime | None) -> None:
        super().__init__(api.client)
        self.api = api
        self.module = module
        self.stream = stream
        self.since = since

    def get_name(self) -> str:
        return self.stream

    def validate_response(self, response: requests.Response, body: Any) -> None:
        self.api.check_body(response, body, self.stream)

    def pages(self) -> Iterator[list[dict[str, Any]]]:
        """The pages of records, in the API's order (empty pages left out)."""
        for item in self.read("full_refresh", None):
            if isinstance(item, list):
                yield item


class ModifiedSincePaginator(Paginator):
    """Keyset paging by ``Modified_Time``, oldest change first, each record once.

    After each page the next request asks ``If-Modified-Since`` the page's newest change minus
    :data:`~source_zoho.api.OVERLAP`, page 1 again, and :meth:`fresh` drops the records already given. A record
    changed during the read moves to the end of the order, which with page numbers would shift a neighbour past
    the page boundary and lose it; here nothing shifts. Only when a whole page falls inside the overlap (a bulk
    update in one second) does it go on within that window, by page number or, when CRM gives one, by
    ``page_token`` (the SDK's paginators, which also stop a paging loop). CRM reads so never reach the 2,000-record
    limit of ``page``. Stops on an empty page or when ``more_records`` is false.
    """

    def __init__(self, since: datetime | None) -> None:
        super().__init__()
        self.low = since
        self.given: dict[str, datetime | None] = {}  # ids already given whose change is at or after ``low``
        self._rows: list[dict[str, Any]] = []
        self._stamps: list[tuple[str, datetime | None]] = []
        self._restart = False
        self._window()

    def _window(self) -> None:
        """The position within one ``If-Modified-Since`` window: page 1, no token."""
        self.pages = PageNumberPaginator(page_size_param=None, more_path=MORE)
        self.tokens = NextTokenPaginator(token_path="info.next_page_token", param="page_token")

    def init_request(self, request: PageRequest) -> None:
        request.params.pop(self.tokens.param, None)
        self.pages.init_request(request)
        if self.low is not None:
            request.headers["If-Modified-Since"] = self.low.isoformat()

    def fresh(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The page's rows not given yet (called on every page before :meth:`update_state`)."""
        self._rows = rows
        # each row's id and change time, read once per page (merging the other field groups changes neither)
        self._stamps = [(str(r.get("id")), parse_time(r.get("Modified_Time"))) for r in rows]
        given = self.given
        return [
            r
            for r, (key, moment) in zip(rows, self._stamps, strict=True)
            if key not in given or given[key] != moment
        ]

    def update_state(self, response: requests.Response, records: list[Any], body: Any = None) -> None:
        rows, stamps = self._rows, self._stamps
        self._rows, self._stamps = [], []
        self.given.update(stamps)  # the rows not fresh are there already, with the same time
        self.pages.update_state(response, rows, body)
        if not self.pages.has_next_page:
            self.has_next_page = False
            return
        top = max((m for _, m in stamps if m is not None), default=None)
        if top is not None and (self.low is None or top - OVERLAP > self.low):
            self.low = top - OVERLAP
            self.given = {k: m for k, m in self.given.items() if m is not None and m >= self.low}
            self._window()
            self._restart = True
        else:
            self.tokens.update_state(response, rows, body)

    def update_request(self, request: PageRequest) -> None:
        if self._restart:
            self._restart = False
            self.init_request(request)
        elif self.tokens.token:
            request.params.pop(self.pages.page_param, None)
            self.tokens.update_request(request)
        else:
            request.params.pop(self.tokens.param, None)
            self.pages.update_request(request)


class ZohoRecords(ZohoRead):
    """A module's records, oldest change first (``sort_by=Modified_Time``), changed after ``since``."""

    def __init__(
        self,
        api: ZohoApi,
        module: str,
        stream: str,
        since: datetime | None,
        field_names: list[str] | None,
    ) -> None:
        super().__init__(api, module, stream, since)
        self.groups = field_groups(field_names or ["Modified_Time"]) if api.product == "crm" else []
        self._paging = ModifiedSincePaginator(since)

    def path(self, state: Mapping[str, Any] | None) -> str:
        return f"/{self.module}"

    def params(self, state: Mapping[str, Any] | None, query_from: datetime | None) -> dict[str, Any]:
        params: dict[str, Any] = {
            "per_page": self.api.config.page_size,
            "sort_by": "Modified_Time",
            "sort_order": "asc",
        }
        if self.groups:
            params["fields"] = ",".join(self.groups[0])
        return params

    def paginator(self) -> Paginator:
        self._paging = ModifiedSincePaginator(self.since)
        return self._paging

    def parse_page(self, body: Any, response: requests.Response) -> list[dict[str, Any]]:
        fresh = self._paging.fresh(list(super().parse_page(body, response)))
        if self.groups[1:] and fresh:
            self._merge_groups(fresh)
        return fresh

    def _merge_groups(self, rows: list[dict[str, Any]]) -> None:
        """Fetch the other field groups for ``rows`` (by id, 100 per call) and merge them in place."""
        by_id = {str(r["id"]): r for r in rows}
        ids = list(by_id)
        for group in self.groups[1:]:
            for start in range(0, len(ids), IDS_PER_CALL):
                chunk = ids[start : start + IDS_PER_CALL]
                response, body = self.client.fetch_json(
                    "GET",
                    self.path(None),
                    params={"ids": ",".join(chunk), "fields": ",".join(group)},
                    stream=self.stream,
                )
                self.validate_response(response, body)
                for extra in (body or {}).get("data") or []:
                    target = by_id.get(str(extra.get("id")))
                    if target is not None:
                        target.update(extra)


class ZohoDeleted(ZohoRead):
    """A module's deleted records (recycle bin and permanent), deleted after ``since``."""

    def path(self, state: Mapping[str, Any] | None) -> str:
        return f"/{self.module}/deleted"

    def params(self, state: Mapping[str, Any] | None, query_from: datetime | None) -> dict[str, Any]:
        return {"type": "all"}

    def paginator(self) -> Paginator:
        return PageNumberPaginator(page_size=self.api.config.page_size, more_path=MORE)

    def fetch(self, request: PageRequest) -> tuple[requests.Response, list[dict[str, Any]], Any]:
        if self.since is not None:
            request.headers["If-Modified-Since"] = self.since.isoformat()
        return super().fetch(request)
