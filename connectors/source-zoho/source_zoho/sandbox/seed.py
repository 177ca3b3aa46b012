"""The building blocks of the Zoho sandbox's seed data: field metadata, modules, deterministic ids and times.

Shapes follow Zoho's developer guides (settings/modules, settings/fields, records): ids are long numeric strings,
lookups are ``{"name", "id"}``, picklists carry ``pick_list_values``, some fields lack ``json_type`` (as real
custom fields sometimes do) and times are rendered in the org's time zone (``+05:30`` by default).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from staffwire.testing.sandbox import SeededData

__all__ = [
    "BASE_TIME",
    "BILLING_ADDRESS",
    "CRM_ORG",
    "ENVELOPE",
    "ORGS",
    "RECRUIT_ORG",
    "FieldSpec",
    "ModuleSeed",
    "Seeder",
    "company",
    "lookup",
    "module",
    "name_of",
    "owner",
    "person",
    "phones",
    "picklist",
    "refused_metadata",
    "stamp",
    "text",
    "web_tab",
]

BASE_TIME = datetime(2024, 1, 8, 9, 0, 0, tzinfo=timezone.utc)

RECRUIT_ORG = 486812000000
CRM_ORG = 5725767000000
ORGS = {"recruit": RECRUIT_ORG, "crm": CRM_ORG}  # product -> the org number its ids start with


@dataclass(frozen=True)
class FieldSpec:
    """One field of a module's metadata (``settings/fields``)."""

    api_name: str
    data_type: str
    json_type: str | None
    label: str = ""
    custom: bool = False
    picklist: tuple[str, ...] = ()
    lookup_module: str | None = None
    read_only: bool = False
    length: int = 255

    def metadata(self, field_id: str, crm_v3: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": field_id,
            "api_name": self.api_name,
            "field_label": self.label or self.api_name.replace("_", " "),
            "display_label": self.label or self.api_name.replace("_", " "),
            "data_type": self.data_type,
            "length": self.length,
            "read_only": self.read_only,
            "field_read_only": self.read_only,
            "custom_field": self.custom,
            "system_mandatory": self.api_name
            in ("Last_Name", "Posting_Title", "Client_Name", "Account_Name"),
            "visible": True,
            "created_source": "custom" if self.custom else "default",
            "pick_list_values": [
                {"display_value": v, "actual_value": v, "sequence_number": i + 1}
                for i, v in enumerate(self.picklist)
            ]
            if self.data_type in ("picklist", "multiselectpicklist")
            else [],
            "lookup": {},
            "decimal_place": 2 if self.data_type in ("currency", "double") else None,
        }
        if self.json_type is not None:
            out["json_type"] = self.json_type
        if self.lookup_module:
            module: Any = {"api_name": self.lookup_module, "id": "0"} if crm_v3 else self.lookup_module
            out["lookup"] = {
                "display_label": out["field_label"],
                "api_name": self.api_name,
                "module": module,
                "id": field_id,
            }
        return out


Generator = Callable[["Seeder", int], dict[str, Any]]


@dataclass
class ModuleSeed:
    """A module: its settings/modules entry, its fields and how to make its records."""

    api_name: str
    singular: str
    fields: list[FieldSpec]
    count: int = 0
    generate: Generator | None = None
    api_supported: bool = True
    metadata_status: int = 200  # 204, 401 or 403: settings/fields answers that instead of the fields
    generated_type: str = "default"
    scope_name: str = ""  # the module part of a per-module scope, e.g. "candidate"


_AREA_CODES = (
    "212",
    "312",
    "415",
    "512",
    "617",
    "303",
    "206",
    "404",
    "602",
    "305",
    "614",
    "919",
    "314",
    "408",
    "503",
    "615",
    "713",
    "646",
    "720",
    "904",
)


class Seeder:
    """Deterministic ids, owners, times and cross-module references for one product."""

    def __init__(self, seed: int, org: int) -> None:
        self.data = SeededData(seed)
        self.org = org
        self.ids: dict[str, list[str]] = {}
        self.names: dict[str, str] = {}
        self.owners = [
            {"name": "Priya Raman", "id": str(org * 1_000_000 + 78001)},
            {"name": "Daniel Okafor", "id": str(org * 1_000_000 + 78002)},
            {"name": "Sofia Rossi", "id": str(org * 1_000_000 + 78003)},
        ]
        if org == CRM_ORG:  # CRM's user lookups carry the user's email too (reference/crm, real records)
            for user in self.owners:
                user["email"] = user["name"].split()[0].lower() + "@crm.example.com"

    def record_id(self, module_index: int, n: int) -> str:
        return str(self.org * 1_000_000 + module_index * 100_000 + 1000 + n)

    def lookup(self, module: str, n: int) -> dict[str, str] | None:
        ids = self.ids.get(module) or []
        if not ids:
            return None
        rid = ids[n % len(ids)]
        return {"name": self.names[rid], "id": rid}

    def phone(self) -> str:
        """A US number with a real area code (libphonenumber validates area codes)."""
        area = self.data.choice(_AREA_CODES)
        return f"({area}) 555-{self.data.random.randint(100, 9999):04d}"

    def owner(self) -> dict[str, str]:
        return dict(self.data.choice(self.owners))

    def times(self) -> tuple[datetime, datetime]:
        created = self.data.moment(BASE_TIME, 120)
        modified = created + timedelta(seconds=self.data.random.randint(0, 30 * 86400))
        return created, modified


# ------------------------------------------------------------------------------------- field metadata
def text(*names: str) -> list[FieldSpec]:
    return [FieldSpec(name, "text", "string") for name in names]


def phones(*names: str) -> list[FieldSpec]:
    return [FieldSpec(name, "phone", "string") for name in names]


def picklist(name: str, values: tuple[str, ...], label: str = "", *, custom: bool = False) -> FieldSpec:
    return FieldSpec(name, "picklist", "string", label, custom=custom, picklist=values)


def lookup(name: str, module: str) -> FieldSpec:
    return FieldSpec(name, "lookup", "jsonobject", lookup_module=module)


def owner(name: str, label: str = "") -> FieldSpec:
    return FieldSpec(name, "ownerlookup", "jsonobject", label)


ENVELOPE = [
    FieldSpec("Created_Time", "datetime", "string", "Created Time", read_only=True),
    FieldSpec("Modified_Time", "datetime", "string", "Modified Time", read_only=True),
    FieldSpec("Created_By", "ownerlookup", "jsonobject", "Created By", read_only=True),
    FieldSpec("Modified_By", "ownerlookup", "jsonobject", "Modified By", read_only=True),
]
BILLING_ADDRESS = text("Billing_Street", "Billing_City", "Billing_State", "Billing_Code", "Billing_Country")


# --------------------------------------------------------------------------------------------- modules
def module(
    api_name: str, singular: str, fields: list[FieldSpec], generate: Generator, counts: dict[str, int]
) -> ModuleSeed:
    """A module the API serves: its fields plus the record envelope, ``counts[api_name]`` generated records."""
    return ModuleSeed(
        api_name, singular, [*fields, *ENVELOPE], counts[api_name], generate, scope_name=singular
    )


def refused_metadata(api_name: str, singular: str, field_name: str, status: int) -> ModuleSeed:
    """A module without records whose ``settings/fields`` answers ``status`` (204, 401 or 403), as in some orgs."""
    return ModuleSeed(
        api_name, singular, text(field_name), 0, None, metadata_status=status, scope_name=singular
    )


def web_tab(api_name: str, singular: str) -> ModuleSeed:
    """A web tab listed by ``settings/modules`` that the API does not serve."""
    return ModuleSeed(api_name, singular, [], 0, None, api_supported=False, generated_type="web")


def stamp(s: Seeder, rec: dict[str, Any]) -> dict[str, Any]:
    created, modified = s.times()
    owner = s.owner()
    rec.update(
        {"Created_Time": created, "Modified_Time": modified, "Created_By": owner, "Modified_By": owner}
    )
    return rec


def company(s: Seeder, n: int, name_field: str, phone_field: str, street: str) -> dict[str, Any]:
    """A company with a website and a billing address (CRM Accounts, Recruit Clients)."""
    d = s.data
    city, state, zip_code = d.city()
    name = d.company(n + 1)
    return {
        name_field: name,
        phone_field: s.phone(),
        "Website": f"https://www.{name.lower().replace(' ', '')}.example.com",
        "Billing_Street": f"{d.random.randint(10, 999)} {street}",
        "Billing_City": city,
        "Billing_State": state,
        "Billing_Code": zip_code,
        "Billing_Country": "United States",
    }


def person(s: Seeder, n: int, domain: str, *, full_name: bool = False) -> dict[str, Any]:
    """First and last name (``Full_Name`` too when the module has it) and an email address at ``domain``."""
    first, last = s.data.first_name(), s.data.last_name()
    names = {"First_Name": first, "Last_Name": last}
    if full_name:
        names["Full_Name"] = f"{first} {last}"
    return {**names, "Email": s.data.email(first, last, n, domain)}


def name_of(module: str, rec: dict[str, Any]) -> str:
    """The display name a lookup to this record shows."""
    for key in (
        "Full_Name",
        "Client_Name",
        "Account_Name",
        "Posting_Title",
        "Deal_Name",
        "Interview_Name",
        "Department_Name",
        "Application_ID",
    ):
        if rec.get(key):
            return str(rec[key])
    return f"{rec.get('First_Name', '')} {rec.get('Last_Name', '')}".strip() or module
