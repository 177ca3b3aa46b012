"""The sandbox's records have the shapes of Greenhouse's published example bodies (reference/harvest, with the
v3 changes of reference.V3_CHANGES), field by field in JSON type: same keys, and for every field whose example
holds a value, the same JSON type (object / array / string / number / boolean) wherever the sandbox holds one too,
and some record holding one (so the sandbox does not answer null where Greenhouse answers a value)."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from source_greenhouse.reference import V3_CHANGES, example, json_schema, v3_example
from source_greenhouse.sandbox import CLIENT_ID, CLIENT_SECRET, GreenhouseSandbox

RESOURCES = {
    "candidate": "candidates",
    "application": "applications",
    "job": "jobs",
    "job_opening": "openings",
    "offer": "offers",
    "scheduled_interview": "scheduled_interviews",
    "department": "departments",
    "office": "offices",
    "user": "users",
    "job_post": "job_posts",
    "attachment": "attachments",
}
FREE = {"custom_fields", "keyed_custom_fields"}  # each tenant defines their keys and value types


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return {str: "string", list: "array", dict: "object"}[type(value)]


def shape_problems(real: Any, ours: list[Any], where: str) -> list[str]:
    """Differences between the example value ``real`` and the sandbox's values of the same field."""
    problems: list[str] = []
    present = [v for v in ours if v is not None]
    if real is None:
        return problems
    if not present:
        return [f"{where}: the example holds a {json_type(real)}, the sandbox only null"]
    for value in present:
        if json_type(value) != json_type(real):
            problems.append(
                f"{where}: the example holds a {json_type(real)}, the sandbox a {json_type(value)} ({value!r})"
            )
            return problems
    if isinstance(real, dict) and where.rsplit(".", 1)[-1] not in FREE:
        for key in real:
            if any(key not in v for v in present):
                problems.append(f"{where}.{key}: missing in the sandbox")
        for v in present:
            extra = set(v) - set(real)
            if extra:
                problems.append(f"{where}: keys the example does not have: {sorted(extra)}")
                break
        for key, sub in real.items():
            problems += shape_problems(sub, [v.get(key) for v in present], f"{where}.{key}")
    if isinstance(real, list) and real:
        items = [item for v in present for item in v]
        if items:
            problems += shape_problems(real[0], items, f"{where}[]")
    return problems


@pytest.fixture(scope="module")
def answers() -> dict[str, list[dict[str, Any]]]:
    """Every record of every resource, as the sandbox answers them over HTTP."""
    with GreenhouseSandbox(candidates=36, rate_limit=None) as sandbox:
        token = requests.post(
            sandbox.token_url, auth=(CLIENT_ID, CLIENT_SECRET), data={"grant_type": "client_credentials"}
        ).json()["access_token"]
        out = {}
        for resource in RESOURCES.values():
            answer = requests.get(
                f"{sandbox.api_url}/{resource}",
                params={"per_page": 500},
                headers={"Authorization": f"Bearer {token}"},
            )
            out[resource] = answer.json()
        return out


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_sandbox_records_have_the_shape_of_the_published_example(
    name: str, answers: dict[str, list[Any]]
) -> None:
    real = v3_example(name)
    rows = answers[RESOURCES[name]]
    assert rows, f"the sandbox has no {RESOURCES[name]}"
    assert [sorted(set(r) ^ set(real)) for r in rows if set(r) != set(real)] == []
    problems = []
    for key, value in real.items():
        problems += shape_problems(value, [r.get(key) for r in rows], f"{name}.{key}")
    assert problems == []


def test_every_v3_change_is_applied_and_has_its_reason() -> None:
    for name, change in V3_CHANGES.items():
        body = v3_example(name)
        assert not set(change.removed) & set(body), name
        assert all(new in body and old not in body for old, (new, _why) in change.renamed.items()), name
        assert all(why for why in change.removed.values()) and all(w for _n, w in change.renamed.values())
        assert {"created_at", "updated_at"} <= set(body), (
            f"{name}: every v3 resource has created_at and updated_at"
        )


def test_the_vendored_bodies_are_greenhouses_published_examples() -> None:
    # spot checks against the published pages (source/includes/harvest/_candidates.md, _offers.md)
    candidate = example("candidate")
    assert (candidate["id"], candidate["first_name"], candidate["last_name"]) == (53883394, "John", "Locke")
    assert candidate["email_addresses"] == [
        {"value": "test@work.com", "type": "work"},
        {"value": "test@example.com", "type": "personal"},
    ]
    assert example("offer")["starts_at"] == "2018-07-20"
    assert example("validation_error") == {
        "message": "Validation error",
        "errors": [{"message": "Must be one of: candidate, prospect", "field": "type"}],
    }


def test_the_raw_stream_schemas_come_from_the_examples() -> None:
    schema = json_schema("application")
    assert schema["properties"]["job_id"] == {"type": ["null", "integer"]}
    assert schema["properties"]["current_stage"]["properties"]["name"] == {"type": ["null", "string"]}
    assert schema["properties"]["custom_fields"] == {"type": ["null", "object"], "additionalProperties": True}
    assert "jobs" not in schema["properties"]
