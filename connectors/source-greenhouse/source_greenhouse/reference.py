"""Greenhouse's published Harvest example bodies (``reference/harvest``) and the v3 shapes derived from them.

``V3_CHANGES`` is the whole difference between a v1 example and the Harvest v3 object, each change with the v3
rule behind it (see ``reference/SOURCE.md``). :func:`v3_example` applies it; :func:`json_schema` turns a v3 example
into the raw stream's JSON Schema (every field nullable: real tenants leave anything empty).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["V3_CHANGES", "V3Change", "example", "json_schema", "v3_example"]

_DIR = Path(__file__).parent / "reference" / "harvest"
_OWN_RESOURCE = "a resource of its own in v3 (READ migration guide)"
_CHILD_IDS = "child ids are not listed in parents (Standardizations)"
_BASE = "every resource has created_at and updated_at (Standardizations)"
_AT = "date-times end in _at (Standardizations)"
_ON = "date-only fields end in _on (Standardizations)"
_PARENT = "children carry their parent's id (Standardizations)"


@dataclass(frozen=True)
class V3Change:
    """Fields removed, renamed (old -> new) and added (name -> an example value) from the v1 example."""

    removed: dict[str, str] = field(default_factory=dict)  # field -> why
    renamed: dict[str, tuple[str, str]] = field(default_factory=dict)  # old -> (new, why)
    added: dict[str, tuple[Any, str]] = field(default_factory=dict)  # new -> (example value, why)


_STAMP = "2024-01-15T09:30:00.000Z"

V3_CHANGES: dict[str, V3Change] = {
    "candidate": V3Change(
        removed={
            "applications": _OWN_RESOURCE + ": /v3/applications?candidate_ids=",
            "application_ids": _CHILD_IDS,
            "attachments": _OWN_RESOURCE + ": /v3/attachments",
            "educations": _OWN_RESOURCE + ": /v3/educations",
            "employments": _OWN_RESOURCE + ": /v3/employments",
        },
        renamed={"last_activity": ("last_activity_at", _AT)},
    ),
    "application": V3Change(
        removed={
            "jobs": "a candidate application has exactly one job: its id is job_id (Standardizations)",
            "attachments": _OWN_RESOURCE + ": /v3/attachments",
            "rejection_details": _OWN_RESOURCE + ": /v3/rejection_details (WRITE migration guide)",
        },
        added={"job_id": (123, _PARENT), "created_at": (_STAMP, _BASE), "updated_at": (_STAMP, _BASE)},
    ),
    "job": V3Change(removed={"openings": _OWN_RESOURCE + ": /v3/openings?job_ids="}),
    "job_opening": V3Change(
        added={"job_id": (6404, _PARENT), "created_at": (_STAMP, _BASE), "updated_at": (_STAMP, _BASE)}
    ),
    "offer": V3Change(renamed={"sent_at": ("sent_on", _ON), "starts_at": ("start_on", _ON)}),
    "scheduled_interview": V3Change(
        removed={"start": "replaced by start_at (Standardizations)", "end": "replaced by end_at"},
        added={"start_at": ("2014-03-26T22:15:00.000Z", _AT), "end_at": ("2014-03-26T22:30:00.000Z", _AT)},
    ),
    "department": V3Change(
        removed={"child_ids": _CHILD_IDS, "child_department_external_ids": _CHILD_IDS},
        added={"created_at": (_STAMP, _BASE), "updated_at": (_STAMP, _BASE)},
    ),
    "office": V3Change(
        removed={"child_ids": _CHILD_IDS, "child_office_external_ids": _CHILD_IDS},
        added={"created_at": (_STAMP, _BASE), "updated_at": (_STAMP, _BASE)},
    ),
    "user": V3Change(removed={"linked_candidate_ids": _CHILD_IDS}),
    "job_post": V3Change(),
    "attachment": V3Change(
        added={
            "id": (1, _BASE),
            "application_id": (985314, _PARENT),
            "candidate_id": (978031, _PARENT),
            "created_at": (_STAMP, _BASE),
            "updated_at": (_STAMP, _BASE),
        }
    ),
}


@cache
def _load(name: str) -> Any:
    return json.loads((_DIR / f"{name}.json").read_text())


def example(name: str) -> Any:
    """A vendored body as published (a fresh copy)."""
    return copy.deepcopy(_load(name))


def v3_example(name: str) -> dict[str, Any]:
    """The v3 shape of object ``name``: its published example with :data:`V3_CHANGES` applied."""
    source = {"attachment": "add_attachment_response"}.get(name, name)
    body = example(source)
    if isinstance(body, list):  # a list answer published as the example: its first element is the object
        body = body[0]
    change = V3_CHANGES[name]
    for key in change.removed:
        body.pop(key, None)
    for old, (new, _why) in change.renamed.items():
        body[new] = body.pop(old)
    for key, (value, _why) in change.added.items():
        body[key] = value
    return body


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of a raw stream: the v3 example's fields and types, all nullable, more fields allowed."""
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "additionalProperties": True,
        "properties": {
            k: _FREE if k in _TENANT_DEFINED else _schema_of(v) for k, v in v3_example(name).items()
        },
    }


#: objects whose keys and value types each tenant defines (multi-selects are arrays, currency ranges objects)
_TENANT_DEFINED = frozenset({"custom_fields", "keyed_custom_fields"})
_FREE: dict[str, Any] = {"type": ["null", "object"], "additionalProperties": True}


def _schema_of(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"type": ["null", "boolean"]}
    if isinstance(value, int):
        return {"type": ["null", "integer"]}
    if isinstance(value, float):
        return {"type": ["null", "number"]}
    if isinstance(value, str):
        return {"type": ["null", "string"]}
    if isinstance(value, list):
        items = [_schema_of(v) for v in value if v is not None]
        return {
            "type": ["null", "array"],
            "items": items[0] if items and all(i == items[0] for i in items) else {},
        }
    if isinstance(value, dict):
        return {
            "type": ["null", "object"],
            "additionalProperties": True,
            "properties": {k: _schema_of(v) for k, v in value.items()},
        }
    return {}  # null in the example: any type
