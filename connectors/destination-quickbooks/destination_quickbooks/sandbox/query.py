"""QuickBooks Online's query language, as far as the sandbox needs it.

``SELECT * | COUNT(*) FROM Entity [WHERE cond [AND cond ...]] [ORDERBY field [ASC|DESC]] [STARTPOSITION n]
[MAXRESULTS n]``; a condition is ``field op value`` with ``=``, ``<``, ``>``, ``<=``, ``>=``, ``IN (...)`` or
``LIKE '%x%'``; strings are single-quoted with ``\\'`` for a quote; there is no ``OR``. Only the properties Intuit
marks filterable may be used (others: 400 ``QueryValidationError: property 'Notes' is not queryable``);
``MAXRESULTS`` is capped at 1000; name lists (Customer, Vendor, Employee, Item, Account) answer only active
entities unless the query names ``Active``. Keywords are case-insensitive, entity and property names are not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from destination_quickbooks.sandbox.faults import QboFault

__all__ = ["FILTERABLE", "NAME_LISTS", "Query", "parse_query"]

MAX_RESULTS = 1000
DEFAULT_RESULTS = 100
NAME_LISTS = frozenset({"Customer", "Vendor", "Employee", "Item", "Account"})
_META = ("Id", "MetaData.CreateTime", "MetaData.LastUpdatedTime")
FILTERABLE: dict[str, frozenset[str]] = {
    "Customer": frozenset(
        (
            *_META,
            "DisplayName",
            "GivenName",
            "FamilyName",
            "MiddleName",
            "CompanyName",
            "PrimaryEmailAddr",
            "FullyQualifiedName",
            "Active",
            "Job",
            "ParentRef",
            "Balance",
        )
    ),
    "Vendor": frozenset(
        (
            *_META,
            "DisplayName",
            "GivenName",
            "FamilyName",
            "MiddleName",
            "CompanyName",
            "PrimaryEmailAddr",
            "Active",
            "Balance",
        )
    ),
    "Employee": frozenset((*_META, "DisplayName", "GivenName", "FamilyName", "PrimaryEmailAddr", "Active")),
    "Item": frozenset((*_META, "Name", "Sku", "Type", "Active", "FullyQualifiedName")),
    "Account": frozenset((*_META, "Name", "AccountType", "Active", "FullyQualifiedName", "Classification")),
    "Bill": frozenset((*_META, "DocNumber", "TxnDate", "DueDate", "VendorRef", "TotalAmt")),
    "CompanyCurrency": frozenset(("Id", "Code", "Active")),
    "Preferences": frozenset(),
    "CompanyInfo": frozenset(("Id",)),
}
_CLAUSES = re.compile(
    r"^\s*select\s+(?P<what>\*|count\(\*\))\s+from\s+(?P<entity>\w+)"
    r"(?:\s+where\s+(?P<where>.+?))?"
    r"(?:\s+orderby\s+(?P<order>[\w.]+)(?:\s+(?P<dir>asc|desc))?)?"
    r"(?:\s+startposition\s+(?P<start>\d+))?"
    r"(?:\s+maxresults\s+(?P<max>\d+))?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_CONDITION = re.compile(
    r"^\s*(?P<field>[A-Za-z][\w.]*)\s*(?P<op><=|>=|=|<|>|\bin\b|\blike\b)\s*(?P<value>.+?)\s*$", re.I
)
_STRING = re.compile(r"'((?:\\.|[^'\\])*)'")


@dataclass
class Query:
    entity: str
    count: bool = False
    conditions: list[tuple[str, str, Any]] = field(default_factory=list)
    order: str | None = None
    descending: bool = False
    start: int = 1
    max_results: int = DEFAULT_RESULTS

    def names(self, prop: str) -> bool:
        return any(name == prop for name, _, _ in self.conditions)

    def matches(self, entity: dict[str, Any]) -> bool:
        return all(_test(_value(entity, name), op, value) for name, op, value in self.conditions)

    def run(self, entities: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """Every matching entity, ordered (by ``Id`` as a number unless ``ORDERBY``), before paging."""
        found = [e for e in entities if self.matches(e)]
        key: Callable[[dict[str, Any]], Any] = (
            (lambda e: _sortable(_value(e, self.order or "Id"))) if self.order else (lambda e: int(e["Id"]))
        )
        found.sort(key=key, reverse=self.descending)
        return found


def parse_query(text: str) -> Query:
    """The parsed query, or the Fault Intuit answers (4000 parse error, 4001 not queryable)."""
    match = _CLAUSES.match(text or "")
    if match is None:
        raise _parse_error(text)
    entity = match["entity"]
    if entity not in FILTERABLE:
        raise QboFault(
            "4001", "Invalid query", f"QueryValidationError: Invalid context declaration : {entity}", "query"
        )
    query = Query(entity, count=match["what"] != "*")
    if match["where"]:
        for part in _split_and(match["where"]):
            query.conditions.append(_condition(part, entity, text))
    if match["order"]:
        query.order = match["order"]
        query.descending = (match["dir"] or "").lower() == "desc"
    if match["start"]:
        query.start = max(1, int(match["start"]))
    if match["max"]:
        query.max_results = min(MAX_RESULTS, max(1, int(match["max"])))
    return query


def _split_and(where: str) -> list[str]:
    """``a = 'x and y' AND b = 1`` -> two conditions (AND outside quotes); OR is refused."""
    parts: list[str] = []
    current = ""
    quoted = False
    i = 0
    while i < len(where):
        ch = where[i]
        if ch == "\\" and quoted and i + 1 < len(where):
            current += where[i : i + 2]
            i += 2
            continue
        if ch == "'":
            quoted = not quoted
        if not quoted and re.match(r"\s+and\s+", where[i:], re.I) and current.strip():
            parts.append(current)
            current = ""
            i += len(re.match(r"\s+and\s+", where[i:], re.I).group(0))  # type: ignore[union-attr]
            continue
        if not quoted and re.match(r"\s+or\s+", where[i:], re.I):
            raise QboFault(
                "4000", "Error parsing query", 'QueryParserError: Encountered " <OR> "OR "" ', "query"
            )
        current += ch
        i += 1
    parts.append(current)
    return parts


def _condition(part: str, entity: str, text: str) -> tuple[str, str, Any]:
    match = _CONDITION.match(part)
    if match is None:
        raise _parse_error(text)
    name, op = match["field"], match["op"].lower()
    if name not in FILTERABLE[entity]:
        raise QboFault(
            "4001", "Invalid query", f"QueryValidationError: property '{name}' is not queryable", "query"
        )
    raw = match["value"].strip()
    if op == "in":
        if not (raw.startswith("(") and raw.endswith(")")):
            raise _parse_error(text)
        values = [_literal(v.strip(), text) for v in _split_list(raw[1:-1])]
        return name, op, values
    return name, op, _literal(raw, text)


def _split_list(body: str) -> list[str]:
    items, current, quoted, i = [], "", False, 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and quoted and i + 1 < len(body):
            current += body[i : i + 2]
            i += 2
            continue
        if ch == "'":
            quoted = not quoted
        if ch == "," and not quoted:
            items.append(current)
            current = ""
        else:
            current += ch
        i += 1
    if current.strip():
        items.append(current)
    return items


def _literal(raw: str, text: str) -> Any:
    string = _STRING.fullmatch(raw)
    if string:
        return re.sub(r"\\(.)", r"\1", string.group(1))
    if raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    try:
        return float(raw) if "." in raw else int(raw)
    except ValueError:
        raise _parse_error(text) from None


def _parse_error(text: str) -> QboFault:
    return QboFault(
        "4000", "Error parsing query", f"QueryParserError: Encountered an error in: {text}", "query"
    )


def _value(entity: dict[str, Any], name: str) -> Any:
    node: Any = entity
    for part in name.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict):  # references (VendorRef, ParentRef) compare on their value, emails on Address
        return node.get("value", node.get("Address"))
    return node


def _sortable(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, "")
    if isinstance(value, bool | int | float):
        return (1, value)
    return (2, str(value).lower())


def _test(actual: Any, op: str, expected: Any) -> bool:
    if op == "in":
        return any(_equal(actual, value) for value in expected)
    if op == "=":
        return _equal(actual, expected)
    if op == "like":
        if actual is None:
            return False
        pattern = "^" + ".*".join(re.escape(p) for p in str(expected).split("%")) + "$"
        return re.match(pattern, str(actual), re.I | re.S) is not None
    if actual is None:
        return False
    left, right = _comparable(actual), _comparable(expected)
    try:
        return {"<": left < right, ">": left > right, "<=": left <= right, ">=": left >= right}[op]
    except TypeError:
        return False


def _equal(actual: Any, expected: Any) -> bool:
    if isinstance(actual, bool) or isinstance(expected, bool):
        return actual is expected or str(actual).lower() == str(expected).lower()
    if isinstance(actual, str) and isinstance(expected, str):
        return actual.lower() == expected.lower()  # QuickBooks compares text without case
    return _comparable(actual) == _comparable(expected)


def _comparable(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value.lower()
    return value
