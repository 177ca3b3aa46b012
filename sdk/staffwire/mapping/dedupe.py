"""Duplicate detection within a stream by match keys (normalised email, external id, ...).

Usage::

    dedupe = Deduper(keys=["email", "custom_fields.externalID", ["first_name", "last_name", "phone"]])
    for record in records:
        first = dedupe.check(record)     # None, or the id of the earlier record this one duplicates
    dedupe.report()                      # DedupeReport(total=100, duplicates=3, rate=0.03, by_key={"email": 2, ...})

A key is a field path or a list of paths (a composite key: all parts must be present). A record is a duplicate
when any of its keys was seen before. Values are compared trimmed and case-insensitively, so ``Ada@X.org`` and
`` ada@x.org`` match. Flagging only: what to do with a duplicate (skip, reject, merge) is the caller's choice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from staffwire.mapping.paths import Getter, PathSyntaxError, compile_path
from staffwire.mapping.problems import at, config_error

__all__ = ["DedupeReport", "Deduper"]


@dataclass(frozen=True)
class DedupeReport:
    total: int
    duplicates: int
    rate: float
    by_key: dict[str, int] = field(default_factory=dict)


def _norm(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().casefold()
    return text or None


class Deduper:
    def __init__(self, keys: Sequence[str | Sequence[str]] = ("email",), *, id_field: str = "id") -> None:
        if isinstance(keys, str) or not keys:
            raise config_error(
                "dedupe.keys", "give a list of match keys, e.g. ['email', 'custom_fields.externalID']"
            )
        self._keys: list[tuple[str, tuple[Getter, ...]]] = []
        for i, key in enumerate(keys):
            paths = [key] if isinstance(key, str) else list(key)
            try:
                getters = tuple(compile_path(p) for p in paths)
            except PathSyntaxError as exc:
                raise config_error(at("dedupe.keys", i), str(exc)) from None
            self._keys.append(("+".join(paths), getters))
        self._id = compile_path(id_field)
        self._seen: dict[tuple[str, tuple[str | None, ...]], str] = {}
        self._total = 0
        self._duplicates = 0
        self._by_key: Counter[str] = Counter()

    def check(self, record: Any) -> str | None:
        """Register the record; return the id (or ``#n``, its position) of the earlier record it duplicates."""
        self._total += 1
        own = self._id(record)
        label = str(own) if own is not None else f"#{self._total}"
        first: str | None = None
        for name, getters in self._keys:
            parts = tuple(_norm(get(record)) for get in getters)
            if any(part is None for part in parts):
                continue
            match_key = (name, parts)
            earlier = self._seen.get(match_key)
            if earlier is not None and first is None:
                first = earlier
                self._by_key[name] += 1
            elif earlier is None:
                self._seen[match_key] = label
        if first is not None:
            self._duplicates += 1
        return first

    def is_duplicate(self, record: Any) -> bool:
        return self.check(record) is not None

    def report(self) -> DedupeReport:
        rate = self._duplicates / self._total if self._total else 0.0
        return DedupeReport(self._total, self._duplicates, rate, dict(self._by_key))
