"""ISO 8601 strings read the same on Python 3.10 and 3.11+.

3.10's ``datetime.fromisoformat`` rejects ``Z``, ``+0530``, basic format and 1-5 digit fractions, which APIs
send; Staffwire parses through ``staffwire.py310`` (3.11's parser, backported on 3.10). On 3.11 these
tests pin the behaviour the backport must match; on 3.10 they are the regression tests for it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from staffwire.mapping.formats import FORMATS
from staffwire.mapping.timeparse import parse_instant, to_utc_datetime
from staffwire.py310 import date_fromisoformat, datetime_fromisoformat
from staffwire.state import parse_cursor

IST = timezone(timedelta(hours=5, minutes=30))

SPELLINGS = [
    ("2024-05-01T10:00:00Z", datetime(2024, 5, 1, 10, tzinfo=timezone.utc)),
    ("2024-05-01T10:00:00+0530", datetime(2024, 5, 1, 10, tzinfo=IST)),
    ("2024-05-01T10:00:00+05:30", datetime(2024, 5, 1, 10, tzinfo=IST)),
    ("20240501T100000+0530", datetime(2024, 5, 1, 10, tzinfo=IST)),
    (
        "2024-05-01T10:00:00.5-01:00",
        datetime(2024, 5, 1, 10, 0, 0, 500000, tzinfo=timezone(-timedelta(hours=1))),
    ),
    ("2024-05-01T10:00:00.12345Z", datetime(2024, 5, 1, 10, 0, 0, 123450, tzinfo=timezone.utc)),
    ("2024-05-01T10:00:00.1234567Z", datetime(2024, 5, 1, 10, 0, 0, 123456, tzinfo=timezone.utc)),
    ("2024-05-01T10", datetime(2024, 5, 1, 10)),
    ("2024-05-01 10:00", datetime(2024, 5, 1, 10)),
]


@pytest.mark.parametrize(("text", "expected"), SPELLINGS)
def test_datetime_fromisoformat_reads_what_python_311_reads(text: str, expected: datetime) -> None:
    moment = datetime_fromisoformat(text)

    assert moment == expected
    assert moment.utcoffset() == expected.utcoffset()
    assert type(moment.tzinfo) is type(expected.tzinfo)


def test_a_z_suffix_gives_the_utc_singleton_as_on_python_311() -> None:
    assert datetime_fromisoformat("2024-05-01T10:00:00Z").tzinfo is timezone.utc


def test_an_offset_with_seconds_keeps_its_name_as_on_python_311() -> None:
    assert datetime_fromisoformat("2024-05-01T10:00:00+05:30:15").tzname() == "UTC+05:30:15"


@pytest.mark.parametrize("text", ["2024-05-01T10:00:00z", "2024-05-01T24:00:00", "2024-13-01", "bad", ""])
def test_datetime_fromisoformat_rejects_what_python_311_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        datetime_fromisoformat(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2024-05-01", date(2024, 5, 1)), ("20240501", date(2024, 5, 1)), ("2024-W01-1", date(2024, 1, 1))],
)
def test_date_fromisoformat_reads_what_python_311_reads(text: str, expected: date) -> None:
    assert date_fromisoformat(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01T10:00:00Z", "2024-05-01T10:00:00Z"),
        ("2024-05-01T10:00:00+0530", "2024-05-01T04:30:00Z"),
        ("20240501T100000+0530", "2024-05-01T04:30:00Z"),
        ("2024-05-01T10:00:00.5-01:00", "2024-05-01T11:00:00.500Z"),
        ("2024-05-01T10:00:00.12345Z", "2024-05-01T10:00:00.123450Z"),
    ],
)
def test_mapping_turns_every_iso_spelling_into_utc(text: str, expected: str) -> None:
    assert to_utc_datetime(text) == expected
    assert parse_instant(text).tzinfo is timezone.utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01T10:00:00Z", datetime(2024, 5, 1, 10, tzinfo=timezone.utc)),
        ("2024-05-01T10:00:00+0530", datetime(2024, 5, 1, 4, 30, tzinfo=timezone.utc)),
        ("2024-05-01T10:00:00.5-01:00", datetime(2024, 5, 1, 11, 0, 0, 500000, tzinfo=timezone.utc)),
        ("2024-05-01T10", datetime(2024, 5, 1, 10, tzinfo=timezone.utc)),
    ],
)
def test_cursor_values_in_every_iso_spelling_parse_to_utc(text: str, expected: datetime) -> None:
    assert parse_cursor(text) == expected


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("2024-05-01T10:00:00Z", True),
        ("2024-05-01T10:00:00.5Z", True),
        ("2024-05-01T10:00:00.12345Z", True),
        ("2024-05-01T10:00:00.123456Z", True),
        ("2024-02-30T10:00:00Z", False),
        ("2024-05-01T10:00:00+05:30", False),
    ],
)
def test_the_datetime_format_check_accepts_any_fraction_length(text: str, valid: bool) -> None:
    assert FORMATS["datetime"](text) is valid
