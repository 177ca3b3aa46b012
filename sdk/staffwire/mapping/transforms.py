"""Value transforms: small functions built once from a spec entry, applied to one value per record.

A spec entry is a name or a one-key object whose value is the arguments (or the main argument)::

    transforms: [trim, lower]                         # names
    transforms: [{phone: {country: GB}}]              # arguments
    transforms: [{prefix: "bullhorn:"}, {split: ","}] # the main argument alone

Rules every transform follows: it never sees ``None`` (a null short-circuits the chain); on a list it applies to
each element (nulls dropped) unless it is a list transform (``split``, ``join``, ``first``, ``unique``,
``compact``); a value it cannot handle raises :class:`~staffwire.mapping.problems.Reject` with a message for the
user, which the mapping turns into a rejection ``transform.<name>``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta, timezone, tzinfo
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Literal

import phonenumbers
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from staffwire.mapping.countries import ISO_ALPHA2
from staffwire.mapping.formats import is_currency_code, is_email
from staffwire.mapping.problems import Reject, at, config_error, did_you_mean, from_validation_error
from staffwire.mapping.timeparse import epoch_ms_to_utc, to_date, to_utc_datetime
from staffwire.py310 import date_fromisoformat

__all__ = [
    "TRANSFORMS",
    "BuildContext",
    "Transform",
    "TransformDef",
    "build_transform",
    "compile_transform",
    "normalise_email",
]

Transform = Callable[[Any], Any]


@dataclass(frozen=True)
class BuildContext:
    """What a transform may need at compile time: document defaults and named lookup tables."""

    default_country: str | None = None
    lookups: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class TransformDef:
    name: str
    build: Callable[[Any, BuildContext, str], Transform]
    args: type[BaseModel] | None = None
    # primary: the argument a scalar shorthand sets: {prefix: "x:"} == {prefix: {value: "x:"}}
    primary: str | None = None
    elementwise: bool = True
    doc: str = ""
    produces: str | None = None  # a format its text output always has (date, date-time, country, currency)


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- strings --------------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise Reject(f"expected text, got {_kind(value)}")
    return _number_text(value)


def _number_text(value: int | float | Decimal) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", bool: "a boolean"}.get(type(value), type(value).__name__)


def _build_trim(args: Any, ctx: BuildContext, path: str) -> Transform:
    def trim(value: Any) -> Any:
        text = (value if type(value) is str else _text(value)).strip()
        return text or None

    return trim


def _build_collapse(args: Any, ctx: BuildContext, path: str) -> Transform:
    spaces = re.compile(r"\s+")

    def collapse(value: Any) -> Any:
        text = spaces.sub(" ", _text(value)).strip()
        return text or None

    return collapse


def _case(kind: str) -> Callable[[Any, BuildContext, str], Transform]:
    def build(args: Any, ctx: BuildContext, path: str) -> Transform:
        method = {"lower": str.lower, "upper": str.upper, "title": str.title}[kind]

        def change_case(value: Any) -> Any:
            return method(_text(value))

        return change_case

    return build


class _CaseArgs(_Args):
    to: Literal["lower", "upper", "title"]


def _build_case(args: _CaseArgs, ctx: BuildContext, path: str) -> Transform:
    return _case(args.to)(None, ctx, path)


def _build_string(args: Any, ctx: BuildContext, path: str) -> Transform:
    return _text


class _TruncateArgs(_Args):
    length: int = Field(gt=0)


def _build_truncate(args: _TruncateArgs, ctx: BuildContext, path: str) -> Transform:
    length = args.length

    def truncate(value: Any) -> Any:
        return _text(value)[:length]

    return truncate


class _ReplaceArgs(_Args):
    pattern: str
    with_: str = Field(default="", alias="with")


def _build_replace(args: _ReplaceArgs, ctx: BuildContext, path: str) -> Transform:
    try:
        pattern = re.compile(args.pattern)
    except re.error as exc:
        raise config_error(at(path, "pattern"), f"bad regular expression {args.pattern!r}: {exc}") from None
    replacement = args.with_

    def replace(value: Any) -> Any:
        return pattern.sub(replacement, _text(value)) or None

    return replace


class _PrefixArgs(_Args):
    value: str


def _build_prefix(args: _PrefixArgs, ctx: BuildContext, path: str) -> Transform:
    prefix = args.value

    def add_prefix(value: Any) -> Any:
        text = _text(value).strip()
        if not text:
            return None
        if "\n" in text:
            raise Reject(f"{value!r} contains a line break; it cannot be an id")
        return text if text.startswith(prefix) else prefix + text

    return add_prefix


class _SplitNameArgs(_Args):
    part: Literal["first", "last"]


def split_full_name(name: str) -> tuple[str | None, str | None]:
    """``"Ada Lovelace"`` -> (Ada, Lovelace); ``"Lovelace, Ada"`` -> (Ada, Lovelace); one word is a first name."""
    name = " ".join(name.split())
    if "," in name:
        last, _, first = name.partition(",")
        return first.strip() or None, last.strip() or None
    first, _, last = name.partition(" ")
    return first or None, last or None


def _build_split_name(args: _SplitNameArgs, ctx: BuildContext, path: str) -> Transform:
    index = 0 if args.part == "first" else 1

    def split_name(value: Any) -> Any:
        return split_full_name(_text(value))[index]

    return split_name


# -- lists ----------------------------------------------------------------------------------------------------


class _SepArgs(_Args):
    sep: str = ","


def _build_split(args: _SepArgs, ctx: BuildContext, path: str) -> Transform:
    sep = args.sep

    def split(value: Any) -> Any:
        if isinstance(value, list):
            return value
        return [part.strip() for part in _text(value).split(sep) if part.strip()]

    return split


def _build_join(args: _SepArgs, ctx: BuildContext, path: str) -> Transform:
    sep = args.sep

    def join(value: Any) -> Any:
        items = value if isinstance(value, list) else [value]
        parts = [_text(item).strip() for item in items if item is not None]
        return sep.join(part for part in parts if part) or None

    return join


def _build_first(args: Any, ctx: BuildContext, path: str) -> Transform:
    def first(value: Any) -> Any:
        if not isinstance(value, list):
            return value
        return next((item for item in value if item is not None and item != ""), None)

    return first


def _build_unique(args: Any, ctx: BuildContext, path: str) -> Transform:
    def unique(value: Any) -> Any:
        if not isinstance(value, list):
            return value
        seen: list[Any] = []
        for item in value:
            if item not in seen:
                seen.append(item)
        return seen

    return unique


def _build_compact(args: Any, ctx: BuildContext, path: str) -> Transform:
    def compact(value: Any) -> Any:
        if not isinstance(value, list):
            return value
        return [item for item in value if item is not None and item != "" and item != [] and item != {}]

    return compact


# -- numbers and booleans -------------------------------------------------------------------------------------

_MONEY_NOISE = re.compile(r"[\s,$€£¥_]|^[A-Z]{3}|[A-Z]{3}$")


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise Reject(f"expected a number, got {_kind(value)}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        text = _MONEY_NOISE.sub("", value.strip().upper())
        negative = text.startswith("(") and text.endswith(")")  # accounting style (12.50)
        try:
            number = Decimal(text.strip("()"))
        except InvalidOperation:
            raise Reject(f"{value!r} is not a number") from None
        if negative:
            number = -number
    else:
        raise Reject(f"expected a number, got {_kind(value)}")
    if not number.is_finite():
        raise Reject(f"{value!r} is not a finite number")
    return number


def _build_integer(args: Any, ctx: BuildContext, path: str) -> Transform:
    def integer(value: Any) -> Any:
        if type(value) is int:
            return value
        number = _decimal(value)
        if number != number.to_integral_value():
            raise Reject(f"{value!r} is not a whole number")
        return int(number)

    return integer


def _build_number(args: Any, ctx: BuildContext, path: str) -> Transform:
    def number(value: Any) -> Any:
        if type(value) is int or type(value) is float:
            if value != value or value in (float("inf"), float("-inf")):
                raise Reject(f"{value!r} is not a finite number")
            return value
        parsed = _decimal(value)
        return int(parsed) if parsed == parsed.to_integral_value() else float(parsed)

    return number


class _MoneyArgs(_Args):
    places: int = Field(default=2, ge=0, le=6)
    rounding: Literal["half_up", "half_even"] = "half_up"


_MAX_EXACT_DIGITS = 15  # a float carries 15 significant decimal digits exactly


def _build_money(args: _MoneyArgs, ctx: BuildContext, path: str) -> Transform:
    quantum = Decimal(1).scaleb(-args.places)
    rounding = ROUND_HALF_UP if args.rounding == "half_up" else ROUND_HALF_EVEN

    def money(value: Any) -> Any:
        try:
            amount = _decimal(value).quantize(quantum, rounding=rounding)
        except InvalidOperation:
            raise Reject(f"{value!r} is too large for an amount of money") from None
        digits = len(amount.as_tuple().digits)
        if digits > _MAX_EXACT_DIGITS:
            raise Reject(
                f"{value!r} has more than {_MAX_EXACT_DIGITS} significant digits; it cannot be carried exactly"
            )
        if amount == amount.to_integral_value():
            return int(amount)
        return float(amount)

    return money


class _MultiplyArgs(_Args):
    by: Decimal = Field(description="The constant factor, e.g. 40 (hours in a week) or 1.2.")


class _AddArgs(_Args):
    value: Decimal = Field(description="The constant to add (negative to subtract).")


def _plain_number(number: Decimal) -> int | float:
    """A Decimal result as the JSON number it stands for (whole numbers as int, like ``number``)."""
    return int(number) if number == number.to_integral_value() else float(number)


def _build_multiply(args: _MultiplyArgs, ctx: BuildContext, path: str) -> Transform:
    factor = args.by

    def multiply(value: Any) -> Any:
        return _plain_number(_decimal(value) * factor)

    return multiply


def _build_add(args: _AddArgs, ctx: BuildContext, path: str) -> Transform:
    term = args.value

    def add(value: Any) -> Any:
        return _plain_number(_decimal(value) + term)

    return add


_TRUE = {"true", "yes", "y", "1", "on", "t"}
_FALSE = {"false", "no", "n", "0", "off", "f"}


def _build_boolean(args: Any, ctx: BuildContext, path: str) -> Transform:
    def boolean(value: Any) -> Any:
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        if isinstance(value, str):
            word = value.strip().lower()
            if word in _TRUE:
                return True
            if word in _FALSE:
                return False
            if not word:
                return None
        raise Reject(f"{value!r} is not a yes/no value")

    return boolean


# -- contact data ---------------------------------------------------------------------------------------------


def normalise_email(value: Any) -> str | None:
    """Trimmed and lower-cased; ``None`` when empty; Reject when it is not an address."""
    text = _text(value).strip().lower()
    if text.startswith("mailto:"):
        text = text[7:]
    if not text:
        return None
    if not is_email(text):
        raise Reject(f"{value!r} is not an email address")
    return text


def _build_email(args: Any, ctx: BuildContext, path: str) -> Transform:
    return normalise_email


class _PhoneArgs(_Args):
    country: str | None = Field(default=None, description="Region for numbers written without +country code.")
    international_fallback: bool = Field(
        default=True,
        description="A number not possible in the default country is tried once more as an international number "
        "written without its '+' ('44 020-78311299' -> +442078311299), a common data-entry habit.",
    )


_NANP_REGIONS = frozenset(phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(1, ()))
_NANP_TEXT = re.compile(r"\+?[0-9 ().\-]{10,20}")
_PUNCTUATION = str.maketrans("", "", " ().-+")
_POSSIBLE = phonenumbers.ValidationResult.IS_POSSIBLE


def _nanp_fast(text: str, country: str) -> str | None:
    """E.164 for a plainly written North American number (the common case), without a full parse; None when
    the text needs the full parser (letters, extensions, other countries, a leading 0 or 1 in the area code).
    Ten digits are a possible +1 number, which is what libphonenumber's possible-number check answers too."""
    if _NANP_TEXT.fullmatch(text) is None or ("+" in text and not text.startswith("+1")):
        return None
    digits = text.translate(_PUNCTUATION)
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    elif len(digits) != 10 or text.startswith("+"):
        return None
    if digits[0] in "01":
        return None
    return "+1" + digits


def _e164(text: str, country: str | None) -> str | None:
    if country in _NANP_REGIONS:
        fast = _nanp_fast(text, country)
        if fast is not None:
            return fast
    return _e164_full(text, country)


@lru_cache(maxsize=4096)
def _e164_full(text: str, country: str | None, strict: bool = False) -> str | None:
    """E.164 (with ``;ext=N`` when the text has an extension) when the number is *possible* for ``country``:
    libphonenumber's length check for the region, not only numbers in assigned ranges, since real data holds
    fictional 555 numbers and new area codes. ``strict`` (the international fallback's guess) asks a valid one."""
    try:
        number = phonenumbers.parse(text, country)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_possible_number_with_reason(number) != _POSSIBLE:
        return None
    if strict and not phonenumbers.is_valid_number(number):
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return f"{e164};ext={number.extension}" if number.extension else e164


def _build_phone(args: _PhoneArgs, ctx: BuildContext, path: str) -> Transform:
    country = (args.country or ctx.default_country or "").upper() or None
    if country == "UK":
        country = "GB"
    if country is not None and country not in phonenumbers.SUPPORTED_REGIONS:
        raise config_error(
            at(path, "country"), f"{args.country!r} is not a country code phonenumbers knows (e.g. US, GB)"
        )

    fallback = args.international_fallback

    def phone(value: Any) -> Any:
        text = _text(value).strip()
        if not text:
            return None
        e164 = _e164(text, country)
        if e164 is None and fallback and country is not None and text[:1].isdigit():
            e164 = _e164_full("+" + text, None, True)
        if e164 is None:
            where = (
                f" (default country {country})"
                if country
                else " (no default country: write it as +<code>...)"
            )
            raise Reject(f"{value!r} is not a valid phone number{where}")
        return e164

    return phone


def _build_country(args: Any, ctx: BuildContext, path: str) -> Transform:
    def country(value: Any) -> Any:
        code = _text(value).strip().upper()
        if not code:
            return None
        if code == "UK":
            return "GB"
        if code not in ISO_ALPHA2:
            raise Reject(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
        return code

    return country


def _build_currency(args: Any, ctx: BuildContext, path: str) -> Transform:
    def currency(value: Any) -> Any:
        code = _text(value).strip().upper()
        if not code:
            return None
        if not is_currency_code(code):
            raise Reject(f"{value!r} is not an ISO 4217 currency code")
        return code

    return currency


# -- dates and times ------------------------------------------------------------------------------------------


class _TimeArgs(_Args):
    unit: Literal["ms", "s"] = Field(default="ms", description="Unit of epoch numbers.")
    assume_offset: str = Field(default="+00:00", description="Offset of ISO times written without one.")


def _offset(args: _TimeArgs, path: str) -> tzinfo:
    match = re.fullmatch(r"([+-])(\d{2}):(\d{2})", args.assume_offset)
    if match is None:
        raise config_error(at(path, "assume_offset"), f"{args.assume_offset!r} is not an offset like +00:00")
    sign = 1 if match.group(1) == "+" else -1
    return timezone(sign * timedelta(hours=int(match.group(2)), minutes=int(match.group(3))))


def _build_datetime(args: _TimeArgs, ctx: BuildContext, path: str) -> Transform:
    unit, assume = args.unit, _offset(args, path)

    fast = unit == "ms"

    def datetime_utc(value: Any) -> Any:
        if fast and type(value) is int and 0 <= value < _MAX_EPOCH_MS:
            return epoch_ms_to_utc(value)
        if value == "":
            return None
        try:
            return to_utc_datetime(value, unit=unit, assume=assume)
        except ValueError as exc:
            raise Reject(str(exc)) from None

    return datetime_utc


def _build_date(args: _TimeArgs, ctx: BuildContext, path: str) -> Transform:
    unit, assume = args.unit, _offset(args, path)

    def date_only(value: Any) -> Any:
        if value == "":
            return None
        try:
            return to_date(value, unit=unit, assume=assume)
        except ValueError as exc:
            raise Reject(str(exc)) from None

    return date_only


class _AddDaysArgs(_TimeArgs):
    days: int = Field(description="Days to add (negative to go back).")


def _build_add_days(args: _AddDaysArgs, ctx: BuildContext, path: str) -> Transform:
    unit, assume, delta = args.unit, _offset(args, path), timedelta(days=args.days)

    def add_days(value: Any) -> Any:
        if value == "":
            return None
        try:
            day = date_fromisoformat(to_date(value, unit=unit, assume=assume))
        except ValueError as exc:
            raise Reject(str(exc)) from None
        try:
            return (day + delta).isoformat()
        except OverflowError:
            raise Reject(f"{value!r} + {delta.days} days is outside the calendar") from None

    return add_days


# -- tables ---------------------------------------------------------------------------------------------------


class _LookupArgs(_Args):
    table: str | dict[str, Any]
    default: Any = None
    strict: bool = Field(
        default=False, description="Reject values not in the table instead of using default."
    )
    ignore_case: bool = True


def _key(value: Any, ignore_case: bool) -> str:
    text = (
        _number_text(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)
    )
    return text.strip().casefold() if ignore_case else text


def _build_lookup(args: _LookupArgs, ctx: BuildContext, path: str) -> Transform:
    if isinstance(args.table, str):
        if args.table not in ctx.lookups:
            raise config_error(
                at(path, "table"),
                f"unknown lookup table {args.table!r}" + did_you_mean(args.table, ctx.lookups),
            )
        source = ctx.lookups[args.table]
    else:
        source = args.table
    ignore_case, default, strict, name = args.ignore_case, args.default, args.strict, args.table
    table = {_key(k, ignore_case): v for k, v in source.items()}
    exact: dict[Any, Any] = {}  # the keys as written, and numeric keys as numbers: most values hit here
    for k, v in source.items():
        exact.setdefault(k, v)
        if isinstance(k, str) and re.fullmatch(r"-?\d{1,18}", k.strip()):
            exact.setdefault(int(k), v)

    def lookup(value: Any) -> Any:
        kind = type(value)
        if kind is str or kind is int:
            found = exact.get(value, _MISSING)
            if found is not _MISSING:
                return found
        elif isinstance(value, (dict, list)):
            raise Reject(f"cannot look up {_kind(value)}")
        found = table.get(_key(value, ignore_case), _MISSING)
        if found is _MISSING:
            if strict:
                label = f"table {name!r}" if isinstance(name, str) else "the lookup table"
                raise Reject(f"{value!r} is not in {label}")
            return default
        return found

    return lookup


_MISSING = object()
_MAX_EPOCH_MS = 253402214400000  # 9999-12-31T00:00:00Z, where the general parser stops too


TRANSFORMS: Mapping[str, TransformDef] = MappingProxyType(
    {
        d.name: d
        for d in (
            TransformDef("trim", _build_trim, doc="Strip surrounding whitespace; empty becomes null."),
            TransformDef("collapse", _build_collapse, doc="Collapse inner whitespace to one space and trim."),
            TransformDef("lower", _case("lower"), doc="Lower case."),
            TransformDef("upper", _case("upper"), doc="Upper case."),
            TransformDef("title", _case("title"), doc="Title Case."),
            TransformDef("case", _build_case, _CaseArgs, "to", doc="{case: lower|upper|title}."),
            TransformDef(
                "string", _build_string, doc="Numbers to text (12.0 -> '12'); objects are rejected."
            ),
            TransformDef("truncate", _build_truncate, _TruncateArgs, "length", doc="Cut text to a length."),
            TransformDef(
                "replace", _build_replace, _ReplaceArgs, doc="{replace: {pattern: regex, with: text}}."
            ),
            TransformDef("prefix", _build_prefix, _PrefixArgs, "value", doc="'bullhorn:' + value (ids)."),
            TransformDef(
                "split_name",
                _build_split_name,
                _SplitNameArgs,
                "part",
                doc="First or last part of a full name.",
            ),
            TransformDef(
                "split",
                _build_split,
                _SepArgs,
                "sep",
                elementwise=False,
                doc="Text to a list of trimmed parts.",
            ),
            TransformDef("join", _build_join, _SepArgs, "sep", elementwise=False, doc="A list to text."),
            TransformDef(
                "first", _build_first, elementwise=False, doc="The first non-empty element of a list."
            ),
            TransformDef("unique", _build_unique, elementwise=False, doc="Drop repeated list elements."),
            TransformDef("compact", _build_compact, elementwise=False, doc="Drop empty list elements."),
            TransformDef("integer", _build_integer, doc="A whole number from a number or numeric text."),
            TransformDef(
                "number", _build_number, doc="A number from a number or numeric text (Decimal-safe)."
            ),
            TransformDef(
                "money", _build_money, _MoneyArgs, "places", doc="A decimal amount, rounded to places (2)."
            ),
            TransformDef(
                "multiply", _build_multiply, _MultiplyArgs, "by", doc="Times a constant (Decimal-exact)."
            ),
            TransformDef("add", _build_add, _AddArgs, "value", doc="Plus a constant (Decimal-exact)."),
            TransformDef("boolean", _build_boolean, doc="true/false from yes/no, 1/0, true/false."),
            TransformDef("email", _build_email, doc="A trimmed, lower-case email address."),
            TransformDef(
                "phone",
                _build_phone,
                _PhoneArgs,
                "country",
                doc="E.164 (+14155550123; an extension as ;ext=12) for any possible number of the country.",
            ),
            TransformDef(
                "country",
                _build_country,
                doc="ISO 3166-1 alpha-2, upper case (UK -> GB).",
                produces="country",
            ),
            TransformDef("currency", _build_currency, doc="ISO 4217, upper case.", produces="currency"),
            TransformDef(
                "date",
                _build_date,
                _TimeArgs,
                "unit",
                doc="YYYY-MM-DD from epoch or ISO 8601.",
                produces="date",
            ),
            TransformDef(
                "datetime",
                _build_datetime,
                _TimeArgs,
                "unit",
                doc="ISO 8601 UTC from epoch or ISO 8601.",
                produces="date-time",
            ),
            TransformDef(
                "add_days",
                _build_add_days,
                _AddDaysArgs,
                "days",
                doc="The date (YYYY-MM-DD) N days later, from a date, ISO time or epoch.",
                produces="date",
            ),
            TransformDef("lookup", _build_lookup, _LookupArgs, "table", doc="Look the value up in a table."),
        )
    }
)
"""Every transform by name. Read-only: extend the engine by adding a TransformDef here, not at run time."""


def compile_transform(entry: Any, ctx: BuildContext, path: str) -> tuple[str, Transform]:
    """Build one transform from its spec entry; ConfigError naming ``path`` if the entry is wrong.
    The function handles lists (element-wise transforms) and names its rejections ``transform.<name>``."""
    name, fn, elementwise, _ = build_transform(entry, ctx, path)
    rule = f"transform.{name}"
    return name, (_each(fn, rule) if elementwise else _tagged(fn, rule))


def build_transform(entry: Any, ctx: BuildContext, path: str) -> tuple[str, Transform, bool, str | None]:
    """(name, the scalar function, whether it applies element-wise to lists, the format its text output has)."""
    if isinstance(entry, str):
        name, raw_args = entry, None
    elif isinstance(entry, dict) and len(entry) == 1:
        name, raw_args = next(iter(entry.items()))
    else:
        raise config_error(
            path, "a transform is a name like 'trim' or a one-key object like {phone: {country: US}}"
        )
    definition = TRANSFORMS.get(name) if isinstance(name, str) else None
    if definition is None:
        raise config_error(path, f"unknown transform {name!r}" + did_you_mean(str(name), TRANSFORMS))
    args: Any = None
    if definition.args is not None:
        if raw_args is not None and not isinstance(raw_args, dict):
            if definition.primary is None:
                raise config_error(path, f"transform {name!r} takes an object of arguments")
            raw_args = {definition.primary: raw_args}
        try:
            args = definition.args.model_validate(raw_args or {})
        except ValidationError as exc:
            raise from_validation_error(exc, at(path, name), definition.args) from None
    elif raw_args not in (None, {}):
        raise config_error(path, f"transform {name!r} takes no arguments")
    fn = definition.build(args, ctx, at(path, name))
    produces = definition.produces
    if name == "prefix" and re.fullmatch(r"[a-z0-9_]+:", args.value):
        produces = "ref"
    return name, fn, definition.elementwise, produces


def _each(fn: Transform, rule: str) -> Transform:
    """Apply a scalar transform to a list's elements (dropping nulls) or to a single value; name the rule."""

    def apply(value: Any) -> Any:
        try:
            if type(value) is list:
                out = []
                for item in value:
                    if item is not None:
                        item = fn(item)
                        if item is not None:
                            out.append(item)
                return out
            return fn(value)
        except Reject as problem:
            problem.rule = problem.rule or rule
            raise

    return apply


def _tagged(fn: Transform, rule: str) -> Transform:
    def apply(value: Any) -> Any:
        try:
            return fn(value)
        except Reject as problem:
            problem.rule = problem.rule or rule
            raise

    return apply
