"""The reader gives exactly what the reader of main at c784faa gave (issue 15's differential proof): for every raw and
standard stream, full refresh and incremental (first, resumed inside a window, again), with one and three parallel
requests, the same sorted ids, id order, estimates and final state as the golden file recorded by
``record.py`` with the old code."""

from __future__ import annotations

from pathlib import Path

from staffwire.testing.differential import assert_matches_golden


def test_reader_matches_the_golden_recording_of_the_old_reader() -> None:
    assert_matches_golden(Path(__file__).with_name("record.py"))
