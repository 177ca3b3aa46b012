"""One QuickBooks company file: its entities and the rules QuickBooks enforces when they are written.

* Ids are per-entity counters (strings); every write raises ``SyncToken`` by one; an update must carry the
  current ``SyncToken`` or fails with 5010 Stale Object Error (re-read, reapply, resend);
* ``DisplayName`` is unique across Customers (jobs included), Vendors and Employees, without regard to case
  (6240 Duplicate Name Exists Error); an Item's ``Name`` is unique among Items;
* a job is a Customer with ``Job: true`` and a ``ParentRef`` to an existing Customer; its ``FullyQualifiedName``
  is ``Parent:Child`` and a name may not contain the colon;
* a Service Item needs an existing income account; a Bill needs an existing Vendor, at least one line with a
  numeric ``Amount`` and an existing account (or item), and a currency the company uses; QuickBooks computes
  ``TotalAmt`` and ``Balance``;
* ``sparse: true`` updates change only the fields sent; a full update replaces the writable fields.

Response fields QuickBooks adds (``domain``, ``sparse``, ``MetaData``, ``CurrencyRef``, ``PrintOnCheckName``,
``Balance``, address ``Id``s, ...) follow the vendored example bodies in ``destination_quickbooks/reference``.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Iterable
from datetime import date, datetime, timezone
from typing import Any

from destination_quickbooks.sandbox.faults import (
    COMPANY_TZ,
    QboFault,
    duplicate_name,
    invalid_reference,
    meta_time,
    required,
    stale_object,
)

__all__ = ["CURRENCY_NAMES", "WRITABLE", "Company"]

#: Entities the sandbox accepts writes for (path segment -> entity name).
WRITABLE = {
    "customer": "Customer",
    "vendor": "Vendor",
    "item": "Item",
    "bill": "Bill",
    "employee": "Employee",
}
CURRENCY_NAMES = {
    "USD": "United States Dollar",
    "CAD": "Canadian Dollar",
    "EUR": "Euro",
    "GBP": "British Pound Sterling",
    "AUD": "Australian Dollar",
}
_NAMED = ("Customer", "Vendor", "Employee")
_NAME_PARTS = ("Title", "GivenName", "MiddleName", "FamilyName", "Suffix")
_SYSTEM = frozenset({"Id", "SyncToken", "MetaData", "domain", "sparse", "time"})
_ADDRESSES = ("BillAddr", "ShipAddr")


class Company:
    """The entities of one realm. Not thread-safe: the sandbox serialises writes with its lock."""

    def __init__(self, realm_id: str, name: str, currencies: Iterable[str] = ("USD",)) -> None:
        self.realm_id = realm_id
        self.name = name
        self.currencies = [c.upper() for c in currencies]
        self.home_currency = self.currencies[0]
        self.entities: dict[str, dict[str, dict[str, Any]]] = {
            e: {} for e in ("Customer", "Vendor", "Employee", "Item", "Bill", "Account")
        }
        self._ids = {e: itertools.count(1) for e in self.entities}
        self._address_ids = itertools.count(200)
        self._line_ids = itertools.count(1)

    # reading ---------------------------------------------------------------------------------------------
    def get(self, entity: str, entity_id: str) -> dict[str, Any]:
        found = self.entities.get(entity, {}).get(str(entity_id))
        if found is None:
            raise QboFault(
                "610",
                "Object Not Found",
                f"Object Not Found : Something you're trying to use has been made inactive. Check the fields with "
                f"accounts, customers, items, vendors or employees. ({entity} {entity_id})",
            )
        return found

    def all(self, entity: str) -> list[dict[str, Any]]:
        if entity == "Preferences":
            return [self.preferences()]
        if entity == "CompanyInfo":
            return [self.company_info()]
        if entity == "CompanyCurrency":
            return [
                {"Id": str(i), "Code": code, "Name": CURRENCY_NAMES.get(code, code), "Active": True}
                for i, code in enumerate(self.currencies[1:], start=1)
            ]
        return list(self.entities.get(entity, {}).values())

    def preferences(self) -> dict[str, Any]:
        return {
            "domain": "QBO",
            "sparse": False,
            "Id": "1",
            "SyncToken": "0",
            "CurrencyPrefs": {
                "MultiCurrencyEnabled": len(self.currencies) > 1,
                "HomeCurrency": {"value": self.home_currency},
            },
        }

    def company_info(self) -> dict[str, Any]:
        return {
            "domain": "QBO",
            "sparse": False,
            "Id": "1",
            "SyncToken": "0",
            "CompanyName": self.name,
            "LegalName": self.name,
            "Country": "US",
            "SupportedLanguages": "en",
            "DefaultTimeZone": "America/Los_Angeles",
            "MetaData": {"CreateTime": "2014-09-11T16:38:43-07:00"},
        }

    def name_owner(
        self, display_name: str, *, besides: tuple[str, str] | None = None
    ) -> dict[str, Any] | None:
        """The Customer, Vendor or Employee using ``display_name`` (any case), other than ``besides``."""
        wanted = display_name.strip().lower()
        for entity in _NAMED:
            for found in self.entities[entity].values():
                if besides == (entity, found["Id"]):
                    continue
                if str(found.get("DisplayName", "")).strip().lower() == wanted:
                    return found
        return None

    # writing ---------------------------------------------------------------------------------------------
    def seed(self, entity: str, body: dict[str, Any], **system: Any) -> dict[str, Any]:
        """Add an entity as it already exists in the company (seed data), keeping the system fields given."""
        created = self.create(entity, body)
        created.update(system)
        return created

    def create(self, entity: str, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise QboFault("2010", "Request has invalid or unsupported property", "The body is not an object")
        if body.get("Id") not in (None, ""):
            return self.update(entity, body)
        fresh = {k: copy.deepcopy(v) for k, v in body.items() if k not in _SYSTEM}
        built = self._build(entity, fresh, None)
        built["Id"] = str(next(self._ids[entity]))
        now = meta_time()
        built["SyncToken"] = "0"
        built["MetaData"] = {"CreateTime": now, "LastUpdatedTime": now}
        self._finish(entity, built)
        self.entities[entity][built["Id"]] = built
        return built

    def update(self, entity: str, body: dict[str, Any]) -> dict[str, Any]:
        current = self.get(entity, str(body.get("Id")))
        token = body.get("SyncToken")
        if token in (None, ""):
            raise required("SyncToken")
        if str(token) != current["SyncToken"]:
            raise stale_object()
        changes = {k: copy.deepcopy(v) for k, v in body.items() if k not in _SYSTEM}
        if body.get("sparse") is True:
            merged = {k: copy.deepcopy(v) for k, v in current.items() if k not in _SYSTEM}
            merged.update(changes)
        else:
            merged = changes
        built = self._build(entity, merged, current)
        built["Id"] = current["Id"]
        built["SyncToken"] = str(int(current["SyncToken"]) + 1)
        built["MetaData"] = {"CreateTime": current["MetaData"]["CreateTime"], "LastUpdatedTime": meta_time()}
        self._finish(entity, built)
        self.entities[entity][built["Id"]] = built
        return built

    def touch(self, entity: str, entity_id: str, **changes: Any) -> dict[str, Any]:
        """Another user edits an entity in QuickBooks (its SyncToken moves on)."""
        current = self.get(entity, entity_id)
        return self.update(
            entity, {**changes, "Id": entity_id, "SyncToken": current["SyncToken"], "sparse": True}
        )

    # rules ---------------------------------------------------------------------------------------------------
    def _build(self, entity: str, body: dict[str, Any], current: dict[str, Any] | None) -> dict[str, Any]:
        if entity in _NAMED:
            return self._person(entity, body, current)
        if entity == "Item":
            return self._item(body, current)
        if entity == "Bill":
            return self._bill(body)
        if entity == "Account":
            body.setdefault("Active", True)
            body.setdefault("FullyQualifiedName", body.get("Name"))
            return body
        raise QboFault("500", "Unsupported Operation", f"Operation create is not supported for {entity}")

    def _person(self, entity: str, body: dict[str, Any], current: dict[str, Any] | None) -> dict[str, Any]:
        name = body.get("DisplayName")
        if name in (None, ""):
            parts = [str(body[p]).strip() for p in _NAME_PARTS if body.get(p)]
            if not parts:
                raise required("DisplayName")
            name = " ".join(parts)
        if not isinstance(name, str):
            raise _bad_property("DisplayName")
        name = name.strip()
        if ":" in name:
            raise QboFault(
                "6000",
                "A business validation error has occurred while processing your request",
                "Business Validation Error: The name cannot contain a colon (:).",
                "DisplayName",
            )
        if self.name_owner(name, besides=(entity, current["Id"]) if current else None) is not None:
            raise duplicate_name()
        body["DisplayName"] = name
        for address in _ADDRESSES:
            if isinstance(body.get(address), dict) and "Id" not in body[address]:
                body[address]["Id"] = str(next(self._address_ids))
        body.setdefault("PrintOnCheckName", body.get("CompanyName") or name)
        body.setdefault("Active", True)
        body.setdefault("Balance", 0)
        if entity == "Customer":
            self._customer(body)
        elif entity == "Vendor":
            body.setdefault("Vendor1099", False)
            body.setdefault("CurrencyRef", self._currency_ref(None))
        return body

    def _customer(self, body: dict[str, Any]) -> None:
        body.setdefault("Job", False)
        body.setdefault("BillWithParent", False)
        body.setdefault("Taxable", False)
        body.setdefault("BalanceWithJobs", body.get("Balance", 0))
        body.setdefault("PreferredDeliveryMethod", "Print")
        body.setdefault("CurrencyRef", self._currency_ref(None))
        parent_ref = body.get("ParentRef")
        if body.get("Job") is True or parent_ref:
            if not isinstance(parent_ref, dict) or not parent_ref.get("value"):
                raise required("ParentRef")
            parent = self.entities["Customer"].get(str(parent_ref["value"]))
            if parent is None:
                raise invalid_reference("ParentRef", parent_ref["value"])
            body["ParentRef"] = {"value": parent["Id"]}
            body["Level"] = int(parent.get("Level", 0)) + 1
            body["FullyQualifiedName"] = f"{parent['FullyQualifiedName']}:{body['DisplayName']}"
        else:
            body.pop("Level", None)
            body["FullyQualifiedName"] = body["DisplayName"]

    def _item(self, body: dict[str, Any], current: dict[str, Any] | None) -> dict[str, Any]:
        name = body.get("Name")
        if not isinstance(name, str) or not name.strip():
            raise required("Name")
        name = name.strip()
        if ":" in name:
            raise QboFault(
                "6000",
                "A business validation error has occurred while processing your request",
                "Business Validation Error: The name cannot contain a colon (:).",
                "Name",
            )
        for other in self.entities["Item"].values():
            if (current is None or other["Id"] != current["Id"]) and other["Name"].lower() == name.lower():
                raise duplicate_name("product or service")
        body["Name"] = name
        body.setdefault("Type", "Service")
        if body["Type"] in ("Service", "NonInventory"):
            ref = body.get("IncomeAccountRef")
            if not isinstance(ref, dict) or not ref.get("value"):
                raise required("IncomeAccountRef")
            body["IncomeAccountRef"] = self._account_ref(ref, "IncomeAccountRef")
        for number in ("UnitPrice", "PurchaseCost"):
            body.setdefault(number, 0)
            if isinstance(body[number], bool) or not isinstance(body[number], int | float):
                raise _bad_property(number)
        body.setdefault("Active", True)
        body.setdefault("Taxable", False)
        body.setdefault("TrackQtyOnHand", False)
        body["FullyQualifiedName"] = name
        return body

    def _bill(self, body: dict[str, Any]) -> dict[str, Any]:
        ref = body.get("VendorRef")
        if not isinstance(ref, dict) or not ref.get("value"):
            raise required("VendorRef")
        vendor = self.entities["Vendor"].get(str(ref["value"]))
        if vendor is None:
            raise invalid_reference("VendorRef", ref["value"])
        body["VendorRef"] = {"name": vendor["DisplayName"], "value": vendor["Id"]}
        lines = body.get("Line")
        if not isinstance(lines, list) or not lines:
            raise required("Line")
        total = 0.0
        for line in lines:
            total += self._expense_line(line)
        body["CurrencyRef"] = self._currency_ref(body.get("CurrencyRef"))
        today = datetime.now(timezone.utc).astimezone(COMPANY_TZ).date().isoformat()
        body["TxnDate"] = _date(body.get("TxnDate"), "TxnDate") or today
        body["DueDate"] = _date(body.get("DueDate"), "DueDate") or body["TxnDate"]
        body["TotalAmt"] = round(total, 2)
        body["Balance"] = body["TotalAmt"]
        ap = next(a for a in self.entities["Account"].values() if a.get("AccountType") == "Accounts Payable")
        body["APAccountRef"] = {"name": ap["Name"], "value": ap["Id"]}
        return body

    def _expense_line(self, line: Any) -> float:
        if not isinstance(line, dict):
            raise _bad_property("Line")
        amount = line.get("Amount")
        if isinstance(amount, bool) or not isinstance(amount, int | float):
            raise _bad_property("Amount")
        kind = line.get("DetailType")
        if kind not in ("AccountBasedExpenseLineDetail", "ItemBasedExpenseLineDetail"):
            raise QboFault("2170", "Invalid Enumeration", f"Invalid Enumeration : {kind}", "DetailType")
        detail = line.get(kind)
        if not isinstance(detail, dict):
            raise required(kind)
        if kind == "AccountBasedExpenseLineDetail":
            detail["AccountRef"] = self._account_ref(detail.get("AccountRef"), "AccountRef")
            detail.setdefault("BillableStatus", "NotBillable")
            detail.setdefault("TaxCodeRef", {"value": "NON"})
        else:
            item_ref = detail.get("ItemRef")
            if not isinstance(item_ref, dict) or str(item_ref.get("value")) not in self.entities["Item"]:
                raise invalid_reference("ItemRef", (item_ref or {}).get("value"))
        line.setdefault("Id", str(next(self._line_ids)))
        return float(amount)

    def _account_ref(self, ref: Any, element: str) -> dict[str, Any]:
        if not isinstance(ref, dict) or not ref.get("value"):
            raise required(element)
        account = self.entities["Account"].get(str(ref["value"]))
        if account is None:
            raise invalid_reference(element, ref["value"])
        return {"name": account["Name"], "value": account["Id"]}

    def _currency_ref(self, ref: Any) -> dict[str, Any]:
        code = self.home_currency
        if ref is not None:
            if not isinstance(ref, dict) or not isinstance(ref.get("value"), str):
                raise _bad_property("CurrencyRef")
            code = ref["value"].upper()
        if code not in self.currencies:
            raise QboFault(
                "6000",
                "A business validation error has occurred while processing your request",
                f"Business Validation Error: The currency {code} is not used by this company. Add it to the "
                "company's currency list (multicurrency) or use the home currency "
                f"{self.home_currency}.",
                "CurrencyRef",
            )
        return {"value": code, "name": CURRENCY_NAMES.get(code, code)}

    def _finish(self, entity: str, built: dict[str, Any]) -> None:
        built["domain"] = "QBO"
        built["sparse"] = False


def _date(value: Any, element: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(value))
        if match is None:
            raise ValueError(value)
        return date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        raise QboFault(
            "2010",
            "Request has invalid or unsupported property",
            f"Property Name:{element} specified is unsupported or invalid (a date is YYYY-MM-DD)",
            element,
        ) from None


def _bad_property(element: str) -> QboFault:
    return QboFault(
        "2010",
        "Request has invalid or unsupported property",
        f"Property Name:{element} specified is unsupported or invalid",
        element,
    )
