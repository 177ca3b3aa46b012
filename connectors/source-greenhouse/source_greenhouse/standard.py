"""Greenhouse records -> the standard staffing streams, as declarative ``staffwire.mapping`` documents.

| standard stream | Greenhouse resource | notes |
|---|---|---|
| ``jobs`` | jobs (with their openings) | status open/closed/draft; openings = open openings; owner = responsible recruiter |
| ``candidates`` | candidates | first email / phone by type; tags as skills |
| ``submissions`` | applications | stage: the current stage's name through a value map (tenants name stages freely), or ``rejected`` / ``placed`` from the application's status |
| ``interviews`` | scheduled interviews | candidate and job from the interview's application |
| ``placements`` | hired applications | start date, pay and bill rate, currency and pay unit from the accepted offer |

Normalising is not rejecting (design.md): a value the mapping cannot normalise (a junk phone, an email without a
domain, "TBD" as a pay rate) becomes null in its standard field and the record carries an Airbyte record meta
change ``{field, NULLED, SOURCE_SERIALIZATION_ERROR}`` (:class:`LenientMapping`); the raw stream keeps the value.
Only a record without an id is rejected.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from staffwire.errors import ConfigError, RecordRejected
from staffwire.mapping import CompiledMapping, compile_mapping
from staffwire.mapping.rules import RuleChecker, compile_rules
from staffwire.streams import Record

__all__ = [
    "DEFAULT_STATUS_MAPS",
    "STANDARD_SOURCES",
    "STANDARD_STREAMS",
    "STATUS_VALUES",
    "LenientMapping",
    "mapping_document",
    "rule_checkers",
]

SYSTEM = "greenhouse"
IDENTITY = frozenset({"id", "remote_id"})

STATUS_VALUES: dict[str, tuple[str, ...]] = {
    "jobs": ("open", "on_hold", "filled", "closed", "draft", "other"),
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
    "placements": ("pending", "approved", "active", "completed", "terminated", "other"),
}

DEFAULT_STATUS_MAPS: dict[str, dict[str, str]] = {
    "jobs": {"open": "open", "closed": "closed", "draft": "draft"},
    "submissions": {
        "Application Review": "new",
        "Agency Submitted": "client_submitted",
        "Recruiter Phone Screen": "interview",
        "Phone Screen": "interview",
        "Hiring Manager Interview": "interview",
        "Hiring Manager Screen": "interview",
        "Onsite Interview": "interview",
        "Face to Face": "interview",
        "Take Home Test": "interview",
        "Reference Check": "offer",
        "Offer": "offer",
        "rejected": "rejected",
        "hired": "placed",
        "converted": "other",
    },
    "interviews": {
        "scheduled": "scheduled",
        "awaiting_feedback": "completed",
        "complete": "completed",
        "cancelled": "cancelled",
        "no_show": "no_show",
    },
    "placements": {"accepted": "approved"},
}
EMPLOYMENT_TYPES = {
    "Contract": "contract",
    "Contractor": "contract",
    "Per diem": "temporary",
    "Temporary": "temporary",
    "Temp": "temporary",
    "Contract to hire": "contract_to_hire",
    "Temp to perm": "contract_to_hire",
    "Permanent": "permanent",
    "Full-Time": "permanent",
    "Part-Time": "permanent",
}
PAY_UNITS = {"hour": "hour", "hourly": "hour", "day": "day", "week": "week", "month": "month", "year": "year"}

STANDARD_STREAMS = ("jobs", "candidates", "submissions", "interviews", "placements")

#: the raw resource each standard stream reads
STANDARD_SOURCES: dict[str, str] = {
    "jobs": "jobs",
    "candidates": "candidates",
    "submissions": "applications",
    "interviews": "scheduled_interviews",
    "placements": "applications",
}


def _ref(path: str) -> dict[str, Any]:
    return {"path": path, "transforms": ["string", {"prefix": f"{SYSTEM}:"}]}


def _text(path: str | list[str]) -> dict[str, Any]:
    return {"path": path, "transforms": ["trim"]}


def _time(path: str) -> dict[str, Any]:
    return {"path": path, "transforms": ["datetime"]}


def _fields(stream: str, client_ref: str | None, pay: Mapping[str, str]) -> dict[str, Any]:
    client = {"client_id": {"const": client_ref}} if client_ref else {}
    if stream == "jobs":
        return {
            "title": _text("name"),
            "description": _text("notes"),
            **client,
            "status": {"path": "status", "value_map": "jobs_status"},
            "employment_type": {
                "path": "custom_fields.employment_type",
                "transforms": ["first"],
                "value_map": "employment_type",
                "original": None,
            },
            "openings": {"path": "_open_openings"},
            "location.city": _text("offices[0].location.name"),
            "bill_rate": {"path": "custom_fields.bill_rate", "transforms": ["trim", "money"]},
            "currency": {"path": "custom_fields.salary_range.unit", "transforms": ["currency"]},
            "start_date": {"path": "opened_at", "transforms": ["date"]},
            "end_date": {"path": "closed_at", "transforms": ["date"]},
            "owner.id": _ref("_owner.id"),
            "owner.name": _text("_owner.name"),
        }
    if stream == "candidates":
        return {
            "first_name": _text("first_name"),
            "last_name": _text("last_name"),
            "email": {"path": "email_addresses[0].value", "transforms": ["email"]},
            "phone": {"path": "_phone", "transforms": ["phone"]},
            "mobile": {"path": "_mobile", "transforms": ["phone"]},
            "owner.id": _ref("recruiter.id"),
            "owner.name": _text("recruiter.name"),
            "skills": {"path": "tags", "transforms": ["trim", "unique"]},
        }
    if stream == "submissions":
        return {
            "candidate_id": _ref("candidate_id"),
            "job_id": _ref("job_id"),
            "stage": {"path": "_stage", "value_map": "submissions_status"},
            "submitted_at": _time("applied_at"),
        }
    if stream == "interviews":
        return {
            "candidate_id": _ref("_application.candidate_id"),
            "job_id": _ref("_application.job_id"),
            "submission_id": _ref("application_id"),
            "start_at": _time("start_at"),
            "end_at": _time("end_at"),
            "type": _text("interview.name"),
            "status": {"path": "status", "value_map": "interviews_status"},
        }
    if stream == "placements":
        return {
            "candidate_id": _ref("candidate_id"),
            "job_id": _ref("job_id"),
            **client,
            "status": {"path": "_offer.status", "value_map": "placements_status"},
            "start_date": {"path": "_offer.start_on", "transforms": ["date"]},
            "pay_rate": {"path": f"_offer.custom_fields.{pay['pay_rate']}", "transforms": ["trim", "money"]},
            "bill_rate": {
                "path": f"_offer.custom_fields.{pay['bill_rate']}",
                "transforms": ["trim", "money"],
            },
            "currency": {
                "path": f"_offer.custom_fields.{pay['currency']}",
                "transforms": ["trim", "currency"],
            },
            "pay_unit": {
                "path": f"_offer.custom_fields.{pay['pay_unit']}",
                "transforms": ["trim", "lower", {"lookup": {"table": PAY_UNITS, "strict": True}}],
            },
            "employment_type": {
                "path": "_job_employment_type",
                "transforms": ["first"],
                "value_map": "employment_type",
                "original": None,
            },
        }
    raise KeyError(stream)


def mapping_document(
    stream: str,
    *,
    client_ref: str | None = None,
    pay_fields: Mapping[str, str] | None = None,
    skip: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The mapping document of one standard stream; fields in ``skip`` are left out (they come out null)."""
    pay = {"pay_rate": "pay_rate", "bill_rate": "bill_rate", "currency": "currency", "pay_unit": "pay_unit"}
    pay.update(pay_fields or {})
    fields = {
        "remote_id": {"path": "id", "transforms": ["string"]},
        "remote_created_at": _time("created_at"),
        "remote_updated_at": _time("updated_at"),
        **_fields(stream, client_ref, pay),
    }
    value_maps: dict[str, Any] = {
        f"{name}_status": {"values": dict(DEFAULT_STATUS_MAPS.get(name, {})), "default": "other"}
        for name in STATUS_VALUES
    }
    value_maps["employment_type"] = {"values": dict(EMPLOYMENT_TYPES), "default": "other"}
    if stream in ("jobs", "candidates", "submissions", "placements"):
        fields["custom_fields"] = {
            "path": "_offer.custom_fields" if stream == "placements" else "custom_fields"
        }
    return {
        "system": SYSTEM,
        "defaults": {"country": "US"},
        "value_maps": value_maps,
        "mappings": {
            stream: {
                "standard": stream,
                "source": STANDARD_SOURCES[stream],
                "fields": {k: v for k, v in fields.items() if k not in skip},
            }
        },
    }


def rule_checkers(rules: Mapping[str, Any]) -> dict[str, RuleChecker]:
    """The config's ``rules`` compiled: standard stream -> its checker (a ValueError naming the path if wrong)."""
    rule_sets = rules.get("rule_sets") or {}
    out: dict[str, RuleChecker] = {}
    for stream, selection in (rules.get("streams") or {}).items():
        if stream not in STANDARD_STREAMS:
            raise ValueError(
                f"rules.streams: unknown standard stream {stream!r}; use one of {list(STANDARD_STREAMS)}"
            )
        try:
            out[stream] = compile_rules(rule_sets, selection, path="rules.rule_sets")
        except ConfigError as exc:
            raise ValueError(f"rules.streams.{stream}: {exc.message}") from None
    return out


class LenientMapping:
    """A standard stream's mapping (the engine's lenient default: a value it cannot normalise becomes null and
    the record a :class:`~staffwire.streams.Record` with the NULLED meta change) plus the connection's rule sets,
    which reject a mapped record with their reasons. A record without an id is rejected by the engine.
    """

    def __init__(
        self,
        stream: str,
        *,
        client_ref: str | None = None,
        pay_fields: Mapping[str, str] | None = None,
        status_overrides: Mapping[str, Mapping[str, str]] | None = None,
        rules: RuleChecker | None = None,
    ) -> None:
        self.stream = stream
        self.rules = rules
        overrides = {f"{name}_status": dict(words) for name, words in (status_overrides or {}).items()}
        document = mapping_document(stream, client_ref=client_ref, pay_fields=pay_fields)
        self.compiled: CompiledMapping = compile_mapping(document, stream, value_map_overrides=overrides)

    def map_page(self, rows: Iterable[Mapping[str, Any]]) -> Iterator[Any]:
        """Yield pages of mapped records, with Record (meta) and RecordRejected items in their place."""
        for item in self.compiled.map_pages(rows):
            if self.rules is None or isinstance(item, RecordRejected):
                yield item
            elif isinstance(item, Record):
                yield self._checked(item.data) or item
            else:
                page: list[dict[str, Any]] = []
                for record in item:
                    rejected = self._checked(record)
                    if rejected is None:
                        page.append(record)
                        continue
                    if page:
                        yield page
                        page = []
                    yield rejected
                if page:
                    yield page

    def _checked(self, record: Mapping[str, Any]) -> RecordRejected | None:
        """The rejection the connection's rules give a mapped record, or None when it passes."""
        assert self.rules is not None
        reasons = self.rules.check(record)
        if reasons:
            return RecordRejected(reasons=reasons, stream=self.stream, record_id=str(record.get("id")))
        return None
