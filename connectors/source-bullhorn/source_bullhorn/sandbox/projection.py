"""Projection of stored rows into Bullhorn's wire shapes for a ``fields`` list: one generated function per (entity,
field list), associations as ``{id, display fields}`` (to-many as ``{total, data}``), and each row's JSON encoded
once per data version, so a page is assembled from cached bytes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from source_bullhorn.reference_data import DISPLAY_FIELDS
from source_bullhorn.sandbox.common import Entity, Row
from source_bullhorn.sandbox.query import FieldSpec, QuerySyntaxError, parse_fields

__all__ = ["Projector"]

TO_MANY_DEFAULT, TO_MANY_MAX = 5, 10


def _multi_value(value: Any) -> Any:
    """Bullhorn answers a multiValue field (a multi-select picklist) as a JSON array, however it was written:
    a row stored (or PUT) with a plain string still comes back as a one-element list, like the real bodies."""
    if value is None or type(value) is list:
        return value
    return [value]


class Projector:
    """Compiles and caches projections and encoders over the sandbox's rows; :meth:`clear` after every change."""

    def __init__(self, rows: dict[str, dict[int, Row]], entities: dict[str, Entity]) -> None:
        self.rows = rows
        self.entities = entities
        self._version = 0
        self._projections: dict[tuple[str, str], Callable[[Row], dict[str, Any]]] = {}
        self._encoders: dict[tuple[str, str], Callable[[Row], bytes]] = {}

    def clear(self) -> None:
        """Drop every projection (their memos of associated rows may be stale) and every encoded row."""
        self._version += 1
        self._projections.clear()
        self._encoders.clear()

    def encoder(self, entity: Entity, fields_arg: str) -> Callable[[Row], bytes]:
        """A row's JSON for a search/query field list, encoded once per data version: a page is assembled from
        cached row bytes, so the sandbox serves far faster than a connector reads (and benchmarks measure the
        connector). Byte-for-byte what ``orjson.dumps`` of the projected row gives."""
        key = (entity.name, fields_arg)
        encoder = self._encoders.get(key)
        if encoder is not None:
            return encoder
        version = self._version
        project = self.projection(entity, fields_arg, allow_star=False)
        encoded: dict[int, bytes] = {}  # row id -> JSON; dropped with the encoder by clear()

        def encode(row: Row) -> bytes:
            data = encoded.get(row["id"])
            if data is None:
                data = encoded[row["id"]] = orjson.dumps(project(row))
            return data

        if version == self._version:  # a change landed meanwhile: use this one once, keep none
            self._encoders[key] = encode
        return encode

    def projection(
        self, entity: Entity, fields_arg: str, *, allow_star: bool
    ) -> Callable[[Row], dict[str, Any]]:
        key = (entity.name, fields_arg)
        cached = self._projections.get(key)
        if cached is not None:
            return cached
        specs = parse_fields(fields_arg)
        if specs is None:
            if not allow_star:
                raise QuerySyntaxError(
                    "fields=* is no longer supported on search and query: list the fields "
                    "you need (see /meta)"
                )
            specs = [FieldSpec(n) for n in entity.fields]
        project = self._compile(entity, specs)
        self._projections[key] = project
        return project

    def _compile(self, entity: Entity, specs: list[FieldSpec]) -> Callable[[Row], dict[str, Any]]:
        """One generated function per (entity, field list): a dict display of ``row.get`` calls, so projecting
        a 150-field row costs a few microseconds instead of a Python call per field."""
        env: dict[str, Any] = {}
        parts: list[str] = []
        for index, spec in enumerate(specs):
            if spec.name not in entity.fields:
                raise QuerySyntaxError(f"invalid field '{spec.name}' for entity {entity.name}")
            convert = self._value_fn(entity, spec)
            if convert is None:
                parts.append(f"{spec.name!r}: get({spec.name!r})")
            else:
                env[f"f{index}"] = convert
                parts.append(f"{spec.name!r}: f{index}(get({spec.name!r}))")
        source = "def project(row):\n    get = row.get\n    return {" + ", ".join(parts) + "}\n"
        exec(source, env)  # names are validated identifiers (parse_fields), values never reach the source
        project: Callable[[Row], dict[str, Any]] = env["project"]
        return project

    def _value_fn(self, entity: Entity, spec: FieldSpec) -> Callable[[Any], Any] | None:
        """How a stored value becomes its wire form (None: as stored)."""
        name = spec.name
        if name in entity.to_one:
            sub = self._sub_projection(entity.to_one[name], spec.sub)
            return lambda ref: None if ref is None else sub(ref)
        if name in entity.to_many:
            sub = self._sub_projection(entity.to_many[name], spec.sub)
            limit = min(spec.limit if spec.limit is not None else TO_MANY_DEFAULT, TO_MANY_MAX)

            def to_many(refs: Any) -> Any:
                if not refs:
                    return {"total": 0, "data": []}
                return {"total": len(refs), "data": [sub(r) for r in refs[:limit]]}

            return to_many
        meta = entity.fields[name]
        if meta.get("multiValue") and meta["type"] == "SCALAR":
            return _multi_value
        if spec.sub and meta["type"] == "COMPOSITE":
            subs = [s.name for s in spec.sub]
            return lambda value: None if value is None else {s: value.get(s) for s in subs}
        return None

    def _getter(self, entity: Entity, spec: FieldSpec) -> Callable[[Row], Any]:
        convert = self._value_fn(entity, spec)
        name = spec.name
        if convert is None:
            return lambda row: row.get(name)
        return lambda row: convert(row.get(name))

    def _sub_projection(self, target: str, subs: list[FieldSpec]) -> Callable[[int], dict[str, Any]]:
        table = self.rows.get(target, {})
        target_entity = self.entities.get(target)
        names = [s.name for s in subs] if subs else ["id", *DISPLAY_FIELDS.get(target, ())]
        nested: dict[str, Callable[[Row], Any]] = {}
        if target_entity is not None:
            for s in subs:
                nests = s.sub or s.name in target_entity.to_one or s.name in target_entity.to_many
                if nests and s.name in target_entity.fields:
                    nested[s.name] = self._getter(target_entity, s)

        memo: dict[int, dict[str, Any]] = {}  # few distinct targets (owners, skills): project each once

        def project(ref: int) -> dict[str, Any]:
            done = memo.get(ref)
            if done is not None:
                return done
            row = table.get(ref)
            if row is None:
                out = {n: (ref if n == "id" else None) for n in names}
            else:
                out = {n: (nested[n](row) if n in nested else row.get(n)) for n in names}
            if len(memo) < 100_000:
                memo[ref] = out
            return out

        return project
