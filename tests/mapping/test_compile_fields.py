"""``compile_fields``: a payload mapping from a destination config's own field specs, with its errors reported at
the config's paths (not under ``mappings.<name>``)."""

from __future__ import annotations

from typing import Any

import pytest
from staffwire.errors import ConfigError, RecordRejected, Rejection
from staffwire.mapping import compile_fields

PLACEMENT = {
    "id": "bullhorn:500",
    "candidate_id": "bullhorn:1",
    "pay_rate": 42.5,
    "pay_unit": "hour",
    "start_date": "2026-07-06",
}
WEEK_ONE = {
    "worker_id": "candidate_id",
    "amount": {"path": "pay_rate", "transforms": [{"multiply": 40}, "money"]},
    "due_date": {"path": "start_date", "transforms": [{"add_days": 7}]},
    "reference": {"template": "placement:{id}:week1"},
    "currency": {"path": "currency", "default": "USD"},
}


def week_one() -> Any:
    return compile_fields(
        WEEK_ONE,
        name="placements",
        path="stream_mappings[0].fields",
        when={"field": "pay_unit", "in": ["hour"]},
        when_path="stream_mappings[0].when",
    )


def test_fields_map_a_record_to_a_payload_with_arithmetic_and_dates() -> None:
    assert week_one()(PLACEMENT) == {
        "worker_id": "bullhorn:1",
        "amount": 1700,
        "due_date": "2026-07-13",
        "reference": "placement:bullhorn:500:week1",
        "currency": "USD",
    }


def test_the_trigger_skips_other_records() -> None:
    mapping = week_one()
    assert mapping({**PLACEMENT, "pay_unit": "week"}) is None
    assert mapping.stats.as_dict() == {"mapped": 0, "skipped": 1, "rejected": 0, "rejections": {}}


def test_a_value_a_transform_cannot_handle_rejects_the_record_under_the_mapping_name() -> None:
    with pytest.raises(RecordRejected) as caught:
        week_one()({**PLACEMENT, "pay_rate": "tbd"})
    assert caught.value.stream == "placements"
    assert caught.value.record_id == "bullhorn:500"
    assert caught.value.reasons == [
        Rejection("transform.multiply", "amount", "tbd", "amount: 'tbd' is not a number")
    ]


BAD: list[tuple[Any, Any, str]] = [
    ({"x": {"path": "a", "times": 2}}, None, "labels.x.times: unknown key 'times' (did you mean 'items'?)"),
    (
        {"x": {"path": "a", "transforms": ["lowr"]}},
        None,
        "labels.x.transforms[0]: unknown transform 'lowr' (did you mean 'lower'?)",
    ),
    (
        {"x": {"path": "a", "const": 1}},
        None,
        "labels.x: a field needs exactly one of path, const, template, cases (found path, const)",
    ),
    ({"x": 1}, None, "labels.x: should be a valid dictionary or instance of FieldSpec"),
    (["x"], None, "labels: fields are an object: target field -> field spec"),
    (
        {},
        {"field": "a"},
        "trigger: a condition needs exactly one operator of in, not_in, equals, not_equals, exists, matches, gt, "
        "gte, lt, lte, all, any, not (found none)",
    ),
    ({}, ["a"], "trigger: a condition is an object like {field: status, in: [placed]}"),
]


@pytest.mark.parametrize(("fields", "when", "message"), BAD)
def test_a_wrong_field_spec_is_a_config_error_at_the_callers_path(
    fields: Any, when: Any, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        compile_fields(fields, name="s", path="labels", when=when, when_path="trigger")
    assert str(caught.value) == message
