"""Field specs and conditions used by the config (labels, triggers, stream mappings).

A field spec is one of:

* a template string: ``"{id}"`` keeps the value's type; ``"placement:{id}:week1"`` renders a string; dotted paths
  reach into objects (``"{custom_fields.customText1}"``); a missing value renders as nothing (the whole spec is
  ``None`` when a single placeholder is missing);
* an object: ``{"path": "pay_rate", "multiply": 40}``, ``{"path": "start_date", "add_days": 7}``,
  ``{"value": "USD"}`` (a constant), ``{"template": "..."}``, ``{"path": ..., "map": {"a": "b"}, "default": ..}``;
* any other JSON value: a constant.

A condition is ``{"field": "status", "in": [...]}``, ``{"field": ..., "equals": ...}``, ``{"field": ...,
"exists": true}``, ``{"all": [...]}`` or ``{"any": [...]}``.

Why not ``staffwire.mapping``: the SDK's mapping engine had not landed when this connector was written; this module
is the small subset the destination needs, with the same field-path conventions, and can delegate to the engine
once it exists.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from staffwire.errors import ConfigError

__all__ = ["evaluate", "lookup", "matches", "validate_condition", "validate_spec"]

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_OPS = {"path", "template", "value", "multiply", "add_days", "map", "default", "format"}


def lookup(record: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted ``path`` (``"address.city"``), or None."""
    value: Any = record
    for part in path.split("."):
        if isinstance(value, Mapping):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def _render(template: str, record: Mapping[str, Any]) -> Any:
    whole = _PLACEHOLDER.fullmatch(template)
    if whole:
        return lookup(record, whole.group(1).strip())

    def one(match: re.Match[str]) -> str:
        value = lookup(record, match.group(1).strip())
        return "" if value is None else _text(value)

    return _PLACEHOLDER.sub(one, template)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def evaluate(spec: Any, record: Mapping[str, Any]) -> Any:
    """The value of a field spec for ``record``."""
    if isinstance(spec, str):
        return _render(spec, record)
    if not isinstance(spec, Mapping):
        return spec
    if "value" in spec:
        value = spec["value"]
    elif "template" in spec:
        value = _render(str(spec["template"]), record)
    else:
        value = lookup(record, str(spec.get("path", "")))
    if value is not None and "map" in spec:
        value = spec["map"].get(_text(value), spec.get("default"))
    if value is not None and "multiply" in spec:
        try:
            value = float((Decimal(str(value)) * Decimal(str(spec["multiply"]))).quantize(Decimal("0.01")))
        except (InvalidOperation, ValueError):
            value = None
    if value is not None and "add_days" in spec:
        try:
            value = (date.fromisoformat(str(value)[:10]) + timedelta(days=int(spec["add_days"]))).isoformat()
        except ValueError:
            value = None
    if value is None and "default" in spec and "map" not in spec:
        value = spec["default"]
    return value


def matches(condition: Mapping[str, Any] | None, record: Mapping[str, Any]) -> bool:
    """Whether ``record`` satisfies ``condition`` (None: always)."""
    if not condition:
        return True
    if "all" in condition:
        return all(matches(c, record) for c in condition["all"])
    if "any" in condition:
        return any(matches(c, record) for c in condition["any"])
    value = lookup(record, str(condition.get("field", "")))
    if "in" in condition:
        return value in condition["in"]
    if "not_in" in condition:
        return value not in condition["not_in"]
    if "equals" in condition:
        return bool(value == condition["equals"])
    if "exists" in condition:
        return (value is not None) == bool(condition["exists"])
    return False


def validate_spec(spec: Any, where: str) -> None:
    """Raise ConfigError for a field spec with unknown operations."""
    if isinstance(spec, Mapping):
        unknown = set(spec) - _OPS
        if unknown:
            raise ConfigError(f"{where}: unknown field spec key(s) {sorted(unknown)}; use {sorted(_OPS)}.")
        if not ({"path", "template", "value"} & set(spec)):
            raise ConfigError(f'{where}: a field spec object needs "path", "template" or "value".')


def validate_condition(condition: Any, where: str) -> None:
    """Raise ConfigError for a malformed condition."""
    if not condition:
        return
    if not isinstance(condition, Mapping):
        raise ConfigError(f"{where}: a condition must be an object, got {condition!r}.")
    for key in ("all", "any"):
        if key in condition:
            for i, sub in enumerate(condition[key]):
                validate_condition(sub, f"{where}.{key}[{i}]")
            return
    if "field" not in condition or not ({"in", "not_in", "equals", "exists"} & set(condition)):
        raise ConfigError(
            f'{where}: a condition needs "field" and one of "in", "not_in", "equals", "exists" '
            f'(e.g. {{"field": "status", "in": ["placed"]}}); got {dict(condition)!r}.'
        )
