"""Zoho records -> the standard staffing streams, declared as data.

Each :class:`StandardSpec` names the Zoho module it reads and maps every target field from a field path with a
chain of ``staffwire.mapping`` transforms (``trim``, ``email``, ``phone``, ``datetime``, ``prefix`` ...);
statuses go through ``staffwire.mapping`` value maps (defaults below, merged with the connection's
``status_maps``; a value nobody listed becomes ``other`` and ``original_status`` keeps the Zoho word).
Custom fields (``custom_field: true`` in the module's metadata) land in ``custom_fields`` by API name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from staffwire.errors import RecordRejected, Rejection
from staffwire.mapping.paths import compile_path
from staffwire.mapping.problems import Reject
from staffwire.mapping.timeparse import to_utc_datetime
from staffwire.mapping.transforms import BuildContext, compile_transform
from staffwire.mapping.valuemaps import ValueMap
from staffwire.standard import model_for

__all__ = [
    "COUNTRY_NAMES",
    "STATUS_VALUES",
    "StandardSpec",
    "compile_spec",
    "specs_for",
]

Rule = Mapping[str, Any]  # {"from": path, "transforms": [...], "status": stream} or {"object": {...}}

STATUS_VALUES: dict[str, tuple[str, ...]] = {
    "candidates": ("new", "active", "placed", "inactive", "do_not_use", "other"),
    "jobs": ("open", "on_hold", "filled", "closed", "draft", "other"),
    "clients": ("prospect", "active", "inactive", "other"),
    "contacts": ("active", "inactive", "other"),
    "submissions": (
        "new",
        "submitted",
        "client_submitted",
        "interview",
        "offer",
        "placed",
        "rejected",
        "withdrawn",
        "other",
    ),
    "interviews": ("scheduled", "completed", "cancelled", "no_show", "other"),
}

DEFAULT_STATUS_MAPS: dict[str, dict[str, dict[str, str]]] = {
    "recruit": {
        "candidates": {
            "New": "new",
            "Waiting-for-Evaluation": "new",
            "Not Contacted": "new",
            "Qualified": "active",
            "Contacted": "active",
            "Contact in Future": "active",
            "Attempted to Contact": "active",
            "Associated": "active",
            "Submitted-to-client": "active",
            "Approved by client": "active",
            "Interview-to-be-Scheduled": "active",
            "Interview-Scheduled": "active",
            "Interview-in-Progress": "active",
            "Offer-Made": "active",
            "Offer-Accepted": "active",
            "Hired": "placed",
            "Joined": "placed",
            "Converted - Employee": "placed",
            "On-Hold": "inactive",
            "Rejected": "inactive",
            "Unqualified": "inactive",
            "Rejected-Hirable": "inactive",
            "Rejected by client": "inactive",
            "Offer-Declined": "inactive",
            "Offer-Withdrawn": "inactive",
            "No-Show": "inactive",
            "Junk candidate": "do_not_use",
        },
        "jobs": {
            "In-progress": "open",
            "Waiting for approval": "draft",
            "Submitted by client": "draft",
            "On-Hold": "on_hold",
            "Filled": "filled",
            "Cancelled": "closed",
            "Declined": "closed",
            "Inactive": "closed",
        },
        "clients": {"Active": "active", "Inactive": "inactive", "Prospect": "prospect"},
        "contacts": {"Active": "active", "Inactive": "inactive"},
        "submissions": {
            "New": "new",
            "Associated": "submitted",
            "Qualified": "submitted",
            "Submitted-to-client": "client_submitted",
            "Approved by client": "client_submitted",
            "Interview-to-be-Scheduled": "interview",
            "Interview-Scheduled": "interview",
            "Interview-in-Progress": "interview",
            "Offer-Made": "offer",
            "Offer-Accepted": "offer",
            "Hired": "placed",
            "Joined": "placed",
            "Converted - Employee": "placed",
            "Rejected": "rejected",
            "Rejected by client": "rejected",
            "Rejected-for-Interview": "rejected",
            "Unqualified": "rejected",
            "Offer-Declined": "withdrawn",
            "Withdrawn": "withdrawn",
        },
        "interviews": {
            "Scheduled": "scheduled",
            "Completed": "completed",
            "Cancelled": "cancelled",
            "No-Show": "no_show",
        },
    },
    "crm": {
        "clients": {
            "Customer": "active",
            "Partner": "active",
            "Reseller": "active",
            "Vendor": "active",
            "Prospect": "prospect",
            "Former Customer": "inactive",
            "Inactive": "inactive",
        },
        "contacts": {"Active": "active", "Inactive": "inactive"},
    },
}
EMPLOYMENT_TYPES = {
    "Full time": "permanent",
    "Part time": "permanent",
    "Permanent": "permanent",
    "Temporary": "temporary",
    "Seasonal": "temporary",
    "Contract": "contract",
    "Freelance": "contract",
    "Contract to hire": "contract_to_hire",
    "Temp to perm": "contract_to_hire",
}
COUNTRY_NAMES = {
    "united states": "US",
    "united states of america": "US",
    "usa": "US",
    "u.s.": "US",
    "us": "US",
    "canada": "CA",
    "mexico": "MX",
    "united kingdom": "GB",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "ireland": "IE",
    "india": "IN",
    "australia": "AU",
    "new zealand": "NZ",
    "germany": "DE",
    "france": "FR",
    "spain": "ES",
    "italy": "IT",
    "netherlands": "NL",
    "belgium": "BE",
    "switzerland": "CH",
    "austria": "AT",
    "sweden": "SE",
    "norway": "NO",
    "denmark": "DK",
    "finland": "FI",
    "poland": "PL",
    "portugal": "PT",
    "japan": "JP",
    "china": "CN",
    "singapore": "SG",
    "united arab emirates": "AE",
    "uae": "AE",
    "saudi arabia": "SA",
    "south africa": "ZA",
    "brazil": "BR",
    "philippines": "PH",
}


def _from(path: str, *transforms: Any) -> dict[str, Any]:
    return {"from": path, "transforms": list(transforms)}


def _phone(path: str) -> dict[str, Any]:
    """Phones are normalised to E.164; one Zoho cannot parse is left out (null) rather than costing the record."""
    return {"from": path, "transforms": [{"phone": "US"}], "soft": True}


def _status(path: str, stream: str) -> dict[str, Any]:
    return {"from": path, "status": stream}


def _address(street: str, city: str, state: str, code: str, country: str) -> dict[str, Any]:
    return {
        "object": {
            "line1": _from(street, "trim"),
            "city": _from(city, "trim"),
            "state": _from(state, "trim"),
            "postal_code": _from(code, "trim"),
            "country": {"from": country, "country": True},
        }
    }


def _ref(path: str, system: str) -> dict[str, Any]:
    return _from(path, "string", {"prefix": f"{system}:"})


def _owner(path: str, system: str) -> dict[str, Any]:
    return {"object": {"id": _ref(f"{path}.id", system), "name": _from(f"{path}.name", "trim")}}


@dataclass(frozen=True)
class StandardSpec:
    """One standard stream of one product: the module it reads and its field rules."""

    stream: str
    module: str
    fields: dict[str, Rule]
    extra: dict[str, Any] = field(default_factory=dict)


def specs_for(product: str) -> list[StandardSpec]:
    """The standard streams a product has data for."""
    s = "zoho_recruit" if product == "recruit" else "zoho_crm"
    if product == "crm":
        return [
            StandardSpec(
                "clients",
                "Accounts",
                {
                    "name": _from("Account_Name", "trim"),
                    "status": _status("Account_Type", "clients"),
                    "original_status": _from("Account_Type"),
                    "phone": _phone("Phone"),
                    "website": _from("Website", "trim"),
                    "address": _address(
                        "Billing_Street", "Billing_City", "Billing_State", "Billing_Code", "Billing_Country"
                    ),
                },
            ),
            StandardSpec(
                "contacts",
                "Contacts",
                {
                    "client_id": _ref("Account_Name.id", s),
                    "first_name": _from("First_Name", "trim"),
                    "last_name": _from("Last_Name", "trim"),
                    "email": _from("Email", "email"),
                    "phone": _phone("Phone"),
                    "title": _from("Title", "trim"),
                    "status": _status("Contact_Status", "contacts"),
                    "original_status": _from("Contact_Status"),
                },
            ),
        ]
    return [
        StandardSpec(
            "candidates",
            "Candidates",
            {
                "first_name": _from("First_Name", "trim"),
                "last_name": _from("Last_Name", "trim"),
                "email": _from("Email", "email"),
                "phone": _phone("Phone"),
                "mobile": _phone("Mobile"),
                "address": _address("Street", "City", "State", "Zip_Code", "Country"),
                "status": _status("Candidate_Status", "candidates"),
                "original_status": _from("Candidate_Status"),
                "owner": _owner("Candidate_Owner", s),
                "source": _from("Source", "trim"),
                "skills": _from("Skill_Set", {"split": ","}),
            },
        ),
        StandardSpec(
            "jobs",
            "JobOpenings",
            {
                "title": _from("Posting_Title", "trim"),
                "description": _from("Job_Description", "trim"),
                "client_id": _ref("Client_Name.id", s),
                "contact_id": _ref("Contact_Name.id", s),
                "status": _status("Job_Opening_Status", "jobs"),
                "original_status": _from("Job_Opening_Status"),
                "employment_type": _from(
                    "Job_Type", {"lookup": {"table": EMPLOYMENT_TYPES, "default": "other"}}
                ),
                "openings": _from("Number_of_Positions", "integer"),
                "location": {
                    "object": {
                        "city": _from("City", "trim"),
                        "state": _from("State", "trim"),
                        "postal_code": _from("Zip_Code", "trim"),
                        "country": {"from": "Country", "country": True},
                    }
                },
                "currency": _from("Currency", "currency"),
                "start_date": _from("Date_Opened", "date"),
                "end_date": _from("Target_Date", "date"),
                "owner": _owner("Account_Manager", s),
            },
        ),
        StandardSpec(
            "clients",
            "Clients",
            {
                "name": _from("Client_Name", "trim"),
                "status": _status("Client_Status", "clients"),
                "original_status": _from("Client_Status"),
                "phone": _phone("Contact_Number"),
                "website": _from("Website", "trim"),
                "address": _address(
                    "Billing_Street", "Billing_City", "Billing_State", "Billing_Code", "Billing_Country"
                ),
            },
        ),
        StandardSpec(
            "contacts",
            "Contacts",
            {
                "client_id": _ref("Client_Name.id", s),
                "first_name": _from("First_Name", "trim"),
                "last_name": _from("Last_Name", "trim"),
                "email": _from("Email", "email"),
                "phone": _phone("Work_Phone"),
                "title": _from("Job_Title", "trim"),
            },
        ),
        StandardSpec(
            "submissions",
            "Applications",
            {
                "candidate_id": _ref("Candidate_Name.id", s),
                "job_id": _ref("Job_Opening_Name.id", s),
                "stage": _status("Application_Status", "submissions"),
                "original_status": _from("Application_Status"),
                "submitted_at": _from("Created_Time", "datetime"),
            },
        ),
        StandardSpec(
            "interviews",
            "Interviews",
            {
                "candidate_id": _ref("Candidate_Name.id", s),
                "job_id": _ref("Job_Opening_Name.id", s),
                "start_at": _from("From", "datetime"),
                "end_at": _from("To", "datetime"),
                "type": _from("Type", "trim"),
                "status": _status("Interview_Status", "interviews"),
                "original_status": _from("Interview_Status"),
            },
        ),
    ]


@dataclass
class CompiledSpec:
    spec: StandardSpec
    system: str
    apply_fields: Callable[[Mapping[str, Any], list[Rejection]], dict[str, Any]]
    custom_fields: tuple[str, ...]
    model: Any

    def map(self, record: Mapping[str, Any]) -> dict[str, Any] | RecordRejected:
        """The standard record of one live Zoho record, or the reasons it cannot be mapped."""
        rid = str(record.get("id") or "")
        problems: list[Rejection] = []
        out: dict[str, Any] = {
            "id": f"{self.system}:{rid}",
            "remote_id": rid,
            "source_system": self.system,
            "remote_created_at": _utc(record.get("Created_Time"), "remote_created_at", problems),
            "remote_updated_at": _utc(record.get("Modified_Time"), "remote_updated_at", problems),
            "remote_deleted_at": None,
            "custom_fields": {name: record.get(name) for name in self.custom_fields if name in record},
        }
        out.update(self.apply_fields(record, problems))
        if not rid:
            problems.append(Rejection("required", "id", None, "the Zoho record has no id"))
        if not problems:
            try:
                self.model.model_validate(out)
            except ValidationError as exc:
                for err in exc.errors():
                    where = ".".join(str(p) for p in err.get("loc", ()))
                    problems.append(
                        Rejection("schema", where, err.get("input"), f"{where}: {err.get('msg')}")
                    )
        if problems:
            return RecordRejected(problems, stream=self.spec.stream, record_id=out["id"])
        return out

    def deletion(self, deleted: Mapping[str, Any]) -> dict[str, Any]:
        """The standard record marking a deleted Zoho record (from the deleted-records API)."""
        rid = str(deleted.get("id") or "")
        when = _utc(deleted.get("deleted_time"), "remote_deleted_at", [])
        return {
            "id": f"{self.system}:{rid}",
            "remote_id": rid,
            "source_system": self.system,
            "remote_created_at": None,
            "remote_updated_at": when,
            "remote_deleted_at": when,
            "custom_fields": {},
        }


def compile_spec(
    spec: StandardSpec,
    product: str,
    *,
    custom_fields: list[str],
    status_overrides: Mapping[str, Mapping[str, str]] | None = None,
) -> CompiledSpec:
    """Build the mapper once per stream (transforms and value maps compiled, paths parsed)."""
    system = "zoho_recruit" if product == "recruit" else "zoho_crm"
    ctx = BuildContext(default_country="US")
    maps = {
        stream: ValueMap.build(
            {"values": DEFAULT_STATUS_MAPS.get(product, {}).get(stream, {}), "default": "other"},
            overrides=dict((status_overrides or {}).get(stream) or {}),
        )
        for stream in STATUS_VALUES
    }
    apply = _compile_object(spec.fields, ctx, maps, spec.stream)
    return CompiledSpec(spec, system, apply, tuple(custom_fields), model_for(spec.stream))


def _compile_object(
    rules: Mapping[str, Rule], ctx: BuildContext, maps: Mapping[str, ValueMap], where: str
) -> Callable[[Mapping[str, Any], list[Rejection]], dict[str, Any]]:
    compiled: list[tuple[str, Callable[[Mapping[str, Any], list[Rejection]], Any]]] = []
    for target, rule in rules.items():
        path = f"{where}.{target}"
        if "object" in rule:
            inner = _compile_object(rule["object"], ctx, maps, path)

            def obj(record: Mapping[str, Any], problems: list[Rejection], inner: Any = inner) -> Any:
                value = inner(record, problems)
                return value if any(v not in (None, [], {}) for v in value.values()) else None

            compiled.append((target, obj))
        else:
            compiled.append((target, _compile_leaf(rule, ctx, maps, path, target)))

    def apply(record: Mapping[str, Any], problems: list[Rejection]) -> dict[str, Any]:
        return {target: fn(record, problems) for target, fn in compiled}

    return apply


def _compile_leaf(
    rule: Rule, ctx: BuildContext, maps: Mapping[str, ValueMap], path: str, target: str
) -> Callable[[Mapping[str, Any], list[Rejection]], Any]:
    getter = compile_path(str(rule["from"]))
    chain = [compile_transform(t, ctx, path) for t in rule.get("transforms") or []]
    status_map = maps[rule["status"]] if rule.get("status") else None
    country = bool(rule.get("country"))
    soft = bool(rule.get("soft"))
    field_name = path.split(".", 1)[1]

    def leaf(record: Mapping[str, Any], problems: list[Rejection]) -> Any:
        value = getter(record)
        if value is None or value == "":
            return [] if target == "skills" else None
        if status_map is not None:
            return status_map(value)
        if country:
            return _country(value)
        for name, fn in chain:
            try:
                value = fn(value)
            except Reject as exc:
                if soft:
                    return None
                problems.append(Rejection(f"transform.{name}", field_name, value, f"{field_name}: {exc}"))
                return None
            if value is None:
                break
        return value

    return leaf


def _country(value: Any) -> str | None:
    text = str(value).strip()
    if len(text) == 2 and text.isalpha():
        return text.upper() if text.upper() != "UK" else "GB"
    return COUNTRY_NAMES.get(text.casefold())


def _utc(value: Any, name: str, problems: list[Rejection]) -> str | None:
    if value in (None, ""):
        return None
    try:
        return to_utc_datetime(value)
    except ValueError as exc:
        problems.append(Rejection("transform.datetime", name, value, f"{name}: {exc}"))
        return None
