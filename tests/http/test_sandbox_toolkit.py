"""The sandbox toolkit's own switches: token expiry after N uses, short pages, the request log, the fixture helper."""

from __future__ import annotations

import requests
from http_toolkit_sandbox import ToolkitSandbox
from staffwire.testing.sandbox import (
    Request,
    Response,
    Sandbox,
    TokenBook,
    json_response,
    route,
    sandbox_fixture,
)


class Echo(Sandbox):
    name = "echo"

    @route("GET", "/rows")
    def rows(self, request: Request) -> Response:
        return json_response(list(range(self.page_limit(request, request.int_arg("n", 5)))))


echo = sandbox_fixture(Echo)


def test_the_fixture_helper_starts_a_sandbox_per_test(echo: Echo) -> None:
    assert requests.get(echo.url + "/rows").json() == [0, 1, 2, 3, 4]
    assert [(r.method, r.path, r.status) for r in echo.log] == [("GET", "/rows", 200)]


def test_short_pages_cap_matching_requests_then_stop(echo: Echo) -> None:
    echo.faults.short_pages("/rows", max_records=2, times=2, after=1)
    sizes = [len(requests.get(echo.url + "/rows", params={"n": 4}).json()) for _ in range(4)]
    assert sizes == [4, 2, 2, 4]


def test_token_book_expires_tokens_after_n_uses() -> None:
    book = TokenBook("t", max_uses=2)
    token = book.issue(user="a")
    assert [book.use(token), book.use(token), book.use(token)] == [{"user": "a"}, {"user": "a"}, None]


def test_expire_after_shortens_live_tokens_and_sets_the_default() -> None:
    book = TokenBook("t")
    live = book.issue()
    book.expire_after(1)
    fresh = book.issue()
    assert [book.use(live), book.use(live)] == [{}, None]
    assert [book.use(fresh), book.use(fresh)] == [{}, None]
    assert book.issued == 2


def test_the_log_records_the_client_connection(sandbox: ToolkitSandbox) -> None:
    with requests.Session() as one:
        one.get(sandbox.url + "/items")
        one.get(sandbox.url + "/items")
    requests.get(sandbox.url + "/items")
    peers = [r.peer for r in sandbox.log]
    assert peers[0] == peers[1] != peers[2]
    sandbox.clear_log()
    assert sandbox.log == []
