"""Mapped fields -> the QuickBooks body of one entity, and the comparison that decides whether to write it.

:func:`build` checks what QuickBooks would refuse (a key too long for its field, an amount that is not a number,
a currency the company does not use, line items that are not numbers) and rejects the record naming the input
field, before any request. Names lose the colon (QuickBooks's hierarchy separator, refused in names) and are
cut to QuickBooks's lengths. :func:`changes` compares a body with the entity in QuickBooks and answers only the
fields that differ (compare before write: an unchanged record sends nothing), through the SDK's comparison.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from staffwire.activation import changes as field_changes
from staffwire.errors import RecordRejected, Rejection

from destination_quickbooks.company import CompanySettings
from destination_quickbooks.objects import QuickBooksObject

__all__ = ["Payload", "build", "changes", "disambiguated", "same_name"]

_NAME_LIMITS = {"DisplayName": 500, "Name": 100, "GivenName": 100, "FamilyName": 100, "CompanyName": 100}
_KEY_LIMITS = {"AcctNum": 100, "Sku": 100}
DOC_NUMBER_LIMIT = 21


@dataclass
class Payload:
    """One record's write: its object, key, QuickBooks body and the references resolved at commit time."""

    obj: QuickBooksObject
    stream: str
    record_id: str
    key: str
    body: dict[str, Any]
    ref_key: str | None = None  #: Job: the client's key; Bill: the worker's key
    deleted: bool = False
    #: the name field may be updated (False when the record lacked what the name is made of)
    rename: bool = True
    extra: dict[str, Any] = field(default_factory=dict)
    #: the input records this write carries (their tickets in :class:`~.outcomes.RecordOutcomes`)
    records: list[int] = field(default_factory=list)

    def reject(self, rule: str, field_name: str | None, value: Any, message: str) -> RecordRejected:
        return RecordRejected(
            reasons=[Rejection(rule=rule, field=field_name, value=value, message=message)],
            stream=self.stream,
            record_id=self.record_id,
        )


def build(
    obj: QuickBooksObject,
    stream: str,
    record_id: str,
    mapped: dict[str, Any],
    settings: CompanySettings,
    *,
    deleted: bool = False,
    rename: bool = True,
) -> Payload:
    key = mapped.get("key")
    if key in (None, ""):
        raise _reject(
            stream, record_id, "required", "id", None, f"the record has no key (the {obj.name}'s key)"
        )
    payload = Payload(obj, stream, record_id, str(key), {}, deleted=deleted, rename=rename)
    body = _prune({k: v for k, v in mapped.items() if k[:1].isupper()})
    for name, limit in _NAME_LIMITS.items():
        if isinstance(body.get(name), str):
            body[name] = body[name].replace(":", "-").strip()[:limit]
    body.update(obj.fixed)
    if obj.key_field in _KEY_LIMITS and len(payload.key) > _KEY_LIMITS[obj.key_field]:
        raise payload.reject(
            "quickbooks.key_length",
            "id",
            payload.key,
            f"the key {payload.key!r} is longer than the {_KEY_LIMITS[obj.key_field]} characters QuickBooks keeps "
            f"in {obj.entity}.{obj.key_field}",
        )
    body[obj.key_field] = obj.marker(payload.key)
    payload.body = body
    if obj.name == "Job":
        payload.ref_key = _text(mapped.get("parent_key"))
        if not payload.ref_key:
            raise payload.reject(
                "required", "client_id", None, "the placement has no client_id (the job's parent Customer)"
            )
    elif obj.name == "Item":
        body["IncomeAccountRef"] = {"value": settings.income_account["value"]}
        if "UnitPrice" in body and not _is_number(body["UnitPrice"]):
            raise payload.reject(
                "number",
                "bill_rate",
                body["UnitPrice"],
                f"the bill rate {body['UnitPrice']!r} is not a number",
            )
    elif obj.name == "Bill":
        _bill(payload, mapped, settings)
    if obj.name_field and not body.get(obj.name_field) and not deleted:
        raise payload.reject(
            "required",
            obj.name_field,
            None,
            f"the record gives the {obj.name} no {obj.name_field} (QuickBooks requires one); map "
            f"mappings.{obj.name}.fields.{obj.name_field}",
        )
    return payload


def _bill(payload: Payload, mapped: dict[str, Any], settings: CompanySettings) -> None:
    body = payload.body
    payload.ref_key = _text(mapped.get("vendor_key"))
    if not payload.ref_key:
        raise payload.reject(
            "required", "worker_id", None, "the payable has no worker_id (the bill's Vendor)"
        )
    amount: Any = mapped.get("amount")
    if not _is_number(amount):
        raise payload.reject(
            "number",
            "amount",
            amount,
            f"the amount {amount!r} is not a number" if amount is not None else "the payable has no amount",
        )
    currency = _text(mapped.get("currency"))
    if currency:
        code = currency.upper()
        if code not in settings.currencies:
            raise payload.reject(
                "quickbooks.currency",
                "currency",
                currency,
                f"the company file {settings.name!r} does not use {code} (it uses "
                + ", ".join(sorted(settings.currencies))
                + "); add the currency in QuickBooks (multicurrency) or send the payable in "
                f"{settings.home_currency}",
            )
        if code != settings.home_currency or len(settings.currencies) > 1:
            body["CurrencyRef"] = {"value": code}
    body["Line"] = _lines(payload, float(amount), mapped, settings)
    doc = body.get("DocNumber")
    if doc is not None:
        doc = str(doc)
        if len(doc) > DOC_NUMBER_LIMIT:  # keep it recognisable and unique: its start and a hash of the whole
            doc = doc[:12] + "~" + hashlib.sha1(doc.encode()).hexdigest()[:8]
        body["DocNumber"] = doc


def _lines(
    payload: Payload, amount: float, mapped: dict[str, Any], settings: CompanySettings
) -> list[dict[str, Any]]:
    account = {"value": settings.expense_account["value"]}
    description = _text(mapped.get("description"))
    items = mapped.get("line_items") or []
    if not isinstance(items, list):
        raise payload.reject("type", "line_items", items, "line_items is not a list")
    lines = []
    details = []
    for i, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise payload.reject("type", f"line_items[{i}]", item, f"line_items[{i}] is not an object")
        line_amount: Any = item.get("amount")
        if not _is_number(line_amount):
            raise payload.reject(
                "number",
                f"line_items[{i}].amount",
                line_amount,
                f"line_items[{i}].amount {line_amount!r} is not a number",
            )
        text = _line_text(item)
        details.append(f"{text} = {_num(line_amount)}")
        lines.append(_line(float(line_amount), text, account))
    if lines and abs(sum(line["Amount"] for line in lines) - amount) < 0.005:
        return lines
    text = description or ""
    if details:  # the lines do not add up to the amount: one line of the amount, with the details
        text = (text + " - " if text else "") + "; ".join(details)
    return [_line(amount, text or None, account)]


def _line(amount: float, description: str | None, account: dict[str, str]) -> dict[str, Any]:
    line: dict[str, Any] = {
        "DetailType": "AccountBasedExpenseLineDetail",
        "Amount": round(amount, 2),
        "AccountBasedExpenseLineDetail": {"AccountRef": dict(account)},
    }
    if description:
        line["Description"] = description[:4000]
    return line


def _line_text(item: Mapping[str, Any]) -> str:
    text = str(item.get("description") or "Line").strip()
    quantity, unit, price = item.get("quantity"), item.get("unit"), item.get("unit_price")
    if quantity is not None and price is not None:
        text += f": {_num(quantity)} {unit or 'x'} x {_num(price)}".replace(" x x ", " x ")
    return text


# comparing ---------------------------------------------------------------------------------------------------
def changes(payload: Payload, existing: Mapping[str, Any]) -> dict[str, Any]:
    """The body's top-level fields whose values differ from ``existing`` (empty: nothing to write).

    Fields are compared as every Staffwire destination compares them (:func:`staffwire.activation.changes`:
    numbers by value, an object on the keys sent, since QuickBooks adds Ids and names), except three that
    QuickBooks keeps in its own way: the name (a disambiguated name is this key's name; kept when the record
    lacked what the name is made of), the key field (a note whose first line is the key marker) and a bill's
    expense lines (compared on amount, description and account)."""
    name_field = payload.obj.name_field
    special: set[str] = set()
    for name, wanted in payload.body.items():
        have = existing.get(name)
        if name == name_field:
            if not payload.rename or same_name(str(have or ""), str(wanted), payload.key):
                continue
        elif name == payload.obj.key_field:
            if isinstance(have, str) and have.split("\n", 1)[0].strip() == wanted:
                continue
        elif name == "Line":
            if _line_view(have) == _line_view(wanted):
                continue
        else:
            continue
        special.add(name)
    own = {name_field, payload.obj.key_field, "Line"}
    differ = special | set(field_changes({k: v for k, v in payload.body.items() if k not in own}, existing))
    return {name: wanted for name, wanted in payload.body.items() if name in differ}


def same_name(have: str, wanted: str, key: str) -> bool:
    """Whether an entity's name is the wanted one, or the wanted one as disambiguated for this key."""
    have = have.strip().lower()
    return have in (wanted.strip().lower(), disambiguated(wanted, key).lower())


def disambiguated(name: str, key: str) -> str:
    """The name used when another customer, vendor or employee holds ``name``: ``Maria Garcia [bullhorn 123]``."""
    suffix = f" [{key.replace(':', ' ')}]"
    return name[: 500 - len(suffix)] + suffix


def _line_view(lines: Any) -> list[tuple[Any, ...]]:
    if not isinstance(lines, list):
        return []
    view = []
    for line in lines:
        if not isinstance(line, Mapping) or line.get("DetailType") != "AccountBasedExpenseLineDetail":
            continue
        detail = line.get("AccountBasedExpenseLineDetail") or {}
        account = (detail.get("AccountRef") or {}).get("value")
        view.append((round(float(line.get("Amount") or 0), 2), line.get("Description") or None, str(account)))
    return view


# helpers -----------------------------------------------------------------------------------------------------
def _prune(value: Any) -> Any:
    """Drop nulls and empty strings, and objects left empty (an address of nulls is no address)."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            pruned = _prune(v)
            if pruned is None or pruned == "" or pruned == {}:
                continue
            out[k] = pruned
        return out
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def _num(value: Any) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:g}"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _reject(
    stream: str, record_id: str, rule: str, field_name: str, value: Any, message: str
) -> RecordRejected:
    return RecordRejected(
        reasons=[Rejection(rule=rule, field=field_name, value=value, message=message)],
        stream=stream,
        record_id=record_id,
    )
