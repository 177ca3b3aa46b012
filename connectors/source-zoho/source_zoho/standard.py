"""Zoho records -> the standard staffing streams, as declarative ``staffwire.mapping`` documents.

Each mapping names the Zoho module it reads (``source``) and maps every target field from a field path with
transforms (``trim``, ``email``, ``phone``, ``datetime``, ``prefix`` ...). Where tenants differ, a field is
described by what it is (:mod:`source_zoho.fields`: the lookup to JobOpenings, the datetime field labelled
From, the picklist labelled Job Type) and found in the module's field metadata when the stream is compiled. Statuses go through value maps named
``<stream>_status`` (defaults below, merged with the connection's ``status_maps``; a word nobody listed becomes
``other`` and ``original_status`` keeps Zoho's word). Custom fields (``custom_field: true`` in the module's
metadata) land in ``custom_fields`` by API name. Entries of the deleted-records API go through a second, small
document (:func:`deletion_document`) and become envelope-only records with ``remote_deleted_at`` set.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from staffwire.mapping import CompiledMapping, compile_mapping

from source_zoho.fields import Lookup, Typed

__all__ = [
    "COUNTRY_NAMES",
    "DEFAULT_STATUS_MAPS",
    "STATUS_VALUES",
    "StandardMapper",
    "StandardSpec",
    "deletion_document",
    "mapping_document",
    "specs_for",
]

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


def _address(
    prefix: str, street: str | None, city: str, state: str, code: str, country: str
) -> dict[str, Any]:
    fields: dict[str, Any] = {
        f"{prefix}.city": _text(city),
        f"{prefix}.state": _text(state),
        f"{prefix}.postal_code": _text(code),
        f"{prefix}.country": {"path": country, "transforms": ["trim", {"lookup": "countries"}]},
    }
    if street:
        fields[f"{prefix}.line1"] = _text(street)
    return fields


def _ref(path: str, system: str) -> dict[str, Any]:
    return {"path": path, "transforms": ["string", {"prefix": f"{system}:"}]}


def _envelope() -> dict[str, Any]:
    return {
        "remote_id": "id",
        "remote_created_at": _time("Created_Time"),
        "remote_updated_at": _time("Modified_Time"),
    }


def _text(path: str) -> dict[str, Any]:
    return {"path": path, "transforms": ["trim"]}


def _phone(path: str) -> dict[str, Any]:
    return {"path": path, "transforms": ["phone"]}


def _time(path: str) -> dict[str, Any]:
    return {"path": path, "transforms": ["datetime"]}


def _status(path: str, stream: str) -> dict[str, Any]:
    return {"path": path, "value_map": f"{stream}_status"}


PICKLISTS = ("picklist", "multiselectpicklist")


def _status_of(stream: str, *labels: str) -> Typed:
    """The status picklist (a multi-select one maps by its first value)."""
    return Typed(PICKLISTS, labels, lambda api, _: _status(api, stream))


def _lookup_to(system: str, *modules: str) -> Lookup:
    return Lookup(modules, lambda api: _ref(f"{api}.id", system))


def _picked_text(*labels: str) -> Typed:
    """A picklist or text field into a single-valued text field (a multi-select gives its first value)."""
    return Typed((*PICKLISTS, "text"), labels, lambda api, _: _text(api))


def _skills(api: str, data_type: str) -> dict[str, Any]:
    if data_type == "multiselectpicklist":  # a JSON array already: every value
        return {"path": api, "transforms": ["trim", "unique"]}
    return {"path": api, "transforms": [{"split": ","}, "unique"]}


def _time_labelled(position: int, *labels: str) -> Typed:
    return Typed(("datetime",), labels, lambda api, _: _time(api), position=position)


def _client(name: str, status: str, phone: str) -> dict[str, Any]:
    """A client company (CRM Accounts, Recruit Clients): the same shape under each product's field names."""
    return {
        "name": _text(name),
        "status": _status_of("clients", status, "Status"),
        "phone": _phone(phone),
        "website": _text("Website"),
        **_address(
            "address", "Billing_Street", "Billing_City", "Billing_State", "Billing_Code", "Billing_Country"
        ),
    }


def _contact(client: str, phone: str, title: str, system: str) -> dict[str, Any]:
    """A client contact (the Contacts module of either product); ``client`` is the module companies live in."""
    return {
        "client_id": _lookup_to(system, client),
        "first_name": _text("First_Name"),
        "last_name": _text("Last_Name"),
        "email": {"path": "Email", "transforms": ["email"]},
        "phone": _phone(phone),
        "title": _text(title),
    }


@dataclass(frozen=True)
class StandardSpec:
    """One standard stream of one product: the Zoho module it reads and its field mapping."""

    stream: str
    module: str
    fields: dict[str, Any]
    aliases: tuple[str, ...] = ()  # other api_names the module goes by in some orgs

    def module_in(self, available: set[str]) -> str | None:
        """The api_name this org uses for the module, if it has it."""
        return next((m for m in (self.module, *self.aliases) if m in available), None)


JOB_MODULES = ("JobOpenings", "Job_Openings")  # the api_names Job Openings go by in different orgs


def specs_for(product: str) -> list[StandardSpec]:
    """The standard streams a product has data for."""
    s = system_of(product)
    if product == "crm":
        return [
            StandardSpec("clients", "Accounts", _client("Account_Name", "Account Type", "Phone")),
            StandardSpec(
                "contacts",
                "Contacts",
                {
                    **_contact("Accounts", "Phone", "Title", s),
                    "status": _status_of("contacts", "Contact Status"),
                },
            ),
        ]
    return [
        StandardSpec(
            "candidates",
            "Candidates",
            {
                "first_name": _text("First_Name"),
                "last_name": _text("Last_Name"),
                "email": {"path": "Email", "transforms": ["email"]},
                "phone": _phone("Phone"),
                "mobile": _phone("Mobile"),
                **_address("address", "Street", "City", "State", "Zip_Code", "Country"),
                "status": _status_of("candidates", "Candidate Status"),
                "owner.id": _ref("Candidate_Owner.id", s),
                "owner.name": _text("Candidate_Owner.name"),
                "source": _picked_text("Source"),
                "skills": Typed((*PICKLISTS, "textarea", "text"), ("Skill Set",), _skills),
            },
        ),
        StandardSpec(
            "jobs",
            "JobOpenings",
            {
                "title": _text("Posting_Title"),
                "description": _text("Job_Description"),
                "client_id": _lookup_to(s, "Clients"),
                "contact_id": _lookup_to(s, "Contacts"),
                "status": _status_of("jobs", "Job Opening Status"),
                "employment_type": Typed(
                    PICKLISTS,
                    ("Job Type",),
                    lambda api, _: {"path": api, "value_map": "employment_type", "original": None},
                ),
                "openings": {"path": "Number_of_Positions", "transforms": ["integer"]},
                **_address("location", None, "City", "State", "Zip_Code", "Country"),
                "currency": {"path": "Currency", "transforms": ["currency"]},
                "start_date": {"path": "Date_Opened", "transforms": ["date"]},
                "end_date": {"path": "Target_Date", "transforms": ["date"]},
                "owner.id": _ref("Account_Manager.id", s),
                "owner.name": _text("Account_Manager.name"),
            },
            aliases=JOB_MODULES[1:],
        ),
        StandardSpec("clients", "Clients", _client("Client_Name", "Client Status", "Contact_Number")),
        StandardSpec("contacts", "Contacts", _contact("Clients", "Work_Phone", "Job_Title", s)),
        StandardSpec(
            "submissions",
            "Applications",
            {
                "candidate_id": _lookup_to(s, "Candidates"),
                "job_id": _lookup_to(s, *JOB_MODULES),
                "stage": _status_of("submissions", "Application Status"),
                "submitted_at": _time("Created_Time"),
            },
        ),
        StandardSpec(
            "interviews",
            "Interviews",
            {
                "candidate_id": _lookup_to(s, "Candidates"),
                "job_id": _lookup_to(s, *JOB_MODULES),
                "start_at": _time_labelled(0, "From", "Start DateTime", "Start Time"),
                "end_at": _time_labelled(1, "To", "End DateTime", "End Time"),
                "type": _picked_text("Type", "Interview Type"),
                "status": _status_of("interviews", "Interview Status"),
            },
        ),
    ]


def system_of(product: str) -> str:
    return "zoho_recruit" if product == "recruit" else "zoho_crm"


def mapping_document(
    spec: StandardSpec, product: str, custom_fields: list[str], fields: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The ``staffwire.mapping`` document of one standard stream (custom fields from the module's metadata);
    ``fields``: the spec's fields resolved for the tenant (:func:`source_zoho.fields.resolve`)."""
    value_maps: dict[str, Any] = {
        f"{stream}_status": {
            "values": dict(DEFAULT_STATUS_MAPS.get(product, {}).get(stream, {})),
            "default": "other",
        }
        for stream in STATUS_VALUES
    }
    value_maps["employment_type"] = {"values": dict(EMPLOYMENT_TYPES), "default": "other"}
    return {
        "system": system_of(product),
        "defaults": {"country": "US"},
        "lookups": {"countries": dict(COUNTRY_NAMES)},
        "value_maps": value_maps,
        "mappings": {
            spec.stream: {
                "standard": spec.stream,
                "source": spec.module,
                "fields": {**_envelope(), **(spec.fields if fields is None else fields)},
                "custom_fields": {"include": list(custom_fields)},
            }
        },
    }


def deletion_document(spec: StandardSpec, product: str) -> dict[str, Any]:
    """The ``staffwire.mapping`` document that turns a deleted-records entry (``{"id", "deleted_time", ...}``)
    into an envelope-only standard record whose ``remote_deleted_at`` (and ``remote_updated_at``, the cursor) is
    the deletion time."""
    deleted_at = _time("deleted_time")
    return {
        "system": system_of(product),
        "mappings": {
            spec.stream: {
                "standard": spec.stream,
                "source": f"{spec.module}/deleted",
                "fields": {
                    "remote_id": {"path": "id", "transforms": ["string"]},
                    "remote_updated_at": deleted_at,
                    "remote_deleted_at": deleted_at,
                },
            }
        },
    }


class StandardMapper:
    """The compiled mappings of one standard stream: live records and deleted-records entries."""

    def __init__(
        self,
        spec: StandardSpec,
        product: str,
        *,
        custom_fields: list[str],
        fields: dict[str, Any],
        status_overrides: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        overrides = {f"{stream}_status": dict(words) for stream, words in (status_overrides or {}).items()}
        self.live: CompiledMapping = compile_mapping(
            mapping_document(spec, product, custom_fields, fields), spec.stream, value_map_overrides=overrides
        )
        self.deleted: CompiledMapping = compile_mapping(deletion_document(spec, product), spec.stream)
