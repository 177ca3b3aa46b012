"""Field paths, conditions and value maps: the small pieces every mapping is built from."""

from __future__ import annotations

from typing import Any

import pytest
from staffwire.errors import ConfigError
from staffwire.mapping import ValueMap, compile_condition, compile_path, value_key
from staffwire.mapping.paths import PathSyntaxError
from staffwire.mapping.problems import Reject

ROW = {
    "id": 6,
    "owner": {"id": 1, "firstName": "Ann"},
    "address": None,
    "primarySkills": {
        "total": 3,
        "data": [{"id": 1, "name": "Vault"}, {"id": 2, "name": None}, {"id": 3, "name": "Trade"}],
    },
    "groups": [{"members": [{"n": "a"}, {"n": "b"}]}, {"members": [{"n": "c"}]}, {"members": "oops"}],
    "status": "New Lead",
    "tags": ["Hot", "Java"],
    "pay": 25,
}

PATHS: list[tuple[str, Any]] = [
    ("id", 6),
    ("owner.id", 1),
    ("owner.missing", None),
    ("address.city", None),  # a null to-one reference
    ("status.value", None),  # a string where an object was expected
    ("primarySkills.data[*].name", ["Vault", "Trade"]),
    ("primarySkills.data[0].name", "Vault"),
    ("primarySkills.data[-1].id", 3),
    ("primarySkills.data[9].id", None),
    ("groups[*].members[*].n", ["a", "b", "c"]),  # nested fan-out flattens; a non-list reads as empty
    ("nothing[*].x", None),  # a missing list is null; a non-list under [*] is []
    ("status[*].x", []),
    ("tags[1]", "Java"),
]


@pytest.mark.parametrize(("path", "expected"), PATHS)
def test_a_path_reads_nested_objects_and_lists(path: str, expected: Any) -> None:
    assert compile_path(path)(ROW) == expected


@pytest.mark.parametrize("record", [None, "text", 3, ["a"], {"owner": "x"}])
def test_a_path_never_raises_on_odd_input(record: Any) -> None:
    for path, _ in PATHS:
        compile_path(path)(record)


@pytest.mark.parametrize("bad", ["", "a..b", "a[x]", "a.[0]", "a b", "a[*", ".a"])
def test_a_malformed_path_is_a_syntax_error(bad: str) -> None:
    with pytest.raises(PathSyntaxError):
        compile_path(bad)


CONDITIONS: list[tuple[dict[str, Any], bool]] = [
    ({"field": "status", "in": ["new lead", "active"]}, True),  # case- and space-insensitive
    ({"field": "status", "in": ["newlead"]}, True),
    ({"field": "status", "in": ["New Lead"], "exact": True}, True),
    ({"field": "status", "in": ["new lead"], "exact": True}, False),
    ({"field": "status", "not_in": ["placed"]}, True),
    ({"field": "tags", "in": ["java"]}, True),  # any element of a list
    ({"field": "status", "equals": "NEW-LEAD"}, True),
    ({"field": "status", "not_equals": "new lead"}, False),
    ({"field": "owner.firstName", "exists": True}, True),
    ({"field": "address.city", "exists": False}, True),
    ({"field": "status", "matches": "(?i)lead$"}, True),
    ({"field": "pay", "gte": 25}, True),
    ({"field": "pay", "gt": 25}, False),
    ({"field": "pay", "lt": 30}, True),
    ({"field": "status", "lte": 10}, False),  # text vs number: no match, no error
    ({"all": [{"field": "pay", "gt": 1}, {"field": "status", "in": ["new lead"]}]}, True),
    ({"any": [{"field": "pay", "gt": 100}, {"field": "id", "equals": 6}]}, True),
    ({"not": {"field": "id", "equals": 6}}, False),
]


@pytest.mark.parametrize(("spec", "expected"), CONDITIONS)
def test_a_condition_tests_the_record(spec: dict[str, Any], expected: bool) -> None:
    assert compile_condition(spec, "when")(ROW) is expected


BAD_CONDITIONS: list[tuple[Any, str]] = [
    ("status", "when: a condition is an object like {field: status, in: [placed]}"),
    (
        {"field": "status"},
        "when: a condition needs exactly one operator of in, not_in, equals, not_equals, "
        "exists, matches, gt, gte, lt, lte, all, any, not (found none)",
    ),
    (
        {"field": "status", "in": ["a"], "equals": "b"},
        "when: a condition needs exactly one operator of in, not_in, "
        "equals, not_equals, exists, matches, gt, gte, lt, lte, all, any, not (found in, equals)",
    ),
    ({"field": "status", "inn": ["a"]}, "when.inn: unknown condition key (did you mean 'in'?)"),
    ({"in": ["a"]}, "when: condition 'in' needs a 'field' to test"),
    ({"field": "status", "in": "placed"}, "when.in: 'in' takes a list of values"),
    (
        {"field": "a..b", "in": ["x"]},
        "when.field: bad field path 'a..b': segment '' is not a key optionally followed by [n] or [*]",
    ),
    ({"field": "x", "exists": "yes"}, "when.exists: 'exists' takes true or false"),
    (
        {"field": "x", "matches": "("},
        "when.matches: bad regular expression '(': missing ), unterminated subpattern at position 0",
    ),
    ({"field": "x", "gt": [1]}, "when.gt: 'gt' compares with a number or a text (e.g. an ISO date)"),
    ({"all": []}, "when.all: 'all' takes a non-empty list of conditions"),
    (
        {"any": [{"field": "x", "in": ["a"]}, {"field": "y"}]},
        "when.any[1]: a condition needs exactly one operator "
        "of in, not_in, equals, not_equals, exists, matches, gt, gte, lt, lte, all, any, not (found none)",
    ),
    (
        {"field": "x", "all": [{"field": "y", "exists": True}]},
        "when.field: 'all' combines conditions; put 'field' inside them",
    ),
]


@pytest.mark.parametrize(("spec", "message"), BAD_CONDITIONS)
def test_a_wrong_condition_is_a_config_error_with_its_path(spec: Any, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        compile_condition(spec, "when")
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("value", "key"),
    [("On Hold", "onhold"), ("on-hold", "onhold"), (" ON_HOLD ", "onhold"), (3.0, "3"), (7, "7")],
)
def test_value_keys_ignore_case_spaces_hyphens_and_underscores(value: Any, key: str) -> None:
    assert value_key(value) == key


STATUSES = ["new", "active", "placed", "inactive", "do_not_use", "other"]


def test_a_value_map_matches_loosely_and_falls_back_to_its_default() -> None:
    vm = ValueMap.build(
        {"values": {"Active": "active", "Placed": "placed", "DNU": "do_not_use"}}, allowed=STATUSES
    )
    assert [vm(v) for v in ["  PLACED ", "active", "d n u", "Archived", None]] == [
        "placed",
        "active",
        "do_not_use",
        "other",
        None,
    ]


def test_connection_overrides_win_over_the_system_defaults() -> None:
    vm = ValueMap.build(
        {"values": {"Active": "active"}},
        {"active": "inactive", "Hot Prospect": "active"},
        name="candidate_status",
        allowed=STATUSES,
    )
    assert (vm("Active"), vm("hot prospect")) == ("inactive", "active")


def test_a_value_map_without_default_rejects_unknown_words() -> None:
    vm = ValueMap.build({"values": {"Active": "active"}, "default": None}, name="candidate_status")
    with pytest.raises(Reject) as caught:
        vm("Archived")
    assert (caught.value.rule, caught.value.message) == (
        "value_map",
        "'Archived' is not a known value of 'candidate_status'; add it to the value map",
    )


@pytest.mark.parametrize(
    ("spec", "overrides", "message"),
    [
        (
            {"values": {"Hired": "hired"}},
            None,
            "value_maps.s.values.Hired: 'hired' is not a valid value here; use one "
            "of: new, active, placed, inactive, do_not_use, other",
        ),
        (
            {"default": "unknown"},
            None,
            "value_maps.s.default: 'unknown' is not a valid value here; use one of: new, "
            "active, placed, inactive, do_not_use, other (or null to reject unknown values)",
        ),
        (
            {},
            {"Gone": "left"},
            "overrides of value map 's'.Gone: 'left' is not a valid value here; use one of: new, "
            "active, placed, inactive, do_not_use, other",
        ),
    ],
)
def test_a_value_map_outside_the_target_enum_is_a_config_error(
    spec: dict[str, Any], overrides: dict[str, Any] | None, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        ValueMap.build(spec, overrides, name="s", allowed=STATUSES, path="value_maps.s")
    assert str(caught.value) == message
