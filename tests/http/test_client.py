"""HttpClient against a real loopback server: every fault kind, retries, typed errors and their messages."""

from __future__ import annotations

import socket

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from staffwire.errors import ConfigError, InternalError, TransientError
from staffwire.http import (
    AuthenticationError,
    BadResponseError,
    ClientError,
    ConnectError,
    HttpClient,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    RetryPolicy,
    ServerError,
    TimeoutError_,
    rate_limit_listener,
)
from staffwire.testing.sandbox import http_date


def test_get_json_returns_the_parsed_body(client: HttpClient) -> None:
    body = client.get_json("/items", params={"offset": 3, "limit": 2})
    assert body == {
        "total": 95,
        "data": [
            {"id": 3, "name": "item 3", "updated": 1_700_000_003_000},
            {"id": 4, "name": "item 4", "updated": 1_700_000_004_000},
        ],
    }


def test_429_with_retry_after_seconds_waits_that_long_then_succeeds(client, sandbox, sleeps) -> None:
    sandbox.faults.rate_limit("/items", times=2, retry_after="7")
    assert client.get_json("/items", params={"limit": 1})["data"] == [sandbox.items[0]]
    assert sleeps == [7.0, 7.0]
    assert [r.status for r in sandbox.log] == [429, 429, 200]


def test_429_with_an_http_date_waits_until_that_moment(client, sandbox, sleeps) -> None:
    sandbox.faults.rate_limit("/items", times=1, retry_after=http_date(30))
    client.get_json("/items")
    assert len(sleeps) == 1 and 28.0 <= sleeps[0] <= 31.0


def test_429_retry_after_is_capped(sandbox, sleeps) -> None:
    policy = RetryPolicy(max_retry_after=5.0, sleep=sleeps)
    sandbox.faults.rate_limit("/items", times=1, retry_after="86400")
    HttpClient(sandbox.url, system="Toolkit", retry=policy).get_json("/items")
    assert sleeps == [5.0]


def test_429_without_retry_after_backs_off_exponentially(sandbox, sleeps) -> None:
    policy = RetryPolicy(base_delay=0.5, factor=2.0, jitter=0.0, sleep=sleeps)
    sandbox.faults.rate_limit("/items", times=3)
    HttpClient(sandbox.url, system="Toolkit", retry=policy).get_json("/items")
    assert sleeps == [0.5, 1.0, 2.0]


def test_jitter_shortens_waits_by_at_most_its_fraction() -> None:
    policy = RetryPolicy(base_delay=1.0, factor=2.0, jitter=0.5, random=lambda: 1.0)
    assert [policy.backoff(n) for n in (1, 2, 3)] == [0.5, 1.0, 2.0]
    assert RetryPolicy(base_delay=1.0, jitter=0.5, random=lambda: 0.0).backoff(1) == 1.0


def test_429_is_retried_for_post_too_because_it_was_not_processed(client, sandbox, sleeps) -> None:
    sandbox.faults.rate_limit("/things", times=1, retry_after="1")
    assert client.post_json("/things", {"n": 1}) == {"id": 1}
    assert sandbox.created == [{"n": 1}]


def test_rate_limit_wait_is_announced_to_the_callback(sandbox, sleeps) -> None:
    heard: list[float] = []
    policy = RetryPolicy(sleep=sleeps)
    sandbox.faults.rate_limit("/items", times=2, retry_after="3")
    HttpClient(sandbox.url, system="Toolkit", retry=policy, on_rate_limited=heard.append).get_json("/items")
    assert heard == [3.0, 3.0]


def test_rate_limit_wait_is_announced_to_the_context_listener(sandbox, sleeps) -> None:
    heard: list[float] = []
    sandbox.faults.rate_limit("/items", times=1, retry_after="2")
    client = HttpClient(sandbox.url, system="Toolkit", retry=RetryPolicy(sleep=sleeps))
    with rate_limit_listener(heard.append):
        client.get_json("/items")
    client.get_json("/items")  # outside the block: nobody listening, nothing recorded
    assert heard == [2.0]


def test_429_that_never_ends_is_a_transient_error_naming_system_request_and_attempts(sandbox, sleeps) -> None:
    policy = RetryPolicy(rate_limit_attempts=3, sleep=sleeps)
    sandbox.faults.rate_limit("/items", times=None, retry_after="1", body={"message": "Too many requests"})
    with pytest.raises(RateLimitedError) as caught:
        HttpClient(sandbox.url, system="Toolkit", retry=policy).get_json("/items", params={"limit": 5})
    assert isinstance(caught.value, TransientError)
    assert caught.value.status == 429
    assert caught.value.request == "GET /items"
    assert str(caught.value) == (
        'Toolkit kept rate-limiting GET /items (HTTP 429) after 3 attempts: "Too many requests". '
        "The API's rate limit outlasted every retry: try again later or lower the request rate."
    )
    assert len(sandbox.log) == 3


def test_5xx_is_retried_with_backoff_then_succeeds(client, sandbox, sleeps) -> None:
    sandbox.faults.server_error("/items", status=503, times=2)
    assert client.get_json("/items", params={"limit": 1})["data"][0]["id"] == 0
    assert sleeps == [0.01, 0.02]
    assert [r.status for r in sandbox.log] == [503, 503, 200]


def test_5xx_after_every_retry_is_a_server_error_quoting_the_api(client, sandbox) -> None:
    sandbox.faults.server_error("/items", status=502, times=None, body={"errorMessage": "upstream down"})
    with pytest.raises(ServerError) as caught:
        client.get_json("/items", stream="Items")
    assert str(caught.value) == (
        "Stream Items: Toolkit failed with a server error for GET /items (HTTP 502) after 4 attempts: "
        '"upstream down". The API is failing: this is usually temporary, try again later.'
    )
    assert caught.value.stream == "Items"
    assert len(sandbox.log) == 4


def test_5xx_on_post_is_not_retried_unless_marked_idempotent(client, sandbox) -> None:
    sandbox.faults.server_error("/things", times=1)
    with pytest.raises(ServerError):
        client.post_json("/things", {"n": 1})
    assert len(sandbox.log) == 1
    sandbox.faults.server_error("/things", times=1)
    assert client.post_json("/things", {"n": 2}, idempotent=True) == {"id": 1}
    assert sandbox.created == [{"n": 2}]


def test_connection_dropped_before_the_answer_is_retried_for_get(client, sandbox) -> None:
    sandbox.faults.drop("/items", times=2)
    assert client.get_json("/items", params={"limit": 2})["data"] == sandbox.items[:2]
    assert [r.status for r in sandbox.log] == [None, None, 200]


def test_connection_dropped_after_a_post_was_applied_is_not_repeated(client, sandbox) -> None:
    sandbox.faults.drop("/things", applied=True, times=1)
    with pytest.raises(ConnectError) as caught:
        client.post_json("/things", {"n": 1})
    assert sandbox.created == [{"n": 1}]  # applied once, never twice
    assert str(caught.value) == (
        "Could not reach Toolkit for POST /things: the connection failed or was dropped (ConnectionError). "
        "Check the API URL and the network, or try again later."
    )


def test_a_refused_connection_is_retried_for_any_method_then_reported(sleeps) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = HttpClient(
        f"http://127.0.0.1:{port}",
        system="Toolkit",
        retry=RetryPolicy(max_attempts=3, base_delay=0.01, jitter=0, sleep=sleeps),
    )
    with pytest.raises(ConnectError) as caught:
        client.post_json("/things?token=abc", {"n": 1})
    assert sleeps == [0.01, 0.02]
    assert "POST /things" in str(caught.value) and "after 3 attempts" in str(caught.value)
    assert "token=abc" not in str(caught.value)


def test_a_slow_answer_becomes_a_timeout_after_retries(sandbox, sleeps) -> None:
    sandbox.faults.slow("/items", delay=0.3, times=None)
    client = HttpClient(
        sandbox.url,
        system="Toolkit",
        timeout=(1.0, 0.1),
        retry=RetryPolicy(max_attempts=2, base_delay=0.01, sleep=sleeps),
    )
    with pytest.raises(TimeoutError_) as caught:
        client.get_json("/items")
    assert str(caught.value) == (
        "Toolkit did not answer GET /items within 0.1s (after 2 attempts). The API may be overloaded: try again later."
    )


def test_a_slow_answer_within_the_timeout_is_fine(sandbox, client) -> None:
    sandbox.faults.slow("/items", delay=0.05, times=1)
    assert client.get_json("/items", params={"limit": 1})["total"] == 95


def test_html_instead_of_json_is_reported_as_html(client, sandbox) -> None:
    sandbox.faults.html("/items", times=None)
    with pytest.raises(BadResponseError) as caught:
        client.get_json("/items", params={"token": "abc"})
    assert str(caught.value).startswith("Toolkit answered HTML, not JSON, for GET /items (HTTP 200).")
    assert len(sandbox.log) == 4  # re-fetched: a login wall or proxy page may be passing


def test_truncated_json_is_fetched_again(client, sandbox) -> None:
    sandbox.faults.truncate("/items", times=1)
    assert client.get_json("/items", params={"limit": 3})["data"] == sandbox.items[:3]
    assert len(sandbox.log) == 2


def test_truncated_json_every_time_is_reported_as_truncated(client, sandbox) -> None:
    sandbox.faults.truncate("/items", times=None)
    with pytest.raises(BadResponseError) as caught:
        client.get_json("/items")
    assert str(caught.value).startswith(
        "Toolkit answered truncated or invalid JSON for GET /items (HTTP 200, "
    )


@pytest.mark.parametrize(
    ("code", "kind", "error_class", "message"),
    [
        (
            401,
            ConfigError,
            AuthenticationError,
            'Toolkit rejected the credentials for GET /status/401 (HTTP 401): "AS_ASKED: status 401 as asked". '
            "Check the credentials in the connector config (they may be wrong, expired or revoked).",
        ),
        (
            403,
            ConfigError,
            PermissionDeniedError,
            'Toolkit refused access to GET /status/403 (HTTP 403): "AS_ASKED: status 403 as asked". '
            "Check that the API user has permission for this data, and the credentials' scopes.",
        ),
        (
            404,
            ConfigError,
            NotFoundError,
            'Toolkit has nothing at GET /status/404 (HTTP 404): "AS_ASKED: status 404 as asked". '
            "Check the API URL, data center or tenant in the connector config, and that the resource exists.",
        ),
        (
            400,
            InternalError,
            ClientError,
            'Toolkit rejected GET /status/400 (HTTP 400): "AS_ASKED: status 400 as asked". '
            "This is likely a bug in the connector: please report it with this message.",
        ),
        (
            422,
            InternalError,
            ClientError,
            'Toolkit rejected GET /status/422 (HTTP 422): "AS_ASKED: status 422 as asked". '
            "This is likely a bug in the connector: please report it with this message.",
        ),
    ],
)
def test_4xx_statuses_map_to_the_right_kind_and_message(
    client, sandbox, code, kind, error_class, message
) -> None:
    with pytest.raises(error_class) as caught:
        client.get_json(f"/status/{code}")
    assert isinstance(caught.value, kind)
    assert caught.value.status == code
    assert str(caught.value) == message
    assert len(sandbox.log) == 1  # a 4xx is never retried


def test_status_kinds_override_the_default_mapping(sandbox) -> None:
    client = HttpClient(sandbox.url, system="Toolkit", status_kinds={404: ClientError})
    with pytest.raises(ClientError) as caught:
        client.get_json("/status/404")
    assert isinstance(caught.value, InternalError)


def test_ok_statuses_are_returned_instead_of_raised(client) -> None:
    response = client.request("GET", "/status/409", ok_statuses=(409,))
    assert response.status_code == 409


def test_plain_http_to_a_remote_host_is_refused_before_sending() -> None:
    client = HttpClient("http://api.example.com", system="Toolkit")
    with pytest.raises(ConfigError) as caught:
        client.get_json("/items?key=abc")
    assert str(caught.value) == (
        "Toolkit: refusing to send GET /items to api.example.com over plain http://. Use an https:// URL in the "
        "connector config (http:// is accepted only for loopback hosts)."
    )


def test_empty_204_answer_decodes_to_none(client, sandbox) -> None:
    assert client.get_json("/pages", params={"page": 99}) is None


def test_connections_are_pooled_and_reused(client, sandbox) -> None:
    for _ in range(5):
        client.get_json("/items", params={"limit": 1})
    assert len({entry.peer for entry in sandbox.log}) == 1  # one kept-alive connection for all five


def test_a_503_with_retry_after_waits_as_asked(client, sandbox, sleeps) -> None:
    sandbox.faults.server_error("/items", status=503, retry_after="9")
    assert client.get_json("/items", params={"limit": 1})["total"] == 95
    assert sleeps == [9.0]


def test_each_retry_is_logged_with_the_reason_and_the_wait(client, sandbox, caplog) -> None:
    import logging

    sandbox.faults.server_error("/items", status=503, times=1)
    sandbox.faults.rate_limit("/items", times=1, retry_after="2")
    with caplog.at_level(logging.INFO, logger="staffwire.http"):
        client.get_json("/items", params={"token": "abc"})
    assert [r.getMessage() for r in caplog.records] == [
        "Toolkit answered HTTP 503 for GET /items; retrying in 0.01s (attempt 2 of 4)",
        "Toolkit answered HTTP 429 for GET /items; retrying in 2s (attempt 3 of 10)",
    ]


def _cut_body_server(cuts: int) -> tuple[socket.socket, list[int]]:
    """A raw loopback server whose first ``cuts`` answers promise 64 bytes of JSON, send 10 and hang up (the body
    cut off mid-transfer, which a well-formed Content-Length answer cannot show); then it answers in full."""
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    seen: list[int] = []
    body = b'{"data": [1, 2, 3], "padding": "0123456789012345678901234"}'

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                seen.append(1)
                if len(seen) <= cuts:
                    conn.sendall(
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 64\r\n\r\n"
                    )
                    conn.sendall(body[:10])
                else:
                    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                    conn.sendall(head.encode() + b"Connection: close\r\n\r\n" + body)

    threading.Thread(target=serve, daemon=True).start()
    return listener, seen


def test_a_body_cut_off_mid_transfer_is_fetched_again(sleeps) -> None:
    """The body is read in one piece (not requests' 10 KB chunks); a cut-off transfer is still the retryable
    error it was (requests' ChunkedEncodingError), for a GET."""
    listener, seen = _cut_body_server(cuts=1)
    policy = RetryPolicy(max_attempts=4, base_delay=0.01, jitter=0.0, sleep=sleeps)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    with listener, HttpClient(url, system="Toolkit", retry=policy) as client:
        assert client.get_json("/items") == {"data": [1, 2, 3], "padding": "0123456789012345678901234"}
    assert len(seen) == 2 and len(sleeps) == 1


def test_a_body_cut_off_every_time_is_a_dropped_connection(sleeps) -> None:
    listener, seen = _cut_body_server(cuts=99)
    policy = RetryPolicy(max_attempts=4, base_delay=0.01, jitter=0.0, sleep=sleeps)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    with (
        listener,
        HttpClient(url, system="Toolkit", retry=policy) as client,
        pytest.raises(ConnectError) as caught,
    ):
        client.get_json("/items", stream="Candidate")
    assert str(caught.value) == (
        "Stream Candidate: Could not reach Toolkit for GET /items (after 4 attempts): the connection failed or was "
        "dropped (ChunkedEncodingError). Check the API URL and the network, or try again later."
    )
    assert len(seen) == 4 and len(sleeps) == 3


# ------------------------------------------------------------------------ what is sent, as requests would send it
_texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8)
_values = st.one_of(
    st.none(),
    _texts,
    st.integers(),
    st.binary(max_size=4),
    st.lists(st.one_of(st.none(), _texts), max_size=3),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(_texts, _values, max_size=4))
def test_the_query_string_is_the_one_requests_builds(client: HttpClient, params: dict[str, object]) -> None:
    # the client encodes params itself (requests 2.34's own encoding tests a runtime Protocol per request); the
    # URL must be byte for byte the one requests.Request(...).prepare() gives: repeats, None left out, UTF-8
    response = client.request("GET", "/echo-headers", params=params)
    expected = requests.Request("GET", f"{client.base_url}/echo-headers", params=params).prepare().url
    assert response.request.url == expected


def test_session_headers_go_under_the_requests_own_and_none_drops_one(client: HttpClient) -> None:
    client.session.headers["X-Team"] = "staffing"
    body = client.request("GET", "/echo-headers", headers={"Accept": None, "X-Team": "ops"}).json()
    assert body["x-team"] == "ops"
    assert "accept" not in body
    assert body["user-agent"].startswith("staffwire/")
    body = client.request("GET", "/echo-headers").json()
    assert (body["x-team"], body["accept"]) == ("staffing", "application/json")


def test_a_cookie_the_api_sets_is_sent_back_on_later_requests(client: HttpClient) -> None:
    assert "cookie" not in client.request("GET", "/echo-headers").json()
    client.request("GET", "/cookie/give")
    assert client.session.cookies.get("sid") == "cookie-7"
    assert client.request("GET", "/echo-headers").json()["cookie"] == "sid=cookie-7"


def test_a_redirect_is_followed_and_kept_in_the_history(client: HttpClient, sandbox) -> None:
    response = client.request("GET", "/moved")
    assert response.json()["data"] == [{"id": 2, "name": "item 2", "updated": 1_700_000_002_000}]
    assert [r.status_code for r in response.history] == [302]
    assert response.url == f"{sandbox.url}/items?offset=2&limit=1"
    assert [(e.method, e.path) for e in sandbox.log if e.path in ("/moved", "/items")] == [
        ("GET", "/moved"),
        ("GET", "/items"),
    ]


def test_on_response_sees_every_answer_a_retried_429_and_503_included(client, sandbox, sleeps) -> None:
    seen: list[tuple[int, str | None]] = []
    client.on_response = lambda r: seen.append((r.status_code, r.headers.get("Retry-After")))
    sandbox.faults.rate_limit("/items", times=1, retry_after="3")
    sandbox.faults.server_error("/items", status=503, times=1)
    assert client.get_json("/items", params={"limit": 1})["data"] == [sandbox.items[0]]
    assert seen == [(429, "3"), (503, None), (200, None)]
    assert [r.status for r in sandbox.log] == [429, 503, 200]
