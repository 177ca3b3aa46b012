"""Properties over many generated cases: cursor round trips, rate-limit windows never exceeded."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import example, given, settings
from hypothesis import strategies as st
from staffwire.http import RateLimiter
from staffwire.state import parse_cursor, to_epoch_ms, to_iso

moments = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(timezone.utc)
).map(lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000))
offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: timezone(timedelta(minutes=m)))


@given(moments)
def test_epoch_ms_round_trips(moment: datetime) -> None:
    assert parse_cursor(to_epoch_ms(moment)) == moment
    assert parse_cursor(str(to_epoch_ms(moment))) == moment


@given(moments, offsets)
def test_iso_with_any_offset_parses_to_the_same_instant(moment: datetime, offset: timezone) -> None:
    local = moment.astimezone(offset).isoformat()
    assert parse_cursor(local) == moment
    assert parse_cursor(to_iso(local)) == moment


@settings(max_examples=50)
@given(
    st.integers(min_value=1, max_value=6),
    st.floats(min_value=0.1, max_value=5.0),
    st.lists(st.floats(min_value=0.0, max_value=2.0), min_size=1, max_size=40),
)
# now - period rounded below the oldest start while oldest + period - now was exactly 0 (fixed in RateLimiter)
@example(count=1, period=1.0, gaps=[0.08156480791258237, 0.0, 0.0])
def test_no_window_ever_exceeds_its_count(count: int, period: float, gaps: list[float]) -> None:
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    limiter = RateLimiter(limits=[(count, period)], clock=lambda: now[0], sleep=sleep)
    starts = []
    for gap in gaps:
        now[0] += gap
        limiter.acquire()
        starts.append(now[0])
    for first in starts:
        assert sum(1 for s in starts if first <= s < first + period - 1e-9) <= count
