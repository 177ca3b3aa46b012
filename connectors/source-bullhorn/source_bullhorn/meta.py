"""From Bullhorn field metadata (``meta/{Entity}?fields=*&meta=full``) to what a raw stream needs: the explicit
field list to request (never ``fields=*``), the record JSON Schema, the cursor and the soft-delete flag.

Types: ID -> integer; Integer -> integer; BigDecimal/Double -> number (money and percentages keep their
specialisation in the description); Boolean -> boolean; Timestamp -> integer epoch milliseconds (Bullhorn's wire
form, kept in the raw mirror; DATE fields hold midnight UTC); String -> string (or a list of strings for
multi-value pick lists); COMPOSITE -> object of its sub-fields; TO_ONE -> object with ``id`` (and a display name);
TO_MANY -> ``{total, data: [{id, ...}]}``. Every field but ``id`` is nullable: Bullhorn sends null for unset
values. Custom fields carry the tenant's label as their description.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from source_bullhorn.reference_data import DISPLAY_FIELDS

__all__ = ["DISPLAY_FIELDS", "EntityInfo", "entity_info", "is_custom"]

TO_MANY_ROWS = 10  # Bullhorn returns at most 10 associated rows per to-many field
_SKIP_TYPES = {"byte[]"}  # binary row versions (bhTimeStamp): not data


def is_custom(name: str) -> bool:
    return name.startswith(("custom", "correlatedCustom"))


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = ["null", kind]
    elif isinstance(kind, list) and "null" not in kind:
        schema["type"] = ["null", *kind]
    return schema


def _scalar_schema(meta: dict[str, Any]) -> dict[str, Any]:
    data_type = meta.get("dataType")
    special = meta.get("dataSpecialization")
    schema: dict[str, Any]
    if data_type == "Integer":
        schema = {"type": "integer"}
    elif data_type in ("BigDecimal", "Double", "Float"):
        schema = {"type": "number"}
    elif data_type == "Boolean":
        schema = {"type": "boolean"}
    elif data_type == "Timestamp":
        kind = "date (midnight UTC)" if special == "DATE" else "date-time"
        schema = {"type": "integer", "description": f"{kind} as epoch milliseconds"}
    elif data_type == "String":
        schema = (
            {"type": ["string", "array"], "items": {"type": "string"}}
            if meta.get("multiValue")
            else {"type": "string"}
        )
        if meta.get("maxLength"):
            schema["maxLength"] = meta["maxLength"] if not meta.get("multiValue") else None
            if schema["maxLength"] is None:
                del schema["maxLength"]
    else:
        schema = {}
    if special in ("MONEY", "PERCENTAGE") and data_type != "Timestamp":
        schema["description"] = special.lower()
    return schema


def _association_schema(meta: dict[str, Any]) -> dict[str, Any]:
    target = (meta.get("associatedEntity") or {}).get("entity", "")
    props: dict[str, Any] = {"id": {"type": ["null", "integer"]}}
    for name in DISPLAY_FIELDS.get(target, ()):
        props[name] = {"type": ["null", "string"]}
    return {"type": ["null", "object"], "properties": props, "additionalProperties": True}


@dataclass
class EntityInfo:
    """What a stream needs to know about one Bullhorn entity."""

    name: str
    label: str
    fields: list[str]  # the explicit request list, e.g. ["id", "owner(id,firstName,lastName)", ...]
    schema: dict[str, Any]
    cursor: str | None
    has_deleted_flag: bool
    custom_fields: dict[str, str] = field(default_factory=dict)  # API name -> tenant label
    field_types: dict[str, str] = field(default_factory=dict)  # name -> meta type (ID, SCALAR, TO_ONE...)

    @property
    def field_list(self) -> str:
        return ",".join(self.fields)


def field_expression(meta: dict[str, Any]) -> str | None:
    """The ``fields`` entry for one field meta, or None to leave it out."""
    name = meta["name"]
    kind = meta.get("type")
    if meta.get("dataType") in _SKIP_TYPES:
        return None
    if kind in ("ID", "SCALAR", "COMPOSITE"):
        return str(name)
    target = (meta.get("associatedEntity") or {}).get("entity", "")
    subs = ",".join(("id", *DISPLAY_FIELDS.get(target, ())))
    if kind == "TO_ONE":
        return f"{name}({subs})"
    if kind == "TO_MANY":
        return f"{name}[{TO_MANY_ROWS}]({subs})"
    return None


def entity_info(meta: dict[str, Any]) -> EntityInfo:
    name = str(meta.get("entity") or "")
    properties: dict[str, Any] = {}
    fields: list[str] = []
    customs: dict[str, str] = {}
    types: dict[str, str] = {}
    for f in meta.get("fields") or []:
        if not isinstance(f, dict) or not f.get("name"):
            continue
        expression = field_expression(f)
        if expression is None:
            continue
        fname = str(f["name"])
        kind = str(f.get("type") or "")
        types[fname] = kind
        if kind == "ID":
            prop: dict[str, Any] = {"type": "integer"}
        elif kind == "SCALAR":
            prop = _nullable(_scalar_schema(f)) if _scalar_schema(f) else {}
        elif kind == "COMPOSITE":
            subs = {
                s["name"]: _nullable(_scalar_schema(s)) or {} for s in f.get("fields") or [] if s.get("name")
            }
            prop = {"type": ["null", "object"], "properties": subs, "additionalProperties": True}
        elif kind == "TO_ONE":
            prop = _association_schema(f)
        else:  # TO_MANY
            prop = {
                "type": ["null", "object"],
                "additionalProperties": True,
                "properties": {
                    "total": {"type": ["null", "integer"]},
                    "data": {"type": ["null", "array"], "items": _association_schema(f)},
                },
            }
        label = f.get("label")
        if is_custom(fname):
            customs[fname] = str(label or fname)
            prop["description"] = str(label or fname)
        elif label and "description" not in prop:
            prop["title"] = str(label)
        properties[fname] = prop
        fields.append(expression)
    if "id" not in properties:
        properties["id"] = {"type": "integer"}
        fields.insert(0, "id")
    cursor = (
        "dateLastModified"
        if "dateLastModified" in properties
        else "dateAdded"
        if "dateAdded" in properties
        else None
    )
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "additionalProperties": True,
        "properties": properties,
        "required": ["id"],
    }
    return EntityInfo(
        name=name,
        label=str(meta.get("label") or name),
        fields=fields,
        schema=schema,
        cursor=cursor,
        has_deleted_flag="isDeleted" in properties,
        custom_fields=customs,
        field_types=types,
    )
