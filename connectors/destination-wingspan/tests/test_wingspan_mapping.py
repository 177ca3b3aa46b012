"""Field specs of destination-wingspan's labels and stream mappings (staffwire.mapping fields): table-driven."""

from __future__ import annotations

from typing import Any

import pytest
from destination_wingspan.config import WingspanConfig
from destination_wingspan.examples import PLACEMENTS_TO_PAYABLES
from destination_wingspan.mapping import compile_config, map_labels
from staffwire.errors import ConfigError, RecordRejected

RECORD = {
    "id": "bullhorn:7",
    "pay_rate": 42.5,
    "start_date": "2026-07-06",
    "pay_unit": "hour",
    "custom_fields": {"division": "Healthcare"},
    "tags": ["a", "b"],
    "count": 3.0,
}

SPECS: list[tuple[Any, Any]] = [
    ("id", "bullhorn:7"),
    ("pay_rate", 42.5),
    ({"template": "placement:{id}:week1"}, "placement:bullhorn:7:week1"),
    ("custom_fields.division", "Healthcare"),
    ("tags[1]", "b"),
    ("missing", None),
    ({"template": "x-{missing}-{id}"}, "x--bullhorn:7"),
    ({"template": "{count} hours"}, "3 hours"),
    ({"path": "pay_rate", "transforms": [{"multiply": 40}, "money"]}, 1700),
    ({"path": "pay_rate", "transforms": [{"multiply": 0.333}, "money"]}, 14.15),
    ({"path": "start_date", "transforms": [{"add_days": 7}]}, "2026-07-13"),
    ({"path": "start_date", "transforms": [{"add_days": -6}]}, "2026-06-30"),
    ({"path": "pay_unit", "transforms": [{"lookup": {"table": {"hour": "Hourly"}}}]}, "Hourly"),
    (
        {"path": "pay_unit", "transforms": [{"lookup": {"table": {"day": "Daily"}, "default": "Other"}}]},
        "Other",
    ),
    ({"path": "missing", "default": "USD"}, "USD"),
    ({"const": "USD"}, "USD"),
    ({"template": "{pay_unit}ly"}, "hourly"),
    ({"const": 40}, 40),
]


def labels_of(spec: Any, record: dict[str, Any]) -> dict[str, Any]:
    config = WingspanConfig.model_validate({"api_token": "t", "contractor_labels": {"x": spec}})
    return map_labels(compile_config(config).contractor_labels, record, "candidates", "bullhorn:7")


@pytest.mark.parametrize(("spec", "expected"), SPECS)
def test_a_field_spec_evaluates_to(spec: Any, expected: Any) -> None:
    assert labels_of(spec, RECORD).get("x") == expected


BAD_VALUES: list[tuple[Any, str]] = [
    ({"path": "pay_unit", "transforms": [{"multiply": 2}]}, "x: 'hour' is not a number"),
    (
        {"path": "pay_unit", "transforms": [{"add_days": 1}]},
        "x: 'hour' is not an ISO 8601 date/time or epoch number",
    ),
]


@pytest.mark.parametrize(("spec", "message"), BAD_VALUES)
def test_a_value_a_field_spec_cannot_handle_rejects_the_record(spec: Any, message: str) -> None:
    with pytest.raises(RecordRejected) as caught:
        labels_of(spec, RECORD)
    assert (caught.value.stream, caught.value.record_id) == ("candidates", "bullhorn:7")
    assert [reason.message for reason in caught.value.reasons] == [message]


BAD_SPECS = [
    ({"path": "a", "times": 2}, "contractor_labels.x.times: unknown key 'times' (did you mean 'items'?)"),
    (
        {"transforms": ["money"]},
        "contractor_labels.x: a field needs exactly one of path, const, template, cases",
    ),
    (
        {"path": "a", "transforms": ["multiply"]},
        "contractor_labels.x.transforms[0].multiply.by: required key is missing",
    ),
]


@pytest.mark.parametrize(("spec", "message"), BAD_SPECS)
def test_a_bad_field_spec_is_a_config_error(spec: Any, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        labels_of(spec, RECORD)
    assert caught.value.message == message


def test_the_demo_mapping_makes_a_first_week_payable_of_an_hourly_placement() -> None:
    config = WingspanConfig.model_validate({"api_token": "t", "stream_mappings": [PLACEMENTS_TO_PAYABLES]})
    [plan] = compile_config(config).streams["placements"]
    placement = {**RECORD, "candidate_id": "bullhorn:1", "currency": "USD"}
    assert plan.target == "payables"
    assert plan.fields(placement) == {
        "worker_id": "bullhorn:1",
        "amount": 1700,
        "currency": "USD",
        "due_date": "2026-07-13",
        "description": "First week of placement bullhorn:7",
        "reference": "placement:bullhorn:7:week1",
    }
    assert plan.fields({**placement, "pay_unit": "week"}) is None
