"""Python 3.10 support: the standard library's ISO 8601 parsers as Python 3.11 has them, on Python 3.10 too.

Python 3.10's ``datetime.fromisoformat`` reads back only what ``isoformat()`` writes: no ``Z``, no ``+0530``,
no basic format (``20240501T100000``), fractions of exactly 3 or 6 digits. 3.11 reads most of ISO 8601, and
APIs send all of those spellings. On 3.10 the functions here use the backport of 3.11's parser
(``backports-datetime-fromisoformat``, a 3.10-only dependency) and hand its offsets back as
``datetime.timezone``, so callers get the same values and types on both versions. On 3.11+ they are the
built-ins themselves. Code that parses ISO strings from an API or a user calls these, not the built-ins.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime, timezone

__all__ = ["date_fromisoformat", "datetime_fromisoformat"]

datetime_fromisoformat: Callable[[str], datetime]
date_fromisoformat: Callable[[str], date]

if sys.version_info >= (3, 11):
    datetime_fromisoformat = datetime.fromisoformat
    date_fromisoformat = date.fromisoformat
else:  # pragma: no cover - exercised by the suite on Python 3.10
    from backports.datetime_fromisoformat import date_fromisoformat as _date_fromisoformat
    from backports.datetime_fromisoformat import datetime_fromisoformat as _datetime_fromisoformat

    def datetime_fromisoformat(text: str) -> datetime:
        """3.11's ``datetime.fromisoformat``: the backport's result with a ``datetime.timezone`` offset."""
        moment: datetime = _datetime_fromisoformat(text)
        offset = moment.utcoffset()
        return moment if offset is None else moment.replace(tzinfo=timezone(offset))

    def date_fromisoformat(text: str) -> date:
        """3.11's ``date.fromisoformat`` (also ``20240501`` and ``2024-W01-1``)."""
        day: date = _date_fromisoformat(text)
        return day
