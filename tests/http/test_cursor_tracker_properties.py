"""CursorTracker under generated reads: nothing lost, every overlap repeat dropped, memory bounded by the records
within the lookback of the highest cursor, and for records in cursor order exactly the drops it always made."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from staffwire.state import CursorTracker, parse_cursor, to_iso

BASE = datetime(2024, 3, 1, tzinfo=timezone.utc)
Pair = tuple[int, int]  # (key, cursor in seconds after BASE)


def rec(key: int, second: int) -> dict[str, Any]:
    return {"id": key, "updated": BASE + timedelta(seconds=second)}


def pair(record: Mapping[str, Any]) -> Pair:
    return record["id"], int((record["updated"] - BASE).total_seconds())


class Oracle:
    """The tracker as it was before its memory was bounded (keys pruned only at checkpoints): the reference for
    which repeats a sorted read drops."""

    def __init__(self, state: Mapping[str, Any] | None, lookback: timedelta) -> None:
        self.lookback = lookback
        saved = (state or {}).get("updated")
        self.max: datetime | None = parse_cursor(saved) if saved else None
        self.seen = {str(k): parse_cursor(m) for k, m in ((state or {}).get("seen") or {}).items()}

    def accept(self, record: Mapping[str, Any]) -> bool:
        key, moment = str(record["id"]), record["updated"]
        if self.seen.get(key) == moment:
            return False
        self.seen[key] = moment
        if self.max is None or moment > self.max:
            self.max = moment
        return True

    def state(self) -> dict[str, Any]:
        if self.max is None:
            return {}
        horizon = self.max - self.lookback
        self.seen = {k: m for k, m in self.seen.items() if m >= horizon}
        return {"updated": to_iso(self.max), "seen": {k: to_iso(m) for k, m in sorted(self.seen.items())}}


def bounded_read(
    tracker: CursorTracker, records: list[dict[str, Any]], checkpoints: list[bool] | None = None
) -> list[Pair]:
    """Feed one read through the tracker; after every record, ``seen`` holds no more keys than this read accepted
    within the lookback of the current maximum (with no lookback: at it)."""
    emitted: list[Pair] = []
    accepted: dict[int, datetime] = {}
    for i, record in enumerate(records):
        if tracker.accept(record):
            emitted.append(pair(record))
            accepted[record["id"]] = record["updated"]
        assert tracker.max_cursor is not None
        horizon = tracker.max_cursor - tracker.lookback
        in_horizon = sum(1 for moment in accepted.values() if moment >= horizon)
        assert len(tracker.seen) <= in_horizon
        if tracker.lookback == timedelta(0):
            assert all(moment == tracker.max_cursor for moment in tracker.seen.values())
        if checkpoints and checkpoints[i % len(checkpoints)]:
            tracker.state()
    return emitted


lookbacks = st.sampled_from([timedelta(0), timedelta(seconds=3)])
# a read returns each key once, at its current version
versions = st.dictionaries(st.integers(0, 30), st.integers(0, 40), max_size=30)


@settings(max_examples=200, deadline=None)
@given(versions, versions, lookbacks, st.randoms(use_true_random=False))
def test_any_order_with_lookback_overlap_emits_every_version_exactly_once(
    first: dict[int, int], changes: dict[int, int], lookback: timedelta, random: Any
) -> None:
    """Run 1 reads a table in any order; rows then change or arrive (late commits included, at any cursor);
    run 2 re-reads everything from its ``query_from`` in any order. Together they emit each version once."""
    one = [rec(k, c) for k, c in first.items()]
    random.shuffle(one)
    tracker = CursorTracker("updated", lookback=lookback)
    emitted = bounded_read(tracker, one)
    state = tracker.state()

    table = {**first, **changes}
    again = CursorTracker("updated", state=state, lookback=lookback)
    low = again.query_from
    two = [rec(k, c) for k, c in table.items() if low is None or BASE + timedelta(seconds=c) >= low]
    random.shuffle(two)
    emitted += bounded_read(again, two)

    read = {pair(r) for r in one} | {pair(r) for r in two}
    assert sorted(emitted) == sorted(read)  # each version read is emitted, and only once
    assert len(emitted) == len(set(emitted))
    assert len(state.get("seen", {})) == sum(
        1
        for c in first.values()
        if tracker.max_cursor and BASE + timedelta(seconds=c) >= tracker.max_cursor - lookback
    )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 8), st.integers(0, 25)), max_size=60),
    lookbacks,
    st.lists(st.booleans(), min_size=1, max_size=5),
)
def test_repeats_in_any_order_are_never_lost_only_possibly_repeated(
    pairs: list[Pair], lookback: timedelta, checkpoints: list[bool]
) -> None:
    """Pages that overlap (the same version read twice in one run) in any order: every version is emitted."""
    tracker = CursorTracker("updated", lookback=lookback)
    emitted = bounded_read(tracker, [rec(k, c) for k, c in pairs], checkpoints)
    assert set(emitted) == set(pairs)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 8), st.integers(0, 25)), max_size=60),
    st.lists(st.tuples(st.integers(0, 8), st.integers(0, 35)), max_size=60),
    lookbacks,
    st.lists(st.booleans(), min_size=1, max_size=5),
)
def test_a_read_in_cursor_order_drops_exactly_what_the_unbounded_tracker_dropped(
    first: list[Pair], second: list[Pair], lookback: timedelta, checkpoints: list[bool]
) -> None:
    """Sorted reads with repeats (overlapping pages), checkpoints anywhere, and a second run from the saved state:
    the bounded tracker accepts and saves exactly what the tracker pruned only at checkpoints did."""
    state: dict[str, Any] | None = None
    for pairs in (first, second):
        records = [rec(k, c) for k, c in sorted(pairs, key=lambda p: p[1])]
        tracker = CursorTracker("updated", state=state, lookback=lookback)
        oracle = Oracle(state, lookback)
        if tracker.query_from is not None:  # the API answers `cursor >= query_from`
            records = [r for r in records if r["updated"] >= tracker.query_from]
        for i, record in enumerate(records):
            assert tracker.accept(record) == oracle.accept(record), record
            if checkpoints[i % len(checkpoints)]:
                assert tracker.state() == oracle.state()
        state = tracker.state()
        assert state == oracle.state()


def test_an_unsorted_read_keeps_only_the_keys_at_the_max_not_every_key() -> None:
    tracker = CursorTracker("updated")
    emitted = tracker.filter([rec(k, 1000 - k) for k in range(1000)] + [rec(5000, 2000), rec(5001, 2000)])
    assert len(emitted) == 1002
    assert tracker.seen == {"5000": BASE + timedelta(seconds=2000), "5001": BASE + timedelta(seconds=2000)}
    assert len(tracker._expiry) == 2  # the expiry heap shrinks with it
