"""Duplicate detection by match keys within a stream."""

from __future__ import annotations

import pytest
from staffwire.errors import ConfigError
from staffwire.mapping import Deduper, DedupeReport

RECORDS = [
    {"id": "bullhorn:1", "email": "Ada@X.org", "custom_fields": {"externalID": "E1"}},
    {"id": "bullhorn:2", "email": " ada@x.org ", "custom_fields": {"externalID": "E2"}},  # same email
    {"id": "bullhorn:3", "email": None, "custom_fields": {"externalID": "E1"}},  # same external id
    {"id": "bullhorn:4", "email": "", "custom_fields": {"externalID": ""}},  # nothing to match on
    {"id": "bullhorn:5", "email": "bo@x.org", "custom_fields": {}},
]


def test_duplicates_are_flagged_with_the_first_record_and_reported() -> None:
    dedupe = Deduper(keys=["email", "custom_fields.externalID"])
    assert [dedupe.check(r) for r in RECORDS] == [None, "bullhorn:1", "bullhorn:1", None, None]
    assert dedupe.report() == DedupeReport(
        total=5, duplicates=2, rate=0.4, by_key={"email": 1, "custom_fields.externalID": 1}
    )


def test_a_composite_key_needs_every_part() -> None:
    dedupe = Deduper(keys=[["first_name", "last_name"]])
    people = [
        {"first_name": "Ann", "last_name": "Lee"},
        {"first_name": "ann ", "last_name": "LEE"},
        {"first_name": "Ann", "last_name": None},
    ]
    assert [dedupe.is_duplicate(p) for p in people] == [False, True, False]
    assert dedupe.report().rate == pytest.approx(1 / 3)


def test_an_empty_stream_has_a_zero_rate() -> None:
    assert Deduper().report() == DedupeReport(total=0, duplicates=0, rate=0.0, by_key={})


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ([], "dedupe.keys: give a list of match keys, e.g. ['email', 'custom_fields.externalID']"),
        ("email", "dedupe.keys: give a list of match keys, e.g. ['email', 'custom_fields.externalID']"),
        (
            ["email", "a..b"],
            "dedupe.keys[1]: bad field path 'a..b': segment '' is not a key optionally followed by [n] or [*]",
        ),
    ],
)
def test_wrong_keys_are_config_errors(keys: object, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Deduper(keys=keys)  # type: ignore[arg-type]
    assert str(caught.value) == message
