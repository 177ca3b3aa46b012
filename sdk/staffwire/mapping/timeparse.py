"""Dates and times from epoch numbers or ISO 8601 strings (any offset) to UTC ISO strings.

Usage::

    to_utc_datetime(1282253171220)                 # '2010-08-19T21:26:11.220Z'   (epoch milliseconds)
    to_utc_datetime("2024-05-01T10:00:00+05:30")   # '2024-05-01T04:30:00Z'
    to_date("2024-05-01T23:30:00-05:00")           # '2024-05-02'                 (the UTC date)

Naive ISO times are taken as UTC (configurable per transform). Anything unparseable raises ``ValueError``
with a message for the user.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from typing import Any

from staffwire.py310 import datetime_fromisoformat

__all__ = ["epoch_ms_to_utc", "parse_instant", "to_date", "to_utc_datetime"]

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMERIC = re.compile(r"-?\d+(\.\d+)?")
_UNIT_SCALE = {"ms": 1000, "s": 1}
_LIMIT = datetime(9999, 12, 31, tzinfo=timezone.utc)


def parse_instant(value: Any, *, unit: str = "ms", assume: tzinfo = timezone.utc) -> datetime:
    """An aware UTC datetime from epoch ``unit``s, an ISO 8601 string, or a date/datetime object."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a date or time")
    if isinstance(value, (int, float, Decimal)):
        return _from_epoch(value, unit)
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=assume)
        return moment.astimezone(timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    if not isinstance(value, str):
        raise ValueError(f"expected a date/time string or epoch number, got {type(value).__name__}")
    text = value.strip()
    if _NUMERIC.fullmatch(text):
        return _from_epoch(Decimal(text), unit)
    if _DATE_ONLY.fullmatch(text):
        return _calendar_date(text).replace(tzinfo=timezone.utc)
    iso = text[:-1] + "+00:00" if text[-1:] in ("Z", "z") else text
    try:
        moment = datetime_fromisoformat(iso)
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO 8601 date/time or epoch number") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=assume)
    return moment.astimezone(timezone.utc)


def _calendar_date(text: str) -> datetime:
    try:
        return datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        raise ValueError(f"{text!r} is not a valid calendar date") from None


def _from_epoch(number: int | float | Decimal, unit: str) -> datetime:
    if isinstance(number, float) and number != number:
        raise ValueError("NaN is not a time")
    try:
        micros = int(Decimal(str(number)) * 1_000_000 / _UNIT_SCALE[unit])
        moment = _EPOCH + timedelta(microseconds=micros)
    except (OverflowError, ArithmeticError, ValueError):
        raise ValueError(f"{number} is out of range for an epoch time in {unit}") from None
    if moment >= _LIMIT:
        raise ValueError(f"{number} is out of range for an epoch time in {unit}")
    return moment


_DAYS: dict[
    int, str
] = {}  # day number -> "YYYY-MM-DDT": records of one sync share a few thousand days at most
_TWO = [f"{n:02d}" for n in range(60)]
_MILLIS = ["Z"] + [f".{n:03d}Z" for n in range(1, 1000)]


def epoch_ms_to_utc(value: int) -> str:
    """The fast path for the commonest input (a non-negative int of epoch milliseconds below year 9999); same
    output as :func:`to_utc_datetime`."""
    seconds, millis = divmod(value, 1000)
    day, rest = divmod(seconds, 86400)
    prefix = _DAYS.get(day)
    if prefix is None:
        if len(_DAYS) > 100_000:
            _DAYS.clear()
        prefix = _DAYS[day] = (_EPOCH + timedelta(days=day)).strftime("%Y-%m-%dT")
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    return prefix + _TWO[hours] + ":" + _TWO[minutes] + ":" + _TWO[secs] + _MILLIS[millis]


def to_utc_datetime(value: Any, *, unit: str = "ms", assume: tzinfo = timezone.utc) -> str:
    """ISO 8601 UTC with a ``Z``; milliseconds only when the instant has a fraction of a second."""
    moment = parse_instant(value, unit=unit, assume=assume)
    spec = "milliseconds" if moment.microsecond % 1000 == 0 else "microseconds"
    if moment.microsecond == 0:
        spec = "seconds"
    return moment.replace(tzinfo=None).isoformat(timespec=spec) + "Z"


def to_date(value: Any, *, unit: str = "ms", assume: tzinfo = timezone.utc) -> str:
    """``YYYY-MM-DD``: the UTC calendar date of the instant (a plain date stays as it is)."""
    if isinstance(value, str) and _DATE_ONLY.fullmatch(value.strip()):
        return _calendar_date(value.strip()).date().isoformat()
    return parse_instant(value, unit=unit, assume=assume).date().isoformat()
