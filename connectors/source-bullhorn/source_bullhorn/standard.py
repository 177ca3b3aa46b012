"""Bullhorn rows -> the standard staffing streams, as one ``staffwire.mapping`` document.

Each standard stream reads one Bullhorn entity with its own (narrow) field list, so pages stay at 500 rows, and
maps every row through the compiled mapping. Statuses go through value maps whose defaults are below; a
connection adds or overrides words with the ``status_maps`` config field (``{"candidates": {"Custom Hire":
"placed"}}``); a word nobody listed becomes ``other`` and ``original_status`` keeps Bullhorn's word. Ids and
references are ``"bullhorn:{id}"``; Bullhorn's epoch-ms timestamps become ISO 8601 UTC, DATE fields
``YYYY-MM-DD``. Soft-deleted rows (``isDeleted``) and hard deletes seen through events carry
``remote_deleted_at``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from staffwire.errors import ConfigError

if TYPE_CHECKING:
    from staffwire.mapping import CompiledMapping

__all__ = [
    "DEFAULT_STATUS_MAPS",
    "STANDARD",
    "StandardDef",
    "compile_standard",
    "mapping_document",
    "resolve_labels",
]

SYSTEM = "bullhorn"
CUSTOM = r"^(custom|correlatedCustom)(Text|TextBlock|Date|Int|Float)\d+$"

#: standard stream -> Bullhorn status word -> standard value (matching ignores case, spaces and hyphens)
DEFAULT_STATUS_MAPS: dict[str, dict[str, str]] = {
    "candidates": {
        "New Lead": "new",
        "New": "new",
        "Lead": "new",
        "Pre-Registered": "new",
        "Candidate (Bio)": "new",
        "Active": "active",
        "Available": "active",
        "Registered": "active",
        "Screened": "active",
        "Interviewing": "active",
        "Submitted": "active",
        "Offer Pending": "active",
        "Processed": "active",
        "Pending": "active",
        "Placed": "placed",
        "Assigned": "placed",
        "On Assignment": "placed",
        "Inactive": "inactive",
        "Archive": "inactive",
        "Unavailable": "inactive",
        "Passive": "inactive",
        "DNU": "do_not_use",
        "Do Not Use": "do_not_use",
        "Do Not Place": "do_not_use",
        "Blacklisted": "do_not_use",
    },
    "jobs": {
        "Accepting Candidates": "open",
        "Open": "open",
        "Covered": "open",
        "Active": "open",
        "Lead": "draft",
        "Unqualified": "draft",
        "Draft": "draft",
        "On Hold": "on_hold",
        "Hold": "on_hold",
        "Filled": "filled",
        "Placed": "filled",
        "Closed": "closed",
        "Cancelled": "closed",
        "Lost to Competition": "closed",
        "Archive": "closed",
    },
    "clients": {
        "Active Account": "active",
        "Active": "active",
        "Prospect": "prospect",
        "Lead": "prospect",
        "Passive Account": "inactive",
        "Inactive": "inactive",
        "Archive": "inactive",
        "DNU": "inactive",
    },
    "contacts": {
        "Active": "active",
        "Inactive": "inactive",
        "Archive": "inactive",
        "Left Company": "inactive",
    },
    "submissions": {
        "New Lead": "new",
        "New": "new",
        "Web Response": "new",
        "Submitted": "submitted",
        "Internally Submitted": "submitted",
        "Client Submission": "client_submitted",
        "Sent to Client": "client_submitted",
        "Interview Scheduled": "interview",
        "Interviewing": "interview",
        "Client Interview": "interview",
        "Offer Extended": "offer",
        "Offer Accepted": "offer",
        "Placed": "placed",
        "Client Rejected": "rejected",
        "Sales Rep Rejected": "rejected",
        "Rejected": "rejected",
        "Candidate Rejected": "withdrawn",
        "Candidate Withdrew": "withdrawn",
        "Withdrawn": "withdrawn",
        "Offer Rejected": "withdrawn",
    },
    "placements": {
        "Submitted": "pending",
        "Pending": "pending",
        "Requested": "pending",
        "Future": "pending",
        "Approved": "approved",
        "Active": "active",
        "Started": "active",
        "Completed": "completed",
        "Ended": "completed",
        "Terminated": "terminated",
        "Cancelled": "terminated",
        "Quit": "terminated",
        "Fired": "terminated",
    },
}
EMPLOYMENT_TYPES = {
    "Contract": "contract",
    "Contractor": "contract",
    "1099": "contract",
    "Contract To Hire": "contract_to_hire",
    "Contract to Hire": "contract_to_hire",
    "Temp to Perm": "contract_to_hire",
    "Direct Hire": "permanent",
    "Permanent": "permanent",
    "Perm": "permanent",
    "Full Time": "permanent",
    "Temp": "temporary",
    "Temporary": "temporary",
    "Seasonal": "temporary",
}
PAY_UNITS = {
    "Per Hour": "hour",
    "Hourly": "hour",
    "Per Day": "day",
    "Daily": "day",
    "Per Week": "week",
    "Weekly": "week",
    "Per Month": "month",
    "Monthly": "month",
    "Yearly": "year",
    "Per Year": "year",
    "Annual": "year",
    "Fixed": "fixed",
    "Flat Fee": "fixed",
}
COUNTRIES = {"1": "US", "2216": "CA", "2359": "GB", "2185": "AU", "2260": "IN", "2234": "DE", "2229": "FR"}


def _ref(path: str) -> dict[str, Any]:
    return {"path": path, "transforms": ["string", {"prefix": f"{SYSTEM}:"}]}


def _when_deleted() -> dict[str, Any]:
    return {
        "path": "dateLastModified",
        "transforms": ["datetime"],
        "when": {"field": "isDeleted", "equals": True},
    }


def _address(prefix: str = "address") -> dict[str, Any]:
    return {
        "address.line1": {"path": f"{prefix}.address1", "transforms": ["trim"]},
        "address.line2": {"path": f"{prefix}.address2", "transforms": ["trim"]},
        "address.city": {"path": f"{prefix}.city", "transforms": ["trim"]},
        "address.state": {"path": f"{prefix}.state", "transforms": ["trim"]},
        "address.postal_code": {"path": f"{prefix}.zip", "transforms": ["trim"]},
        "address.country": {"path": f"{prefix}.countryID", "transforms": ["string", {"lookup": "countries"}]},
    }


def _envelope(created: str = "dateAdded", updated: str = "dateLastModified") -> dict[str, Any]:
    return {
        "remote_id": {"path": "id", "transforms": ["string"], "required": True},
        "remote_created_at": {"path": created, "transforms": ["datetime"]},
        "remote_updated_at": {"path": updated, "transforms": ["datetime"]},
        "remote_deleted_at": _when_deleted(),
    }


def _owner(path: str = "owner") -> dict[str, Any]:
    return {
        "owner.id": _ref(f"{path}.id"),
        "owner.name": {
            "template": f"{{{path}.firstName}} {{{path}.lastName}}",
            "transforms": ["trim"],
            "when": {"field": f"{path}.id", "exists": True},
        },
    }


@dataclass(frozen=True)
class StandardDef:
    """A standard stream: the Bullhorn entity it reads and the fields it asks for."""

    stream: str
    entity: str
    fields: tuple[str, ...]


STANDARD: tuple[StandardDef, ...] = (
    StandardDef(
        "candidates",
        "Candidate",
        (
            "id",
            "firstName",
            "lastName",
            "email",
            "phone",
            "mobile",
            "address",
            "status",
            "owner(id,firstName,lastName)",
            "source",
            "primarySkills[10](id,name)",
            "dateAdded",
            "dateLastModified",
            "isDeleted",
        ),
    ),
    StandardDef(
        "jobs",
        "JobOrder",
        (
            "id",
            "title",
            "description",
            "clientCorporation(id,name)",
            "clientContact(id)",
            "status",
            "employmentType",
            "numOpenings",
            "address",
            "payRate",
            "clientBillRate",
            "startDate",
            "dateEnd",
            "owner(id,firstName,lastName)",
            "dateAdded",
            "dateLastModified",
            "isDeleted",
        ),
    ),
    StandardDef(
        "clients",
        "ClientCorporation",
        ("id", "name", "status", "phone", "companyURL", "address", "dateAdded", "dateLastModified"),
    ),
    StandardDef(
        "contacts",
        "ClientContact",
        (
            "id",
            "clientCorporation(id)",
            "firstName",
            "lastName",
            "email",
            "phone",
            "occupation",
            "status",
            "dateAdded",
            "dateLastModified",
            "isDeleted",
        ),
    ),
    StandardDef(
        "submissions",
        "JobSubmission",
        (
            "id",
            "candidate(id)",
            "jobOrder(id,externalID)",
            "status",
            "dateWebResponse",
            "dateAdded",
            "dateLastModified",
            "isDeleted",
        ),
    ),
    StandardDef(
        "placements",
        "Placement",
        (
            "id",
            "candidate(id)",
            "jobOrder(id,clientCorporation(id))",
            "status",
            "dateBegin",
            "dateEnd",
            "payRate",
            "clientBillRate",
            "salaryUnit",
            "employmentType",
            "dateAdded",
            "dateLastModified",
        ),
    ),
    StandardDef(
        "interviews",
        "Appointment",
        (
            "id",
            "candidateReference(id)",
            "jobOrder(id)",
            "dateBegin",
            "dateEnd",
            "type",
            "communicationMethod",
            "isDeleted",
            "dateAdded",
            "dateLastModified",
        ),
    ),
)


def mapping_document(
    currency: str = "USD", labelled: dict[str, dict[str, str]] | None = None
) -> dict[str, Any]:
    """The mapping document of the standard streams (``status_maps`` are merged in by :func:`compile_standard`);
    ``labelled``: per stream, custom_fields key -> the API name found for the connection's label."""
    customs = {"match": CUSTOM}
    value_maps: dict[str, Any] = {
        f"{name}_status": {"values": values, "default": "other"}
        for name, values in DEFAULT_STATUS_MAPS.items()
    }
    value_maps["employment_type"] = {"values": EMPLOYMENT_TYPES, "default": "other"}
    value_maps["pay_unit"] = {"values": PAY_UNITS, "default": "hour"}
    no_original: dict[str, Any] = {"original": None}
    mappings: dict[str, Any] = {
        "candidates": {
            "fields": {
                **_envelope(),
                "first_name": {"path": "firstName", "transforms": ["trim"]},
                "last_name": {"path": "lastName", "transforms": ["trim"]},
                "email": {"path": "email", "transforms": ["email"]},
                "phone": {"path": "phone", "transforms": ["phone"]},
                "mobile": {"path": "mobile", "transforms": ["phone"]},
                **_address(),
                "status": {"path": "status", "value_map": "candidates_status"},
                **_owner(),
                "source": {"path": "source", "transforms": ["trim"]},
                "skills": {"path": "primarySkills.data[*].name", "transforms": ["trim", "unique"]},
            },
            "custom_fields": customs,
        },
        "jobs": {
            "fields": {
                **_envelope(),
                "title": {"path": "title", "transforms": ["trim"]},
                "description": "description",
                "client_id": _ref("clientCorporation.id"),
                "contact_id": _ref("clientContact.id"),
                "status": {"path": "status", "value_map": "jobs_status"},
                "employment_type": {"path": "employmentType", "value_map": "employment_type", **no_original},
                "openings": {"path": "numOpenings", "transforms": ["integer"]},
                "location.city": {"path": "address.city", "transforms": ["trim"]},
                "location.state": {"path": "address.state", "transforms": ["trim"]},
                "location.postal_code": {"path": "address.zip", "transforms": ["trim"]},
                "location.country": {
                    "path": "address.countryID",
                    "transforms": ["string", {"lookup": "countries"}],
                },
                "pay_rate": {"path": "payRate", "transforms": ["number"]},
                "bill_rate": {"path": "clientBillRate", "transforms": ["number"]},
                "currency": {"const": currency},
                "start_date": {"path": "startDate", "transforms": ["date"]},
                "end_date": {"path": "dateEnd", "transforms": ["date"]},
                **_owner(),
            },
            "custom_fields": customs,
        },
        "clients": {
            "fields": {
                **_envelope(),
                "name": {"path": "name", "transforms": ["trim"]},
                "status": {"path": "status", "value_map": "clients_status"},
                "phone": {"path": "phone", "transforms": ["phone"]},
                "website": {"path": "companyURL", "transforms": ["trim"]},
                **_address(),
            },
            "custom_fields": customs,
        },
        "contacts": {
            "fields": {
                **_envelope(),
                "client_id": _ref("clientCorporation.id"),
                "first_name": {"path": "firstName", "transforms": ["trim"]},
                "last_name": {"path": "lastName", "transforms": ["trim"]},
                "email": {"path": "email", "transforms": ["email"]},
                "phone": {"path": "phone", "transforms": ["phone"]},
                "title": {"path": "occupation", "transforms": ["trim"]},
                "status": {"path": "status", "value_map": "contacts_status"},
            },
            "custom_fields": customs,
        },
        "submissions": {
            "fields": {
                **_envelope(),
                "candidate_id": _ref("candidate.id"),
                "job_id": _ref("jobOrder.id"),
                "stage": {"path": "status", "value_map": "submissions_status"},
                "submitted_at": {"path": ["dateWebResponse", "dateAdded"], "transforms": ["datetime"]},
                # the JobOrder's reference in another system (a client's ATS job id): what a submission into
                # that system needs as its job
                "custom_fields.job_external_id": {"path": "jobOrder.externalID", "transforms": ["trim"]},
            },
            "custom_fields": customs,
        },
        "placements": {
            "fields": {
                **_envelope(),
                "candidate_id": _ref("candidate.id"),
                "job_id": _ref("jobOrder.id"),
                "client_id": _ref("jobOrder.clientCorporation.id"),
                "status": {"path": "status", "value_map": "placements_status"},
                "start_date": {"path": "dateBegin", "transforms": ["date"]},
                "end_date": {"path": "dateEnd", "transforms": ["date"]},
                "pay_rate": {"path": "payRate", "transforms": ["number"]},
                "bill_rate": {"path": "clientBillRate", "transforms": ["number"]},
                "currency": {"const": currency},
                "pay_unit": {"path": "salaryUnit", "value_map": "pay_unit", **no_original},
                "employment_type": {"path": "employmentType", "value_map": "employment_type", **no_original},
            },
            "custom_fields": customs,
        },
        "interviews": {
            "when": {"field": "type", "in": ["Interview", "Client Interview", "Phone Interview"]},
            "fields": {
                **_envelope(),
                "candidate_id": _ref("candidateReference.id"),
                "job_id": _ref("jobOrder.id"),
                "start_at": {"path": "dateBegin", "transforms": ["datetime"]},
                "end_at": {"path": "dateEnd", "transforms": ["datetime"]},
                "type": {"path": ["communicationMethod", "type"], "transforms": ["trim"]},
                "status": {
                    "cases": [{"when": {"field": "isDeleted", "equals": True}, "const": "cancelled"}],
                    "default": "scheduled",
                },
            },
        },
    }
    for name, spec in mappings.items():
        spec["standard"] = name
        spec["source"] = next(d.entity for d in STANDARD if d.stream == name)
        for key, api_name in (labelled or {}).get(name, {}).items():
            spec["fields"][f"custom_fields.{key}"] = {"path": api_name}
    return {
        "system": SYSTEM,
        "defaults": {"country": "US"},
        "lookups": {"countries": COUNTRIES},
        "value_maps": value_maps,
        "mappings": mappings,
    }


def compile_standard(
    status_maps: dict[str, dict[str, str]] | None = None,
    currency: str = "USD",
    labelled: dict[str, dict[str, str]] | None = None,
    streams: Collection[str] | None = None,
) -> dict[str, CompiledMapping]:
    """Every standard mapping (or only those of ``streams``: compiling costs, and a read needs only its own),
    compiled, with the connection's status words over the defaults and its labelled custom fields (see
    :func:`resolve_labels`). The status words are checked against the value maps whatever ``streams`` is."""
    from staffwire.mapping import compile_mappings  # here: a read of raw streams only never loads the engine

    overrides = {f"{stream}_status": dict(words) for stream, words in (status_maps or {}).items()}
    document = copy.deepcopy(mapping_document(currency, labelled))
    if streams is not None:
        document["mappings"] = {k: v for k, v in document["mappings"].items() if k in streams}
    return compile_mappings(document, value_map_overrides=overrides)


def resolve_labels(
    wanted: dict[str, dict[str, str]],
    labels_of: dict[str, dict[str, str]],
    report: Callable[[str], None],
) -> dict[str, dict[str, str]]:
    """The connection's ``custom_field_labels`` (stream -> key -> label) resolved through the tenant's meta
    (``labels_of``: stream -> custom field API name -> label): stream -> key -> API name. A label the meta does
    not have is reported once (stream, key, label) and its key stays null; an unknown stream is a ConfigError."""
    streams = {d.stream: d.entity for d in STANDARD}
    out: dict[str, dict[str, str]] = {}
    for stream, keys in wanted.items():
        if stream not in streams:
            raise ConfigError(
                f"custom_field_labels.{stream}: not a standard stream of source-bullhorn; use one of "
                f"{', '.join(streams)}"
            )
        by_label = {label.strip().casefold(): api for api, label in labels_of.get(stream, {}).items()}
        for key, label in keys.items():
            api_name = by_label.get(str(label).strip().casefold())
            if api_name is None:
                report(
                    f"stream {stream}: no {streams[stream]} custom field is labelled {label!r} in this tenant's "
                    f"meta (custom_field_labels.{stream}.{key}); custom_fields.{key} will be null"
                )
                continue
            out.setdefault(stream, {})[key] = api_name
    return out
