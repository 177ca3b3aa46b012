"""The client-side rate limiter: bounds counted in requests (a fake clock), not measured in wall time."""

from __future__ import annotations

import threading

import pytest
from http_toolkit_sandbox import ToolkitSandbox
from staffwire.http import HttpClient, RateLimiter


class FakeTime:
    """A clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []
        self._lock = threading.Lock()

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(round(seconds, 6))
            self.now += seconds


def starts(limiter: RateLimiter, n: int, time: FakeTime) -> list[float]:
    moments = []
    for _ in range(n):
        limiter.acquire()
        moments.append(round(time.now, 6))
    return moments


def test_per_second_limit_lets_n_requests_start_in_any_second() -> None:
    time = FakeTime()
    limiter = RateLimiter(per_second=5, clock=time.clock, sleep=time.sleep)
    moments = starts(limiter, 12, time)
    assert moments == [0.0] * 5 + [1.0] * 5 + [2.0] * 2


def test_per_minute_limit_applies_on_top_of_per_second() -> None:
    time = FakeTime()
    limiter = RateLimiter(per_second=10, per_minute=15, clock=time.clock, sleep=time.sleep)
    moments = starts(limiter, 16, time)
    assert moments == [0.0] * 10 + [1.0] * 5 + [60.0]


def test_fractional_rates_become_whole_requests_over_a_longer_period() -> None:
    time = FakeTime()
    limiter = RateLimiter(per_second=0.5, clock=time.clock, sleep=time.sleep)
    assert limiter.windows == [(5, 10.0)]
    assert starts(limiter, 6, time) == [0.0] * 5 + [10.0]


def test_no_window_ever_holds_more_than_its_count() -> None:
    time = FakeTime()
    limiter = RateLimiter(limits=[(3, 2.0), (5, 10.0)], clock=time.clock, sleep=time.sleep)
    moments = starts(limiter, 30, time)
    for count, period in limiter.windows:
        for start in moments:
            assert sum(1 for m in moments if start <= m < start + period) <= count


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"limits": [(0, 1.0)]}, "a rate limit needs at least 1 request per positive period, got 0/1.0s"),
        ({"limits": [(3, 0.0)]}, "a rate limit needs at least 1 request per positive period, got 3/0.0s"),
    ],
)
def test_invalid_limits_are_refused(kwargs, message) -> None:
    with pytest.raises(ValueError) as caught:
        RateLimiter(**kwargs)
    assert str(caught.value) == message


def test_the_client_counts_every_request_against_the_limiter(sandbox: ToolkitSandbox) -> None:
    time = FakeTime()
    limiter = RateLimiter(per_second=4, clock=time.clock, sleep=time.sleep)
    client = HttpClient(sandbox.url, rate_limiter=limiter)
    for _ in range(10):
        client.get_json("/items", params={"limit": 1})
    assert len(sandbox.log) == 10
    assert time.slept == [1.0, 1.0]


def test_a_long_client_side_wait_is_announced(sandbox: ToolkitSandbox) -> None:
    time = FakeTime()
    heard: list[float] = []
    limiter = RateLimiter(per_minute=2, clock=time.clock, sleep=time.sleep)
    client = HttpClient(sandbox.url, rate_limiter=limiter, on_rate_limited=heard.append)
    for _ in range(3):
        client.get_json("/items", params={"limit": 1})
    assert heard == [60.0]


def test_concurrency_cap_bounds_requests_in_flight_across_threads(sandbox: ToolkitSandbox) -> None:
    limiter = RateLimiter(max_concurrency=2)
    client = HttpClient(sandbox.url, rate_limiter=limiter, pool_size=2)
    threads = [threading.Thread(target=client.get_json, args=("/slow-count",)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(sandbox.log) == 8
    assert sandbox.max_in_flight == 2


def test_the_pool_is_at_least_as_large_as_the_concurrency(sandbox: ToolkitSandbox) -> None:
    client = HttpClient(sandbox.url, rate_limiter=RateLimiter(max_concurrency=32), pool_size=4)
    adapter = client.session.get_adapter(sandbox.url)
    assert adapter._pool_maxsize == 32  # type: ignore[attr-defined]
