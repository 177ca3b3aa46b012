"""The Bullhorn objects destination-bullhorn writes, declared once: sync modes, matching keys, and a JSON schema of
the writable fields built from the tenant's ``meta`` (custom fields included, picklists as ``enum``).

| object | sync modes | matching keys |
|---|---|---|
| Candidate | update | id (a number or ``bullhorn:<id>``), email |
| JobSubmission | update | id |
| Placement | update | id |
| JobOrder | update, append_dedup | id, externalID, or a custom text field (customText1..N) |
| Note | append_dedup | externalID (the key that makes a note exactly once) |
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from staffwire.activation import DestinationObject

__all__ = ["OBJECTS", "build_objects", "is_writable", "object_schema"]

#: object -> (sync modes, fixed matching keys); JobOrder also matches on its custom text fields
_DECLARED: dict[str, tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]] = {
    "Candidate": (("update",), (("id",), ("email",))),
    "JobSubmission": (("update",), (("id",),)),
    "Placement": (("update",), (("id",),)),
    "JobOrder": (("update", "append_dedup"), (("id",), ("externalID",))),
    "Note": (("append_dedup",), (("externalID",),)),
}

_JSON_TYPES = {
    "Integer": "integer",
    "BigDecimal": "number",
    "Double": "number",
    "Timestamp": "integer",
    "Boolean": "boolean",
    "String": "string",
}


def is_writable(field: Mapping[str, Any]) -> bool:
    """A field a write may send: not the id, not read-only, not a to-many (changed by association calls)."""
    return field["type"] not in ("ID", "TO_MANY") and not field.get("readOnly")


def _property(field: Mapping[str, Any]) -> dict[str, Any]:
    if field["type"] == "TO_ONE":
        return {"type": ["object", "null"], "properties": {"id": {"type": "integer"}}}
    if field["type"] == "COMPOSITE":
        return {"type": ["object", "null"]}
    prop: dict[str, Any] = {"type": [_JSON_TYPES.get(str(field.get("dataType")), "string"), "null"]}
    if field.get("label"):
        prop["title"] = str(field["label"])
    if isinstance(field.get("maxLength"), int) and prop["type"][0] == "string":
        prop["maxLength"] = field["maxLength"]
    options = [o["value"] for o in field.get("options") or [] if isinstance(o, dict) and "value" in o]
    if options and not field.get("multiValue"):
        prop["enum"] = [*dict.fromkeys(options), None]
    return prop


def object_schema(meta: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON schema of an entity's writable fields (plus ``id``, a matching key)."""
    properties: dict[str, Any] = {
        "id": {"type": ["integer", "string"], "description": "Bullhorn id or bullhorn:<id>"}
    }
    for field in meta["fields"]:
        if is_writable(field) or field["name"] == "externalID":
            properties[field["name"]] = _property(field)
    return {"type": "object", "additionalProperties": True, "properties": properties}


def _custom_keys(meta: Mapping[str, Any]) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (f["name"],)
        for f in meta["fields"]
        if f["name"].startswith("customText") and f["name"][10:].isdigit() and is_writable(f)
    )


def build_objects(metas: Mapping[str, Mapping[str, Any]]) -> tuple[DestinationObject, ...]:
    """The objects with schemas (and JobOrder's custom-field keys) from the tenant's metas."""
    built = []
    for name, (modes, keys) in _DECLARED.items():
        meta = metas[name]
        if name == "JobOrder":
            keys = keys + _custom_keys(meta)
        built.append(DestinationObject(name, object_schema(meta), modes, keys))
    return tuple(built)


def _declared() -> tuple[DestinationObject, ...]:
    key_schema = {"type": "object", "properties": {"id": {"type": ["integer", "string"]}}}
    objects = []
    for name, (modes, keys) in _DECLARED.items():
        props = {k[0]: {"type": ["string", "integer", "null"]} for k in keys}
        objects.append(DestinationObject(name, {**key_schema, "properties": props}, modes, keys))
    return tuple(objects)


#: The objects without a tenant's meta (names, modes, fixed keys): what ``spec`` needs; ``discover`` and
#: ``write`` use :func:`build_objects` with the tenant's live meta.
OBJECTS = _declared()
