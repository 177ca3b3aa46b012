"""Paginators: small objects that move a request from one page to the next (dlt's shape).

The loop (:meth:`staffwire.http.HttpClient.page_loop`, the only one: ``iter_pages`` and ``HttpStream`` run it) is::

    paginator.init_request(request)
    while True:
        response, body = send(request)
        records = extract(body)
        paginator.update_state(response, records, body)   # may raise PaginatorLoopError
        yield records
        if not paginator.has_next_page: break
        paginator.update_request(request)

A paginator is stateful: make a new one for every read. Every paginator detects loops: a repeated next token,
cursor or key, or a page identical to the previous one (an API ignoring the paging parameter), raises
:class:`PaginatorLoopError`, which the client turns into an ``InternalError`` naming the system, stream and request.
"""

from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import requests

from staffwire.errors import InternalError

__all__ = [
    "KeysetPaginator",
    "LinkHeaderPaginator",
    "NextTokenPaginator",
    "OffsetPaginator",
    "PageNumberPaginator",
    "PageRequest",
    "Paginator",
    "PaginatorLoopError",
    "SinglePagePaginator",
    "get_path",
    "records_extractor",
]


@dataclass
class PageRequest:
    """The request a paginator edits between pages."""

    method: str = "GET"
    path: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    #: None: by the method (GET... are); True for a POST search that only reads, so it is retried like a GET
    idempotent: bool | None = None

    def copy(self) -> PageRequest:
        return PageRequest(
            self.method,
            self.path,
            dict(self.params),
            copy.deepcopy(self.json),
            dict(self.headers),
            self.idempotent,
        )


class PaginatorLoopError(Exception):
    """The API sent the paginator back to a page it has already read."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what

    def as_error(self, *, system: str, request: str, stream: str | None) -> InternalError:
        where = f"stream {stream}, " if stream else ""
        return InternalError(
            f"{system} {self.what} ({where}{request}): stopped paging to avoid an endless loop. "
            "The API is not honouring the paging parameters; please report this with the stream name.",
            stream=stream,
            request=request,
        )


_MISSING = object()


def get_path(obj: Any, path: str, default: Any = None) -> Any:
    """``get_path(body, "info.more_records")``; list indexes allowed (``"items.0.id"``)."""
    node = obj
    for part in path.split(".") if path else ():
        if isinstance(node, dict):
            node = node.get(part, _MISSING)
        elif isinstance(node, list) and part.lstrip("-").isdigit() and -len(node) <= int(part) < len(node):
            node = node[int(part)]
        else:
            return default
        if node is _MISSING:
            return default
    return node


def records_extractor(records: str | Callable[[Any], list[Any]] | None) -> Callable[[Any], list[Any]]:
    """A function body -> list of records, from a dotted path, a callable or None (the body is the list)."""
    if callable(records):
        return records
    if not records:
        return lambda body: body if isinstance(body, list) else []

    def extract(body: Any) -> list[Any]:
        found = get_path(body, records)
        if isinstance(found, list):
            return found
        return [] if found is None else [found]

    return extract


class Paginator(ABC):
    """Base class: override :meth:`update_state` (and usually :meth:`init_request`, :meth:`update_request`)."""

    has_next_page: bool = True

    def __init__(self) -> None:
        self.has_next_page = True
        self._seen: set[Hashable] = set()
        self._previous_page: Any = _MISSING

    def init_request(self, request: PageRequest) -> None:  # noqa: B027 -- optional hook
        """Put the first page's parameters on the request."""

    @abstractmethod
    def update_state(self, response: requests.Response, records: list[Any], body: Any = None) -> None:
        """Learn from the page just read; set ``has_next_page``."""

    def update_request(self, request: PageRequest) -> None:  # noqa: B027 -- optional hook
        """Move the request to the next page."""

    # loop detection ------------------------------------------------------------------------------------
    def _remember(self, value: Hashable, what: str) -> None:
        if value in self._seen:
            raise PaginatorLoopError(f"returned the same {what} {value!r} twice")
        self._seen.add(value)

    def _check_same_page(self, records: list[Any]) -> None:
        """An API that ignores the paging parameter answers the same page again: compare its ends."""
        fingerprint = (len(records), records[0], records[-1]) if records else None
        if fingerprint is not None and fingerprint == self._previous_page:
            raise PaginatorLoopError("returned the same page twice")
        self._previous_page = fingerprint


class SinglePagePaginator(Paginator):
    """One request, no paging."""

    def update_state(self, response: requests.Response, records: list[Any], body: Any = None) -> None:
        self.has_next_page = False


class OffsetPaginator(Paginator):
    """``offset``/``limit`` paging driven by the number of records actually returned (an API may answer fewer
    than asked for: Bullhorn's wide field lists). Stops on an empty page, at ``total`` (read from
    ``total_path`` when given), or on a short page if ``stop_on_short_page``.
    """

    def __init__(
        self,
        limit: int,
        *,
        offset: int = 0,
        offset_param: str = "offset",
        limit_param: str | None = "limit",
        total_path: str | None = None,
        stop_on_short_page: bool = False,
        max_offset: int | None = None,
    ) -> None:
        super().__init__()
        self.limit = limit
        self.offset = offset
        self.offset_param = offset_param
        self.limit_param = limit_param
        self.total_path = total_path
        self.stop_on_short_page = stop_on_short_page
        self.max_offset = max_offset
        self.total: int | None = None

    def init_request(self, request: PageRequest) -> None:
        request.params[self.offset_param] = self.offset
        if self.limit_param:
            request.params[self.limit_param] = self.limit

    def update_state(self, response: requests.Response, records: list[Any], body: Any = None) -> None:
        count = len(records)
        if self.total_path is not None:
            self.total = _as_count(get_path(body, self.total_path))
        if count == 0:
            self.has_next_page = False
            return
        self._check_same_page(records)
        self.offset += count
        self._remember(self.offset, "offset")
        at_total = self.total is not None and self.offset >= self.total
        short = self.stop_on_short_page and count < self.limit
        at_max = self.max_offset is not None and self.offset >= self.max_offset
        self.has_next_page = not (at_total or short or at_max)

    def update_request(self, request: PageRequest) -> None:
        request.params[self.offset_param] = self.offset


class PageNumberPaginator(Paginator):
    """``page=1,2,...``. Stops on an empty page (or an empty 204 answer), when ``more_path`` is false
    (``info.more_records``), at ``total_pages_path``, or on a short page when ``page_size`` is given and
    ``stop_on_short_page``."""

    def __init__(
        self,
        *,
        page: int = 1,
        page_param: str = "page",
        page_size: int | None = None,
        page_size_param: str | None = "per_page",
        more_path: str | None = None,
        total_pages_path: str | None = None,
        stop_on_short_page: bool = False,
    ) -> None:
        super().__init__()
        self.page = page
        self.page_param = page_param
        self.page_size = page_size
        self.page_size_param = page_size_param
        self.more_path = more_path
        self.total_pages_path = total_pages_path
        self.stop_on_short_page = stop_on_short_page

    def init_request(self, request: PageRequest) -> None:
        request.params[self.page_param] = self.page
        if self.page_size is not None and self.page_size_param:
            request.params[self.page_size_param] = self.page_size

    def update_state(self, response: requests.Response, records: list[Any], body: Any = None) -> None:
        if not records:
            self.has_next_page = False
            return
        self._check_same_page(records)
        self._remember(self.page, "page number")
        if self.more_path is not None:
            self.has_next_page = bool(get_path(body, self.more_path))
        elif self.total_pages_path is not None:
            total = get_path(body, self.total_pages_path)
            self.has_next_page = not isinstance(total, int) or self.page < total
        elif self.stop_on_short_page and self.page_size is not None and len(records) < self.page_size:
            self.has_next_page = False
        if self.has_next_page:
            self.page += 1

    def update_request(self, request: PageRequest) -> None:
        request.params[self.page_param] = self.page


class NextTokenPaginator(Paginator):
    """A cursor / next-page token from the body (``token_path``) or a response header (``header``), sent back as
    the ``param`` query parameter -- or, with ``is_url=True``, a full next-page URL that replaces the request.
    Stops when the token is missing or empty (or ``more_path`` is false)."""

    def __init__(
        self,
        *,
        token_path: str | None = None,
        header: str | None = None,
        param: str = "page_token",
        is_url: bool = False,
        more_path: str | None = None,
    ) -> None:
        super().__init__()
        if (token_path is None) == (header is None):
            raise ValueError("NextTokenPaginator needs exactly one of token_path= or header=")
        self.token_path = token_path
        self.header = header
        self.param = param
        self.is_url = is_url
        self.more_path = more_path
        self.token: str | None = None

    def update_state(self, response: requests.Response, records: list[Any], body: Any = None) -> None:
        if self.header is not None:
            token = response.headers.get(self.header)
        else:
            token = get_path(body, self.token_path or "")
        self.token = None if token in (None, "") else str(token)
        if self.token is None or (self.more_path is not None and not get_path(body, self.more_path)):
            self.has_next_page = False
            return
        self._remember(self.token, "next-page URL" if self.is_url else "next-page token")

    def update_request(self, request: PageRequest) -> None:
        if self.token is None:
            return
        if self.is_url:
            request.path = self.token
            request.params = {}
        else:
            request.params[self.param] = self.token


class LinkHeaderPaginator(Paginator):
    """RFC 8288 ``Link: <...>; rel="next"`` paging (GitHub style): follow the next URL as is."""

    def __init__(self, rel: str = "next") -> None:
        super().__init__()
        self.rel = rel
        self.next_url: str | None = None

    def update_state(self, response: requests.Response, records: list[Any], body: Any = None) -> None:
        self.next_url = (response.links.get(self.rel) or {}).get("url")
        if not self.next_url:
            self.has_next_page = False
            return
        self._remember(self.next_url, "next-page link")

    def update_request(self, request: PageRequest) -> None:
        if self.next_url:
            request.path = self.next_url
            request.params = {}


class KeysetPaginator(Paginator):
    """Keyset paging: ask for records whose ``key`` is after the last one read (``where=id>123``), for APIs whose
    deep offsets are slow or unreliable. The API must order by ``key``. ``value`` formats the parameter:
    a template with ``{last}`` (``"id>{last}"``) or a callable; or ``apply(request, last)`` puts the key on the
    request itself (a where clause that also holds other conditions, or goes in a POST body). Stops on an empty
    page; with ``limit``, on a short page; with ``total_path``, when the page held every record that matched
    (its count -- ``count_path`` in the body, else the records -- reaches the total: an API may cap pages below
    the size asked, so a short page alone does not end the read). A key that does not increase raises a loop
    error. :attr:`total` is the last page's total (the records left from its key on)."""

    def __init__(
        self,
        *,
        key: str = "id",
        param: str = "since_id",
        value: str | Callable[[Any], Any] = "{last}",
        apply: Callable[[PageRequest, Any], None] | None = None,
        start: Any = None,
        limit: int | None = None,
        limit_param: str | None = None,
        total_path: str | None = None,
        count_path: str | None = None,
    ) -> None:
        super().__init__()
        self.key = key
        self.param = param
        self.value = value
        self.apply = apply
        self.last = start
        self.limit = limit
        self.limit_param = limit_param
        self.total_path = total_path
        self.count_path = count_path
        self.total: int | None = None

    def _format(self, last: Any) -> Any:
        return self.value(last) if callable(self.value) else self.value.format(last=last)

    def _put(self, request: PageRequest) -> None:
        if self.apply is not None:
            self.apply(request, self.last)
        else:
            request.params[self.param] = self._format(self.last)

    def init_request(self, request: PageRequest) -> None:
        if self.last is not None or self.apply is not None:
            self._put(request)
        if self.limit is not None and self.limit_param:
            request.params[self.limit_param] = self.limit

    def update_state(self, response: requests.Response, records: list[Any], body: Any = None) -> None:
        if self.total_path is not None:
            self.total = _as_count(get_path(body, self.total_path))
        if not records:
            self.has_next_page = False
            return
        last = get_path(records[-1], self.key)
        if last is None:
            raise PaginatorLoopError(f"returned a record without the keyset key {self.key!r}")
        if self.last is not None and not _after(last, self.last):
            raise PaginatorLoopError(f"returned key {last!r} after {self.last!r} (keys must increase)")
        self.last = last
        if self.limit is not None and len(records) < self.limit:
            self.has_next_page = False
        if self.total is not None:
            count = _as_count(get_path(body, self.count_path)) if self.count_path else None
            if (count if count is not None else len(records)) >= self.total:
                self.has_next_page = False

    def update_request(self, request: PageRequest) -> None:
        self._put(request)


def _as_count(value: Any) -> int | None:
    """A total from a body: an int, an integral float or a digit string; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _after(new: Any, old: Any) -> bool:
    try:
        return bool(new > old)
    except TypeError:
        return str(new) > str(old)
