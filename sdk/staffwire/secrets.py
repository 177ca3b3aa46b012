"""Masking of secrets in every line a connector prints.

A :class:`SecretMasker` collects secret values as they become known: config values whose spec marks them
``airbyte_secret`` at start-up, and tokens obtained at run time (access tokens, session tokens, rotated refresh
tokens) the moment they are received. Everything written to stdout/stderr passes through :meth:`SecretMasker.mask`.

Each secret is also masked in the encodings it tends to reappear in: URL-encoded (``quote``/``quote_plus``, as in
a query string), JSON-escaped (inside an echoed API error body).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, quote_plus

__all__ = ["MASK", "SecretMasker", "secret_paths", "secrets_in_config"]

MASK = "****"
_MIN_LENGTH = 4  # shorter values would mask ordinary text ("a", "1", "yes")


class SecretMasker:
    """Replaces every registered secret (and its common encodings) with ``****``. Thread-safe."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._values: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self._bytes_needles: tuple[bytes, ...] = ()
        for value in values:
            self.add(value)

    def add(self, value: Any) -> None:
        """Register a secret value (ignored when empty or too short to be meaningful)."""
        if not isinstance(value, str):
            if value is None or isinstance(value, bool):
                return
            value = str(value)
        if len(value) < _MIN_LENGTH:
            return
        forms = {
            value,
            quote(value, safe=""),
            quote_plus(value),
            json.dumps(value)[1:-1],
            json.dumps(value, ensure_ascii=False)[1:-1],  # orjson's form: non-ASCII left as is
        }
        with self._lock:
            if forms <= self._values:
                return
            self._values |= forms
            ordered = sorted(self._values, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(v) for v in ordered))
            self._bytes_needles = tuple(v.encode() for v in ordered)

    def __bool__(self) -> bool:
        return bool(self._values)

    def __contains__(self, text: str) -> bool:
        pattern = self._pattern
        return bool(pattern and pattern.search(text))

    def mask(self, text: str) -> str:
        pattern = self._pattern
        if pattern is None or not text:
            return text
        return pattern.sub(MASK, text)

    def mask_bytes(self, data: bytes) -> bytes:
        """Mask a block of encoded output; a cheap substring scan first, so clean blocks cost almost nothing."""
        needles = self._bytes_needles
        if not needles or not any(n in data for n in needles):
            return data
        return self.mask(data.decode("utf-8", "replace")).encode()

    def mask_obj(self, obj: Any) -> Any:
        """Mask every string inside a JSON-like structure."""
        if isinstance(obj, str):
            return self.mask(obj)
        if isinstance(obj, Mapping):
            return {k: self.mask_obj(v) for k, v in obj.items()}
        if isinstance(obj, list | tuple):
            return [self.mask_obj(v) for v in obj]
        return obj


def secret_paths(schema: Mapping[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Paths of every property marked ``airbyte_secret`` in a spec's JSON Schema (``oneOf`` branches included)."""
    found: list[tuple[str, ...]] = []
    if schema.get("airbyte_secret"):
        found.append(prefix)
    for name, sub in (schema.get("properties") or {}).items():
        if isinstance(sub, Mapping):
            found.extend(secret_paths(sub, (*prefix, name)))
    for key in ("oneOf", "anyOf", "allOf"):
        for sub in schema.get(key) or ():
            if isinstance(sub, Mapping):
                found.extend(secret_paths(sub, prefix))
    return found


def secrets_in_config(schema: Mapping[str, Any], config: Mapping[str, Any]) -> list[str]:
    """The values of ``config`` that the spec marks secret."""
    values: list[str] = []
    for path in secret_paths(schema):
        node: Any = config
        for part in path:
            node = node.get(part) if isinstance(node, Mapping) else None
        if isinstance(node, str | int | float) and not isinstance(node, bool):
            values.append(str(node))
    return values
