"""Schema evolution: is the new schema of a standard stream a safe (widening) change of the published one?

Consumers (destinations, warehouses) rely on the published shape, so a change may only *widen* it: add fields,
add enum values, allow null, drop a pattern. Removing a field, narrowing its type, dropping an enum value,
adding a constraint or making a field required breaks them.

The published schemas are committed in ``sdk/staffwire/standard/schemas/<stream>.json``; a test compares them with
the models. After an additive change, refresh them with::

    python -m staffwire.standard.evolution --write        # refuses breaking changes
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from staffwire.standard.schema import STANDARD_STREAM_NAMES, standard_stream_schema

__all__ = ["SNAPSHOT_DIR", "breaking_changes", "load_snapshot", "main", "write_snapshots"]

SNAPSHOT_DIR = Path(__file__).with_name("schemas")
_CONSTRAINTS = ("pattern", "format", "minimum", "maximum", "minLength", "maxLength", "multipleOf")


def breaking_changes(old: dict[str, Any], new: dict[str, Any], where: str = "") -> list[str]:
    """Every way ``new`` accepts less than ``old`` (empty list: compatible)."""
    problems: list[str] = []
    label = where or "(root)"
    old_types, new_types = _types(old), _types(new)
    if old_types and new_types:
        lost = [t for t in old_types if t not in new_types and not (t == "integer" and "number" in new_types)]
        if lost:
            problems.append(f"{label}: type narrowed from {old_types} to {new_types}")
    if "enum" in old and "enum" in new:
        gone = [v for v in old["enum"] if v not in new["enum"]]
        if gone:
            problems.append(f"{label}: enum values removed: {gone}")
    elif "enum" in new and "enum" not in old:
        problems.append(f"{label}: now restricted to {new['enum']}")
    for key in _CONSTRAINTS:
        if key in new and new.get(key) != old.get(key):
            problems.append(f"{label}: constraint {key} added or changed ({old.get(key)!r} -> {new[key]!r})")
    new_required = set(new.get("required", [])) - set(old.get("required", []))
    if new_required:
        problems.append(f"{label}: newly required: {sorted(new_required)}")
    if old.get("additionalProperties", True) is not False and new.get("additionalProperties", True) is False:
        problems.append(f"{label}: no longer accepts additional properties")
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    for name, old_sub in old_props.items():
        path = f"{where}.{name}" if where else name
        if name not in new_props:
            problems.append(f"{path}: field removed")
            continue
        problems.extend(breaking_changes(old_sub, new_props[name], path))
    if "items" in old and "items" in new:
        problems.extend(breaking_changes(old["items"], new["items"], f"{where}[]"))
    return problems


def _types(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type")
    if kind is None:
        return []
    return [kind] if isinstance(kind, str) else list(kind)


def load_snapshot(stream: str) -> dict[str, Any] | None:
    path = SNAPSHOT_DIR / f"{stream}.json"
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def write_snapshots(*, allow_breaking: bool = False) -> list[str]:
    """Write every stream's schema to the snapshot directory; refuse (return the problems) when breaking."""
    problems: list[str] = []
    for stream in STANDARD_STREAM_NAMES:
        old = load_snapshot(stream)
        if old is not None:
            problems.extend(f"{stream}: {p}" for p in breaking_changes(old, standard_stream_schema(stream)))
    if problems and not allow_breaking:
        return problems
    SNAPSHOT_DIR.mkdir(exist_ok=True)
    for stream in STANDARD_STREAM_NAMES:
        (SNAPSHOT_DIR / f"{stream}.json").write_text(
            _render(standard_stream_schema(stream)), encoding="utf-8"
        )
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m staffwire.standard.evolution", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--write", action="store_true", help="refresh the committed schema snapshots")
    parser.add_argument("--allow-breaking", action="store_true", help="write even if the change is breaking")
    args = parser.parse_args(argv)
    if args.write:
        problems = write_snapshots(allow_breaking=args.allow_breaking)
    else:
        problems = []
        for stream in STANDARD_STREAM_NAMES:
            old = load_snapshot(stream)
            if old is None:
                problems.append(f"{stream}: no snapshot; run with --write")
            else:
                problems.extend(
                    f"{stream}: {p}" for p in breaking_changes(old, standard_stream_schema(stream))
                )
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
