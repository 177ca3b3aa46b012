"""Field specs and conditions used by the config (labels, triggers, stream mappings).

A field spec is one of:

* a template string: ``"{id}"`` keeps the value's type; ``"placement:{id}:week1"`` renders a string; dotted paths
  reach into objects (``"{custom_fields.customText1}"``); a missing value renders as nothing (the whole spec is
  ``None`` when a single placeholder is missing);
* an object: ``{"path": "pay_rate", "multiply": 40}``, ``{"path": "start_date", "add_days": 7}``,
  ``{"value": "USD"}`` (a constant), ``{"template": "..."}``, ``{"path": ..., "map": {"a": "b"}, "default": ..}``;
* any other JSON value: a constant.

Conditions (triggers, ``when``) are :mod:`staffwire.mapping` conditions: ``{"field": "status", "in": [...]}``,
``not_in``, ``equals``, ``exists``, ``matches``, ``gt``/``gte``/``lt``/``lte``, ``all``/``any``/``not``.

Why field specs of its own: destinations compute payloads (``pay_rate x 40``, ``start_date + 7 days``), which the
SDK's mapping engine (raw -> standard: paths, templates, transforms) does not express; the path and template
conventions are the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from staffwire.errors import ConfigError
from staffwire.mapping import compile_condition

__all__ = ["compile_when", "evaluate", "lookup", "validate_spec"]

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_OPS = {"path", "template", "value", "multiply", "add_days", "map", "default"}


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


def compile_when(condition: Mapping[str, Any] | None, where: str) -> Callable[[Mapping[str, Any]], bool]:
    """A predicate for a condition of :mod:`staffwire.mapping` (None: always true); ConfigError at ``where``."""
    if not condition:
        return lambda record: True
    return compile_condition(dict(condition), where)


def validate_spec(spec: Any, where: str) -> None:
    """Raise ConfigError for a field spec with unknown operations."""
    if isinstance(spec, Mapping):
        unknown = set(spec) - _OPS
        if unknown:
            raise ConfigError(f"{where}: unknown field spec key(s) {sorted(unknown)}; use {sorted(_OPS)}.")
        if not ({"path", "template", "value"} & set(spec)):
            raise ConfigError(f'{where}: a field spec object needs "path", "template" or "value".')
