"""Conditions: when a mapping applies (a trigger), when a field or a rule applies.

Spec (one operator per condition; combine with ``all`` / ``any`` / ``not``)::

    {field: status, in: [placed, active]}          # also: not_in, equals, not_equals
    {field: email, exists: true}                   # present and not null/empty
    {field: title, matches: "(?i)nurse"}           # regular expression search
    {field: pay_rate, gte: 15}                     # gt, gte, lt, lte (numbers, or ISO dates as text)
    {all: [{...}, {...}]}   {any: [...]}   {not: {...}}

``in`` / ``equals`` compare case-, space-, hyphen- and underscore-insensitively by default (like value maps);
set ``exact: true`` to compare as is. A list value matches ``in`` when any element does.

Usage::

    test = compile_condition({"field": "status", "in": ["placed"]}, "mappings.candidates.when")
    test({"status": "Placed"})   # True
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from staffwire.mapping.paths import PathSyntaxError, compile_path
from staffwire.mapping.problems import at, config_error, did_you_mean
from staffwire.mapping.valuemaps import value_key

__all__ = ["Predicate", "compile_condition"]

Predicate = Callable[[Any], bool]

_VALUE_OPS = ("in", "not_in", "equals", "not_equals", "exists", "matches", "gt", "gte", "lt", "lte")
_GROUP_OPS = ("all", "any", "not")
_KEYS = {"field", "exact", *_VALUE_OPS, *_GROUP_OPS}


def compile_condition(spec: Any, path: str) -> Predicate:
    """A predicate ``record -> bool``; ConfigError at ``path`` when the spec is wrong."""
    if not isinstance(spec, dict):
        raise config_error(path, "a condition is an object like {field: status, in: [placed]}")
    for key in spec:
        if key not in _KEYS:
            raise config_error(at(path, str(key)), "unknown condition key" + did_you_mean(str(key), _KEYS))
    ops = [key for key in spec if key in _VALUE_OPS or key in _GROUP_OPS]
    if len(ops) != 1:
        found = ", ".join(ops) or "none"
        raise config_error(
            path,
            f"a condition needs exactly one operator of {', '.join(_VALUE_OPS + _GROUP_OPS)} (found {found})",
        )
    op = ops[0]
    if op in _GROUP_OPS:
        if "field" in spec:
            raise config_error(at(path, "field"), f"{op!r} combines conditions; put 'field' inside them")
        return _group(op, spec[op], at(path, op))
    if "field" not in spec:
        raise config_error(path, f"condition {op!r} needs a 'field' to test")
    try:
        get = compile_path(spec["field"])
    except PathSyntaxError as exc:
        raise config_error(at(path, "field"), str(exc)) from None
    exact = bool(spec.get("exact", False))
    return _value_test(op, spec[op], get, exact, at(path, op))


def _group(op: str, arg: Any, path: str) -> Predicate:
    if op == "not":
        inner = compile_condition(arg, path)
        return lambda record: not inner(record)
    if not isinstance(arg, list) or not arg:
        raise config_error(path, f"{op!r} takes a non-empty list of conditions")
    parts = tuple(compile_condition(item, at(path, i)) for i, item in enumerate(arg))
    if op == "all":
        return lambda record: all(part(record) for part in parts)
    return lambda record: any(part(record) for part in parts)


def _value_test(op: str, arg: Any, get: Callable[[Any], Any], exact: bool, path: str) -> Predicate:
    norm: Callable[[Any], Any] = (lambda v: v) if exact else _norm
    if op in ("in", "not_in"):
        if not isinstance(arg, list):
            raise config_error(path, f"{op!r} takes a list of values")
        wanted = frozenset(norm(v) for v in arg if not isinstance(v, (dict, list)))

        def is_in(record: Any) -> bool:
            value = get(record)
            if isinstance(value, list):
                return any(norm(v) in wanted for v in value if not isinstance(v, (dict, list)))
            return not isinstance(value, dict) and norm(value) in wanted

        return is_in if op == "in" else (lambda record: not is_in(record))
    if op in ("equals", "not_equals"):
        target = norm(arg)

        def equals(record: Any) -> bool:
            value = get(record)
            return not isinstance(value, (dict, list)) and norm(value) == target

        return equals if op == "equals" else (lambda record: not equals(record))
    if op == "exists":
        if not isinstance(arg, bool):
            raise config_error(path, "'exists' takes true or false")
        return lambda record: _present(get(record)) is arg
    if op == "matches":
        try:
            pattern = re.compile(str(arg))
        except re.error as exc:
            raise config_error(path, f"bad regular expression {arg!r}: {exc}") from None
        return lambda record: isinstance(value := get(record), str) and pattern.search(value) is not None
    return _compare(op, arg, get, path)


def _compare(op: str, arg: Any, get: Callable[[Any], Any], path: str) -> Predicate:
    if isinstance(arg, bool) or not isinstance(arg, (int, float, str)):
        raise config_error(path, f"{op!r} compares with a number or a text (e.g. an ISO date)")
    numeric = isinstance(arg, (int, float))

    def test(record: Any) -> bool:
        value = get(record)
        if numeric:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return False
        elif not isinstance(value, str):
            return False
        if op == "gt":
            return bool(value > arg)
        if op == "gte":
            return bool(value >= arg)
        if op == "lt":
            return bool(value < arg)
        return bool(value <= arg)

    return test


def _norm(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    return value_key(value)


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {}
