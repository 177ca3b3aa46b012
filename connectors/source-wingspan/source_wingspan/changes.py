"""Change detection for list endpoints that have no filters.

Wingspan's lists (``GET /payments/payee``, ``/payments/payable`` ...) take no ``updatedSince`` and no paging: every
read gets every record. An incremental read therefore fetches the whole list and emits only what changed since the
last read. ``updatedAt`` alone cannot say that: a payee's requirements (a W-9 verified, an agreement signed) may
change without it. So the state keeps a short fingerprint of each record's content, keyed by its id::

    {"fingerprints": {"<id>": "<11 characters>", ...}}

A record is emitted when its fingerprint differs from the saved one (new or changed); a saved id the list no longer
holds is a deletion. The state holds one 11-character fingerprint (a 64-bit BLAKE2b digest of the record's JSON with
sorted keys, base64url) per *live* record, about 40 bytes with its id: it grows with the account, never with
history, since deleted ids leave it at the end of the read.

Checkpoints in the middle of a list are safe: :meth:`ChangeTracker.state` keeps the saved fingerprint of every
record not reached yet, so a read that stops half-way re-emits nothing it already emitted, and forgets deletions
only at the end of a complete read (:meth:`ChangeTracker.final_state`).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from typing import Any

import orjson

__all__ = ["ChangeTracker", "fingerprint"]


def fingerprint(record: Any) -> str:
    """A short, stable digest of a JSON value (key order does not matter)."""
    digest = hashlib.blake2b(orjson.dumps(record, option=orjson.OPT_SORT_KEYS), digest_size=8).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


class ChangeTracker:
    """Which records of a full list are new or changed since the saved state; which saved ids are gone."""

    def __init__(self, state: Mapping[str, Any] | None) -> None:
        saved = (state or {}).get("fingerprints")
        self.saved: dict[str, str] = (
            {str(k): str(v) for k, v in saved.items()} if isinstance(saved, dict) else {}
        )
        self.current: dict[str, str] = {}
        self.unchanged = 0

    def changed(self, key: str, content: Any) -> bool:
        """Remember ``content`` as the current version of ``key``; True when it differs from the saved one."""
        mark = fingerprint(content)
        self.current[key] = mark
        if self.saved.get(key) == mark:
            self.unchanged += 1
            return False
        return True

    def gone(self) -> list[str]:
        """The saved ids this read's list did not hold (call after the whole list), in saved order."""
        return [key for key in self.saved if key not in self.current]

    def state(self) -> dict[str, Any]:
        """The state to checkpoint mid-list: this read's fingerprints over the saved ones."""
        return {"fingerprints": {**self.saved, **self.current}}

    def final_state(self) -> dict[str, Any]:
        """The state after the whole list: exactly the live records' fingerprints."""
        return {"fingerprints": dict(self.current)}
