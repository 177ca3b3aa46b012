"""Property: a compiled mapping never raises anything but RecordRejected on arbitrary JSON, and what it returns
for a standard stream always validates against that stream's schema."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from staffwire.errors import RecordRejected
from staffwire.mapping import compile_mappings, load_document
from staffwire.standard import standard_stream_schema

DOC = load_document(Path(__file__).with_name("data") / "bullhorn_candidates.yaml")
PLACEMENTS = {
    "system": "bullhorn",
    "rule_sets": {
        "base": {
            "rules": [
                {"rule": "compare", "field": "end_date", "op": ">=", "other": "start_date"},
                {"rule": "format", "field": "currency", "format": "currency"},
            ]
        }
    },
    "mappings": {
        "placements": {
            "standard": "placements",
            "fields": {
                "remote_id": "id",
                "candidate_id": {"path": "candidate.id", "transforms": [{"prefix": "bullhorn:"}]},
                "status": {"path": "status", "value_map": {"values": {"Approved": "approved"}}},
                "start_date": {"path": "dateBegin", "transforms": ["date"]},
                "end_date": {"path": "dateEnd", "transforms": ["date"]},
                "pay_rate": {"path": "payRate", "transforms": ["money"]},
                "bill_rate": {"path": ["clientBillRate", "billRate"], "transforms": [{"money": 4}]},
                "currency": {"path": "currency", "transforms": ["currency"]},
                "pay_unit": {"path": "payUnit", "transforms": [{"lookup": {"table": {"Hourly": "hour"}}}]},
                "employment_type": {
                    "path": "employmentType",
                    "value_map": {"values": {"Contract": "contract"}},
                },
                "custom_fields.label": {"template": "{candidate.firstName} {candidate.lastName}"},
                "custom_fields.flag": {"path": "flag", "transforms": ["boolean"]},
                "custom_fields.tags": {"path": "tags", "transforms": [{"split": ","}, "upper", "unique"]},
            },
            "rule_set": "base",
        }
    },
}

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(
        [
            "",
            " ",
            "Placed",
            "New Lead",
            "2024-05-01",
            "1714521600000",
            "12.50",
            "$1,200",
            "(703) 913-3240",
            "44 020-78311299",
            "ada@x.org",
            "2024-05-01T10:00:00+05:30",
            "USD",
            "Hourly",
            "yes",
        ]
    ),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
KEYS = [
    "id",
    "firstName",
    "lastName",
    "email",
    "email2",
    "phone",
    "mobile",
    "address",
    "status",
    "owner",
    "source",
    "primarySkills",
    "dateAdded",
    "dateLastModified",
    "isDeleted",
    "customText1",
    "customText8",
    "customDate2",
    "candidate",
    "dateBegin",
    "dateEnd",
    "payRate",
    "clientBillRate",
    "billRate",
    "currency",
    "payUnit",
    "employmentType",
    "flag",
    "tags",
]
nested = st.fixed_dictionaries(
    {},
    optional={
        "address": st.dictionaries(
            st.sampled_from(["address1", "city", "zip", "countryID"]), json_values, max_size=4
        ),
        "owner": st.dictionaries(st.sampled_from(["id", "firstName"]), json_values, max_size=2),
        "primarySkills": st.fixed_dictionaries(
            {"data": st.lists(st.dictionaries(st.just("name"), json_values), max_size=3)}
        ),
        "candidate": st.dictionaries(
            st.sampled_from(["id", "firstName", "lastName"]), json_values, max_size=3
        ),
    },
)
records = st.one_of(
    st.builds(
        lambda flat, deep: {**flat, **deep},
        st.dictionaries(st.sampled_from(KEYS), json_values, max_size=len(KEYS)),
        nested,
    ),
    json_values,
)

PAYABLES = {
    "system": "bullhorn",
    "mappings": {
        "payables": {
            "standard": "payables",
            "fields": {
                "remote_id": "id",
                "amount": {"path": "payRate", "transforms": ["money"]},
                "line_items": {
                    "path": "tags",
                    "items": {
                        "description": {"path": "firstName", "transforms": ["trim"]},
                        "quantity": {"path": "id", "transforms": ["number"]},
                        "amount": {"path": "payRate", "transforms": ["money"]},
                    },
                },
            },
        }
    },
}
MAPPINGS = {
    **compile_mappings(copy.deepcopy(DOC)),
    **compile_mappings(PLACEMENTS),
    **compile_mappings(PAYABLES),
}
VALIDATORS = {
    name: jsonschema.Draft7Validator(standard_stream_schema(m.standard or name))
    for name, m in MAPPINGS.items()
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=records)
def test_a_mapping_maps_or_rejects_any_json_and_its_output_fits_the_schema(record: Any) -> None:
    for name, mapping in MAPPINGS.items():
        try:
            out = mapping(record)
        except RecordRejected as rejected:
            assert rejected.reasons, "a rejection always carries a reason"
            assert all(r.rule != "mapping.error" for r in rejected.reasons), rejected.reasons
            assert all(r.message for r in rejected.reasons)
            continue
        assert out is not None
        VALIDATORS[name].validate(out)
