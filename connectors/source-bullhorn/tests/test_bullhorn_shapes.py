"""The sandbox is faithful to Bullhorn's real response bodies (``reference/responses``, from bullhorn/sdk-rest):
for every vendored entity body, the sandbox is asked for the same entity and the same fields, and every field has
the same JSON shape: array vs string vs object vs number vs boolean, null vs empty string, epoch-ms timestamps as
numbers, and nested objects (addresses, associations) field by field."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest
from source_bullhorn.reference_data import SEARCHABLE
from source_bullhorn.sandbox import BullhornSandbox

from .test_bullhorn_sandbox import Client

RESPONSES = resources.files("source_bullhorn") / "reference" / "responses"
NOT_ENTITY_LISTS = {"edithistory", "event", "lastrequestid", "propertyoptions", "settings"}
# Entities whose real body is vendored but which the sandbox tenant has no rows of (it seeds the staffing core).
UNSEEDED = {
    "CandidateCertification",
    "CandidateEducation",
    "CandidateWorkHistory",
    "Department",
    "JobSubmissionHistory",
    "Lead",
    "Opportunity",
    "PlacementChangeRequest",
    "PlacementCommission",
    "Task",
}


def kind(value: Any) -> str:
    if value is None:
        return "null"
    if value == "":
        return "empty string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}[type(value)]


def shapes(rows: list[dict[str, Any]], prefix: str = "") -> dict[str, set[str]]:
    """Field path -> the JSON kinds its values take over ``rows`` (nested objects field by field). Paths the real
    body shows only as null carry no evidence of a shape and are not compared."""
    out: dict[str, set[str]] = {}
    for row in rows:
        for key, value in row.items():
            path = f"{prefix}{key}"
            out.setdefault(path, set()).add(kind(value))
            if isinstance(value, dict):
                inner = value.get("data") if set(value) == {"total", "data"} else None
                nested = inner if isinstance(inner, list) else [value]
                for sub, kinds in shapes([v for v in nested if isinstance(v, dict)], path + ".").items():
                    out.setdefault(sub, set()).update(kinds)
    return out


def field_list(rows: list[dict[str, Any]]) -> str:
    """The ``fields`` parameter that asks for what the real rows hold, associations with their sub-fields."""
    parts: dict[str, set[str]] = {}
    for row in rows:
        for key, value in row.items():
            subs = parts.setdefault(key, set())
            if isinstance(value, dict):
                elements = value.get("data") if set(value) == {"total", "data"} else [value]
                for element in elements or []:
                    if isinstance(element, dict):
                        subs.update(k for k, v in element.items() if not isinstance(v, (dict, list)))
    return ",".join(f"{k}({','.join(sorted(s))})" if s else k for k, s in parts.items())


def real_bodies() -> list[tuple[str, list[dict[str, Any]]]]:
    bodies = []
    for path in sorted(RESPONSES.iterdir(), key=lambda p: p.name):
        stem = path.name.removesuffix(".json")
        if not path.name.endswith(".json") or stem in NOT_ENTITY_LISTS:
            continue
        data = json.loads(path.read_text(encoding="utf-8"))["data"]
        bodies.append((stem, data if isinstance(data, list) else [data]))
    return bodies


@pytest.fixture(scope="module")
def big_sandbox() -> Any:
    with BullhornSandbox(seed=11, candidates=300) as sb:
        yield sb


def entity_name(sandbox: BullhornSandbox, stem: str) -> str:
    return next(name for name in sandbox.entities if name.lower() == stem)


@pytest.mark.parametrize(("stem", "real"), real_bodies(), ids=[stem for stem, _ in real_bodies()])
def test_the_sandbox_answers_every_vendored_entity_in_the_real_bodys_json_shapes(
    big_sandbox: BullhornSandbox, stem: str, real: list[dict[str, Any]]
) -> None:
    entity = entity_name(big_sandbox, stem)
    if entity in UNSEEDED:
        assert not big_sandbox.rows[entity]  # nothing to compare; the list above must stay honest
        return
    client = Client(big_sandbox)
    known = {name for name in big_sandbox.entities[entity].fields}
    real = [{k: v for k, v in row.items() if k in known} for row in real]
    fields = field_list(real)
    if entity in SEARCHABLE:
        body = client.get(f"search/{entity}", query="id:[1 TO *]", fields=fields, count=500).json()
    else:
        body = client.get(f"query/{entity}", where="id > 0", fields=fields, count=500).json()
    answered = body["data"]
    assert answered, f"the sandbox has no {entity} rows"
    real_shapes, sandbox_shapes = shapes(real), shapes(answered)
    compared = {path for path, kinds in real_shapes.items() if kinds - {"null"}}
    assert compared, f"the real {entity} body shows no values"
    wrong = {
        path: (sorted(sandbox_shapes[path]), sorted(real_shapes[path]))
        for path in compared & set(sandbox_shapes)
        if sandbox_shapes[path] - {"null"} - allowed(real_shapes[path])
    }
    assert wrong == {}, f"{entity}: field -> (sandbox kinds, real kinds)"
    assert set(sandbox_shapes) >= {p for p in compared if "." not in p}  # every real field was answered


def allowed(real: set[str]) -> set[str]:
    """What the sandbox may answer where the real body shows ``real``: the same kinds; text where the real
    body only had empty text. Never empty text where the real body never had it (null vs empty string)."""
    return real | {"string"} if "empty string" in real else real
