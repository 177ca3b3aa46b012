"""Finding entities again by their key, before any create.

QuickBooks has no external-id field, and the fields that keep Staffwire's key (a Customer's ``Notes``, a Vendor's
``AcctNum``, an Item's ``Sku``, a Bill's ``PrivateNote``) are mostly not queryable, so:

* Customers (clients and jobs), Vendors and Items are read once per run, inactive ones included, page by page
  (``SELECT * FROM Customer WHERE Active IN (true, false) STARTPOSITION n MAXRESULTS 1000``), and indexed by the
  key each carries; what this run writes is added as it goes;
* Bills are looked up per commit by their ``DocNumber`` (queryable; ``WHERE DocNumber IN (...)``), then matched by
  the key in their ``PrivateNote``.

Name lookups (:meth:`Directory.name_holder`) explain DisplayName collisions: names are unique across Customers,
Vendors and Employees, so the holder may be of another kind.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from destination_quickbooks.api import QuickBooksApi, quote
from destination_quickbooks.objects import OBJECTS, QuickBooksObject, marker_of

__all__ = ["Directory"]

_IN_CHUNK = 30


class Directory:
    def __init__(self, api: QuickBooksApi) -> None:
        self.api = api
        self._loaded: set[str] = set()
        self._by_marker: dict[tuple[str, str], dict[str, Any]] = {}  # (entity, marker) -> entity
        self.reads = 0

    def find(self, obj: QuickBooksObject, key: str) -> dict[str, Any] | None:
        return self._by_marker.get((obj.entity, obj.marker(key)))

    def remember(self, obj: QuickBooksObject, entity: dict[str, Any]) -> None:
        marker = marker_of(obj, entity)
        if marker:
            self._by_marker[(obj.entity, marker)] = entity

    def prepare(self, obj: QuickBooksObject, doc_numbers: Iterable[str] = ()) -> None:
        """Make :meth:`find` answer for ``obj``: read its entity list once (Bills: those with these DocNumbers)."""
        if obj.entity == "Bill":
            self._bills([d for d in doc_numbers if d])
            return
        if obj.entity in self._loaded:
            return
        rows = self.api.query_all(obj.entity, "Active IN (true, false)")
        self.reads += 1
        for row in rows:
            for other in OBJECTS:
                if other.entity == obj.entity:
                    self.remember(other, row)
        self._loaded.add(obj.entity)

    def _bills(self, doc_numbers: list[str]) -> None:
        bill = next(o for o in OBJECTS if o.entity == "Bill")
        wanted = sorted(set(doc_numbers))
        for i in range(0, len(wanted), _IN_CHUNK):
            chunk = wanted[i : i + _IN_CHUNK]
            where = "DocNumber IN (" + ", ".join(quote(d) for d in chunk) + ")"
            self.reads += 1
            for row in self.api.query_all("Bill", where):
                self.remember(bill, row)

    def name_holder(self, obj: QuickBooksObject, name: str) -> tuple[str, dict[str, Any]] | None:
        """Who holds ``name`` (entity kind and entity): for DisplayName any Customer, Vendor or Employee; for an
        Item's Name another Item."""
        kinds = ("Item",) if obj.name_field == "Name" else ("Customer", "Vendor", "Employee")
        field = obj.name_field or "DisplayName"
        for kind in kinds:
            clause = f"{field} = {quote(name)} AND Active IN (true, false)"
            rows = self.api.query(f"SELECT * FROM {kind} WHERE {clause}").get(kind) or []
            if rows:
                return kind, rows[0]
        return None
