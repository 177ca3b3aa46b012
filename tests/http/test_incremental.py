"""Cursor parsing, formatting, windows, lookback and overlap de-duplication."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from staffwire.state import CursorTracker, parse_cursor, to_epoch_ms, to_iso, to_offset_iso, windows

UTC = timezone.utc
MOMENT = datetime(2024, 3, 1, 4, 45, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    [
        1709268300000,  # epoch ms
        1709268300,  # epoch seconds
        1709268300.0,
        "1709268300000",
        "2024-03-01T04:45:00Z",
        "2024-03-01T04:45:00z",
        "2024-03-01T04:45:00+00:00",
        "2024-03-01T10:15:00+05:30",
        "2024-02-29T23:45:00-05:00",
        "2024-03-01T04:45:00+0000",
        "2024-03-01T04:45:00.000Z",
        "2024-03-01 04:45:00",
        datetime(2024, 3, 1, 4, 45),  # naive means UTC
        datetime(2024, 3, 1, 10, 15, tzinfo=timezone(timedelta(hours=5, minutes=30))),
    ],
)
def test_parse_cursor_gives_aware_utc(value) -> None:
    parsed = parse_cursor(value)
    assert parsed == MOMENT and parsed.tzinfo == UTC


def test_parse_cursor_keeps_fractions() -> None:
    assert parse_cursor("2024-03-01T04:45:00.123+05:30") == datetime(
        2024, 2, 29, 23, 15, 0, 123000, tzinfo=UTC
    )
    assert parse_cursor(1709268300123) == MOMENT.replace(microsecond=123000)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("yesterday", "not an ISO 8601 date-time or epoch value: 'yesterday'"),
        ("2024-13-01T00:00:00Z", "not an ISO 8601 date-time or epoch value: '2024-13-01T00:00:00Z'"),
        (None, "not a cursor value: None"),
        (True, "not a cursor value: True"),
        ([1], "not a cursor value: [1]"),
    ],
)
def test_parse_cursor_refuses_what_is_not_a_moment(value, message) -> None:
    with pytest.raises(ValueError) as caught:
        parse_cursor(value)
    assert str(caught.value) == message


def test_formatters() -> None:
    assert to_iso(1709268300000) == "2024-03-01T04:45:00Z"
    assert to_epoch_ms("2024-03-01T10:15:00+05:30") == 1709268300000
    assert to_offset_iso(MOMENT, timedelta(hours=5, minutes=30)) == "2024-03-01T10:15:00+05:30"


def test_windows_split_a_range_with_a_short_last_window() -> None:
    got = list(windows("2024-01-01T00:00:00Z", "2024-01-03T12:00:00Z", timedelta(days=1)))
    assert [(to_iso(a), to_iso(b)) for a, b in got] == [
        ("2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"),
        ("2024-01-02T00:00:00Z", "2024-01-03T00:00:00Z"),
        ("2024-01-03T00:00:00Z", "2024-01-03T12:00:00Z"),
    ]
    assert list(windows(MOMENT, MOMENT, timedelta(hours=1))) == []
    with pytest.raises(ValueError, match="a window step must be positive"):
        list(windows(MOMENT, MOMENT + timedelta(days=1), timedelta(0)))


def rec(i: int, minute: int) -> dict:
    return {"id": i, "updated": f"2024-03-01T10:{minute:02d}:00+00:00"}


def test_tracker_keeps_the_max_cursor_and_the_keys_at_it() -> None:
    tracker = CursorTracker("updated")
    assert tracker.filter([rec(1, 0), rec(2, 5), rec(3, 5)]) == [rec(1, 0), rec(2, 5), rec(3, 5)]
    assert tracker.state() == {
        "updated": "2024-03-01T10:05:00Z",
        "seen": {"2": "2024-03-01T10:05:00Z", "3": "2024-03-01T10:05:00Z"},
    }


def test_rereading_the_boundary_emits_only_new_or_changed_records() -> None:
    first = CursorTracker("updated")
    first.filter([rec(1, 0), rec(2, 5), rec(3, 5)])
    second = CursorTracker("updated", state=first.state())
    assert to_iso(second.query_from) == "2024-03-01T10:05:00Z"
    # the API answers `updated >= 10:05`: 2 and 3 again (unchanged), 4 is new at the boundary, 3 changed later
    emitted = second.filter([rec(2, 5), rec(3, 5), rec(4, 5), rec(3, 9)])
    assert emitted == [rec(4, 5), rec(3, 9)]
    assert second.skipped == 2
    assert second.state() == {"updated": "2024-03-01T10:09:00Z", "seen": {"3": "2024-03-01T10:09:00Z"}}


def test_lookback_rereads_the_overlap_and_drops_what_was_already_emitted() -> None:
    first = CursorTracker("updated", lookback=timedelta(minutes=10))
    first.filter([rec(1, 0), rec(2, 5), rec(3, 8)])
    state = first.state()
    assert state["seen"] == {
        "1": "2024-03-01T10:00:00Z",
        "2": "2024-03-01T10:05:00Z",
        "3": "2024-03-01T10:08:00Z",
    }
    second = CursorTracker("updated", state=state, lookback=timedelta(minutes=10))
    assert to_iso(second.query_from) == "2024-03-01T09:58:00Z"
    # a late record (id 9, committed late with 10:03) shows up inside the overlap: it is emitted, the rest not
    assert second.filter([rec(1, 0), rec(9, 3), rec(2, 5), rec(3, 8)]) == [rec(9, 3)]


def test_the_query_never_starts_before_the_configured_start() -> None:
    tracker = CursorTracker(
        "updated",
        state={"updated": "2024-03-01T10:05:00Z"},
        lookback=timedelta(days=3),
        start="2024-03-01T00:00:00Z",
    )
    assert to_iso(tracker.query_from) == "2024-03-01T00:00:00Z"
    assert to_iso(CursorTracker("updated", start=1709251200000).query_from) == "2024-03-01T00:00:00Z"


def test_composite_keys_and_records_without_a_cursor() -> None:
    tracker = CursorTracker("updated", key_fields=("tenant", "id"))
    assert tracker.filter(
        [{"tenant": "a", "id": 1, "updated": None}, {"tenant": "a", "id": 1, "updated": 5_000}]
    )
    assert tracker.state()["seen"] == {"a|1": "1970-01-01T01:23:20Z"}


def test_remembered_keys_are_capped_newest_first() -> None:
    tracker = CursorTracker("updated", lookback=timedelta(hours=1), max_keys=2)
    tracker.filter([rec(1, 1), rec(2, 2), rec(3, 3)])
    assert list(tracker.state()["seen"]) == ["2", "3"]
