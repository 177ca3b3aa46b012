"""Field paths, compiled once into getter functions.

Syntax (dots between keys, brackets for lists)::

    firstName                  a top-level key
    owner.id                   a to-one reference (nested object); missing or null anywhere -> None
    address.countryID
    categories.data[*].name    a to-many list: one value per element, nulls dropped -> list
    phones[0].number           one element by index
    "custom fields".x          not supported: keys are identifiers ([A-Za-z0-9_$-]), like every API we map

A getter never raises: a missing key, a null, or a value of the wrong shape (a string where an object was
expected) reads as ``None``; a value that is not a list where ``[*]`` expects one reads as ``[]``. The mapping
then decides whether that is a rejection.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

__all__ = ["Getter", "PathSyntaxError", "compile_path", "parse_path"]

Getter = Callable[[Any], Any]

_SEGMENT = re.compile(r"([A-Za-z0-9_$@\-]+)((?:\[(?:\*|-?\d+)\])*)")
_INDEX = re.compile(r"\[(\*|-?\d+)\]")


class PathSyntaxError(ValueError):
    """The path string is malformed (reported by the compiler as a ConfigError with the spec path)."""


Step = tuple[str, Any]  # ("key", "name") | ("index", 3) | ("each", None)


def parse_path(path: str) -> list[Step]:
    """Split a path into steps; PathSyntaxError on anything that is not a valid path."""
    if not isinstance(path, str) or not path:
        raise PathSyntaxError(
            "a field path must be a non-empty string like 'owner.id' or 'categories.data[*].name'"
        )
    steps: list[Step] = []
    for part in path.split("."):
        match = _SEGMENT.fullmatch(part)
        if match is None:
            raise PathSyntaxError(
                f"bad field path {path!r}: segment {part!r} is not a key optionally followed by [n] or [*]"
            )
        steps.append(("key", match.group(1)))
        for index in _INDEX.findall(match.group(2)):
            steps.append(("each", None) if index == "*" else ("index", int(index)))
    return steps


def compile_path(path: str) -> Getter:
    """A function ``record -> value`` for ``path``; the common shapes get a specialised closure."""
    steps = parse_path(path)
    keys = [arg for kind, arg in steps if kind == "key"]
    if len(keys) == len(steps):
        if len(keys) == 1:
            return _one_key(keys[0])
        if len(keys) == 2:
            return _two_keys(keys[0], keys[1])
        return _many_keys(tuple(keys))
    kinds = [kind for kind, _ in steps]
    if kinds.count("each") == 1 and "index" not in kinds:
        cut = kinds.index("each")
        return _fan_out(tuple(arg for _, arg in steps[:cut]), tuple(arg for _, arg in steps[cut + 1 :]))
    return _general(steps)


def _fan_out(before: tuple[str, ...], after: tuple[str, ...]) -> Getter:
    """``a.b[*].c.d``: the commonest to-many shape, without recursion."""

    def get(record: Any) -> Any:
        value = record
        for key in before:
            if type(value) is not dict:
                return None
            value = value.get(key)
        if value is None:
            return None
        if type(value) is not list:
            return []
        out = []
        for item in value:
            for key in after:
                if type(item) is not dict:
                    item = None
                    break
                item = item.get(key)
            if item is not None:
                out.append(item)
        return out

    return get


def _one_key(key: str) -> Getter:
    def get(record: Any) -> Any:
        return record.get(key) if type(record) is dict else None

    return get


def _two_keys(first: str, second: str) -> Getter:
    def get(record: Any) -> Any:
        if type(record) is not dict:
            return None
        inner = record.get(first)
        return inner.get(second) if type(inner) is dict else None

    return get


def _many_keys(keys: tuple[str, ...]) -> Getter:
    def get(record: Any) -> Any:
        value = record
        for key in keys:
            if type(value) is not dict:
                return None
            value = value.get(key)
        return value

    return get


def _general(steps: list[Step]) -> Getter:
    def walk(value: Any, at: int) -> Any:
        for position in range(at, len(steps)):
            kind, arg = steps[position]
            if kind == "key":
                value = value.get(arg) if isinstance(value, dict) else None
            elif kind == "index":
                if not isinstance(value, list) or not -len(value) <= arg < len(value):
                    return None
                value = value[arg]
            else:  # each: fan out over the rest of the path, flatten nested fan-outs, drop nulls
                if not isinstance(value, list):
                    return []
                out: list[Any] = []
                for item in value:
                    got = walk(item, position + 1)
                    if isinstance(got, list) and _fans_out(position + 1):
                        out.extend(got)
                    elif got is not None:
                        out.append(got)
                return out
            if value is None:
                return None
        return value

    def _fans_out(start: int) -> bool:
        return any(kind == "each" for kind, _ in steps[start:])

    def get(record: Any) -> Any:
        return walk(record, 0)

    return get
