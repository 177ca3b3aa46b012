"""Opaque tokens that expire after a time or a number of uses, for the auth servers sandboxes emulate.

Part of the sandbox kit (:mod:`staffwire.testing.sandbox` re-exports :class:`TokenBook`).
"""

from __future__ import annotations

import itertools
import secrets as _secrets
import threading
import time
from typing import Any

__all__ = ["TokenBook"]


class TokenBook:
    """Issues opaque tokens that expire after a time or a number of uses, for emulated auth servers.

    ``max_uses`` / ``ttl`` given here are the defaults of :meth:`issue`; :meth:`expire_after` changes them (and
    shortens live tokens) mid-test: "every token dies after 3 requests from now on".
    """

    def __init__(self, prefix: str = "tok", *, max_uses: int | None = None, ttl: float | None = None) -> None:
        self.prefix = prefix
        self.default_max_uses = max_uses
        self.default_ttl = ttl
        self.issued = 0
        self._lock = threading.Lock()
        self._tokens: dict[str, dict[str, Any]] = {}
        self._counter = itertools.count(1)
        #: every token ever issued, in order (the admin endpoint lists them; a leak scan looks for them)
        self.history: list[str] = []

    def expire_after(self, uses: int | None = None, *, seconds: float | None = None) -> None:
        """Tokens issued from now on expire after ``uses`` requests / ``seconds``; live ones at most that."""
        with self._lock:
            self.default_max_uses = uses
            self.default_ttl = seconds
            for entry in self._tokens.values():
                if uses is not None:
                    left = entry["uses_left"]
                    entry["uses_left"] = uses if left is None else min(left, uses)
                if seconds is not None:
                    deadline = time.monotonic() + seconds
                    entry["expires"] = (
                        deadline if entry["expires"] is None else min(entry["expires"], deadline)
                    )

    def issue(self, *, ttl: float | None = None, max_uses: int | None = None, **data: Any) -> str:
        ttl = self.default_ttl if ttl is None else ttl
        max_uses = self.default_max_uses if max_uses is None else max_uses
        token = f"{self.prefix}-{next(self._counter)}-{_secrets.token_hex(12)}"
        self.issued += 1
        self.history.append(token)
        with self._lock:
            self._tokens[token] = {
                "expires": time.monotonic() + ttl if ttl is not None else None,
                "uses_left": max_uses,
                "data": data,
            }
        return token

    def use(self, token: str | None) -> dict[str, Any] | None:
        """Spend one use of ``token``; its data when valid, None when unknown, expired or used up."""
        if not token:
            return None
        with self._lock:
            entry = self._tokens.get(token)
            if entry is None:
                return None
            if entry["expires"] is not None and time.monotonic() >= entry["expires"]:
                del self._tokens[token]
                return None
            if entry["uses_left"] is not None:
                if entry["uses_left"] <= 0:
                    del self._tokens[token]
                    return None
                entry["uses_left"] -= 1
            return dict(entry["data"])

    def revoke(self, token: str) -> bool:
        with self._lock:
            return self._tokens.pop(token, None) is not None

    def expire_all(self) -> None:
        with self._lock:
            self._tokens.clear()

    def listing(self) -> list[dict[str, Any]]:
        """Every token issued, oldest first, and whether it is still accepted (without spending a use)."""
        now = time.monotonic()
        with self._lock:
            rows = []
            for token in self.history:
                entry = self._tokens.get(token)
                live = (
                    entry is not None
                    and (entry["expires"] is None or now < entry["expires"])
                    and (entry["uses_left"] is None or entry["uses_left"] > 0)
                )
                rows.append({"token": token, "live": live, "uses_left": entry["uses_left"] if entry else 0})
            return rows

    def __len__(self) -> int:
        return len(self._tokens)
