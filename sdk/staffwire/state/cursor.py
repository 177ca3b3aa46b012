"""Cursors of incremental reads: cursor values, windows, lookback and de-duplication across the overlap.

APIs disagree on how they spell a moment: Bullhorn sends epoch milliseconds, Zoho ISO 8601 with the tenant's
offset (``2024-03-01T10:15:00+05:30``), others ``Z``. :func:`parse_cursor` turns any of them into an aware UTC
``datetime``; the ``to_*`` helpers write one back in the API's own form.

Re-reading a little before the saved cursor (``lookback``) catches records committed late with an older
timestamp, at the price of reading some records again. :class:`CursorTracker` removes those repeats: it
remembers the primary keys (with their cursor) read within the lookback of the highest cursor, keeps them in the
state, and drops a re-read record whose key and cursor it has already emitted. With no lookback it still
remembers the keys *at* the highest cursor, so a query ``cursor >= saved`` does not emit the boundary again.

Memory stays bounded whatever order the records come in: keys fall out as soon as the highest cursor moves more
than ``lookback`` past them (not only at checkpoints), so a stream not sorted by cursor holds only the keys within
the lookback of its current maximum (with no lookback: the keys *at* it), plus the keys its input state carried.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any

from staffwire.py310 import datetime_fromisoformat
from staffwire.state.messages import InvalidStateError

__all__ = [
    "CursorTracker",
    "parse_cursor",
    "to_epoch_ms",
    "to_epoch_seconds",
    "to_iso",
    "to_offset_iso",
    "windows",
]

_MS_THRESHOLD = 100_000_000_000  # 1e11: as seconds that is year 5138, as milliseconds 1973
_DIGITS = re.compile(r"-?\d+(\.\d+)?")


def parse_cursor(value: Any) -> datetime:
    """An aware UTC datetime from epoch ms or seconds (int, float or digit string), an ISO 8601 string with any
    offset (``Z``, ``+05:30``, ``+0000``), a date, or a datetime (naive means UTC). Raises ValueError otherwise."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, bool) or value is None:
        raise ValueError(f"not a cursor value: {value!r}")
    elif isinstance(value, int | float):
        moment = _from_epoch(float(value))
    elif isinstance(value, str):
        text = value.strip()
        moment = _from_epoch(float(text)) if _DIGITS.fullmatch(text) else _from_iso(text)
    else:
        raise ValueError(f"not a cursor value: {value!r}")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _from_epoch(number: float) -> datetime:
    seconds = number / 1000.0 if abs(number) >= _MS_THRESHOLD else number
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


def _from_iso(text: str) -> datetime:
    original = text
    if text.endswith(("Z", "z")):  # 3.11's parser takes "Z" but not "z"
        text = text[:-1] + "+00:00"
    # 3.11's parser (backported for 3.10 by staffwire.py310) reads +HHMM, a space separator and any number
    # of fraction digits itself: the cursor of every record goes straight to it
    try:
        return datetime_fromisoformat(text)
    except ValueError:
        raise ValueError(f"not an ISO 8601 date-time or epoch value: {original!r}") from None


def to_iso(moment: datetime | Any, *, timespec: str = "auto") -> str:
    """``2024-03-01T04:45:00Z`` (UTC, ``Z`` suffix). Accepts anything :func:`parse_cursor` does."""
    moment = parse_cursor(moment)
    return moment.isoformat(timespec=timespec).replace("+00:00", "Z")


def to_offset_iso(moment: datetime | Any, offset: timedelta) -> str:
    """The moment in a fixed offset (``+05:30``), for APIs that want the tenant's zone."""
    return parse_cursor(moment).astimezone(timezone(offset)).isoformat(timespec="seconds")


def to_epoch_ms(moment: datetime | Any) -> int:
    moment = parse_cursor(moment)
    return round(moment.timestamp() * 1000)


def to_epoch_seconds(moment: datetime | Any) -> int:
    return int(parse_cursor(moment).timestamp())


def windows(start: Any, end: Any, step: timedelta) -> Iterator[tuple[datetime, datetime]]:
    """Split ``[start, end)`` into consecutive windows of ``step`` (the last one shorter)."""
    if step <= timedelta(0):
        raise ValueError("a window step must be positive")
    low, high = parse_cursor(start), parse_cursor(end)
    while low < high:
        upper = min(low + step, high)
        yield low, upper
        low = upper


def _saved_cursor(value: Any, key: str) -> datetime:
    """A cursor value read back from a saved state; a malformed one is an InvalidStateError naming ``key``."""
    try:
        return parse_cursor(value)
    except (ValueError, OverflowError, OSError):
        raise InvalidStateError(key, value, "a date-time or epoch cursor value") from None


class CursorTracker:
    """Follows the highest cursor of a stream and de-duplicates re-read records across the lookback overlap.

    ``state`` is the stream's saved state (from :meth:`state`), shaped
    ``{"<cursor_field>": "<iso>", "seen": {"<key>": "<iso>", ...}}``. Use :attr:`query_from` as the lower bound
    of the next query (saved cursor minus ``lookback``), pass every record through :meth:`accept`, and yield
    :meth:`state` at checkpoints. Keys are kept for records within ``lookback`` of the highest cursor (at least
    those *at* it), up to ``max_keys`` in the state; the oldest are forgotten first.

    :attr:`seen` holds the keys emitted in this read that are still within ``lookback`` of the highest cursor:
    a key is dropped the moment the maximum moves past its horizon, so it never grows beyond the records in that
    horizon. The keys of the input state are consulted apart (they are the overlap this read re-reads, in any
    order) and are never added to. For records in cursor order this drops exactly the repeats the tracker always
    dropped; out of order, a repeat of a record already older than the horizon when it comes again is emitted
    again (at-least-once), which is the price of the bound.
    """

    def __init__(
        self,
        cursor_field: str,
        *,
        key_fields: Sequence[str] = ("id",),
        state: Mapping[str, Any] | None = None,
        lookback: timedelta = timedelta(0),
        start: Any = None,
        max_keys: int = 10_000,
        state_path: str = "",
    ) -> None:
        """``state_path`` names where ``state`` sits in the stream's state (``"deleted."``), for the
        :class:`~staffwire.state.InvalidStateError` a malformed saved value raises."""
        self.cursor_field = cursor_field
        self.key_fields = tuple(key_fields)
        self.lookback = lookback
        self.max_keys = max_keys
        if state is not None and not isinstance(state, Mapping):
            raise InvalidStateError(state_path.rstrip(".") or "state", state, "a JSON object")
        saved = (state or {}).get(cursor_field)
        self.max_cursor: datetime | None = (
            _saved_cursor(saved, state_path + cursor_field) if saved not in (None, "") else None
        )
        self.start = parse_cursor(start) if start not in (None, "") else None
        self.seen: dict[str, datetime] = {}
        carried = (state or {}).get("seen") or {}
        if not isinstance(carried, Mapping):
            raise InvalidStateError(
                f"{state_path}seen", carried, "an object of record keys and cursor values"
            )
        #: the keys the input state carried: the overlap this read re-reads; only ever shrinks
        self.carried: dict[str, datetime] = {
            str(key): _saved_cursor(moment, f"{state_path}seen.{key}") for key, moment in carried.items()
        }
        self._expiry: list[tuple[datetime, str]] = []  # min-heap of (cursor, key) entries in ``seen``
        self.skipped = 0

    @property
    def query_from(self) -> datetime | None:
        """Where the next read should start: the saved cursor minus the lookback (never before ``start``)."""
        if self.max_cursor is None:
            return self.start
        low = self.max_cursor - self.lookback
        return max(low, self.start) if self.start is not None else low

    def key_of(self, record: Mapping[str, Any]) -> str:
        if len(self.key_fields) == 1:
            return str(record.get(self.key_fields[0]))
        return "|".join(str(record.get(f)) for f in self.key_fields)

    def accept(self, record: Mapping[str, Any]) -> bool:
        """True when the record is new (or changed) and should be emitted; remembers it."""
        raw = record.get(self.cursor_field)
        if raw in (None, ""):
            return True  # no cursor: cannot be placed, never dropped
        moment = parse_cursor(raw)
        key = self.key_of(record)
        if self.seen.get(key) == moment or self.carried.get(key) == moment:
            self.skipped += 1
            return False
        self.carried.pop(key, None)  # superseded by this version
        if self.max_cursor is None or moment > self.max_cursor:
            self.max_cursor = moment
            self._expire(moment - self.lookback)
        if moment >= self.max_cursor - self.lookback:
            self.seen[key] = moment
            heapq.heappush(self._expiry, (moment, key))
        else:  # already behind the horizon: it cannot come back in the overlap of a later read
            self.seen.pop(key, None)
        return True

    def _expire(self, horizon: datetime) -> None:
        """Forget the keys whose cursor fell behind ``horizon`` (entries of superseded versions are skipped)."""
        expiry, seen = self._expiry, self.seen
        while expiry and expiry[0][0] < horizon:
            moment, key = heapq.heappop(expiry)
            if seen.get(key) == moment:
                del seen[key]

    def filter(self, records: Iterable[Mapping[str, Any]]) -> list[Any]:
        return [r for r in records if self.accept(r)]

    def _remembered(self) -> dict[str, datetime]:
        """The keys the state keeps: this read's and the carried ones within the horizon, newest ``max_keys``."""
        if self.max_cursor is None:
            return {}
        horizon = self.max_cursor - self.lookback
        self._expire(horizon)
        self.carried = {k: m for k, m in self.carried.items() if m >= horizon}
        kept = {**self.carried, **self.seen}
        if len(kept) > self.max_keys:
            newest = sorted(kept.items(), key=lambda item: item[1], reverse=True)[: self.max_keys]
            kept = dict(newest)
        return kept

    def state(self) -> dict[str, Any]:
        """The state to checkpoint: the highest cursor and the keys needed to de-duplicate the next overlap."""
        if self.max_cursor is None:
            return {}
        return {
            self.cursor_field: to_iso(self.max_cursor),
            "seen": {k: to_iso(m) for k, m in sorted(self._remembered().items())},
        }
