"""Masking of secrets in every line a connector prints.

A :class:`SecretMasker` collects secret values as they become known: config values whose spec marks them
``airbyte_secret`` at start-up, and tokens obtained at run time (access tokens, session tokens, rotated refresh
tokens) the moment they are received. Everything written to stdout/stderr passes through :meth:`SecretMasker.mask`.

Each secret is also masked in the encodings it tends to reappear in: URL-encoded (``quote``/``quote_plus``, as in
a query string or a URL path), JSON-escaped (inside an echoed API error body), and whitespace-normalised (a secret
holding spaces or tabs is matched with any run of whitespace where it has one, so an error text whose whitespace
was collapsed still masks it). A value that is a URL carrying a password (``https://user:pw@host``) also registers
the password. Mask *before* cutting or normalising a text: a cut can leave half a secret that no longer matches.

Output blocks (every RECORD line of a read) are checked with :meth:`SecretMasker.mask_bytes`, a scan for byte
needles before any decoding (:class:`_BlockScan`). It stays complete: the needles are, for every registered form,
its longest whitespace-free piece, and any text the pattern matches contains that piece of the form it matches; a
block holding one is masked in full by the pattern (decoded), so a needle that merely looks like a piece of a secret
costs time, never a miss. Secrets registered at run time rebuild the scan at once, so the next block is checked for
them too.

:func:`token_shaped` finds values that look like credentials (long runs of token characters mixing letters and
digits); an auth answer that could not be parsed is masked with it too, since a token in it was never registered.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, quote_plus, unquote, urlsplit

import ahocorasick_rs

__all__ = ["MASK", "SecretMasker", "mask_token_shaped", "secret_paths", "secrets_in_config", "token_shaped"]

MASK = "****"
_MIN_LENGTH = 4  # shorter values would mask ordinary text ("a", "1", "yes")
_LONG_FORM = 4096  # longer forms are masked by plain replacement, not by the pattern
_WHITESPACE = re.compile(r"\s+")
#: a run of token characters (base64/base64url/hex/JWT/Zoho "1000.x.y") of at least 16
_TOKEN_RUN = re.compile(r"[A-Za-z0-9._~_+/=-]{16,}")


def _form_pattern(form: str) -> str:
    """The regex of one form: literal, except that a whitespace run matches any whitespace run."""
    parts = _WHITESPACE.split(form)
    if len(parts) == 1:
        return re.escape(form)
    return r"\s+".join(re.escape(p) for p in parts)


def token_shaped(text: str) -> list[str]:
    """The values in ``text`` that look like credentials: 16+ token characters holding letters and digits
    (``1000.8f3c...``, a UUID, a JWT), not plain words, paths or host names."""
    found = []
    for run in _TOKEN_RUN.findall(text):
        core = run.strip("./-")
        if any(c.isdigit() for c in core) and any(c.isalpha() for c in core) and "//" not in core:
            found.append(run)
    return found


def mask_token_shaped(text: str) -> str:
    """``text`` with every :func:`token_shaped` value replaced by ``****``."""
    for value in sorted(set(token_shaped(text)), key=len, reverse=True):
        text = text.replace(value, MASK)
    return text


def url_password(value: str) -> str | None:
    """The password of a URL with credentials (``https://user:pw@host/``), else None."""
    if "@" not in value or "://" not in value:
        return None
    try:
        password = urlsplit(value.strip()).password
    except ValueError:
        return None
    return unquote(password) if password else None


class _BlockScan:
    """Whether any needle occurs in a block, by the cheaper of two complete scans, as measured on the blocks.

    Both come from ``ahocorasick_rs`` (SIMD searchers, in Rust): one automaton for every needle at once, and one
    single-needle searcher (``memmem``) per needle. Neither wins everywhere: on wide Bullhorn rows with eight needles
    the automaton scans ~9 GB/s and the per-needle searchers ~1.8 GB/s together, but with a few needles whose first
    letters are common in the data (``bullhorn-client-secret``, ``hunter2-...`` in English/HTML text) the automaton's
    prefilter drops to ~0.3-0.5 GB/s while the per-needle searchers keep 4-8 GB/s. (Python's ``needle in block``, one
    pass per needle, gave 0.3-2.3 GB/s on the same blocks.) So the first two large blocks try one way each, then the
    way with the lower CPU time per byte is used, and every 64th large block tries the other way again. Either way
    finds every needle, so the choice changes the cost, never the result.

    A needle longer than ``_LONG_FORM`` bytes (a pasted file, a 1,000,000-character token) is searched on its own
    with ``in`` (CPython's two-way ``memmem``) in every block: building an automaton state per byte of it would take
    minutes, and a block shorter than the needle is ruled out at once.
    """

    _LARGE = 16 * 1024  # smaller blocks (a LOG line, a STATE) are timed too noisily to count
    _RETRY = 64

    def __init__(self, needles: tuple[bytes, ...]) -> None:
        kind = (
            ahocorasick_rs.MatchKind.LeftmostFirst
        )  # lets the automaton use its prefilter; any match will do
        short = [n for n in needles if len(n) <= _LONG_FORM]
        self._long = tuple(n for n in needles if len(n) > _LONG_FORM)
        self._ways = (
            (ahocorasick_rs.BytesAhoCorasick(short, matchkind=kind),) if short else (),
            tuple(ahocorasick_rs.BytesAhoCorasick([n], matchkind=kind) for n in short),
        )
        self._seconds = [0.0, 0.0]
        self._bytes = [0, 0]
        self._large = 0

    def __call__(self, data: bytes | bytearray) -> bool:
        if self._long and any(n in data for n in self._long):
            return True
        if len(data) < self._LARGE:
            return any(s.find_matches_as_indexes(data) for s in self._ways[0])
        n = self._large
        self._large = n + 1  # a race here only changes which way a block is scanned
        seconds, counted = self._seconds, self._bytes
        best = 0 if seconds[0] * max(counted[1], 1) <= seconds[1] * max(counted[0], 1) else 1
        way = n if n < 2 else (1 - best if n % self._RETRY == 0 else best)
        start = time.thread_time()
        found = any(s.find_matches_as_indexes(data) for s in self._ways[way])
        seconds[way] += time.thread_time() - start
        counted[way] += len(data)
        return found


class SecretMasker:
    """Replaces every registered secret (and its common encodings) with ``****``. Thread-safe."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._values: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self._long: tuple[str, ...] = ()
        self._bytes_needles: tuple[bytes, ...] = ()
        self._scan: _BlockScan | None = None
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
        password = url_password(value)
        if password is not None:
            self.add(password)
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
            # a huge value (a pasted file, a 1,000,000-character token) is replaced literally: compiling it into
            # the pattern on every registration would cost seconds
            self._long = tuple(v for v in ordered if len(v) > _LONG_FORM)
            short = [v for v in ordered if len(v) <= _LONG_FORM]
            self._pattern = re.compile("|".join(_form_pattern(v) for v in short)) if short else None
            # the byte scan must find any form the pattern would match: for a form with whitespace, its longest
            # whitespace-free piece
            needles = tuple({max(_WHITESPACE.split(v), key=len).encode() or v.encode() for v in ordered})
            self._scan = _BlockScan(
                needles
            )  # after the pattern: a block the new scan flags meets the new pattern
            self._bytes_needles = needles

    def __bool__(self) -> bool:
        return bool(self._values)

    def __contains__(self, text: str) -> bool:
        pattern = self._pattern
        return bool(pattern and pattern.search(text)) or any(v in text for v in self._long)

    def mask(self, text: str) -> str:
        if not text:
            return text
        for value in self._long:
            if value in text:
                text = text.replace(value, MASK)
        pattern = self._pattern
        return pattern.sub(MASK, text) if pattern is not None else text

    def mask_bytes(self, data: bytes | bytearray) -> bytes | bytearray:
        """Mask a block of encoded output (returned as is when clean): one scan for every secret at once, so a
        clean block costs almost nothing (see the module docstring for why the scan misses no secret)."""
        scan = self._scan  # one read: a secret registered meanwhile rebuilt it as a whole
        if scan is None or not scan(data):
            return data
        return self.mask(bytes(data).decode("utf-8", "replace")).encode()

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
    """The values of ``config`` that the spec marks secret, and the password of any URL in it
    (``"api_url": "https://admin:pw@host"``: a credential whatever field holds it)."""
    values: list[str] = []
    for path in secret_paths(schema):
        node: Any = config
        for part in path:
            node = node.get(part) if isinstance(node, Mapping) else None
        if isinstance(node, str | int | float) and not isinstance(node, bool):
            values.append(str(node))
    values.extend(_url_passwords(config))
    return values


def _url_passwords(node: Any) -> list[str]:
    if isinstance(node, str):
        password = url_password(node)
        return [password] if password else []
    if isinstance(node, Mapping):
        return [p for value in node.values() for p in _url_passwords(value)]
    if isinstance(node, list | tuple):
        return [p for value in node for p in _url_passwords(value)]
    return []
