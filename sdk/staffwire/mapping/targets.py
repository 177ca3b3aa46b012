"""What a standard stream accepts, read from its published JSON Schema: the target fields a mapping may write,
an empty record template, and a *finaliser* per field that makes the mapped value fit the schema's type (or
rejects the record with a hint about which transform is missing).

Finalisers are the last step of every field of a standard mapping, so a standard record that leaves the engine
always validates against ``standard_stream_schema(stream)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from staffwire.mapping.problems import Reject
from staffwire.mapping.valuemaps import first_value
from staffwire.standard import standard_stream_schema

__all__ = ["StandardTarget", "TargetField", "standard_target"]

Finaliser = Callable[[Any], Any]

_FORMAT_HINTS = {
    "date": "a date YYYY-MM-DD (add the 'date' transform)",
    "date-time": "an ISO 8601 UTC time (add the 'datetime' transform)",
}


@dataclass(frozen=True)
class TargetField:
    path: str
    schema: dict[str, Any]
    finalise: Finaliser | None  # None: no check needed (any JSON)
    is_object: bool  # a nested object with known properties (address, owner, location)
    check: str = "call"  # how the generated code pre-checks the type: text enum pattern integer number ...
    fmt: str | None = None  # for pattern strings: date, date-time, country, currency, ref

    def final_for(self, produces: str | None) -> tuple[str, Any, Finaliser] | None:
        """The (check, extra, finaliser) the generated code uses, given what the last transform produces."""
        if self.finalise is None:
            return None
        if self.check == "pattern":
            check = "text" if produces is not None and produces == self.fmt else "call"
            return (check, None, self.finalise)
        extra = (
            frozenset(v for v in self.schema.get("enum", []) if v is not None)
            if self.check == "enum"
            else None
        )
        return (self.check, extra, self.finalise)


_PATTERN_FORMATS = {
    r"^[A-Z]{2}$": "country",
    r"^[A-Z]{3}$": "currency",
    r"^[a-z0-9_]+:.+$": "ref",
}


def _check_kind(schema: dict[str, Any]) -> tuple[str, str | None]:
    types = [t for t in _types(schema) if t != "null"]
    kind = types[0] if len(types) == 1 else None
    if kind == "string":
        if "enum" in schema:
            return "enum", None
        if "pattern" in schema:
            fmt = schema.get("format") or _PATTERN_FORMATS.get(schema["pattern"])
            return "pattern", fmt
        return "text", None
    if kind in ("integer", "number", "boolean", "object"):
        return kind, None
    return "call", None


@dataclass(frozen=True)
class StandardTarget:
    stream: str
    fields: dict[str, TargetField]  # "first_name", "address", "address.city", ...
    template: dict[str, Any]  # every top-level field with its empty value
    fresh: tuple[str, ...]  # top-level fields whose empty value is a new list or dict per record
    nested_templates: dict[str, dict[str, Any]]  # "address" -> {"line1": None, ...}
    open_objects: frozenset[str]  # dict fields whose keys are free (custom_fields, remote_data)

    def allows(self, target: str) -> bool:
        if target in self.fields:
            return True
        head = target.split(".", 1)[0]
        return head in self.open_objects and "." in target


def standard_target(stream: str) -> StandardTarget:
    return object_target(stream, standard_stream_schema(stream))


def item_target(parent: StandardTarget, field: str) -> StandardTarget | None:
    """The target for the elements of a list-of-objects field (``payables.line_items``), or None."""
    items = parent.fields[field].schema.get("items", {}) if field in parent.fields else {}
    if "properties" not in items:
        return None
    return object_target(f"{parent.stream}.{field}[]", items)


def object_target(stream: str, schema: dict[str, Any]) -> StandardTarget:
    fields: dict[str, TargetField] = {}
    template: dict[str, Any] = {}
    fresh: list[str] = []
    nested: dict[str, dict[str, Any]] = {}
    open_objects: set[str] = set()
    for name, sub in schema["properties"].items():
        _collect(name, sub, fields, nested)
        types = _types(sub)
        if "null" in types:
            template[name] = None
        elif "array" in types:
            template[name] = []
            fresh.append(name)
        elif "object" in types:
            template[name] = {}
            fresh.append(name)
        else:
            template[name] = None
        if "object" in types and "properties" not in sub:
            open_objects.add(name)
    return StandardTarget(stream, fields, template, tuple(fresh), nested, frozenset(open_objects))


def _collect(
    path: str, schema: dict[str, Any], fields: dict[str, TargetField], nested: dict[str, dict[str, Any]]
) -> None:
    props = schema.get("properties")
    check, fmt = _check_kind(schema)
    fields[path] = TargetField(path, schema, _finaliser(path, schema), props is not None, check, fmt)
    if props:
        nested[path] = {name: None for name in props}
        for name, sub in props.items():
            _collect(f"{path}.{name}", sub, fields, nested)


def _types(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type", [])
    return [kind] if isinstance(kind, str) else list(kind)


def _finaliser(path: str, schema: dict[str, Any]) -> Finaliser | None:
    types = [t for t in _types(schema) if t != "null"]
    kind = types[0] if len(types) == 1 else None
    if kind == "string":
        return _string(path, schema)
    if kind == "integer":
        return _integer(path)
    if kind == "number":
        return _number(path)
    if kind == "boolean":
        return _boolean(path)
    if kind == "array":
        item = _finaliser(f"{path}[]", schema.get("items", {}))
        return _array(path, item)
    if kind == "object":
        return _object(path)
    return None


def _string(path: str, schema: dict[str, Any]) -> Finaliser:
    allowed = schema.get("enum")
    if allowed is not None:
        values = frozenset(v for v in allowed if v is not None)
        shown = ", ".join(sorted(values))

        def enum(value: Any) -> Any:
            if type(value) is str and value in values:
                return value
            if value == "" or value == [] or value is None:
                return None
            if type(value) is list:
                return enum(first_value(value))
            raise Reject(f"{value!r} is not one of {shown} (map it with a value_map)", "type")

        return enum
    pattern_text = schema.get("pattern")
    if pattern_text is not None:
        pattern = re.compile(pattern_text)
        hint = _FORMAT_HINTS.get(schema.get("format", ""), f"text matching {pattern_text}")

        def patterned(value: Any) -> Any:
            if type(value) is str and pattern.match(value):
                return value
            if value == "" or value == [] or value is None:
                return None
            if type(value) is list:
                return patterned(first_value(value))
            raise Reject(f"{value!r} is not {hint}", "type")

        return patterned

    def text(value: Any) -> Any:
        if type(value) is str:
            return value
        if value == [] or value is None:
            return None
        if type(value) is list:  # a multi-value field into a single-valued one: its first value
            return text(first_value(value))
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            raise Reject(f"expected text, got {type(value).__name__} {value!r}", "type")
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    return text


def _integer(path: str) -> Finaliser:
    def integer(value: Any) -> Any:
        if type(value) is int:
            return value
        if type(value) is float and value.is_integer():
            return int(value)
        if value == "" or value == [] or value is None:
            return None
        if type(value) is list:
            return integer(first_value(value))
        raise Reject(f"{value!r} is not a whole number (add the 'integer' transform)", "type")

    return integer


def _number(path: str) -> Finaliser:
    def number(value: Any) -> Any:
        if (type(value) is int or type(value) is float) and value == value and abs(value) != float("inf"):
            return value
        if value == "" or value == [] or value is None:
            return None
        if type(value) is list:
            return number(first_value(value))
        raise Reject(f"{value!r} is not a number (add the 'number' or 'money' transform)", "type")

    return number


def _boolean(path: str) -> Finaliser:
    def boolean(value: Any) -> Any:
        if type(value) is bool:
            return value
        raise Reject(f"{value!r} is not true/false (add the 'boolean' transform)", "type")

    return boolean


def _array(path: str, item: Finaliser | None) -> Finaliser:
    def array(value: Any) -> Any:
        items = value if type(value) is list else [value]
        if item is None:
            return items
        out = []
        for element in items:
            if element is not None:
                element = item(element)
                if element is not None:
                    out.append(element)
        return out

    return array


def _object(path: str) -> Finaliser:
    def obj(value: Any) -> Any:
        if type(value) is dict:
            return value
        raise Reject(f"expected an object, got {type(value).__name__} {value!r}", "type")

    return obj
