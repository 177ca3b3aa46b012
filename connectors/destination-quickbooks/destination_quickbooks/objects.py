"""What destination-quickbooks writes: one declarative table of QuickBooks objects.

Each :class:`QuickBooksObject` names the QuickBooks entity it becomes, the standard stream it is read from, its
matching key (the standard ``id``, kept in a QuickBooks field so the entity is found again before any create),
the objects it depends on, and its default mapping: target field -> field spec of :mod:`staffwire.mapping`.
Targets with a capital letter are QuickBooks fields (dot paths nest: ``PrimaryEmailAddr.Address``); lower-case
targets are this connector's own inputs, turned into QuickBooks fields by :mod:`destination_quickbooks.payloads`:

* ``key`` (every object): the stable key, normally the standard ``id``;
* ``parent_key`` (Job): the key of the client whose Customer is the job's parent;
* ``vendor_key`` (Bill): the key of the worker whose Vendor the bill is to;
* ``amount``, ``currency``, ``line_items``, ``description`` (Bill).

The table is the single source of what the connector can write (it is also what a destination catalog exposes:
object names, the input stream, sync modes and matching keys). A connection changes a mapping through the
config's ``mappings`` (see :mod:`destination_quickbooks.mapping`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from staffwire.activation import DestinationObject

__all__ = [
    "KEY_PREFIX",
    "OBJECTS",
    "QuickBooksObject",
    "describe_objects",
    "destination_objects",
    "key_marker",
    "marker_of",
    "object_named",
]

#: The prefix of the key marker written into a Customer's or a Bill's note.
KEY_PREFIX = "staffwire-key: "

_ADDRESS = {
    "BillAddr.Line1": "address.line1",
    "BillAddr.Line2": "address.line2",
    "BillAddr.City": "address.city",
    "BillAddr.CountrySubDivisionCode": "address.state",
    "BillAddr.PostalCode": "address.postal_code",
    "BillAddr.Country": "address.country",
}


@dataclass(frozen=True)
class QuickBooksObject:
    """One kind of QuickBooks entity this destination writes."""

    name: str  #: the destination object name (Customer, Job, Item, Vendor, Bill)
    entity: str  #: the QuickBooks entity (a Job is a Customer with Job=true)
    stream: str  #: the standard input stream it is read from by default
    key_field: str  #: the QuickBooks field that keeps the key (and how the entity is found again)
    name_field: str | None  #: the unique name QuickBooks enforces (DisplayName / Name), if any
    description: str
    fields: Mapping[str, Any]
    when: Mapping[str, Any] | None = None
    depends_on: tuple[str, ...] = ()
    required: tuple[str, ...] = ("key",)
    #: fixed QuickBooks fields (not mappable)
    fixed: Mapping[str, Any] = field(default_factory=dict)
    matching_keys: tuple[tuple[str, ...], ...] = (("id",),)
    sync_modes: tuple[str, ...] = ("append_dedup",)

    def marker(self, key: str) -> str:
        """The value kept in :attr:`key_field` for ``key``."""
        return key_marker(self, key)


def key_marker(obj: QuickBooksObject, key: str) -> str:
    """A note field holds ``staffwire-key: <object>/<key>`` on its first line (a client and a placement may share
    an id, and both are Customers); a field made for ids (AcctNum, Sku) holds the key itself."""
    return f"{KEY_PREFIX}{obj.name}/{key}" if obj.key_field in ("Notes", "PrivateNote") else key


def marker_of(obj: QuickBooksObject, entity: dict[str, Any]) -> str | None:
    """The key marker an entity carries in ``obj``'s key field (the first line of a note), if any."""
    value = entity.get(obj.key_field)
    if not isinstance(value, str) or not value:
        return None
    if obj.key_field in ("Notes", "PrivateNote"):
        first = value.split("\n", 1)[0].strip()
        return first if first.startswith(KEY_PREFIX) else None
    return value


OBJECTS: tuple[QuickBooksObject, ...] = (
    QuickBooksObject(
        name="Customer",
        entity="Customer",
        stream="clients",
        key_field="Notes",
        name_field="DisplayName",
        description="A client company becomes a Customer.",
        fields=MappingProxyType(
            {
                "key": "id",
                "DisplayName": {"path": "name", "transforms": ["trim"]},
                "CompanyName": {"path": "name", "transforms": ["trim"]},
                "PrimaryPhone.FreeFormNumber": "phone",
                "WebAddr.URI": "website",
                **_ADDRESS,
            }
        ),
    ),
    QuickBooksObject(
        name="Job",
        entity="Customer",
        stream="placements",
        key_field="Notes",
        name_field="DisplayName",
        description="A placement becomes a sub-customer job under its client's Customer, named after the worker, "
        "the job title and the start date.",
        fields=MappingProxyType(
            {
                "key": "id",
                "parent_key": "client_id",
                "DisplayName": {"template": "{worker_name} - {job_title} ({start_date})"},
                "BillWithParent": {"const": True},
            }
        ),
        depends_on=("Customer",),
        required=("key", "parent_key"),
        fixed=MappingProxyType({"Job": True}),
    ),
    QuickBooksObject(
        name="Item",
        entity="Item",
        stream="placements",
        key_field="Sku",
        name_field="Name",
        description="A placement's bill rate becomes a Service item (invoices for the job use it).",
        fields=MappingProxyType(
            {
                "key": "id",
                "Name": {"template": "{job_title} - {worker_name} ({remote_id})"},
                "Description": {
                    "template": "Bill rate per {pay_unit}: {worker_name}, {job_title}, from {start_date}"
                },
                "UnitPrice": {"path": "bill_rate", "transforms": ["money"]},
            }
        ),
        when=MappingProxyType({"field": "bill_rate", "exists": True}),
        fixed=MappingProxyType({"Type": "Service"}),
    ),
    QuickBooksObject(
        name="Vendor",
        entity="Vendor",
        stream="candidates",
        key_field="AcctNum",
        name_field="DisplayName",
        description="A contractor (by default: a placed candidate) becomes a 1099 Vendor.",
        fields=MappingProxyType(
            {
                "key": "id",
                "DisplayName": {"template": "{first_name} {last_name}"},
                "GivenName": {"path": "first_name", "transforms": ["trim"]},
                "FamilyName": {"path": "last_name", "transforms": ["trim"]},
                "PrimaryEmailAddr.Address": "email",
                "PrimaryPhone.FreeFormNumber": "phone",
                "Mobile.FreeFormNumber": "mobile",
                **_ADDRESS,
            }
        ),
        when=MappingProxyType({"field": "status", "in": ["placed"]}),
        fixed=MappingProxyType({"Vendor1099": True}),
    ),
    QuickBooksObject(
        name="Bill",
        entity="Bill",
        stream="payables",
        key_field="PrivateNote",
        name_field=None,
        description="A payable becomes a Bill to the worker's Vendor, one expense line per line item.",
        fields=MappingProxyType(
            {
                "key": "id",
                "vendor_key": "worker_id",
                "amount": "amount",
                "currency": "currency",
                "line_items": "line_items",
                "description": "description",
                "DocNumber": "reference",
                "DueDate": "due_date",
            }
        ),
        depends_on=("Vendor",),
        required=("key", "vendor_key", "amount"),
    ),
)

_BY_NAME = {o.name: o for o in OBJECTS}


def object_named(name: str) -> QuickBooksObject:
    return _BY_NAME[name]


def describe_objects() -> list[dict[str, Any]]:
    """The table as plain data, one entry per object (what a destination catalog lists): name, entity, input
    stream, sync modes, matching keys, key field, default fields and condition."""
    return [
        {
            "name": o.name,
            "entity": o.entity,
            "stream": o.stream,
            "description": o.description,
            "sync_modes": list(o.sync_modes),
            "matching_keys": [list(k) for k in o.matching_keys],
            "key_field": o.key_field,
            "depends_on": list(o.depends_on),
            "fields": dict(o.fields),
            "when": dict(o.when) if o.when else None,
        }
        for o in OBJECTS
    ]


#: JSON types of the mapped fields that are not strings (every field may be null: a null is left out)
_TYPES: dict[str, Any] = {
    "BillWithParent": "boolean",
    "UnitPrice": "number",
    "amount": "number",
    "line_items": "array",
    "DueDate": "string",
}

#: what the connector's own (lower-case) fields mean
_OWN_FIELDS = {
    "parent_key": "The key of the client whose Customer is the job's parent (a Customer this connector wrote).",
    "vendor_key": "The key of the worker whose Vendor the bill is to (a Vendor this connector wrote).",
    "amount": "The bill's total.",
    "currency": "ISO 4217 code; must be one the company file uses.",
    "line_items": "[{description, quantity, unit, unit_price, amount}]: one expense line each when they add up "
    "to the amount.",
    "description": "The bill line's description.",
}


def _schema(obj: QuickBooksObject) -> dict[str, Any]:
    """The object's fields as a JSON schema: ``id`` (its matching key), the QuickBooks fields of its default
    mapping (dot paths nested) and the connector's own fields."""
    properties: dict[str, Any] = {
        "id": {
            "type": "string",
            "description": f"Staffwire's stable key of the record (the standard id; mapped as 'key'), kept in "
            f"{obj.entity}.{obj.key_field}: how the {obj.name} is found again before any create.",
        }
    }
    for target in obj.fields:
        if target == "key":
            continue
        node = properties
        *parents, leaf = target.split(".")
        for part in parents:
            node = node.setdefault(part, {"type": ["object", "null"], "properties": {}})["properties"]
        prop: dict[str, Any] = {"type": [_TYPES.get(leaf, "string"), "null"]}
        if leaf == "DueDate":
            prop["format"] = "date"
        if leaf in _OWN_FIELDS:
            prop["description"] = _OWN_FIELDS[leaf]
        node[leaf] = prop
    return {"type": "object", "additionalProperties": True, "properties": properties}


def destination_objects() -> tuple[DestinationObject, ...]:
    """The table as the SDK's data-activation objects (what ``discover`` answers and ``write`` binds to)."""
    return tuple(
        DestinationObject(o.name, _schema(o), o.sync_modes, o.matching_keys, o.description) for o in OBJECTS
    )
