"""Result lists the sandbox caches per query: sort keys, and the top-level id bounds pulled out of a query, so
key-paged reads of any id range share one cached, sorted list (sliced by bisect)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from source_bullhorn.sandbox.common import Row

__all__ = ["IdRange", "sort_by", "split_id_range"]


def sort_by(resolver: Callable[[Row, str], Any], name: str) -> Callable[[Row], tuple[int, Any]]:
    return lambda row: _sort_key(resolver(row, name))


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, 0)
    if isinstance(value, str):
        return (2, value.lower())
    if isinstance(value, list):
        return (1, len(value))
    return (1, value)


@dataclass(frozen=True)
class IdRange:
    floor: int | None = None
    floor_inclusive: bool = False
    ceiling: int | None = None
    ceiling_inclusive: bool = True

    def slice(self, rows: list[Row], ids: list[int] | None) -> list[Row]:
        """The rows inside the range: bisect when ``ids`` (ascending) is given, else a scan."""
        if ids is not None:
            lo = 0
            if self.floor is not None:
                lo = (bisect.bisect_left if self.floor_inclusive else bisect.bisect_right)(ids, self.floor)
            hi = len(ids)
            if self.ceiling is not None:
                hi = (bisect.bisect_right if self.ceiling_inclusive else bisect.bisect_left)(
                    ids, self.ceiling
                )
            return rows[lo:hi]
        return [r for r in rows if self.contains(r["id"])]

    def contains(self, value: int) -> bool:
        if self.floor is not None and (
            value < self.floor or (value == self.floor and not self.floor_inclusive)
        ):
            return False
        return not (
            self.ceiling is not None
            and (value > self.ceiling or (value == self.ceiling and not self.ceiling_inclusive))
        )


_LUCENE_FLOOR = re.compile(r"id\s*:\s*([\[{])\s*(\d+)\s+TO\s+\*\s*[\]}]")
_LUCENE_CEILING = re.compile(r"id\s*:\s*[\[{]\s*\*\s+TO\s+(\d+)\s*([\]}])")
_WHERE_BOUND = re.compile(r"id\s*(>=|>|<=|<)\s*(\d+)")


def split_id_range(text: str, search: bool) -> tuple[str, IdRange | None]:
    """Pull top-level id bounds (``id:{N TO *]``, ``id:[* TO M]``; ``id > N``, ``id <= M``) out of a query, so
    key-paged reads of any id range share one cached result list; returns (rest of the query, the range)."""
    parts = _top_level_and(text)
    if parts is None:
        return text, None
    found = IdRange()
    rest: list[str] = []
    for part in parts:
        p = part.strip()
        if search:
            floor, ceiling = _LUCENE_FLOOR.fullmatch(p), _LUCENE_CEILING.fullmatch(p)
            if floor and found.floor is None:
                found = IdRange(
                    int(floor.group(2)), floor.group(1) == "[", found.ceiling, found.ceiling_inclusive
                )
                continue
            if ceiling and found.ceiling is None:
                found = IdRange(
                    found.floor, found.floor_inclusive, int(ceiling.group(1)), ceiling.group(2) == "]"
                )
                continue
        else:
            bound = _WHERE_BOUND.fullmatch(p)
            if bound and bound.group(1).startswith(">") and found.floor is None:
                found = IdRange(
                    int(bound.group(2)), bound.group(1) == ">=", found.ceiling, found.ceiling_inclusive
                )
                continue
            if bound and bound.group(1).startswith("<") and found.ceiling is None:
                found = IdRange(
                    found.floor, found.floor_inclusive, int(bound.group(2)), bound.group(1) == "<="
                )
                continue
        rest.append(p)
    if found == IdRange():
        return text, None
    return " AND ".join(f"({p})" if len(rest) > 1 else p for p in rest), found


def _top_level_and(text: str) -> list[str] | None:
    """Split on top-level AND; None when a top-level OR makes that unsafe."""
    depth, quote_char, start, parts = 0, "", 0, []
    i = 0
    upper = text.upper()
    while i < len(text):
        ch = text[i]
        if quote_char:
            if ch == quote_char:
                quote_char = ""
        elif ch in "\"'":
            quote_char = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and upper.startswith(" OR ", i):
            return None
        elif depth == 0 and upper.startswith(" AND ", i):
            parts.append(text[start:i])
            start = i + 5
            i += 5
            continue
        i += 1
    parts.append(text[start:])
    return parts
