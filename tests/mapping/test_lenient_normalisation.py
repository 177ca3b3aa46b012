"""Normalising is not rejecting: what a standard mapping does with the messy values real ATS data holds."""

from __future__ import annotations

import io
from typing import Any

import orjson
import pytest
from staffwire.mapping import compile_mappings
from staffwire.mapping.transforms import BuildContext, compile_transform
from staffwire.protocol import Output
from staffwire.streams import Record

NULLED = {"change": "NULLED", "reason": "SOURCE_SERIALIZATION_ERROR"}

DOC: dict[str, Any] = {
    "system": "acme",
    "defaults": {"country": "US"},
    "value_maps": {
        "employment_type": {"values": {"Temporary": "temporary", "Contract": "contract"}, "default": "other"},
        "placements_status": {"values": {"Approved": "approved"}, "default": "other"},
    },
    "mappings": {
        "placements": {
            "standard": "placements",
            "fields": {
                "remote_id": {"path": "id", "transforms": ["string"]},
                "employment_type": {
                    "path": "employmentType",
                    "value_map": "employment_type",
                    "original": None,
                },
                "status": {"path": "status", "value_map": "placements_status"},
                "start_date": {"path": "dateBegin", "transforms": ["date"]},
                "currency": {"path": "currency", "transforms": ["currency"]},
            },
        },
        "candidates": {
            "standard": "candidates",
            "fields": {
                "remote_id": {"path": "id", "transforms": ["string"]},
                "email": {"path": "email", "transforms": ["email"]},
                "phone": {"path": "phone", "transforms": ["phone"]},
                "source": {"path": "source", "transforms": ["trim"]},
                "skills": {"path": "skills", "transforms": ["trim"]},
                "address.country": {"path": "country", "transforms": ["country"]},
            },
        },
    },
}


def mapping(name: str) -> Any:
    return compile_mappings(DOC)[name]


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("(836) 447-3343", "+18364473343"),  # an area code not assigned yet: possible, so kept
        ("+1 555 602 9290", "+15556029290"),  # a fictional 555 number
        ("(212) 555-1234 x89", "+12125551234;ext=89"),
        ("212.555.1234 ext. 7", "+12125551234;ext=7"),
        ("+44 20 7946 0958 ext 12", "+442079460958;ext=12"),
        ("(703) 913-3240", "+17039133240"),
    ],
)
def test_a_possible_phone_number_becomes_e164_with_its_extension(text: str, e164: str) -> None:
    phone = compile_transform("phone", BuildContext(default_country="US"), "p")[1]
    assert phone(text) == e164


@pytest.mark.parametrize("junk", ["555-1234", "n/a", "0", "12345", "call me", "+1 212 555 12345 6"])
def test_junk_phones_become_null_with_a_meta_change(junk: str) -> None:
    record, changes = mapping("candidates").map_one({"id": 1, "phone": junk})
    assert record is not None and record["phone"] is None
    assert changes == [{"field": "phone", **NULLED}]


def test_emails_are_trimmed_and_lower_cased() -> None:
    record, changes = mapping("candidates").map_one({"id": 1, "email": "  Ada.Lovelace@Example.COM "})
    assert (record and record["email"], changes) == ("ada.lovelace@example.com", None)


def test_a_multi_value_picklist_gives_its_first_value_to_a_value_map_and_to_a_text_field() -> None:
    placement, changes = mapping("placements").map_one(
        {"id": 7, "employmentType": ["Temporary"], "status": ["", "Approved"]}
    )
    assert placement is not None and changes is None
    assert (placement["employment_type"], placement["status"], placement["original_status"]) == (
        "temporary",
        "approved",
        "Approved",
    )
    candidate, changes = mapping("candidates").map_one(
        {"id": 8, "source": [" Referral ", "Web"], "skills": ["Java", " SQL "]}
    )
    assert candidate is not None and changes is None
    assert (candidate["source"], candidate["skills"]) == ("Referral", ["Java", "SQL"])


def test_an_empty_multi_value_list_is_no_value() -> None:
    placement, changes = mapping("placements").map_one({"id": 7, "employmentType": [], "status": [None]})
    assert placement is not None and changes is None
    assert (placement["employment_type"], placement["status"]) == (None, None)


def test_every_kind_of_unnormalisable_value_is_nulled_and_named_in_the_meta() -> None:
    record, changes = mapping("placements").map_one(
        {"id": 9, "employmentType": {"value": "Temporary"}, "dateBegin": "someday", "currency": "dollars"}
    )
    assert record is not None
    assert (record["employment_type"], record["start_date"], record["currency"]) == (None, None, None)
    assert changes == [
        {"field": "employment_type", **NULLED},
        {"field": "start_date", **NULLED},
        {"field": "currency", **NULLED},
    ]
    country, changes = mapping("candidates").map_one({"id": 10, "country": "Atlantis"})
    assert country is not None and country["address"] is None  # nothing else of the address was set
    assert changes == [{"field": "address.country", **NULLED}]


def test_only_a_record_without_identity_is_rejected() -> None:
    items = list(
        mapping("candidates").map_records([{"id": None, "phone": "12"}, {"phone": "12"}, {"id": ""}])
    )
    assert [type(i).__name__ for i in items] == ["RecordRejected"] * 3


def test_a_record_with_meta_changes_is_written_with_meta_on_the_wire() -> None:
    sink = io.BytesIO()
    out = Output(sink)
    item = next(iter(mapping("candidates").map_records([{"id": 3, "phone": "12"}])))
    assert isinstance(item, Record)
    out.record_with_meta("candidates", item.data, item.meta)
    out.flush()
    message = orjson.loads(sink.getvalue())
    assert message["type"] == "RECORD"
    assert message["record"]["data"]["id"] == "acme:3"
    assert message["record"]["meta"] == {"changes": [{"field": "phone", **NULLED}]}
