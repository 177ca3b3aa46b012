"""Format checks used by the ``format`` rule: each answers "is this value well formed?" without raising."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import phonenumbers

from staffwire.mapping.countries import ISO_ALPHA2, POSTAL_CODE_PATTERNS
from staffwire.py310 import datetime_fromisoformat

__all__ = ["FORMATS", "is_currency_code", "is_email", "is_postal_code"]

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]{2,}")
_E164 = re.compile(r"\+[1-9]\d{6,14}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z")
_URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)
_CURRENCY = re.compile(r"[A-Z]{3}")


def is_email(text: str) -> bool:
    """The one definition of an address: the ``email`` transform's output always passes ``format: email``."""
    return _EMAIL.fullmatch(text) is not None and ".." not in text


def is_currency_code(text: str) -> bool:
    return _CURRENCY.fullmatch(text) is not None


def _email(value: Any) -> bool:
    return isinstance(value, str) and is_email(value)


@lru_cache(maxsize=65536)
def _valid_e164(value: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(value, None))
    except phonenumbers.NumberParseException:
        return False


def _phone(value: Any) -> bool:
    return isinstance(value, str) and _E164.fullmatch(value) is not None and _valid_e164(value)


def _country(value: Any) -> bool:
    return isinstance(value, str) and value in ISO_ALPHA2


def _date(value: Any) -> bool:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return False
    try:
        datetime.strptime(value, "%Y-%m-%d")
    except ValueError:
        return False
    return True


def _datetime(value: Any) -> bool:
    if not isinstance(value, str) or not _DATETIME.fullmatch(value):
        return False
    try:
        datetime_fromisoformat(value[:-1])
    except ValueError:
        return False
    return True


def _currency(value: Any) -> bool:
    return isinstance(value, str) and is_currency_code(value)


def _url(value: Any) -> bool:
    return isinstance(value, str) and _URL.fullmatch(value) is not None


def is_postal_code(value: Any, country: str | None) -> bool | None:
    """True/False for a country we know the format of; None when the country is unknown (not checkable)."""
    if country is None:
        return None
    code = "GB" if country.upper() == "UK" else country.upper()
    pattern = POSTAL_CODE_PATTERNS.get(code)
    if pattern is None:
        return None
    return isinstance(value, str) and pattern.fullmatch(value.strip()) is not None


FORMATS: MappingProxyType[str, Callable[[Any], bool]] = MappingProxyType(
    {
        "email": _email,
        "phone": _phone,
        "country": _country,
        "date": _date,
        "datetime": _datetime,
        "currency": _currency,
        "url": _url,
    }
)
"""Format name -> check. ``postal_code`` is separate: it needs the country."""
