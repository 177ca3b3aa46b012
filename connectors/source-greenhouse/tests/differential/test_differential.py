"""The reader on the SDK's HttpStream reads exactly what the hand-written reader before it read (golden.json,
recorded with that reader by record.py): the same requests, and the same ids, estimates and final state for every
stream and mode."""

from __future__ import annotations

from pathlib import Path

from staffwire.testing.differential import assert_matches_golden


def test_the_reader_reads_exactly_what_the_reader_before_it_read() -> None:
    assert_matches_golden(Path(__file__).with_name("record.py"))
