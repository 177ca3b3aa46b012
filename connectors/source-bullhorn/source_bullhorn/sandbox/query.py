"""The query languages the Bullhorn sandbox understands: the subsets of Lucene (``search/``), of the JPQL-like
``where`` clause (``query/``), of the ``fields`` list and of ``sort``/``orderBy`` that Bullhorn's REST API
accepts. Each parser compiles its text into a predicate (or a projection) over sandbox rows and raises
:class:`QuerySyntaxError` on invalid input, which the sandbox answers with Bullhorn's 400 body.

Rows hold scalars as their wire values (epoch milliseconds for timestamps), to-one associations as the
associated id (``int`` or ``None``) and to-many associations as lists of ids.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

__all__ = [
    "FieldSpec",
    "QuerySyntaxError",
    "mentions",
    "parse_fields",
    "parse_lucene",
    "parse_sort",
    "parse_where",
]

Row = Mapping[str, Any]
Predicate = Callable[[Row], bool]
Resolver = Callable[[Row, str], Any]  # (row, dotted path) -> value


class QuerySyntaxError(ValueError):
    """Invalid query, where clause, field list or sort: Bullhorn answers 400."""


def _resolve(row: Row, path: str, resolver: Resolver | None) -> Any:
    if resolver is not None:
        return resolver(row, path)
    return row.get(path)


# ------------------------------------------------------------------------------------------------ dates
def parse_search_date(text: str) -> int | None:
    """A Lucene date bound as epoch ms: ``yyyyMMdd``, ``yyyyMMddHHmm``, ``yyyyMMddHHmmss`` (UTC) or epoch ms."""
    if not text.isdigit():
        return None
    formats = {8: "%Y%m%d", 12: "%Y%m%d%H%M", 14: "%Y%m%d%H%M%S"}
    fmt = formats.get(len(text))
    if fmt is None:
        return int(text)
    try:
        moment = datetime.strptime(text, fmt).replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    return int(moment.timestamp() * 1000)


# ------------------------------------------------------------------------------------------------ Lucene
_LUCENE_TOKEN = re.compile(
    r"""\s*(?:
        (?P<lparen>\() | (?P<rparen>\)) | (?P<lbrack>[\[{]) | (?P<rbrack>[\]}]) |
        (?P<quoted>"(?:[^"\\]|\\.)*") |
        (?P<word>[^\s()\[\]{}":]+) | (?P<colon>:)
    )""",
    re.VERBOSE,
)


@dataclass
class _Tokens:
    items: list[tuple[str, str]]
    pos: int = 0

    def peek(self) -> tuple[str, str] | None:
        return self.items[self.pos] if self.pos < len(self.items) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise QuerySyntaxError("unexpected end of query")
        self.pos += 1
        return token

    def expect(self, kind: str, what: str) -> str:
        token = self.take()
        if token[0] != kind:
            raise QuerySyntaxError(f"expected {what}, found {token[1]!r}")
        return token[1]


def _lucene_tokens(text: str) -> _Tokens:
    items: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _LUCENE_TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise QuerySyntaxError(f"unexpected character {text[pos]!r} at position {pos}")
        kind = match.lastgroup or ""
        value = match.group(kind)
        items.append((kind, value))
        pos = match.end()
    return _Tokens(items)


def _term_matcher(value: Any, term: str) -> bool:
    if value is None:
        return False
    if isinstance(value, list):
        return any(_term_matcher(v, term) for v in value)
    if isinstance(value, bool):
        return term.lower() in (("1", "true") if value else ("0", "false"))
    if isinstance(value, int | float):
        stamp = parse_search_date(term) if len(term) in (8, 12, 14) else None
        if stamp is not None and value > 10**11:
            return (
                stamp
                <= value
                < stamp + (86_400_000 if len(term) == 8 else 60_000 if len(term) == 12 else 1000)
            )
        try:
            return float(term) == float(value)
        except ValueError:
            return False
    text = str(value).lower()
    needle = term.lower()
    if "*" in needle or "?" in needle:
        return fnmatch.fnmatchcase(text, needle) or any(fnmatch.fnmatchcase(t, needle) for t in text.split())
    return text == needle or needle in text.split()


def _bound(value: Any, bound: str) -> Any:
    """The range bound converted to the type of the row value (None for ``*``)."""
    if bound == "*":
        return None
    if isinstance(value, bool):
        return bound.lower() in ("1", "true")
    if isinstance(value, int | float):
        if value > 10**11:  # a timestamp
            stamp = parse_search_date(bound)
            if stamp is None:
                raise QuerySyntaxError(f"invalid date bound {bound!r}")
            return stamp
        try:
            return float(bound)
        except ValueError:
            raise QuerySyntaxError(f"invalid numeric bound {bound!r}") from None
    return bound.lower()


def _range_matcher(low: str, high: str, low_incl: bool, high_incl: bool) -> Callable[[Any], bool]:
    for b in (low, high):
        if b != "*" and not b.isdigit() and parse_search_date(b) is None and not re.fullmatch(r"-?[\w.]+", b):
            raise QuerySyntaxError(f"invalid range bound {b!r}")

    def check(value: Any) -> bool:
        if value is None:
            return False
        if isinstance(value, str):
            value = value.lower()
        lo, hi = _bound(value, low), _bound(value, high)
        try:
            if lo is not None and (value < lo or (value == lo and not low_incl)):
                return False
            return not (hi is not None and (value > hi or (value == hi and not high_incl)))
        except TypeError:
            return False

    return check


def parse_lucene(
    text: str, resolver: Resolver | None = None, *, known: Callable[[str], bool] | None = None
) -> Predicate:
    """Compile a Lucene query subset: ``field:value``, ``field:"quoted"``, wildcards, ``[a TO b]``/``{a TO b}``
    ranges (dates as yyyyMMdd[HHmm[ss]] or epoch ms, ``*`` open), ``field:(a OR b)``, AND/OR/NOT, ``+``/``-``
    prefixes and parentheses. ``known(field)`` rejects unknown fields."""
    if not text or not text.strip():
        raise QuerySyntaxError("the query is empty")
    tokens = _lucene_tokens(text)

    def words_upper(tok: tuple[str, str] | None, word: str) -> bool:
        return tok is not None and tok[0] == "word" and tok[1] == word

    def parse_or() -> Predicate:
        parts = [parse_and()]
        while True:
            tok = tokens.peek()
            if words_upper(tok, "OR"):
                tokens.take()
                parts.append(parse_and())
            elif tok is not None and tok[0] in ("word", "quoted", "lparen") and not words_upper(tok, "AND"):
                parts.append(parse_and())  # Lucene's default operator between clauses is OR
            else:
                break
        return parts[0] if len(parts) == 1 else (lambda row: any(p(row) for p in parts))

    def parse_and() -> Predicate:
        parts = [parse_not()]
        while words_upper(tokens.peek(), "AND") or words_upper(tokens.peek(), "&&"):
            tokens.take()
            parts.append(parse_not())
        return parts[0] if len(parts) == 1 else (lambda row: all(p(row) for p in parts))

    def parse_not() -> Predicate:
        tok = tokens.peek()
        if words_upper(tok, "NOT"):
            tokens.take()
            inner = parse_not()
            return lambda row: not inner(row)
        return parse_atom()

    def parse_atom() -> Predicate:
        kind, value = tokens.take()
        if kind == "lparen":
            inner = parse_or()
            tokens.expect("rparen", "')'")
            return inner
        if kind != "word" or value in ("AND", "OR", "NOT", "TO"):
            raise QuerySyntaxError(f"expected a field name, found {value!r}")
        negate = value.startswith("-")
        name = value.lstrip("+-")
        if not re.fullmatch(r"[A-Za-z_][\w]*(\.[A-Za-z_]\w*)*", name):
            raise QuerySyntaxError(f"invalid field name {name!r}")
        if known is not None and not known(name):
            raise QuerySyntaxError(f"unknown search field {name!r}")
        tokens.expect("colon", f"':' after {name!r}")
        check = parse_value()
        if negate:
            return lambda row: not check(_resolve(row, name, resolver))
        return lambda row: check(_resolve(row, name, resolver))

    def parse_value() -> Callable[[Any], bool]:
        kind, value = tokens.take()
        if kind == "lbrack":
            low_incl = value == "["
            low = tokens.expect("word", "a lower bound")
            if tokens.expect("word", "TO") != "TO":
                raise QuerySyntaxError("expected TO in range")
            high = tokens.expect("word", "an upper bound")
            close = tokens.expect("rbrack", "']' or '}'")
            return _range_matcher(low, high, low_incl, close == "]")
        if kind == "lparen":
            terms: list[str] = []
            while True:
                k, v = tokens.take()
                if k == "rparen":
                    break
                if k == "word" and v in ("OR",):
                    continue
                if k not in ("word", "quoted"):
                    raise QuerySyntaxError(f"unexpected {v!r} in value list")
                terms.append(v[1:-1] if k == "quoted" else v)
            if not terms:
                raise QuerySyntaxError("empty value list")
            return lambda val: any(_term_matcher(val, t) for t in terms)
        if kind == "quoted":
            phrase = value[1:-1].replace('\\"', '"')
            return lambda val: val is not None and phrase.lower() in str(val).lower()
        if kind == "word" and value not in ("AND", "OR", "NOT"):
            return lambda val: _term_matcher(val, value)
        raise QuerySyntaxError(f"expected a value, found {value!r}")

    predicate = parse_or()
    if tokens.peek() is not None:
        raise QuerySyntaxError(f"unexpected {tokens.peek()[1]!r}")  # type: ignore[index]
    return predicate


# ------------------------------------------------------------------------------------------------ where
_WHERE_TOKEN = re.compile(
    r"""\s*(?:
        (?P<str>'(?:[^']|'')*') |
        (?P<num>-?\d+(?:\.\d+)?(?![\w.])) |
        (?P<op><>|!=|>=|<=|=|>|<) |
        (?P<lparen>\() | (?P<rparen>\)) | (?P<comma>,) |
        (?P<name>[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"AND", "OR", "NOT", "IN", "IS", "NULL", "TRUE", "FALSE", "MEMBER", "OF", "LIKE"}


def _where_tokens(text: str) -> _Tokens:
    items: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _WHERE_TOKEN.match(text, pos)
        if match is None:
            raise QuerySyntaxError(f"unexpected character {text[pos]!r} at position {pos}")
        kind = match.lastgroup or ""
        value = match.group(kind)
        if kind == "name" and value.upper() in _KEYWORDS:
            kind, value = "kw", value.upper()
        items.append((kind, value))
        pos = match.end()
    return _Tokens(items)


def _compare(left: Any, op: str, right: Any) -> bool:
    if isinstance(left, list):
        return any(_compare(v, op, right) for v in left)
    if left is None or right is None:
        return False
    if isinstance(left, bool) or isinstance(right, bool):
        left, right = bool(left), bool(right)
    elif isinstance(left, str) and isinstance(right, str):
        left, right = left.lower(), right.lower()
    elif isinstance(left, str) != isinstance(right, str):
        return op in ("<>", "!=")
    try:
        if op == "=":
            return bool(left == right)
        if op in ("<>", "!="):
            return bool(left != right)
        if op == ">":
            return bool(left > right)
        if op == ">=":
            return bool(left >= right)
        if op == "<":
            return bool(left < right)
        return bool(left <= right)
    except TypeError:
        return False


def parse_where(
    text: str, resolver: Resolver | None = None, *, known: Callable[[str], bool] | None = None
) -> Predicate:
    """Compile a ``where`` clause subset: ``=, <>, !=, >, >=, <, <=`` against numbers (timestamps as epoch ms),
    quoted strings and true/false; ``IN (...)``, ``NOT IN``, ``IS [NOT] NULL``, ``LIKE``, AND/OR/NOT, parentheses;
    dotted paths to associations (``candidate.id``)."""
    if not text or not text.strip():
        raise QuerySyntaxError("the where clause is empty")
    tokens = _where_tokens(text)

    def literal() -> Any:
        kind, value = tokens.take()
        if kind == "str":
            return value[1:-1].replace("''", "'")
        if kind == "num":
            return float(value) if "." in value else int(value)
        if kind == "kw" and value in ("TRUE", "FALSE"):
            return value == "TRUE"
        raise QuerySyntaxError(f"expected a value, found {value!r}")

    def parse_or() -> Predicate:
        parts = [parse_and()]
        while tokens.peek() == ("kw", "OR"):
            tokens.take()
            parts.append(parse_and())
        return parts[0] if len(parts) == 1 else (lambda row: any(p(row) for p in parts))

    def parse_and() -> Predicate:
        parts = [parse_not()]
        while tokens.peek() == ("kw", "AND"):
            tokens.take()
            parts.append(parse_not())
        return parts[0] if len(parts) == 1 else (lambda row: all(p(row) for p in parts))

    def parse_not() -> Predicate:
        if tokens.peek() == ("kw", "NOT"):
            tokens.take()
            inner = parse_not()
            return lambda row: not inner(row)
        if tokens.peek() is not None and tokens.peek()[0] == "lparen":  # type: ignore[index]
            tokens.take()
            inner = parse_or()
            tokens.expect("rparen", "')'")
            return inner
        return parse_comparison()

    def parse_comparison() -> Predicate:
        name = tokens.expect("name", "a field name")
        if known is not None and not known(name):
            raise QuerySyntaxError(f"unknown field {name!r}")
        kind, value = tokens.take()
        if kind == "op":
            right = literal()
            return lambda row: _compare(_resolve(row, name, resolver), value, right)
        if kind == "kw" and value == "IS":
            negate = tokens.peek() == ("kw", "NOT")
            if negate:
                tokens.take()
            if tokens.take() != ("kw", "NULL"):
                raise QuerySyntaxError("expected NULL after IS")

            def is_null(row: Row) -> bool:
                v = _resolve(row, name, resolver)
                return v is None or v == []

            return (lambda row: not is_null(row)) if negate else is_null
        negate = False
        if kind == "kw" and value == "NOT":
            negate = True
            kind, value = tokens.take()
        if kind == "kw" and value == "IN":
            tokens.expect("lparen", "'(' after IN")
            options = [literal()]
            while tokens.peek() == ("comma", ","):
                tokens.take()
                options.append(literal())
            tokens.expect("rparen", "')'")

            def within(row: Row) -> bool:
                v = _resolve(row, name, resolver)
                return any(_compare(v, "=", o) for o in options)

            return (lambda row: not within(row)) if negate else within
        if kind == "kw" and value == "LIKE":
            pattern = literal()
            if not isinstance(pattern, str):
                raise QuerySyntaxError("LIKE needs a quoted pattern")
            rx = re.compile("^" + re.escape(pattern.lower()).replace("%", ".*").replace("_", ".") + "$")

            def like(row: Row) -> bool:
                v = _resolve(row, name, resolver)
                return v is not None and rx.match(str(v).lower()) is not None

            return (lambda row: not like(row)) if negate else like
        raise QuerySyntaxError(f"expected an operator after {name!r}, found {value!r}")

    predicate = parse_or()
    if tokens.peek() is not None:
        raise QuerySyntaxError(f"unexpected {tokens.peek()[1]!r}")  # type: ignore[index]
    return predicate


def mentions(text: str, name: str) -> bool:
    """Whether a query or where clause constrains ``name`` (e.g. ``isDeleted``)."""
    return re.search(rf"(?<![\w.]){re.escape(name)}(?![\w])", text or "") is not None


# ------------------------------------------------------------------------------------------------ fields
@dataclass
class FieldSpec:
    """One entry of a ``fields`` list: ``name``, ``name(sub,...)`` or ``name[n](sub,...)``."""

    name: str
    limit: int | None = None
    sub: list[FieldSpec] = field(default_factory=list)


def parse_fields(text: str) -> list[FieldSpec] | None:
    """Parse a ``fields`` list; None means ``*`` (every field)."""
    text = (text or "").strip()
    if not text:
        raise QuerySyntaxError("the fields parameter is required")
    if text == "*":
        return None
    pos = 0

    def parse_list(closing: str | None) -> list[FieldSpec]:
        nonlocal pos
        specs: list[FieldSpec] = []
        while True:
            match = re.compile(r"\s*([A-Za-z_]\w*|\*)\s*").match(text, pos)
            if match is None:
                raise QuerySyntaxError(f"invalid fields list near position {pos}: {text[pos : pos + 20]!r}")
            spec = FieldSpec(match.group(1))
            pos = match.end()
            if pos < len(text) and text[pos] == "[":
                end = text.find("]", pos)
                if end < 0 or not text[pos + 1 : end].strip().isdigit():
                    raise QuerySyntaxError(f"invalid to-many limit in fields near {text[pos : pos + 10]!r}")
                spec.limit = int(text[pos + 1 : end])
                pos = end + 1
            if pos < len(text) and text[pos] == "(":
                pos += 1
                spec.sub = parse_list(")")
            specs.append(spec)
            while pos < len(text) and text[pos] == " ":
                pos += 1
            if pos >= len(text):
                if closing is not None:
                    raise QuerySyntaxError(f"missing {closing!r} in fields list")
                return specs
            if text[pos] == ",":
                pos += 1
                continue
            if closing is not None and text[pos] == closing:
                pos += 1
                return specs
            raise QuerySyntaxError(f"unexpected {text[pos]!r} in fields list")

    return parse_list(None)


def parse_sort(text: str | None) -> list[tuple[str, bool]]:
    """``sort``/``orderBy``: comma-separated names, ``-`` prefix for descending. Returns (name, descending)."""
    out: list[tuple[str, bool]] = []
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        descending = part.startswith("-")
        name = part.lstrip("+-")
        if not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*", name):
            raise QuerySyntaxError(f"invalid sort field {part!r}")
        out.append((name, descending))
    return out
