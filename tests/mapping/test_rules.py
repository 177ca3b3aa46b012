"""Validation rules and rule sets: every rule and format, table-driven, with the exact rejection it produces."""

from __future__ import annotations

from typing import Any

import pytest
from staffwire.errors import ConfigError, RecordRejected, Rejection
from staffwire.mapping import compile_rules
from staffwire.mapping.countries import ISO_ALPHA2
from staffwire.mapping.rules import compile_rule

BASE = {
    "id": "bullhorn:1",
    "email": "ada@x.org",
    "phone": "+17039133240",
    "status": "placed",
    "start_date": "2024-05-01",
    "end_date": "2024-06-01",
    "pay_rate": 25.5,
    "skills": ["Java", "Go"],
    "address": {"postal_code": "22152", "country": "US"},
    "currency": "USD",
    "website": "https://x.org",
    "remote_updated_at": "2024-05-01T13:45:00Z",
}


def check(rule: dict[str, Any], **changes: Any) -> Rejection | None:
    record = {**BASE, **changes}
    return compile_rule(rule, "rules[0]")(record)


PASSING: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({"rule": "required", "field": "email"}, {}),
    ({"rule": "required", "field": "address.postal_code"}, {}),
    ({"rule": "format", "field": "email", "format": "email"}, {}),
    (
        {"rule": "format", "field": "email", "format": "email"},
        {"email": None},
    ),  # null passes all but required
    ({"rule": "format", "field": "phone", "format": "phone"}, {}),
    ({"rule": "format", "field": "address.country", "format": "country"}, {}),
    ({"rule": "format", "field": "start_date", "format": "date"}, {}),
    ({"rule": "format", "field": "remote_updated_at", "format": "datetime"}, {}),
    ({"rule": "format", "field": "currency", "format": "currency"}, {}),
    ({"rule": "format", "field": "website", "format": "url"}, {}),
    (
        {
            "rule": "format",
            "field": "address.postal_code",
            "format": "postal_code",
            "country_field": "address.country",
        },
        {},
    ),
    ({"rule": "format", "field": "zip", "format": "postal_code", "country": "US"}, {"zip": "22152-1234"}),
    ({"rule": "format", "field": "zip", "format": "postal_code", "country": "CA"}, {"zip": "K1A 0B1"}),
    ({"rule": "format", "field": "zip", "format": "postal_code", "country": "CA"}, {"zip": "k1a0b1"}),
    ({"rule": "format", "field": "zip", "format": "postal_code", "country": "UK"}, {"zip": "WC1N 2HZ"}),
    ({"rule": "format", "field": "zip", "format": "postal_code", "country": "GB"}, {"zip": "EH6 7NN"}),
    ({"rule": "format", "field": "zip", "format": "postal_code", "country": "GB"}, {"zip": "GIR 0AA"}),
    (
        {"rule": "format", "field": "zip", "format": "postal_code", "country": "CH"},
        {"zip": "anything"},
    ),  # unknown format
    (
        {"rule": "format", "field": "zip", "format": "postal_code", "country_field": "nation"},
        {"zip": "x"},
    ),  # no country
    ({"rule": "allowed", "field": "status", "values": ["active", "placed"]}, {}),
    ({"rule": "allowed", "field": "status", "values": ["PLACED"]}, {}),
    ({"rule": "allowed", "field": "skills", "values": ["java", "go", "sql"]}, {}),
    ({"rule": "compare", "field": "end_date", "op": ">=", "other": "start_date"}, {}),
    ({"rule": "compare", "field": "end_date", "op": ">=", "other": "start_date"}, {"end_date": "2024-05-01"}),
    ({"rule": "compare", "field": "end_date", "op": ">=", "other": "start_date"}, {"end_date": None}),
    ({"rule": "compare", "field": "bill", "op": ">", "other": "pay_rate"}, {"bill": 40}),
    ({"rule": "pattern", "field": "id", "pattern": "^bullhorn:\\d+$"}, {}),
    ({"rule": "range", "field": "pay_rate", "min": 0, "max": 500}, {}),
    (
        {"rule": "required", "field": "phone", "when": {"field": "status", "in": ["placed"]}},
        {"phone": "+17039133240"},
    ),
    (
        {"rule": "required", "field": "phone", "when": {"field": "status", "in": ["placed"]}},
        {"status": "active", "phone": None},
    ),
]


@pytest.mark.parametrize(("rule", "changes"), PASSING)
def test_a_good_record_passes_the_rule(rule: dict[str, Any], changes: dict[str, Any]) -> None:
    assert check(rule, **changes) is None


FAILING: list[tuple[dict[str, Any], dict[str, Any], Rejection]] = [
    (
        {"rule": "required", "field": "email"},
        {"email": None},
        Rejection("required", "email", None, "email is required"),
    ),
    (
        {"rule": "required", "field": "email"},
        {"email": ""},
        Rejection("required", "email", "", "email is required"),
    ),
    (
        {"rule": "required", "field": "skills"},
        {"skills": []},
        Rejection("required", "skills", [], "skills is required"),
    ),
    (
        {"rule": "required", "field": "address.city"},
        {},
        Rejection("required", "address.city", None, "address.city is required"),
    ),
    (
        {"rule": "format", "field": "email", "format": "email"},
        {"email": "ada@"},
        Rejection("format.email", "email", "ada@", "email 'ada@' is not a valid email"),
    ),
    (
        {"rule": "format", "field": "phone", "format": "phone"},
        {"phone": "703-913-3240"},
        Rejection("format.phone", "phone", "703-913-3240", "phone '703-913-3240' is not a valid phone"),
    ),
    (
        {"rule": "format", "field": "phone", "format": "phone"},
        {"phone": "+15555555555"},
        Rejection("format.phone", "phone", "+15555555555", "phone '+15555555555' is not a valid phone"),
    ),
    (
        {"rule": "format", "field": "address.country", "format": "country"},
        {"address": {"country": "XX"}},
        Rejection("format.country", "address.country", "XX", "address.country 'XX' is not a valid country"),
    ),
    (
        {"rule": "format", "field": "address.country", "format": "country"},
        {"address": {"country": "us"}},
        Rejection("format.country", "address.country", "us", "address.country 'us' is not a valid country"),
    ),
    (
        {"rule": "format", "field": "start_date", "format": "date"},
        {"start_date": "2024-02-30"},
        Rejection("format.date", "start_date", "2024-02-30", "start_date '2024-02-30' is not a valid date"),
    ),
    (
        {"rule": "format", "field": "start_date", "format": "date"},
        {"start_date": 20240501},
        Rejection("format.date", "start_date", 20240501, "start_date 20240501 is not a valid date"),
    ),
    (
        {"rule": "format", "field": "t", "format": "datetime"},
        {"t": "2024-05-01T13:45:00+02:00"},
        Rejection(
            "format.datetime",
            "t",
            "2024-05-01T13:45:00+02:00",
            "t '2024-05-01T13:45:00+02:00' is not a valid datetime",
        ),
    ),
    (
        {"rule": "format", "field": "currency", "format": "currency"},
        {"currency": "usd"},
        Rejection("format.currency", "currency", "usd", "currency 'usd' is not a valid currency"),
    ),
    (
        {"rule": "format", "field": "website", "format": "url"},
        {"website": "x.org"},
        Rejection("format.url", "website", "x.org", "website 'x.org' is not a valid url"),
    ),
    (
        {"rule": "format", "field": "zip", "format": "postal_code", "country": "US"},
        {"zip": "2215"},
        Rejection(
            "format.postal_code", "zip", "2215", "zip '2215' is not a valid postal code for its country"
        ),
    ),
    (
        {"rule": "format", "field": "zip", "format": "postal_code", "country": "US"},
        {"zip": "zip code"},
        Rejection(
            "format.postal_code",
            "zip",
            "zip code",
            "zip 'zip code' is not a valid postal code for its country",
        ),
    ),
    (
        {"rule": "format", "field": "zip", "format": "postal_code", "country": "CA"},
        {"zip": "D1A 0B1"},
        Rejection(
            "format.postal_code", "zip", "D1A 0B1", "zip 'D1A 0B1' is not a valid postal code for its country"
        ),
    ),
    (
        {"rule": "format", "field": "zip", "format": "postal_code", "country": "GB"},
        {"zip": "34344-5841"},
        Rejection(
            "format.postal_code",
            "zip",
            "34344-5841",
            "zip '34344-5841' is not a valid postal code for its country",
        ),
    ),
    (
        {
            "rule": "format",
            "field": "address.postal_code",
            "format": "postal_code",
            "country_field": "address.country",
        },
        {"address": {"postal_code": "PR7 6NG", "country": "US"}},
        Rejection(
            "format.postal_code",
            "address.postal_code",
            "PR7 6NG",
            "address.postal_code 'PR7 6NG' is not a valid postal code for its country",
        ),
    ),
    (
        {"rule": "allowed", "field": "status", "values": ["active"]},
        {},
        Rejection("allowed", "status", "placed", "status 'placed' is not allowed; allowed: active"),
    ),
    (
        {"rule": "allowed", "field": "skills", "values": ["java"]},
        {},
        Rejection("allowed", "skills", "Go", "skills 'Go' is not allowed; allowed: java"),
    ),
    (
        {"rule": "allowed", "field": "status", "values": ["PLACED"], "exact": True},
        {},
        Rejection("allowed", "status", "placed", "status 'placed' is not allowed; allowed: PLACED"),
    ),
    (
        {"rule": "compare", "field": "end_date", "op": ">=", "other": "start_date"},
        {"end_date": "2024-04-30"},
        Rejection("compare", "end_date", "2024-04-30", "end_date '2024-04-30' must be >= start_date"),
    ),
    (
        {"rule": "compare", "field": "end_date", "op": ">=", "other": "start_date"},
        {"end_date": 5},
        Rejection("compare", "end_date", 5, "end_date 5 must be >= start_date"),
    ),
    (
        {"rule": "pattern", "field": "id", "pattern": "^zoho:"},
        {},
        Rejection("pattern", "id", "bullhorn:1", "id 'bullhorn:1' does not match '^zoho:'"),
    ),
    (
        {"rule": "range", "field": "pay_rate", "min": 30},
        {},
        Rejection("range", "pay_rate", 25.5, "pay_rate 25.5 must be a number >= 30"),
    ),
    (
        {"rule": "range", "field": "pay_rate", "min": 0, "max": 20},
        {"pay_rate": "25"},
        Rejection("range", "pay_rate", "25", "pay_rate '25' must be a number >= 0 and <= 20"),
    ),
    (
        {
            "rule": "required",
            "field": "phone",
            "when": {"field": "status", "in": ["placed"]},
            "name": "placed.phone",
            "message": "a placed candidate needs a phone number",
        },
        {"phone": None},
        Rejection("placed.phone", "phone", None, "a placed candidate needs a phone number"),
    ),
]


@pytest.mark.parametrize(("rule", "changes", "expected"), FAILING)
def test_a_bad_record_fails_the_rule_with_a_machine_readable_reason(
    rule: dict[str, Any], changes: dict[str, Any], expected: Rejection
) -> None:
    assert check(rule, **changes) == expected


BAD_RULES: list[tuple[Any, str]] = [
    ("required", "rules[0]: a rule is an object like {rule: required, field: email}"),
    ({"rule": "requird", "field": "x"}, "rules[0].rule: unknown rule 'requird' (did you mean 'required'?)"),
    ({"rule": "required"}, "rules[0].field: required key is missing"),
    (
        {"rule": "required", "field": "x", "values": [1]},
        "rules[0].values: unknown key 'values'; check the spelling",
    ),
    (
        {"rule": "format", "field": "x", "format": "emial"},
        "rules[0].format: unknown format 'emial' (did you mean 'email'?)",
    ),
    (
        {"rule": "format", "field": "x", "format": "postal_code"},
        "rules[0]: format postal_code needs 'country' (e.g. US) or 'country_field' (e.g. address.country)",
    ),
    (
        {"rule": "compare", "field": "x", "op": "=>", "other": "y"},
        "rules[0].op: should be '>', '>=', '<', '<=', '==' or '!='",
    ),
    ({"rule": "allowed", "field": "x", "values": "a"}, "rules[0].values: should be a valid list"),
    ({"rule": "range", "field": "x"}, "rules[0]: a range rule needs min, max or both"),
    (
        {"rule": "pattern", "field": "x", "pattern": "["},
        "rules[0].pattern: bad regular expression '[': unterminated character set at position 0",
    ),
    (
        {"rule": "required", "field": "a[x]"},
        "rules[0].field: bad field path 'a[x]': segment 'a[x]' is not a key optionally followed by [n] or [*]",
    ),
    (
        {"rule": "required", "field": "x", "when": {"field": "y"}},
        "rules[0].when: a condition needs exactly one "
        "operator of in, not_in, equals, not_equals, exists, matches, gt, gte, lt, lte, all, any, not (found none)",
    ),
]


@pytest.mark.parametrize(("spec", "message"), BAD_RULES)
def test_a_wrong_rule_is_a_config_error_with_its_path(spec: Any, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        compile_rule(spec, "rules[0]")
    assert str(caught.value) == message


RULE_SETS = {
    "base": {
        "rules": [
            {"rule": "required", "field": "email"},
            {"rule": "format", "field": "email", "format": "email"},
        ]
    },
    "acme": {
        "extends": ["base"],
        "rules": [
            {"rule": "required", "field": "phone"},
            {"rule": "compare", "field": "end_date", "op": ">=", "other": "start_date"},
        ],
    },
}
PER_CLIENT = {"field": "client_id", "cases": {"bullhorn:42": "acme"}, "default": "base"}


def test_the_rule_set_is_chosen_per_client() -> None:
    checker = compile_rules(RULE_SETS, PER_CLIENT)
    record = {
        "client_id": "bullhorn:42",
        "email": "ada@x.org",
        "phone": None,
        "start_date": "2024-05-01",
        "end_date": "2024-04-01",
    }
    assert checker.check(record) == [
        Rejection("required", "phone", None, "phone is required"),
        Rejection("compare", "end_date", "2024-04-01", "end_date '2024-04-01' must be >= start_date"),
    ]
    assert checker.check({**record, "client_id": "bullhorn:7"}) == []  # other clients: the base set
    assert checker.check({**record, "client_id": None, "email": None}) == [
        Rejection("required", "email", None, "email is required")
    ]


def test_always_rules_apply_before_the_chosen_set() -> None:
    checker = compile_rules(RULE_SETS, "base", rules=[{"rule": "required", "field": "id"}])
    assert [r.rule for r in checker.check({"email": "bad"})] == ["required", "format.email"]


def test_validate_raises_record_rejected_with_every_reason_and_the_record_id() -> None:
    checker = compile_rules(RULE_SETS, PER_CLIENT)
    with pytest.raises(RecordRejected) as caught:
        checker.validate({"id": "bullhorn:9", "client_id": "bullhorn:42", "email": "x"}, stream="placements")
    assert (caught.value.stream, caught.value.record_id) == ("placements", "bullhorn:9")
    assert [r.rule for r in caught.value.reasons] == ["format.email", "required"]
    assert str(caught.value) == (
        "record placements bullhorn:9 rejected: email 'x' is not a valid email; phone is required"
    )


@pytest.mark.parametrize(
    ("sets", "selection", "message"),
    [
        ({"a": {"extends": ["b"]}}, "a", "rule_sets.a.extends[0]: unknown rule set 'b'; use one of: a"),
        (
            {"a": {"extends": ["b"]}, "b": {"extends": ["a"]}},
            "a",
            "rule_sets.b.extends[0]: rule sets extend each other in a cycle: a -> b -> a",
        ),
        (
            {"a": {"rules": [{"rule": "requird", "field": "x"}]}},
            "a",
            "rule_sets.a.rules[0].rule: unknown rule 'requird' (did you mean 'required'?)",
        ),
        ({"a": {"rule": []}}, "a", "rule_sets.a.rule: unknown key 'rule' (did you mean 'rules'?)"),
        (RULE_SETS, "bas", "rule_set: unknown rule set 'bas' (did you mean 'base'?)"),
        (
            RULE_SETS,
            {"field": "client_id", "cases": {"1": "acmee"}},
            "rule_set.cases.1: unknown rule set 'acmee' (did you mean 'acme'?)",
        ),
        (
            RULE_SETS,
            {"field": "client_id", "default": "nope"},
            "rule_set.default: unknown rule set 'nope'; use one of: acme, base",
        ),
        (RULE_SETS, {"cases": {}}, "rule_set: a rule set selection needs 'field' (e.g. client_id)"),
        (RULE_SETS, {"field": "x", "case": {}}, "rule_set.case: unknown key (did you mean 'cases'?)"),
    ],
)
def test_wrong_rule_sets_are_config_errors_with_their_path(sets: Any, selection: Any, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        compile_rules(sets, selection)
    assert str(caught.value) == message


def test_the_country_list_is_the_249_officially_assigned_codes() -> None:
    assert len(ISO_ALPHA2) == 249
    assert {"US", "CA", "GB", "DE", "SS", "XK"} & ISO_ALPHA2 == {"US", "CA", "GB", "DE", "SS"}
