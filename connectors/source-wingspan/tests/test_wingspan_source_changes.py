"""ChangeTracker: what an incremental read of a filterless list emits, and what its state keeps."""

from __future__ import annotations

from source_wingspan.changes import ChangeTracker, fingerprint


def test_a_fingerprint_ignores_key_order_and_sees_any_change() -> None:
    assert fingerprint({"a": 1, "b": [1, {"c": None}]}) == fingerprint({"b": [1, {"c": None}], "a": 1})
    assert fingerprint({"a": 1}) != fingerprint({"a": 1.5})
    assert fingerprint({"status": "Complete"}) != fingerprint({"status": "Incomplete"})
    assert len(fingerprint({"a": 1})) == 11


def test_new_and_changed_records_are_changes_and_unchanged_ones_are_not() -> None:
    first = ChangeTracker(None)
    assert [first.changed(k, v) for k, v in (("p1", {"v": 1}), ("p2", {"v": 2}))] == [True, True]
    second = ChangeTracker(first.final_state())
    assert [second.changed(k, v) for k, v in (("p1", {"v": 1}), ("p2", {"v": 3}), ("p3", {"v": 0}))] == [
        False,
        True,
        True,
    ]
    assert second.unchanged == 1


def test_ids_missing_from_the_list_are_gone_and_leave_the_final_state() -> None:
    saved = {"fingerprints": {"p1": fingerprint({"v": 1}), "p2": fingerprint({"v": 2})}}
    tracker = ChangeTracker(saved)
    tracker.changed("p2", {"v": 2})
    assert tracker.gone() == ["p1"]
    assert tracker.final_state() == {"fingerprints": {"p2": fingerprint({"v": 2})}}


def test_a_mid_list_state_keeps_the_records_not_reached_yet() -> None:
    saved = {"fingerprints": {"p1": fingerprint({"v": 1}), "p2": fingerprint({"v": 2})}}
    tracker = ChangeTracker(saved)
    tracker.changed("p1", {"v": 10})
    assert tracker.state() == {"fingerprints": {"p1": fingerprint({"v": 10}), "p2": fingerprint({"v": 2})}}
    resumed = ChangeTracker(tracker.state())
    assert resumed.changed("p1", {"v": 10}) is False  # emitted before the interruption: not again


def test_a_malformed_saved_state_starts_over() -> None:
    tracker = ChangeTracker({"fingerprints": ["not", "a", "map"]})
    assert tracker.changed("p1", {}) is True
