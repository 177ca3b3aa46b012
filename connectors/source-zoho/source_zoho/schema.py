"""JSON Schemas of raw module streams, built from Zoho field metadata (``settings/fields``).

``json_type`` decides the type when present; fields without it (some custom fields) are typed from
``data_type``; a data type we do not know is left open rather than guessed. Closed picklists become enums,
lookups ``{name, id}`` objects, dates and times carry their formats.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["DELETION_FIELDS", "field_schema", "module_schema"]

_JSON_TYPES = {
    "string": "string",
    "integer": "integer",
    "double": "number",
    "boolean": "boolean",
    "jsonobject": "object",
    "jsonarray": "array",
}
_DATA_TYPES = {
    "text": "string",
    "textarea": "string",
    "email": "string",
    "phone": "string",
    "website": "string",
    "autonumber": "string",
    "picklist": "string",
    "profileimage": "string",
    "fileupload": "string",
    "formula": "string",
    "rich_text": "string",
    "consent_lookup": "object",
    "integer": "integer",
    "bigint": "integer",
    "long": "integer",
    "double": "number",
    "currency": "number",
    "decimal": "number",
    "percent": "number",
    "boolean": "boolean",
    "lookup": "object",
    "ownerlookup": "object",
    "userlookup": "object",
    "multiselectpicklist": "array",
    "multiselectlookup": "array",
    "multiuserlookup": "array",
    "subform": "array",
    "date": "string",
    "datetime": "string",
}
_LOOKUP = {
    "type": ["null", "object"],
    "properties": {"name": {"type": ["null", "string"]}, "id": {"type": ["null", "string"]}},
    "additionalProperties": True,
}
DELETION_FIELDS: dict[str, Any] = {
    "_deleted": {"type": ["null", "boolean"], "description": "True on a record that marks a deletion."},
    "_deleted_at": {
        "type": ["null", "string"],
        "format": "date-time",
        "airbyte_type": "timestamp_with_timezone",
    },
    "_deletion_type": {"type": ["null", "string"], "enum": [None, "recycle", "permanent"]},
    "_deleted_by": _LOOKUP,
}


def field_schema(meta: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON Schema of one field's values."""
    data_type = str(meta.get("data_type") or "").lower()
    json_type = _JSON_TYPES.get(str(meta.get("json_type") or "").lower()) or _DATA_TYPES.get(data_type)
    if data_type in ("lookup", "ownerlookup", "userlookup") and json_type in (None, "object"):
        return dict(_LOOKUP)
    if json_type is None:
        return {}
    schema: dict[str, Any] = {"type": ["null", json_type]}
    if data_type == "date":
        schema["format"] = "date"
    elif data_type == "datetime":
        schema.update({"format": "date-time", "airbyte_type": "timestamp_with_timezone"})
    elif data_type == "picklist" and json_type == "string":
        values = [v.get("actual_value") for v in meta.get("pick_list_values") or [] if isinstance(v, Mapping)]
        values = [v for v in values if isinstance(v, str)]
        if values:
            schema["enum"] = [None, *dict.fromkeys(values)]
    elif json_type == "array":
        item: dict[str, Any] = {"type": ["null", "string"]} if data_type == "multiselectpicklist" else {}
        schema["items"] = item
    return schema


def module_schema(fields: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The record schema of a module: ``id`` plus every field (custom ones included), plus deletion markers."""
    properties: dict[str, Any] = {"id": {"type": "string"}}
    for meta in fields:
        name = meta.get("api_name")
        if isinstance(name, str) and name and name != "id":
            properties[name] = field_schema(meta)
    properties.setdefault(
        "Modified_Time",
        {"type": ["null", "string"], "format": "date-time", "airbyte_type": "timestamp_with_timezone"},
    )
    properties.update(DELETION_FIELDS)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "additionalProperties": True,
        "required": ["id"],
        "properties": properties,
    }
