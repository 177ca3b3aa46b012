"""The reader gives exactly what the hand-written loops it replaced gave (issue 15): every raw and standard stream
of Recruit and CRM, full refresh and incremental around changes and deletions, same sorted ids and same final
state per stream as ``golden.json``, which ``record.py`` recorded with the old code."""

from __future__ import annotations

from pathlib import Path

from staffwire.testing.differential import assert_matches_golden


def test_the_reader_reads_exactly_what_the_recorded_reader_read() -> None:
    assert_matches_golden(Path(__file__).with_name("record.py"))
