"""Realistic client data for the Greenhouse sandbox, in the v3 shapes of :mod:`source_greenhouse.reference`.

One client organisation ("Northwind Health", a hospital group hiring contractors through agencies): departments,
offices, recruiters, requisitions with openings (open, closed, draft, one that needs a custom field on every
application), candidates moving through stages, rejections, offers and hires. The values are what real tenants
hold: 555 numbers, extensions, junk phones, emails with capitals and spaces, empty strings where a field was
cleared, multi-select custom fields as arrays, pay written as "$45.00/hr", far-past and far-future dates.
Every record has every key of its v3 example (null when empty), so shapes can be compared field by field.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

from staffwire.testing.seed import SeededData

__all__ = ["AGENCY_SOURCE_ID", "CLOSED_JOB_ID", "CUSTOM_FIELD_JOB_ID", "Seed", "iso", "seed_data"]

EPOCH = datetime(2024, 1, 8, 9, 0, tzinfo=timezone.utc)
CLOSED_JOB_ID = 4012
CUSTOM_FIELD_JOB_ID = 4013
AGENCY_SOURCE_ID = 7001

STAGES = [
    (101, "Application Review"),
    (102, "Agency Submitted"),
    (103, "Recruiter Phone Screen"),
    (104, "Hiring Manager Interview"),
    (105, "Onsite Interview"),
    (106, "Reference Check"),
    (107, "Offer"),
]
MESSY_PHONES = [
    "(415) 555-0132",
    "415.555.0199 ext. 42",
    "+1 212 555 0147",
    "call after 5pm",
    "000",
    "",
    "+44 20 7946 0958",
    "555-1212",
]
PAY = ["$45.00/hr", "52.5", "$1,234.50", "TBD", "", "60/hour", "48.00"]


def iso(moment: datetime) -> str:
    """Greenhouse's date-time form: UTC with milliseconds and Z."""
    return (
        moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )


class Seed:
    """The generated records by resource name (``{"jobs": {4001: {...}}, ...}``) plus the sandbox's lookups."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[int, dict[str, Any]]] = {}
        self.sources: dict[int, dict[str, Any]] = {}
        self.required_fields: dict[
            int, list[tuple[str, str]]
        ] = {}  # job id -> [(key, label)] on applications

    def table(self, name: str) -> dict[int, dict[str, Any]]:
        return self.tables.setdefault(name, {})


def _user(uid: int, first: str, last: str, moment: datetime) -> dict[str, Any]:
    email = f"{first.lower()}.{last.lower()}@northwind-health.example"
    return {
        "id": uid,
        "name": f"{first} {last}",
        "first_name": first,
        "last_name": last,
        "primary_email_address": email,
        "updated_at": iso(moment + timedelta(days=3)),
        "created_at": iso(moment),
        "disabled": uid == 1005,
        "site_admin": uid == 1001,
        "emails": [email],
        "employee_id": None if uid == 1005 else f"E{uid}",
        "offices": [],
        "departments": [],
    }


def _person(user: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "first_name", "last_name", "name", "employee_id")
    return {k: user[k] for k in keys}


def seed_data(seed: int = 17, *, candidates: int = 36) -> Seed:
    rnd = SeededData(seed)
    out = Seed()
    departments = out.table("departments")
    for i, name in enumerate(["Nursing", "Information Technology", "Finance", "Critical Care"]):
        did = 201 + i
        parent = 201 if did == 204 else None
        departments[did] = {
            "id": did,
            "name": name,
            "parent_id": parent,
            "parent_department_external_id": f"DEP-{parent}" if parent else None,
            "external_id": f"DEP-{did}" if i != 2 else "",
            "created_at": iso(EPOCH - timedelta(days=900)),
            "updated_at": iso(EPOCH - timedelta(days=30 - i)),
        }
    offices = out.table("offices")
    for i, (name, where) in enumerate(
        [
            ("Seattle", "Seattle, WA, United States"),
            ("Portland", "Portland, OR"),
            ("Remote", None),
            ("Seattle - South Lake Union", "Seattle, WA 98109"),
        ]
    ):
        oid = 301 + i
        parent = 301 if oid == 304 else None
        offices[oid] = {
            "id": oid,
            "name": name,
            "location": {"name": where},
            "primary_contact_user_id": 1001,
            "parent_id": parent,
            "parent_office_external_id": f"OFF-{parent}" if parent else None,
            "external_id": f"OFF-{oid}",
            "created_at": iso(EPOCH - timedelta(days=800)),
            "updated_at": iso(EPOCH - timedelta(days=20 - i)),
        }
    users = out.table("users")
    for uid, (first, last) in zip(
        range(1001, 1006),
        [
            ("Dana", "Whitfield"),
            ("Marcus", "Oyelaran"),
            ("Priya", "Raman"),
            ("Tom", "Becker"),
            ("Old", "Admin"),
        ],
        strict=True,
    ):
        users[uid] = _user(uid, first, last, EPOCH - timedelta(days=400 + uid % 7))
        users[uid]["offices"] = [_embedded(offices[301 + uid % 4], offices, "office", full=True)]
        users[uid]["departments"] = [
            _embedded(departments[201 + uid % 4], departments, "department", full=True)
        ]
    out.sources = {
        AGENCY_SOURCE_ID: {
            "id": AGENCY_SOURCE_ID,
            "name": "Staffwire Staffing",
            "type": {"id": 4, "name": "Agencies"},
        },
        7002: {"id": 7002, "name": "LinkedIn", "type": {"id": 1, "name": "Prospecting"}},
        7003: {"id": 7003, "name": "Referral", "type": {"id": 2, "name": "Referrals"}},
        7004: {"id": 7004, "name": "Jobs page", "type": {"id": 3, "name": "Company marketing"}},
    }
    jobs = out.table("jobs")
    openings = out.table("openings")
    job_posts = out.table("job_posts")
    job_specs = [
        (4001, "Travel ICU Registered Nurse", "open", 204, 304, 3, "Contract"),
        (4002, "Med-Surg RN (13 weeks)", "open", 201, 302, 2, "Contract"),
        (4003, "Epic Analyst", "open", 202, 303, 1, "Contract to hire"),
        (4004, "Help Desk Technician II", "open", 202, 301, 2, "Temporary"),
        (4005, "Staff Accountant", "draft", 203, 302, 1, "Permanent"),
        (4006, "Charge Nurse - Night Shift", "open", 201, 301, 1, ["Contract", "Per diem"]),
        (CLOSED_JOB_ID, "Respiratory Therapist", "closed", 201, 302, 1, "Contract"),
        (CUSTOM_FIELD_JOB_ID, "Cath Lab Tech", "open", 201, 301, 1, "Contract"),
    ]
    opening_id = 9001
    for n, (jid, name, status, did, oid, count, kind) in enumerate(job_specs):
        created = EPOCH - timedelta(days=120 - n * 9)
        recruiter, manager = users[1002 + n % 2], users[1001]
        jobs[jid] = {
            "id": jid,
            "name": name,
            "requisition_id": f"REQ-{jid}" if n != 3 else "",
            "notes": "<p>Night differential applies.</p>" if n % 3 == 0 else None,
            "confidential": jid == 4005,
            "status": status,
            "created_at": iso(created),
            "opened_at": iso(created + timedelta(days=1)) if status != "draft" else None,
            "closed_at": iso(created + timedelta(days=60)) if status == "closed" else None,
            "updated_at": iso(created + timedelta(days=2 + n)),
            "is_template": False,
            "copied_from_id": 4001 if jid == 4002 else None,
            "departments": [_embedded(departments[did], departments, "department")],
            "offices": [_embedded(offices[oid], offices, "office")],
            "custom_fields": {
                "employment_type": kind,
                "bill_rate": PAY[n % len(PAY)],
                "salary_range": {"min_value": 80000, "max_value": 95000, "unit": "USD"}
                if jid == 4005
                else None,
            },
            "keyed_custom_fields": {
                "employment_type": {
                    "name": "Employment Type",
                    "type": "multi_select" if isinstance(kind, list) else "single_select",
                    "value": kind,
                },
                "bill_rate": {"name": "Bill Rate", "type": "short_text", "value": PAY[n % len(PAY)]},
            },
            "hiring_team": {
                "hiring_managers": [_person(manager)],
                "recruiters": [{**_person(recruiter), "responsible": True}],
                "coordinators": [{**_person(users[1004]), "responsible": False}],
                "sourcers": [],
            },
        }
        for k in range(count):
            filled = status == "closed"
            openings[opening_id] = {
                "id": opening_id,
                "opening_id": f"{jid}-{k + 1}" if k != 1 else None,
                "status": "closed" if filled else "open",
                "opened_at": iso(created + timedelta(days=1)),
                "closed_at": iso(created + timedelta(days=59)) if filled else None,
                "application_id": None,
                "close_reason": {"id": 689, "name": "Hired"} if filled else None,
                "custom_fields": {},
                "keyed_custom_fields": {},
                "job_id": jid,
                "created_at": iso(created),
                "updated_at": iso(created + timedelta(days=2)),
            }
            opening_id += 1
        job_posts[5000 + n] = {
            "id": 5000 + n,
            "title": name,
            "location": {
                "id": 600 + n,
                "name": offices[oid]["location"]["name"],
                "office_id": oid if n % 2 else None,
                "job_post_custom_location_id": None if n % 2 else 303145 + n,
                "job_post_location_type": {"id": 2, "name": "Office"}
                if n % 2
                else {"id": 1, "name": "Free Text"},
            },
            "internal": False,
            "external": status == "open",
            "active": status == "open",
            "live": status == "open",
            "first_published_at": iso(created + timedelta(days=1)) if status != "draft" else None,
            "job_id": jid,
            "content": f"<p>{name} at Northwind Health.</p>",
            "internal_content": "<p>Refer a friend: $500 bonus.</p>" if n % 2 else None,
            "updated_at": iso(created + timedelta(days=3)),
            "created_at": iso(created),
            "demographic_question_set_id": 999 if n % 2 else None,
            "questions": [
                {
                    "required": True,
                    "private": False,
                    "label": "Active RN license number",
                    "name": "question_rn_license",
                    "type": "short_text",
                    "values": [],
                    "description": None,
                }
            ]
            if jid != 4003
            else [],
        }
    out.required_fields[CUSTOM_FIELD_JOB_ID] = [("work_authorization", "Work Authorization")]

    people = out.table("candidates")
    applications = out.table("applications")
    offers = out.table("offers")
    interviews = out.table("scheduled_interviews")
    attachments = out.table("attachments")
    open_jobs = [j for j in jobs.values() if j["status"] == "open" and j["id"] != CUSTOM_FIELD_JOB_ID]
    app_id, offer_id, interview_id, attachment_id = 70001, 80001, 90001, 60001
    for i in range(candidates):
        cid = 50001 + i
        first, last = rnd.first_name(), rnd.last_name()
        created = EPOCH + timedelta(days=i, hours=rnd.random.randint(0, 20))
        email = rnd.email(first, last, i, "mail.example")
        if i % 7 == 3:
            email = f"  {first.upper()}.{last}@Mail.Example "  # capitals and spaces, as typed
        emails = [{"value": email, "type": "personal"}]
        if i % 5 == 0:
            emails.append({"value": f"{first.lower()}@{last.lower()}-consulting.example", "type": "work"})
        phone = MESSY_PHONES[i % len(MESSY_PHONES)]
        phones = [{"value": phone, "type": "mobile" if i % 2 else "home"}] if phone else []
        recruiter = users[1002 + i % 2]
        people[cid] = {
            "id": cid,
            "first_name": first if i != 11 else f" {first} ",
            "last_name": last,
            "company": rnd.company() if i % 4 else "",
            "title": "Registered Nurse" if i % 3 == 0 else None,
            "created_at": iso(created),
            "updated_at": iso(created + timedelta(days=2)),
            "last_activity_at": iso(created + timedelta(days=3)),
            "is_private": i == 9,
            "photo_url": None,
            "phone_numbers": phones,
            "addresses": [{"value": f"{100 + i} Pine St\nSeattle, WA 98101", "type": "home"}]
            if i % 3
            else [],
            "email_addresses": emails if i != 20 else [],
            "website_addresses": [],
            "social_media_addresses": [{"value": f"linkedin.com/in/{first.lower()}{i}"}]
            if i % 6 == 0
            else [],
            "recruiter": _person(recruiter),
            "coordinator": _person(users[1004]) if i % 2 else None,
            "can_email": i != 9,
            "tags": ["ICU", "BLS"] if i % 4 == 0 else [],
            "linked_user_ids": [],
            "custom_fields": {
                "desired_rate": PAY[i % len(PAY)],
                "shifts": ["Nights", "Weekends"] if i % 5 == 1 else None,
            },
            "keyed_custom_fields": {
                "desired_rate": {"name": "Desired Rate", "type": "short_text", "value": PAY[i % len(PAY)]},
            },
        }
        for job in _jobs_for(i, open_jobs):
            applied = created + timedelta(hours=4)
            stage_index = (i + job["id"]) % len(STAGES)
            status = "active"
            if i % 9 == 4:
                status = "rejected"
            elif i % 5 == 3:
                status = "hired"
            stage = STAGES[stage_index]
            updated = applied + timedelta(days=1 + stage_index)
            agency = i % 3 == 0
            applications[app_id] = {
                "id": app_id,
                "candidate_id": cid,
                "prospect": False,
                "applied_at": iso(applied),
                "rejected_at": iso(updated) if status == "rejected" else None,
                "last_activity_at": iso(updated),
                "location": {"address": "Seattle, Washington, United States"} if i % 2 else None,
                "source": {"id": AGENCY_SOURCE_ID, "public_name": "Staffwire Staffing"}
                if agency
                else {"id": 7002, "public_name": "LinkedIn"},
                "credited_to": _person(recruiter),
                "recruiter": _person(recruiter),
                "coordinator": _person(users[1004]),
                "rejection_reason": {
                    "id": 8,
                    "name": "Lacking skill(s)/qualification(s)",
                    "type": {"id": 1, "name": "We rejected them"},
                }
                if status == "rejected"
                else None,
                "job_post_id": 5000 + list(jobs).index(job["id"]),
                "status": status,
                "current_stage": {"id": stage[0], "name": stage[1]} if status != "hired" else None,
                "answers": [],
                "prospective_office": None,
                "prospective_department": None,
                "prospect_detail": {"prospect_pool": None, "prospect_stage": None, "prospect_owner": None},
                "custom_fields": {},
                "keyed_custom_fields": {},
                "job_id": job["id"],
                "created_at": iso(applied),
                "updated_at": iso(updated),
            }
            if i % 4 == 1:
                attachments[attachment_id] = {
                    "filename": f"{first}_{last}_Resume.pdf",
                    "url": f"https://greenhouse-sandbox.invalid/files/{attachment_id}/resume.pdf",
                    "type": "resume",
                    "content_type": "application/pdf",
                    "id": attachment_id,
                    "application_id": app_id,
                    "candidate_id": cid,
                    "created_at": iso(applied),
                    "updated_at": iso(applied),
                }
                attachment_id += 1
            if stage_index >= 3 and status != "rejected":
                start = applied + timedelta(days=stage_index, hours=15)
                interviews[interview_id] = {
                    "id": interview_id,
                    "application_id": app_id,
                    "external_event_id": f"evt-{interview_id}" if i % 2 else None,
                    "location": "Zoom" if i % 2 else "Building C, Room 4",
                    "video_conferencing_url": "https://zoom.example/j/123" if i % 2 else None,
                    "status": "complete" if stage_index > 4 else "scheduled",
                    "created_at": iso(applied + timedelta(days=1)),
                    "updated_at": iso(applied + timedelta(days=2)),
                    "interview": {"id": 7100 + stage_index, "name": stage[1]},
                    "organizer": _person(recruiter),
                    "interviewers": [
                        {
                            "id": 1001,
                            "employee_id": "E1001",
                            "name": "Dana Whitfield",
                            "email": "dana.whitfield@northwind-health.example",
                            "response_status": "accepted",
                            "scorecard_id": 11000 + interview_id if stage_index > 4 else None,
                        }
                    ],
                    "start_at": iso(start),
                    "end_at": iso(start + timedelta(minutes=45)),
                }
                interview_id += 1
            if status == "hired" or (stage_index == 6 and status == "active"):
                free_opening = next(
                    (
                        o
                        for o in openings.values()
                        if o["job_id"] == job["id"] and o["application_id"] is None
                    ),
                    None,
                )
                offers[offer_id] = _offer(offer_id, app_id, cid, job, status, applied, i, free_opening)
                if free_opening is not None and status == "hired":
                    free_opening.update(
                        status="closed", application_id=app_id, close_reason={"id": 689, "name": "Hired"}
                    )
                    free_opening["closed_at"] = free_opening["updated_at"] = iso(applied + timedelta(days=9))
                offer_id += 1
            app_id += 1
    return out


def _offer(
    oid: int,
    app_id: int,
    cid: int,
    job: dict[str, Any],
    status: str,
    applied: datetime,
    i: int,
    opening: dict[str, Any] | None,
) -> dict[str, Any]:
    hired = status == "hired"
    starts = [
        (applied + timedelta(days=21)).date().isoformat(),
        "2099-12-31",  # far future: a placeholder someone typed
        (applied + timedelta(days=14)).date().isoformat(),
    ][i % 3]
    pay, bill = PAY[i % len(PAY)], PAY[(i + 3) % len(PAY)]
    return {
        "id": oid,
        "version": 1 if i % 2 else 2,
        "application_id": app_id,
        "job_id": job["id"],
        "candidate_id": cid,
        "opening": {k: opening[k] for k in _OPENING_KEYS} if opening is not None else None,
        "created_at": iso(applied + timedelta(days=7)),
        "updated_at": iso(applied + timedelta(days=8)),
        "sent_on": (applied + timedelta(days=7)).date().isoformat(),
        "resolved_at": iso(applied + timedelta(days=8)) if hired else None,
        "start_on": starts if hired else None,
        "status": "accepted" if hired else "unresolved",
        "custom_fields": {
            "pay_rate": pay,
            "bill_rate": bill,
            "currency": "USD" if i % 4 else "usd ",
            "pay_unit": "hour",
        },
        "keyed_custom_fields": {
            "pay_rate": {"name": "Pay Rate", "type": "short_text", "value": pay},
            "bill_rate": {"name": "Bill Rate", "type": "short_text", "value": bill},
        },
    }


_OPENING_KEYS = ("id", "opening_id", "status", "opened_at", "closed_at", "application_id", "close_reason")
_EMBEDDED = {
    # the keys of departments and offices inside a job (short) and a user (full), as the published examples
    "department": (
        ("id", "name", "parent_id", "child_ids", "external_id"),
        ("parent_department_external_id", "child_department_external_ids"),
    ),
    "office": (
        ("id", "name", "location", "primary_contact_user_id", "parent_id", "child_ids", "external_id"),
        ("parent_office_external_id", "child_office_external_ids"),
    ),
}


def _embedded(
    row: dict[str, Any], table: dict[int, dict[str, Any]], kind: str, *, full: bool = False
) -> dict[str, Any]:
    """A department or office as embedded in a job or user: with its children's ids, like the published bodies."""
    children = [r for r in table.values() if r["parent_id"] == row["id"]]
    keys, extra = _EMBEDDED[kind]
    values = {
        **row,
        "child_ids": [c["id"] for c in children],
        f"child_{kind}_external_ids": [c["external_id"] for c in children],
    }
    return {k: values[k] for k in (*keys, *(extra if full else ()))}


def _jobs_for(i: int, open_jobs: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """One or two applications per candidate; every fourth candidate has none (a sourced prospect)."""
    if i % 4 == 2 and i % 3 != 0:
        return
    yield open_jobs[i % len(open_jobs)]
    if i % 5 == 0:
        yield open_jobs[(i + 2) % len(open_jobs)]
