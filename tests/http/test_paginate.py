"""Paginators over real HTTP: every style reads each record exactly once; loops are detected and named."""

from __future__ import annotations

import pytest
from http_toolkit_sandbox import TOTAL, ToolkitSandbox
from staffwire.errors import InternalError
from staffwire.http import HttpClient
from staffwire.paginate import (
    KeysetPaginator,
    NextTokenPaginator,
    OffsetPaginator,
    PageNumberPaginator,
    get_path,
    records_extractor,
)

ALL = list(range(TOTAL))


def ids(pages: list[list[dict]]) -> list[int]:
    return [r["id"] for page in pages for r in page]


def test_offset_paging_follows_the_count_actually_returned(
    client: HttpClient, sandbox: ToolkitSandbox
) -> None:
    # asks for 40, the API caps pages at 25: offsets must advance by 25, not 40
    pages = list(client.paginate("/items", paginator=OffsetPaginator(40, total_path="total"), records="data"))
    assert ids(pages) == ALL
    assert [r.arg("offset") for r in sandbox.log] == ["0", "25", "50", "75"]


def test_offset_paging_without_a_total_stops_on_the_empty_page(
    client: HttpClient, sandbox: ToolkitSandbox
) -> None:
    pages = list(client.paginate("/items", paginator=OffsetPaginator(20), records="data"))
    assert ids(pages) == ALL
    assert [r.arg("offset") for r in sandbox.log] == ["0", "20", "40", "60", "80", "95"]


def test_offset_paging_can_stop_on_a_short_page(client: HttpClient, sandbox: ToolkitSandbox) -> None:
    pages = list(
        client.paginate("/items", paginator=OffsetPaginator(20, stop_on_short_page=True), records="data")
    )
    assert ids(pages) == ALL and len(sandbox.log) == 5


def test_page_number_paging_follows_the_more_records_flag(
    client: HttpClient, sandbox: ToolkitSandbox
) -> None:
    paginator = PageNumberPaginator(page_size=30, more_path="info.more_records")
    assert ids(list(client.paginate("/pages", paginator=paginator, records="data"))) == ALL
    assert [r.arg("page") for r in sandbox.log] == ["1", "2", "3", "4"]


def test_page_number_paging_stops_on_an_empty_204(client: HttpClient, sandbox: ToolkitSandbox) -> None:
    paginator = PageNumberPaginator(page_size=19)
    assert ids(list(client.paginate("/pages", paginator=paginator, records="data"))) == ALL
    assert [r.status for r in sandbox.log] == [200] * 5 + [204]


def test_next_token_paging_from_the_body(client: HttpClient, sandbox: ToolkitSandbox) -> None:
    paginator = NextTokenPaginator(token_path="next", param="page_token")
    assert ids(list(client.paginate("/cursor", paginator=paginator, records="items"))) == ALL
    assert [r.arg("page_token") for r in sandbox.log] == [None, "20", "40", "60", "80"]


def test_keyset_paging_asks_for_keys_after_the_last_one(client: HttpClient, sandbox: ToolkitSandbox) -> None:
    paginator = KeysetPaginator(key="id", param="since_id")
    assert ids(list(client.paginate("/keyset", paginator=paginator))) == ALL
    assert [r.arg("since_id") for r in sandbox.log] == [None, "29", "59", "89", "94"]


def test_a_repeated_next_token_is_a_loop_error_naming_stream_and_request(client, sandbox) -> None:
    sandbox.repeat_token = True
    paginator = NextTokenPaginator(token_path="next")
    with pytest.raises(InternalError) as caught:
        list(client.paginate("/cursor", paginator=paginator, records="items", stream="Things"))
    assert str(caught.value) == (
        "Toolkit returned the same next-page token '20' twice (stream Things, GET /cursor): stopped paging to avoid "
        "an endless loop. The API is not honouring the paging parameters; please report this with the stream name."
    )
    assert caught.value.stream == "Things" and caught.value.request == "GET /cursor"
    assert len(sandbox.log) == 2


def test_an_api_ignoring_the_offset_is_a_loop_error(client, sandbox) -> None:
    sandbox.ignore_offset = True
    with pytest.raises(
        InternalError, match=r"^Toolkit returned the same page twice \(stream Items, GET /items\)"
    ):
        list(client.paginate("/items", paginator=OffsetPaginator(25), records="data", stream="Items"))
    assert len(sandbox.log) == 2


def test_a_key_that_does_not_increase_is_a_loop_error(client, sandbox) -> None:
    sandbox.ignore_offset = True  # the API ignores since_id and answers the first page again
    with pytest.raises(InternalError, match=r"returned key 29 after 29 \(keys must increase\)"):
        list(client.paginate("/keyset", paginator=KeysetPaginator(key="id", param="since_id", start=0)))


def test_short_pages_switch_caps_pages_and_offset_paging_still_reads_everything(
    client: HttpClient, sandbox: ToolkitSandbox
) -> None:
    sandbox.faults.short_pages("/items", max_records=7, times=2)
    pages = list(client.paginate("/items", paginator=OffsetPaginator(25, total_path="total"), records="data"))
    assert [len(p) for p in pages] == [7, 7, 25, 25, 25, 6]
    assert ids(pages) == ALL


@pytest.mark.parametrize(
    ("path", "body", "expected"),
    [
        ("data", {"data": [1, 2]}, [1, 2]),
        ("response.result", {"response": {"result": [3]}}, [3]),
        ("data", {"data": {"id": 1}}, [{"id": 1}]),
        ("data", {"other": []}, []),
        ("data", None, []),
        (None, [4, 5], [4, 5]),
        (None, {"not": "a list"}, []),
    ],
)
def test_records_extractor(path, body, expected) -> None:
    assert records_extractor(path)(body) == expected


def test_get_path_reads_list_indexes() -> None:
    assert get_path({"items": [{"id": 7}]}, "items.0.id") == 7
    assert get_path({"items": []}, "items.0.id", "none") == "none"


def test_link_header_paging_follows_rel_next(client: HttpClient, sandbox: ToolkitSandbox) -> None:
    from staffwire.paginate import LinkHeaderPaginator

    assert ids(list(client.paginate("/linked", paginator=LinkHeaderPaginator(), records="rows"))) == ALL
    assert [r.arg("page") for r in sandbox.log] == [None, "2", "3"]


def test_next_token_from_a_header(client: HttpClient, sandbox: ToolkitSandbox) -> None:
    paginator = NextTokenPaginator(header="X-Next-Token", param="page")
    assert ids(list(client.paginate("/linked", paginator=paginator, records="rows"))) == ALL
    assert [r.arg("page") for r in sandbox.log] == [None, "2", "3"]


def test_next_url_from_the_body_replaces_the_request(client: HttpClient, sandbox: ToolkitSandbox) -> None:
    paginator = NextTokenPaginator(token_path="next_url", is_url=True)
    pages = list(client.paginate("/linked", params={"page": 1}, paginator=paginator, records="rows"))
    assert ids(pages) == ALL
    assert [r.query for r in sandbox.log] == [{"page": ["1"]}, {"page": ["2"]}, {"page": ["3"]}]


def test_page_number_paging_stops_at_the_total_page_count(
    client: HttpClient, sandbox: ToolkitSandbox
) -> None:
    paginator = PageNumberPaginator(total_pages_path="pages", page_size_param=None)
    assert ids(list(client.paginate("/linked", paginator=paginator, records="rows"))) == ALL
    assert len(sandbox.log) == 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "NextTokenPaginator needs exactly one of token_path= or header="),
        (
            {"token_path": "next", "header": "X-Next"},
            "NextTokenPaginator needs exactly one of token_path= or header=",
        ),
    ],
)
def test_next_token_paginator_config_errors(kwargs, message) -> None:
    with pytest.raises(ValueError) as caught:
        NextTokenPaginator(**kwargs)
    assert str(caught.value) == message
