"""Stream schemas: draft-07 friendly, and only ever widened (compared with the committed snapshots)."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from staffwire.standard import STANDARD_STREAM_NAMES, standard_stream_schema
from staffwire.standard.evolution import breaking_changes, load_snapshot


def _walk(node: Any) -> list[Any]:
    found = [node]
    if isinstance(node, dict):
        for value in node.values():
            found.extend(_walk(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_walk(value))
    return found


@pytest.mark.parametrize("stream", STANDARD_STREAM_NAMES)
def test_schema_is_valid_draft07_with_everything_inline(stream: str) -> None:
    schema = standard_stream_schema(stream)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)
    keys = {key for node in _walk(schema) if isinstance(node, dict) for key in node}
    assert not keys & {"$ref", "$defs", "definitions", "anyOf", "discriminator", "const"}


@pytest.mark.parametrize("stream", STANDARD_STREAM_NAMES)
def test_nullable_fields_use_a_type_list_and_enums_allow_null(stream: str) -> None:
    props = standard_stream_schema(stream)["properties"]
    assert props["remote_updated_at"]["type"] == ["string", "null"]
    assert props["id"]["type"] == "string"
    status = props.get("status") or props.get("stage")
    if status is not None and "enum" in status:
        assert status["type"] == ["string", "null"]
        assert status["enum"][-1] is None


def test_schema_is_a_fresh_copy_each_time() -> None:
    first = standard_stream_schema("jobs")
    first["properties"].clear()
    assert "title" in standard_stream_schema("jobs")["properties"]


def test_a_mapped_candidate_validates_against_its_schema() -> None:
    record = {
        "id": "bullhorn:1",
        "remote_id": "1",
        "source_system": "bullhorn",
        "custom_fields": {},
        "status": "placed",
        "address": {"city": "Austin", "country": "US"},
        "skills": ["Java"],
        "remote_updated_at": "2024-05-01T13:45:00.123Z",
        "extra_from_a_newer_source": 1,
    }
    jsonschema.Draft7Validator(standard_stream_schema("candidates")).validate(record)


@pytest.mark.parametrize("stream", STANDARD_STREAM_NAMES)
def test_schema_has_no_breaking_change_against_the_committed_snapshot(stream: str) -> None:
    snapshot = load_snapshot(stream)
    assert snapshot is not None, (
        f"no snapshot for {stream}: run python -m staffwire.standard.evolution --write"
    )
    assert breaking_changes(snapshot, standard_stream_schema(stream)) == []


BASE = {
    "type": "object",
    "properties": {
        "name": {"type": ["string", "null"]},
        "count": {"type": "integer"},
        "status": {"type": ["string", "null"], "enum": ["a", "b", None]},
        "tags": {"type": "array", "items": {"type": "string"}},
    },
}


def _changed(path: list[str], value: Any) -> dict[str, Any]:
    schema = json.loads(json.dumps(BASE))
    node = schema
    for key in path[:-1]:
        node = node[key]
    if value is None:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return schema


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (["properties", "name"], None, ["name: field removed"]),
        (
            ["properties", "name", "type"],
            "string",
            ["name: type narrowed from ['string', 'null'] to ['string']"],
        ),
        (["properties", "status", "enum"], ["a", None], ["status: enum values removed: ['b']"]),
        (
            ["properties", "name", "pattern"],
            "^x",
            ["name: constraint pattern added or changed (None -> '^x')"],
        ),
        (["required"], ["name"], ["(root): newly required: ['name']"]),
        (
            ["properties", "tags", "items", "type"],
            "integer",
            ["tags[]: type narrowed from ['string'] to ['integer']"],
        ),
        (["properties", "name", "enum"], ["x", None], ["name: now restricted to ['x', None]"]),
    ],
)
def test_breaking_changes_are_named(path: list[str], value: Any, expected: list[str]) -> None:
    assert breaking_changes(BASE, _changed(path, value)) == expected


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (["properties", "new_field"], {"type": ["string", "null"]}),  # added field
        (["properties", "count", "type"], ["integer", "null"]),  # nullable now
        (["properties", "count", "type"], "number"),  # integer -> number widens
        (["properties", "status", "enum"], ["a", "b", "c", None]),  # enum value added
    ],
)
def test_widening_changes_are_compatible(path: list[str], value: Any) -> None:
    assert breaking_changes(BASE, _changed(path, value)) == []
