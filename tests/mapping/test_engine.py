"""The mapping engine end to end: real Bullhorn rows to standard candidates, standard records to a destination
payload, triggers, computed fields, rule sets per client, statistics, and config mistakes caught at compile time."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from staffwire.errors import ConfigError, RecordRejected, Rejection
from staffwire.mapping import check_document, compile_mapping, compile_mappings, load_document
from staffwire.standard import Candidate, standard_stream_schema
from staffwire.streams import Record

DATA = Path(__file__).with_name("data")
ROWS: list[dict[str, Any]] = json.loads((DATA / "bullhorn_candidate.json").read_text(encoding="utf-8"))[
    "data"
]
DOC = load_document(DATA / "bullhorn_candidates.yaml")


def candidates(**options: Any) -> Any:
    return compile_mappings(copy.deepcopy(DOC), **options)["candidates"]


def test_a_real_bullhorn_candidate_maps_to_the_standard_candidate() -> None:
    assert candidates()(ROWS[14]) == {
        "id": "bullhorn:15",
        "remote_id": "15",
        "source_system": "bullhorn",
        "remote_created_at": "2010-12-21T05:42:09.807Z",
        "remote_updated_at": None,
        "remote_deleted_at": None,
        "custom_fields": {"customText1": "Y", "customDate2": 1324789200000},
        "remote_data": None,
        "first_name": "Timothy",
        "last_name": "Burks",
        "email": None,
        "phone": "+17039133240",
        "mobile": None,
        "address": {
            "line1": "7247 Kousa Lane",
            "line2": None,
            "city": "Springfield",
            "state": "VA",
            "postal_code": "22152",
            "country": "US",
        },
        "status": "new",
        "original_status": "New Lead",
        "owner": {"id": "bullhorn:1", "name": None},
        "source": "dqxsDt4nwg",
        "skills": ["Vault Auditing", "Trade Support Analyst", "Rep/Margin Analyst"],
    }


def test_every_real_row_maps_to_a_valid_record_and_unnormalisable_values_become_null_with_a_meta_change() -> (
    None
):
    mapping = candidates()
    results = list(mapping.map_records(ROWS))
    changed = [r for r in results if isinstance(r, Record)]
    mapped = [r.data if isinstance(r, Record) else r for r in results]
    assert all(isinstance(r, dict) for r in mapped) and len(mapped) == 20
    validator = jsonschema.Draft7Validator(standard_stream_schema("candidates"))
    for record in mapped:
        Candidate.model_validate(record)
        validator.validate(record)
    assert [(r.data["id"], r.data["phone"]) for r in changed] == [("bullhorn:20", None)]  # '40 403-6466866'
    assert changed[0].meta == {
        "changes": [{"field": "phone", "change": "NULLED", "reason": "SOURCE_SERIALIZATION_ERROR"}]
    }
    assert mapping.stats.as_dict() == {
        "mapped": 20,
        "skipped": 0,
        "rejected": 0,
        "rejections": {},
        "nulled": {"phone": 1},
    }
    assert [r["email"] for r in mapped if r["email"]] == ["cyaeger_accounts@yahoo.com"]
    assert mapped[7]["phone"] == "+442078311299"  # '44 020-78311299': an international number without '+'


def test_a_mapping_set_to_reject_invalid_values_rejects_the_record_with_its_reasons() -> None:
    doc = copy.deepcopy(DOC)
    doc["mappings"]["candidates"]["on_invalid"] = "reject"
    mapping = compile_mappings(doc)["candidates"]
    rejected = [r for r in mapping.map_records(ROWS) if isinstance(r, RecordRejected)]
    assert [r.record_id for r in rejected] == ["bullhorn:20"]
    assert rejected[0].reasons == [
        Rejection(
            "transform.phone",
            "phone",
            "40 403-6466866",
            "phone: '40 403-6466866' is not a valid phone number (default country US)",
        )
    ]
    assert mapping.stats.as_dict() == {
        "mapped": 19,
        "skipped": 0,
        "rejected": 1,
        "rejections": {"transform.phone": 1},
    }


def test_connection_overrides_change_the_status_words() -> None:
    mapping = candidates(value_map_overrides={"candidate_status": {"new lead": "active"}})
    assert (mapping(ROWS[14])["status"], mapping(ROWS[14])["original_status"]) == ("active", "New Lead")
    assert mapping(ROWS[0])["status"] == "placed"


def test_an_unknown_status_becomes_other_and_keeps_the_remote_word() -> None:
    record = candidates()({**ROWS[14], "status": "Archived by Ops"})
    assert (record["status"], record["original_status"]) == ("other", "Archived by Ops")


def test_a_soft_deleted_row_carries_remote_deleted_at() -> None:
    record = candidates()({**ROWS[14], "isDeleted": True, "dateLastModified": 1700000000000})
    assert record["remote_deleted_at"] == record["remote_updated_at"] == "2023-11-14T22:13:20Z"


def test_missing_nested_objects_leave_the_nested_target_null() -> None:
    row = {"id": 99, "firstName": "Ann", "address": None, "owner": "not an object", "primarySkills": None}
    record = candidates()(row)
    assert (record["address"], record["owner"], record["skills"]) == (None, None, [])


BAD_FIELDS = {"email": "not-an-email", "dateAdded": "yesterday", "address": {"countryID": 1, "zip": 22152}}


def test_bad_values_become_null_with_one_meta_change_each_and_the_record_still_comes_out() -> None:
    mapping = candidates()
    results = list(mapping.map_records([ROWS[4], {**ROWS[5], **BAD_FIELDS}, ROWS[5]]))
    assert [type(r).__name__ for r in results] == ["dict", "Record", "dict"]
    changed = results[1]
    assert isinstance(changed, Record)
    assert (changed.data["id"], changed.data["email"], changed.data["remote_created_at"]) == (
        "bullhorn:6",
        None,
        None,
    )
    assert changed.data["address"]["postal_code"] == "22152"
    assert changed.meta == {
        "changes": [
            {"field": "email", "change": "NULLED", "reason": "SOURCE_SERIALIZATION_ERROR"},
            {"field": "remote_created_at", "change": "NULLED", "reason": "SOURCE_SERIALIZATION_ERROR"},
        ]
    }
    assert mapping.stats.nulled == {"email": 1, "remote_created_at": 1}


def test_one_bad_field_rejects_the_record_with_every_reason_and_the_rest_goes_on() -> None:
    doc = copy.deepcopy(DOC)
    doc["mappings"]["candidates"]["on_invalid"] = "reject"
    mapping = compile_mappings(doc)["candidates"]
    bad = {**ROWS[5], **BAD_FIELDS}
    results = list(mapping.map_records([ROWS[4], bad, ROWS[5]]))
    assert [type(r).__name__ for r in results] == ["dict", "RecordRejected", "dict"]
    rejected = results[1]
    assert isinstance(rejected, RecordRejected)
    assert rejected.reasons == [
        Rejection(
            "transform.email", "email", "not-an-email", "email: 'not-an-email' is not an email address"
        ),
        Rejection(
            "transform.datetime",
            "remote_created_at",
            "yesterday",
            "remote_created_at: 'yesterday' is not an ISO 8601 date/time or epoch number",
        ),
    ]
    assert isinstance(results[2], dict)
    assert results[2]["address"]["postal_code"] == "22222"
    assert str(rejected).startswith(
        "record candidates bullhorn:6 rejected: email: 'not-an-email' is not an email"
    )


def test_a_record_that_is_not_an_object_is_rejected() -> None:
    with pytest.raises(RecordRejected) as caught:
        candidates()(["id", 1])
    assert caught.value.reasons == [Rejection("record", None, None, "expected a JSON object, got list")]


def test_a_row_without_an_id_is_rejected_for_the_envelope() -> None:
    with pytest.raises(RecordRejected) as caught:
        candidates()({"firstName": "Ann"})
    assert [(r.rule, r.field) for r in caught.value.reasons] == [
        ("required", "id"),
        ("required", "remote_id"),
    ]


def test_custom_fields_by_pattern_and_remote_data() -> None:
    doc = copy.deepcopy(DOC)
    doc["mappings"]["candidates"]["custom_fields"] = {"match": "^customText1[0-3]?$"}
    doc["mappings"]["candidates"]["remote_data"] = True
    record = compile_mappings(doc)["candidates"](ROWS[0])
    assert record["custom_fields"] == {"customText13": "123-123"}
    assert record["remote_data"] is ROWS[0]


# -- destinations: a standard record to a target's payload ----------------------------------------------------

WINGSPAN = {
    "mappings": {
        "payees": {
            "source": "candidates",
            "when": {"field": "status", "in": ["placed"]},
            "fields": {
                "email": {"path": "email", "required": True},
                "firstName": "first_name",
                "lastName": "last_name",
                "payerOwnedData.payeeExternalId": "id",
                "payerOwnedData.status": {"const": "Active"},
                "payerOwnedData.labels.phone": "phone",
                "payerOwnedData.labels.skills": {"path": "skills", "transforms": [{"join": ", "}]},
                "payerOwnedData.labels.recruiter": {"path": "owner.name", "default": "unassigned"},
            },
        }
    }
}
PLACED = {
    "id": "bullhorn:6",
    "remote_id": "6",
    "source_system": "bullhorn",
    "first_name": "Tinker",
    "last_name": "Bell",
    "email": "cyaeger_accounts@yahoo.com",
    "phone": "+18009561232",
    "status": "placed",
    "skills": ["Vault Auditing", "Trade Support Analyst"],
    "owner": {"id": "bullhorn:1", "name": None},
}


def test_a_placed_standard_candidate_becomes_a_wingspan_payee_payload() -> None:
    assert compile_mapping(WINGSPAN, "payees")(PLACED) == {
        "email": "cyaeger_accounts@yahoo.com",
        "firstName": "Tinker",
        "lastName": "Bell",
        "payerOwnedData": {
            "payeeExternalId": "bullhorn:6",
            "status": "Active",
            "labels": {
                "phone": "+18009561232",
                "skills": "Vault Auditing, Trade Support Analyst",
                "recruiter": "unassigned",
            },
        },
    }


def test_the_trigger_skips_candidates_that_are_not_placed_without_rejecting_them() -> None:
    payees = compile_mapping(WINGSPAN, "payees")
    out = list(payees.map_records([PLACED, {**PLACED, "status": "active"}, {**PLACED, "email": None}]))
    assert len(out) == 2 and isinstance(out[1], RecordRejected)
    assert out[1].reasons == [Rejection("required", "email", None, "email: email is required")]
    assert payees.stats.as_dict() == {"mapped": 1, "skipped": 1, "rejected": 1, "rejections": {"required": 1}}


def test_computed_fields_templates_cases_and_field_conditions() -> None:
    doc = {
        "system": "zoho_recruit",
        "mappings": {
            "placements": {
                "standard": "placements",
                "fields": {
                    "remote_id": "id",
                    "candidate_id": {"path": "Candidate.id", "transforms": [{"prefix": "zoho_recruit:"}]},
                    "status": {
                        "path": "Status",
                        "value_map": {"values": {"Working": "active", "Ended": "completed"}},
                    },
                    "pay_rate": {"path": "Pay", "transforms": ["money"]},
                    "currency": {"const": "USD", "when": {"field": "Pay", "exists": True}},
                    "custom_fields.summary": {"template": "{Candidate.name} at {Client.name}"},
                    "pay_unit": {
                        "cases": [
                            {"when": {"field": "Pay_Type", "equals": "hourly"}, "const": "hour"},
                            {"when": {"field": "Pay_Type", "equals": "salary"}, "const": "year"},
                        ]
                    },
                    "custom_fields.is_active": {
                        "from": "output",
                        "cases": [{"when": {"field": "status", "in": ["active"]}, "const": True}],
                        "default": False,
                    },
                    "custom_fields.label": {"from": "output", "template": "{id} ({status})"},
                },
            }
        },
    }
    mapping = compile_mappings(doc)["placements"]
    row = {
        "id": "p1",
        "Candidate": {"id": 77, "name": "Ann Lee"},
        "Client": {"name": "Acme"},
        "Status": "working",
        "Pay": "45.50",
        "Pay_Type": "Hourly",
    }
    record = mapping(row)
    assert {
        k: record[k]
        for k in (
            "id",
            "candidate_id",
            "status",
            "original_status",
            "pay_rate",
            "currency",
            "pay_unit",
            "custom_fields",
        )
    } == {
        "id": "zoho_recruit:p1",
        "candidate_id": "zoho_recruit:77",
        "status": "active",
        "original_status": "working",
        "pay_rate": 45.5,
        "currency": "USD",
        "pay_unit": "hour",
        "custom_fields": {
            "summary": "Ann Lee at Acme",
            "is_active": True,
            "label": "zoho_recruit:p1 (active)",
        },
    }
    other = mapping({"id": "p2", "Status": "Ended"})
    assert (other["currency"], other["pay_unit"], other["custom_fields"]) == (
        None,
        None,
        {"is_active": False, "label": "zoho_recruit:p2 (completed)"},
    )


def test_a_rule_set_chosen_per_client_rejects_only_that_clients_records() -> None:
    doc = {
        "system": "bullhorn",
        "rule_sets": {
            "base": {"rules": [{"rule": "compare", "field": "end_date", "op": ">=", "other": "start_date"}]},
            "acme": {"extends": ["base"], "rules": [{"rule": "required", "field": "bill_rate"}]},
        },
        "mappings": {
            "placements": {
                "standard": "placements",
                "fields": {
                    "remote_id": "id",
                    "client_id": {"path": "clientCorporation.id", "transforms": [{"prefix": "bullhorn:"}]},
                    "start_date": {"path": "dateBegin", "transforms": ["date"]},
                    "end_date": {"path": "dateEnd", "transforms": ["date"]},
                    "bill_rate": {"path": "clientBillRate", "transforms": ["money"]},
                },
                "rule_set": {"field": "client_id", "cases": {"bullhorn:42": "acme"}, "default": "base"},
            }
        },
    }
    mapping = compile_mappings(doc)["placements"]
    row = {"id": 1, "clientCorporation": {"id": 42}, "dateBegin": 1714521600000, "dateEnd": 1717200000000}
    with pytest.raises(RecordRejected) as caught:
        mapping(row)
    assert caught.value.reasons == [Rejection("required", "bill_rate", None, "bill_rate is required")]
    assert mapping({**row, "clientCorporation": {"id": 7}})["end_date"] == "2024-06-01"
    with pytest.raises(RecordRejected) as caught:
        mapping({**row, "clientCorporation": {"id": 7}, "dateEnd": 1700000000000})
    assert caught.value.reasons == [
        Rejection("compare", "end_date", "2023-11-14", "end_date '2023-11-14' must be >= start_date")
    ]


def test_a_raw_value_that_does_not_fit_the_standard_type_is_rejected_with_a_hint() -> None:
    doc = {
        "system": "bullhorn",
        "mappings": {
            "jobs": {
                "standard": "jobs",
                "on_invalid": "reject",
                "fields": {
                    "remote_id": "id",
                    "openings": "numOpenings",
                    "start_date": "startDate",
                    "status": "status",
                },
            }
        },
    }
    with pytest.raises(RecordRejected) as caught:
        compile_mappings(doc)["jobs"](
            {"id": 1, "numOpenings": "three", "startDate": 1714521600000, "status": "Open"}
        )
    assert [r.message for r in caught.value.reasons] == [
        "openings: 'three' is not a whole number (add the 'integer' transform)",
        "start_date: 1714521600000 is not a date YYYY-MM-DD (add the 'date' transform)",
        "status: 'Open' is not one of closed, draft, filled, on_hold, open, other (map it with a value_map)",
    ]


def test_a_yaml_document_loads_from_text() -> None:
    doc = load_document(
        "system: bullhorn\nmappings:\n  c:\n    standard: clients\n    fields: {remote_id: id, name: name}\n"
    )
    assert compile_mappings(doc)["c"]({"id": 3, "name": "Acme"})["name"] == "Acme"


# -- config mistakes are reported at compile time, with the exact path ----------------------------------------


def _doc(fields: dict[str, Any], **mapping: Any) -> dict[str, Any]:
    return {
        "system": "bullhorn",
        "value_maps": {"st": {"values": {"A": "active"}}},
        "mappings": {
            "candidates": {"standard": "candidates", "fields": {"remote_id": "id", **fields}, **mapping}
        },
    }


BAD_DOCS: list[tuple[dict[str, Any], str]] = [
    (
        _doc({"email": {"path": "email", "transforms": ["trim", "lowercase"]}}),
        "mappings.candidates.fields.email.transforms[1]: unknown transform 'lowercase' (did you mean 'lower'?)",
    ),
    (
        _doc({"emial": "email"}),
        "mappings.candidates.fields.emial: unknown field 'emial' for standard stream candidates (did you mean 'email'?)",
    ),
    (
        _doc({"address.town": "city"}),
        "mappings.candidates.fields.address.town: unknown field 'address.town' for "
        "standard stream candidates (did you mean 'address.city'?)",
    ),
    (
        _doc({"skills[0]": "x"}),
        "mappings.candidates.fields.skills[0]: unknown field 'skills[0]' for standard stream "
        "candidates (did you mean 'skills'?)",
    ),
    (
        _doc({"status": {"const": "hired"}}),
        "mappings.candidates.fields.status.const: wrong type for status: 'hired' "
        "is not one of active, do_not_use, inactive, new, other, placed (map it with a value_map)",
    ),
    (
        _doc({"status": {"path": "status", "value_map": "stat"}}),
        "mappings.candidates.fields.status.value_map: unknown value map 'stat' (did you mean 'st'?)",
    ),
    (
        _doc({"status": {"path": "s", "value_map": {"values": {"Hired": "hired"}}}}),
        "mappings.candidates.fields.status.value_map.values.Hired: 'hired' is not a valid value here; use one of: new, "
        "active, placed, inactive, do_not_use, other",
    ),
    (
        _doc({"mobile": {"path": "m", "default": {"n": 1}}}),
        "mappings.candidates.fields.mobile.default: wrong type for mobile: expected text, got dict {'n': 1}",
    ),
    (
        _doc({"email": {"path": "email", "const": "x"}}),
        "mappings.candidates.fields.email: a field needs exactly one of path, const, template, cases (found path, const)",
    ),
    (
        _doc({"email": {"transforms": ["trim"]}}),
        "mappings.candidates.fields.email: a field needs exactly one of path, const, template, cases",
    ),
    (
        _doc({"email": {"path": "email", "transform": ["trim"]}}),
        "mappings.candidates.fields.email.transform: unknown key 'transform' (did you mean 'transforms'?)",
    ),
    (
        _doc({"email": {"path": "e..x"}}),
        "mappings.candidates.fields.email.path: bad field path 'e..x': segment '' "
        "is not a key optionally followed by [n] or [*]",
    ),
    (
        _doc({"email": {"path": ["email", 3]}}),
        "mappings.candidates.fields.email.path[1]: a field path is text like 'owner.id' or 'categories.data[*].name'",
    ),
    (
        _doc({"email": {"template": "{}@x.org"}}),
        "mappings.candidates.fields.email.template: an empty {} in a template; name a path, e.g. {firstName}",
    ),
    (
        _doc({"email": {"template": "ada@x.org"}}),
        "mappings.candidates.fields.email.template: a template needs at least one {path}; use const for fixed text",
    ),
    (
        _doc({"email": {"path": "e", "when": {"field": "x"}}}),
        "mappings.candidates.fields.email.when: a condition "
        "needs exactly one operator of in, not_in, equals, not_equals, exists, matches, gt, gte, lt, lte, all, any, "
        "not (found none)",
    ),
    (
        _doc({"email": {"cases": [{"when": {"field": "x", "exists": True}}]}}),
        "mappings.candidates.fields.email.cases[0]: a case needs 'when' and exactly one of path, const, template",
    ),
    (
        _doc({}, rules=[{"rule": "required", "feild": "email"}]),
        "mappings.candidates.rules[0].field: required key is missing (and 1 more problems)",
    ),
    (_doc({}, rule_set="strict"), "mappings.candidates.rule_set: unknown rule set 'strict'; use one of: "),
    (
        _doc({}, when={"field": "status", "inn": ["a"]}),
        "mappings.candidates.when.inn: unknown condition key (did you mean 'in'?)",
    ),
    (
        _doc({}, custom_fields={"match": "("}),
        "mappings.candidates.custom_fields.match: bad regular expression '(': "
        "missing ), unterminated subpattern at position 0",
    ),
    (
        _doc({}, standard="candidate"),
        "mappings.candidates.standard: unknown standard stream 'candidate' (did you mean 'candidates'?)",
    ),
    (_doc({}, sytem="x"), "mappings.candidates.sytem: unknown key 'sytem' (did you mean 'system'?)"),
    (
        {"mappings": {"c": {"standard": "clients", "fields": {"remote_id": "id"}}}},
        "mappings.c: set 'system' (e.g. bullhorn) in the document or the mapping, or map id and source_system",
    ),
    (
        {"system": "bullhorn", "mappings": {"c": {"standard": "clients", "fields": {"name": "n"}}}},
        "mappings.c.fields: a standard mapping must map remote_id (the record's id in the remote system)",
    ),
    ({"system": "Bull Horn", "mappings": {}}, "system: String should match pattern '^[a-z0-9_]+$'"),
    ({"mapping": {}}, "mapping: unknown key 'mapping' (did you mean 'mappings'?)"),
    (
        {
            "value_maps": {"st": {"value": {}}},
            "mappings": {"x": {"fields": {"a": {"path": "a", "value_map": "st"}}}},
        },
        "value_maps.st.value: unknown key 'value' (did you mean 'values'?)",
    ),
]


@pytest.mark.parametrize(("doc", "message"), BAD_DOCS, ids=[str(i) for i in range(len(BAD_DOCS))])
def test_a_wrong_document_is_a_config_error_naming_the_bad_entry(doc: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        check_document(doc)
    assert str(caught.value) == message


def test_overrides_for_an_unknown_value_map_are_a_config_error() -> None:
    with pytest.raises(ConfigError) as caught:
        compile_mappings(DOC, value_map_overrides={"candidate_stat": {"x": "active"}})
    assert str(caught.value) == (
        "value_map_overrides.candidate_stat: unknown value map (did you mean 'candidate_status'?)"
    )


def test_an_override_outside_the_enum_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as caught:
        compile_mappings(DOC, value_map_overrides={"candidate_status": {"Hired": "hired"}})
    assert str(caught.value) == (
        "overrides of value map 'candidate_status'.Hired: 'hired' is not a valid value here; use one of: new, "
        "active, placed, inactive, do_not_use, other"
    )


PAYABLES = {
    "system": "bullhorn",
    "mappings": {
        "payables": {
            "standard": "payables",
            "fields": {
                "remote_id": "id",
                "worker_id": {"path": "candidate.id", "transforms": [{"prefix": "bullhorn:"}]},
                "amount": {"path": "total", "transforms": ["money"]},
                "currency": {"const": "USD"},
                "due_date": {"path": "dueDate", "transforms": ["date"]},
                "reference": {"template": "INV-{id}"},
                "line_items": {
                    "path": "lines.data",
                    "items": {
                        "description": {"path": "label", "transforms": ["trim"]},
                        "quantity": {"path": "hours", "transforms": ["number"]},
                        "unit": {"const": "hour"},
                        "unit_price": {"path": "rate", "transforms": [{"money": 4}]},
                        "amount": {"path": "sum", "transforms": ["money"]},
                    },
                },
            },
        }
    },
}
PAYABLE_ROW = {
    "id": 5,
    "candidate": {"id": 7},
    "total": "1,250.50",
    "dueDate": 1717200000000,
    "lines": {"data": [{"label": " Week 22 ", "hours": "40", "rate": "31.2625", "sum": 1250.5}, None]},
}


def test_list_items_are_mapped_element_by_element() -> None:
    record = compile_mappings(PAYABLES)["payables"](PAYABLE_ROW)
    assert {k: record[k] for k in ("worker_id", "amount", "due_date", "reference", "line_items")} == {
        "worker_id": "bullhorn:7",
        "amount": 1250.5,
        "due_date": "2024-06-01",
        "reference": "INV-5",
        "line_items": [
            {
                "description": "Week 22",
                "quantity": 40,
                "unit": "hour",
                "unit_price": 31.2625,
                "amount": 1250.5,
            }
        ],
    }
    jsonschema.Draft7Validator(standard_stream_schema("payables")).validate(record)


def test_a_bad_list_item_rejects_the_record_naming_its_position() -> None:
    doc = copy.deepcopy(PAYABLES)
    doc["mappings"]["payables"]["on_invalid"] = "reject"
    with pytest.raises(RecordRejected) as caught:
        compile_mappings(doc)["payables"]({**PAYABLE_ROW, "lines": {"data": [{"sum": 1}, {"rate": "abc"}]}})
    assert [(r.rule, r.field, r.message) for r in caught.value.reasons] == [
        ("transform.money", "line_items", "line_items: [1] unit_price: 'abc' is not a number")
    ]


@pytest.mark.parametrize(
    ("field", "message"),
    [
        (
            {"path": "l", "items": {"amt": "x"}},
            "mappings.payables.fields.line_items.items.amt: unknown field 'amt' "
            "for standard stream payables.line_items[] (did you mean 'amount'?)",
        ),
        (
            {"path": "l", "items": {"amount": {"path": "x", "transforms": ["monee"]}}},
            "mappings.payables.fields.line_items.items.amount.transforms[0]: unknown transform 'monee' "
            "(did you mean 'money'?)",
        ),
    ],
)
def test_wrong_item_fields_are_config_errors_with_their_path(field: dict[str, Any], message: str) -> None:
    doc = copy.deepcopy(PAYABLES)
    doc["mappings"]["payables"]["fields"]["line_items"] = field
    with pytest.raises(ConfigError) as caught:
        check_document(doc)
    assert str(caught.value) == message


def test_items_on_a_field_that_is_not_a_list_of_objects_is_a_config_error() -> None:
    doc = copy.deepcopy(PAYABLES)
    doc["mappings"]["payables"]["fields"]["description"] = {"path": "d", "items": {"a": "b"}}
    with pytest.raises(ConfigError) as caught:
        check_document(doc)
    assert str(caught.value) == (
        "mappings.payables.fields.description.items: description is not a list of objects; 'items' does not apply"
    )


def test_a_payload_mapping_can_copy_custom_fields_too() -> None:
    doc = {"mappings": {"out": {"fields": {"name": "n"}, "custom_fields": {"match": "^x_"}}}}
    assert compile_mappings(doc)["out"]({"n": "A", "x_a": 1, "y": 2}) == {
        "name": "A",
        "custom_fields": {"x_a": 1},
    }


CONNECTION_RULES = {"acme": {"rules": [{"rule": "required", "field": "email"}]}}


def test_a_connection_adds_rule_sets_and_chooses_them_per_client() -> None:
    payees = compile_mappings(
        WINGSPAN,
        rule_sets={
            "acme": {"rules": [{"rule": "format", "field": "payerOwnedData.labels.phone", "format": "phone"}]}
        },
        rule_set_choice={
            "payees": {"field": "payerOwnedData.payeeExternalId", "cases": {"bullhorn:6": "acme"}}
        },
    )["payees"]
    with pytest.raises(RecordRejected) as caught:
        payees({**PLACED, "phone": "555"})
    assert [(r.rule, r.value) for r in caught.value.reasons] == [("format.phone", "555")]
    assert (
        payees({**PLACED, "id": "bullhorn:7", "phone": "555"})["payerOwnedData"]["labels"]["phone"] == "555"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"rule_set_choice": {"payee": "acme"}, "rule_sets": CONNECTION_RULES},
            "rule_set_choice.payee: unknown mapping (did you mean 'payees'?)",
        ),
        (
            {"rule_set_choice": {"payees": "acmee"}, "rule_sets": CONNECTION_RULES},
            "rule_set_choice.payees: unknown rule set 'acmee' (did you mean 'acme'?)",
        ),
        (
            {"rule_sets": {"acme": {"rules": [{"rule": "required"}]}}},
            "rule_sets.acme.rules[0].field: required key is missing",
        ),
    ],
)
def test_wrong_connection_rules_are_config_errors_with_their_path(
    options: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        compile_mappings(WINGSPAN, **options)
    assert str(caught.value) == message


def test_a_remote_id_with_a_line_break_cannot_form_an_id() -> None:
    with pytest.raises(RecordRejected) as caught:
        candidates()({**ROWS[0], "id": "7\n8"})
    assert [(r.rule, r.field) for r in caught.value.reasons] == [("format.id", "id"), ("required", "id")]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "mappings: [",
            "the mapping document is not valid YAML/JSON: while parsing a flow node\nexpected the node "
            "content, but found '<stream end>'\n  in \"<unicode string>\", line 1, column 12:\n    mappings: [\n"
            "               ^",
        ),
        ("- a\n- b\n", "the mapping document must be an object with a 'mappings' key"),
        (
            Path("/nonexistent/mapping.yaml"),
            "cannot read the mapping document /nonexistent/mapping.yaml: No such file or directory",
        ),
        ("x" * 5000, "the mapping document must be an object with a 'mappings' key"),
    ],
)
def test_a_document_that_cannot_be_loaded_is_a_config_error(source: Any, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_document(source)
    assert str(caught.value) == message


def test_map_pages_yields_pages_split_around_each_rejection_and_changed_record_in_input_order() -> None:
    bad = {**ROWS[5], "email": "not-an-email"}
    nameless = {**ROWS[5], "id": None}
    items = list(candidates().map_pages([ROWS[2], ROWS[3], bad, ROWS[4], nameless, ROWS[6]]))
    shape = [
        [r["remote_id"] for r in i]
        if isinstance(i, list)
        else f"changed {i.data['id']}"
        if isinstance(i, Record)
        else f"rejected {i.record_id}"
        for i in items
    ]
    ids = [str(ROWS[n]["id"]) for n in (2, 3, 4, 6)]
    assert shape == [
        ids[:2],
        f"changed bullhorn:{ROWS[5]['id']}",
        [ids[2]],
        "rejected None",
        [ids[3]],
    ]
