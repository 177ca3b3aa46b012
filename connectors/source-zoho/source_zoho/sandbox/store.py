"""What the Zoho sandbox keeps per module, its limits, and Zoho's error shape."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from staffwire.testing.sandbox import HttpError

from source_zoho.sandbox.seed import ORGS, ModuleSeed

__all__ = [
    "CREDITS_EXCEEDED",
    "MAX_FIELDS",
    "MAX_IDS",
    "MAX_PER_PAGE",
    "PAGE_LIMIT",
    "ModuleStore",
    "parse_offset",
    "zoho_error",
]

CREDITS_EXCEEDED = {
    "code": "TOO_MANY_REQUESTS",
    "details": {},
    "message": "The API credits for the organization have exceeded the allowed limit",
    "status": "error",
}
PAGE_LIMIT = 2000
MAX_PER_PAGE = 200
MAX_FIELDS = 50
MAX_IDS = 100


def zoho_error(status: int, code: str, message: str, **details: Any) -> HttpError:
    return HttpError(status, {"code": code, "details": details, "message": message, "status": "error"})


def parse_offset(text: str) -> timezone:
    if text == "Z":
        return timezone.utc
    match = re.fullmatch(r"([+-])(\d\d):(\d\d)", text)
    if not match:
        raise ValueError(f"time zone offset must look like +05:30, got {text!r}")
    sign = 1 if match.group(1) == "+" else -1
    return timezone(sign * timedelta(hours=int(match.group(2)), minutes=int(match.group(3))))


@dataclass
class ModuleStore:
    """One module's metadata, live records and deleted records."""

    seed: ModuleSeed
    index: int
    product: str
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    deleted: list[dict[str, Any]] = field(default_factory=list)
    version: int = 0
    _sorted: dict[tuple[str, bool], tuple[int, list[str]]] = field(default_factory=dict)

    @property
    def org(self) -> int:
        """The org number the product's ids start with."""
        return ORGS[self.product]

    def ordered(self, sort_by: str, descending: bool) -> list[str]:
        key = (sort_by, descending)
        cached = self._sorted.get(key)
        if cached and cached[0] == self.version:
            return cached[1]

        def sort_key(rid: str) -> tuple[Any, int]:
            value = self.records[rid].get(sort_by) if sort_by != "id" else None
            return (value if value is not None else datetime.min.replace(tzinfo=timezone.utc), int(rid))

        ids = sorted(self.records, key=sort_key, reverse=descending)
        self._sorted[key] = (self.version, ids)
        return ids
