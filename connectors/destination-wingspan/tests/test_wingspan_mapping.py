"""Field specs of destination-wingspan's stream mappings and labels: table-driven."""

from __future__ import annotations

from typing import Any

import pytest
from destination_wingspan.mapping import evaluate, validate_spec
from staffwire.errors import ConfigError

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
    ("{id}", "bullhorn:7"),
    ("{pay_rate}", 42.5),
    ("placement:{id}:week1", "placement:bullhorn:7:week1"),
    ("{custom_fields.division}", "Healthcare"),
    ("{tags.1}", "b"),
    ("{missing}", None),
    ("x-{missing}-y", "x--y"),
    ("{count} hours", "3 hours"),
    ({"path": "pay_rate", "multiply": 40}, 1700.0),
    ({"path": "pay_rate", "multiply": 0.333}, 14.15),
    ({"path": "start_date", "add_days": 7}, "2026-07-13"),
    ({"path": "start_date", "add_days": -6}, "2026-06-30"),
    ({"path": "pay_unit", "map": {"hour": "Hourly"}}, "Hourly"),
    ({"path": "pay_unit", "map": {"day": "Daily"}, "default": "Other"}, "Other"),
    ({"path": "missing", "default": "USD"}, "USD"),
    ({"value": "USD"}, "USD"),
    ({"template": "{pay_unit}ly"}, "hourly"),
    (40, 40),
    ({"path": "pay_unit", "multiply": 2}, None),
    ({"path": "pay_unit", "add_days": 1}, None),
]


@pytest.mark.parametrize(("spec", "expected"), SPECS)
def test_a_field_spec_evaluates_to(spec: Any, expected: Any) -> None:
    assert evaluate(spec, RECORD) == expected


BAD_SPECS = [
    (
        {"path": "a", "times": 2},
        "labels.x: unknown field spec key(s) ['times']; use ['add_days', 'default', 'map', 'multiply', 'path', "
        "'template', 'value'].",
    ),
    ({"multiply": 2}, 'labels.x: a field spec object needs "path", "template" or "value".'),
]


@pytest.mark.parametrize(("spec", "message"), BAD_SPECS)
def test_a_bad_field_spec_is_a_config_error(spec: Any, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        validate_spec(spec, "labels.x")
    assert caught.value.message == message
