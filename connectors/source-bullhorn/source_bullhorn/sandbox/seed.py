"""Seeded, realistic staffing data for the Bullhorn sandbox: the same seed and sizes always yield the same rows.

Rows hold wire values (epoch ms timestamps, address composites as dicts), to-one associations as the associated
id and to-many associations as lists of ids; the sandbox projects them into Bullhorn's response shapes.
Every Placed candidate has an active placement with a pay rate (the demo turns those into contractors).

Like a real tenant, the rows hold messy values (:func:`_mess`, drawn from a random stream of their own so the
other seeded values do not move): junk and fictional phone numbers, numbers with extensions, emails with capitals
and spaces, empty strings, far-past and far-future dates; and multiValue fields (``source``,
``employmentPreference``, ``skillSet``, Placement ``employmentType``, ``businessSectorList``...) are JSON arrays,
as in the real bodies under ``reference/responses``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from staffwire.testing.seed import SKILLS, SeededData

__all__ = ["CANDIDATE_STATUSES", "Sizes", "seed_rows"]

Rows = dict[str, dict[int, dict[str, Any]]]

START = datetime(2024, 1, 2, tzinfo=timezone.utc)
CANDIDATE_STATUSES = (
    ("New Lead", 10),
    ("New", 5),
    ("Active", 35),
    ("Placed", 20),
    ("Inactive", 15),
    ("DNU", 5),
    ("Registered", 10),
)
JOB_STATUSES = (
    ("Accepting Candidates", 50),
    ("Covered", 10),
    ("Filled", 15),
    ("On Hold", 10),
    ("Closed", 10),
    ("Lead", 5),
)
SUBMISSION_STATUSES = (
    ("New Lead", 10),
    ("Submitted", 25),
    ("Client Submission", 20),
    ("Interview Scheduled", 15),
    ("Offer Extended", 5),
    ("Client Rejected", 15),
    ("Candidate Rejected", 5),
    ("Sales Rep Rejected", 5),
)
EMPLOYMENT_TYPES = ("Contract", "Contract To Hire", "Direct Hire", "Temp")
CATEGORIES = (
    "Engineering",
    "Healthcare",
    "Information Technology",
    "Light Industrial",
    "Finance & Accounting",
    "Administrative",
)
SECTORS = ("Manufacturing", "Healthcare", "Technology", "Logistics", "Financial Services")
SOURCES = ("LinkedIn", "Indeed", "Referral", "Company Website", "Job Fair", "Dice")
CLEARANCES = ("None", "Public Trust", "Secret", "Top Secret")
WORK_AUTH = ("US Citizen", "Green Card", "H-1B", "TN Visa")
NOTE_ACTIONS = ("Left Message", "Phone Screen", "Reference Check", "Interview Debrief", "Email")


@dataclass(frozen=True)
class Sizes:
    """How many rows of each entity to seed; the others follow ``candidates`` unless given."""

    candidates: int = 200
    corporate_users: int | None = None
    client_corporations: int | None = None
    client_contacts: int | None = None
    job_orders: int | None = None
    job_submissions: int | None = None
    sendouts: int | None = None
    appointments: int | None = None
    notes: int | None = None
    tearsheets: int | None = None

    def resolved(self) -> dict[str, int]:
        n = self.candidates
        corps = self.client_corporations if self.client_corporations is not None else max(3, n // 20)
        return {
            "CorporateUser": self.corporate_users
            if self.corporate_users is not None
            else max(3, min(25, n // 50 + 3)),
            "ClientCorporation": corps,
            "ClientContact": self.client_contacts if self.client_contacts is not None else corps * 2,
            "JobOrder": self.job_orders if self.job_orders is not None else max(3, n // 4),
            "Candidate": n,
            "JobSubmission": self.job_submissions if self.job_submissions is not None else n,
            "Sendout": self.sendouts if self.sendouts is not None else n // 3,
            "Appointment": self.appointments if self.appointments is not None else n // 4,
            "Note": self.notes if self.notes is not None else n // 2,
            "Tearsheet": self.tearsheets if self.tearsheets is not None else max(2, n // 50),
        }


class _Clock:
    """Seeded dateAdded/dateLastModified pairs; every seventh row repeats the previous dateLastModified, so the
    connector's id tie-break at equal timestamps is always exercised."""

    def __init__(self, data: SeededData) -> None:
        self.data = data
        self.previous = 0
        self.n = 0

    def stamps(self) -> tuple[int, int]:
        added = self.data.moment(START, 480)
        modified = added + timedelta(seconds=self.data.random.randint(0, 60 * 86400))
        added_ms, modified_ms = SeededData.epoch_ms(added), SeededData.epoch_ms(modified)
        self.n += 1
        if self.n % 7 == 0 and self.previous >= added_ms:
            modified_ms = self.previous
        self.previous = modified_ms
        return added_ms, modified_ms


AREA_CODES = (212, 312, 415, 617, 303, 206, 404, 602, 305, 614, 919, 314, 408, 503, 615, 512)


def _phone(data: SeededData) -> str:
    """A phone number that validates (real area codes), in Bullhorn's usual free-text form."""
    return f"({data.choice(AREA_CODES)}) 555-{data.random.randint(100, 9999):04d}"


def _weighted(data: SeededData, options: tuple[tuple[str, int], ...]) -> str:
    return data.random.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _address(data: SeededData) -> dict[str, Any]:
    city, state, zip_code = data.city()
    return {
        "address1": f"{data.random.randint(1, 9999)} {data.choice(('Main', 'Oak', 'Pine', 'Maple', 'Cedar'))} St",
        "address2": "",
        "city": city,
        "state": state,
        "zip": zip_code,
        "countryID": 1,
    }


def _day(ms: int) -> int:
    """Midnight UTC of a timestamp: Bullhorn's DATE fields."""
    return ms - ms % 86_400_000


def seed_rows(seed: int, sizes: Sizes) -> Rows:
    """Every entity's rows, keyed by entity name then id."""
    data = SeededData(seed)
    count = sizes.resolved()
    rows: Rows = {}

    rows["Category"] = {
        i: {"id": i, "name": name, "enabled": True, "dateAdded": SeededData.epoch_ms(START)}
        for i, name in enumerate(CATEGORIES, 1)
    }
    rows["BusinessSector"] = {
        i: {"id": i, "name": name, "dateAdded": SeededData.epoch_ms(START)}
        for i, name in enumerate(SECTORS, 1)
    }
    # the tenant's Skill table holds exactly the names SeededData.skills() draws candidates' skills from
    rows["Skill"] = {i: {"id": i, "name": name, "enabled": True} for i, name in enumerate(SKILLS, 1)}
    skill_ids = {name: i for i, name in enumerate(SKILLS, 1)}

    clock = _Clock(data)
    users: dict[int, dict[str, Any]] = {}
    for i in range(1, count["CorporateUser"] + 1):
        first, last = data.first_name(), data.last_name()
        _, modified = clock.stamps()
        users[i] = {
            "id": i,
            "firstName": first,
            "lastName": last,
            "name": f"{first} {last}",
            "email": f"{first.lower()}.{last.lower()}@staffing.example.com",
            "username": f"{first.lower()}.{last.lower()}{i}",
            "enabled": True,
            "isDeleted": False,
            "occupation": "Recruiter",
            "status": "Active",
            "dateLastModified": modified,
        }
    rows["CorporateUser"] = users
    user_ids = list(users)

    corps: dict[int, dict[str, Any]] = {}
    for i in range(1, count["ClientCorporation"] + 1):
        added, modified = clock.stamps()
        name = data.company(i)
        corps[i] = {
            "id": i,
            "name": name,
            "phone": _phone(data),
            "address": _address(data),
            "companyURL": f"https://www.{name.split()[0].lower()}{i}.example.com",
            "status": data.choice(("Active Account", "Active Account", "Prospect", "Passive Account")),
            "numEmployees": data.random.randint(20, 20000),
            "owners": [data.choice(user_ids)],
            "dateAdded": added,
            "dateLastModified": modified,
            "businessSectorList": [data.choice(SECTORS)],
        }
    rows["ClientCorporation"] = corps
    corp_ids = list(corps)

    contacts: dict[int, dict[str, Any]] = {}
    for i in range(1, count["ClientContact"] + 1):
        first, last = data.first_name(), data.last_name()
        added, modified = clock.stamps()
        corp = corp_ids[(i - 1) % len(corp_ids)]
        contacts[i] = {
            "id": i,
            "firstName": first,
            "lastName": last,
            "name": f"{first} {last}",
            "email": data.email(first, last, i, "client.example.com"),
            "phone": _phone(data),
            "clientCorporation": corp,
            "occupation": data.choice(
                ("Hiring Manager", "HR Director", "Operations Manager", "VP Engineering")
            ),
            "status": data.choice(("Active", "Active", "Active", "Inactive")),
            "owner": data.choice(user_ids),
            "address": _address(data),
            "isDeleted": False,
            "dateAdded": added,
            "dateLastModified": modified,
            "type": "Hiring Manager",
        }
    rows["ClientContact"] = contacts
    contacts_by_corp: dict[int, list[int]] = {}
    for cid, contact in contacts.items():
        contacts_by_corp.setdefault(contact["clientCorporation"], []).append(cid)

    jobs: dict[int, dict[str, Any]] = {}
    for i in range(1, count["JobOrder"] + 1):
        added, modified = clock.stamps()
        corp = data.choice(corp_ids)
        pay = data.money(18, 95)
        status = _weighted(data, JOB_STATUSES)
        jobs[i] = {
            "id": i,
            "title": data.job_title(),
            "clientCorporation": corp,
            "clientContact": data.choice(contacts_by_corp.get(corp) or [None]),
            "owner": data.choice(user_ids),
            "status": status,
            "isOpen": status in ("Accepting Candidates", "Covered"),
            "numOpenings": data.random.randint(1, 5),
            "employmentType": data.choice(EMPLOYMENT_TYPES),
            "address": _address(data),
            "payRate": pay,
            "clientBillRate": round(pay * 1.45, 2),
            "salary": 0,
            "salaryUnit": "Per Hour",
            "startDate": _day(added + 14 * 86_400_000),
            "dateEnd": _day(added + 200 * 86_400_000),
            "dateAdded": added,
            "dateLastModified": modified,
            "isDeleted": data.random.random() < 0.02,
            "description": "<p>Seeded job description.</p>",
            "categories": [data.random.randint(1, len(CATEGORIES))],
            "customText1": f"CC-{data.random.randint(100, 999)}",
        }
    rows["JobOrder"] = jobs
    job_ids = list(jobs)

    candidates: dict[int, dict[str, Any]] = {}
    for i in range(1, count["Candidate"] + 1):
        first, last = data.first_name(), data.last_name()
        added, modified = clock.stamps()
        skills = data.skills(3)
        candidates[i] = {
            "id": i,
            "firstName": first,
            "lastName": last,
            "name": f"{first} {last}",
            "email": data.email(first, last, i),
            "phone": _phone(data),
            "mobile": _phone(data),
            "address": _address(data),
            "status": _weighted(data, CANDIDATE_STATUSES),
            "owner": data.choice(user_ids),
            "source": [data.choice(SOURCES)],
            "occupation": data.job_title(),
            "skillSet": list(skills),
            "primarySkills": sorted(skill_ids[s] for s in skills),
            "categories": [data.random.randint(1, 6)],
            "employmentPreference": [data.choice(EMPLOYMENT_TYPES)],
            "hourlyRate": data.money(15, 90),
            "salary": 0,
            "dateAvailable": _day(added + 7 * 86_400_000),
            "dateAdded": added,
            "dateLastModified": modified,
            "isDeleted": data.random.random() < 0.02,
            "customText1": data.choice(CLEARANCES),
            "customText2": data.choice(WORK_AUTH),
            "customDate1": _day(added + 3 * 86_400_000) if data.random.random() < 0.5 else None,
        }
    rows["Candidate"] = candidates
    cand_ids = list(candidates)

    submissions: dict[int, dict[str, Any]] = {}
    placements: dict[int, dict[str, Any]] = {}
    next_submission = 1
    for (
        cid,
        cand,
    ) in candidates.items():  # every Placed candidate: a Placed submission and an active placement
        if cand["status"] != "Placed":
            continue
        job = data.choice(job_ids)
        added, modified = cand["dateAdded"] + 86_400_000, cand["dateLastModified"]
        submissions[next_submission] = {
            "id": next_submission,
            "candidate": cid,
            "jobOrder": job,
            "status": "Placed",
            "dateAdded": added,
            "dateLastModified": modified,
            "dateWebResponse": added,
            "sendingUser": cand["owner"],
            "source": cand["source"][0],
            "isDeleted": False,
            "payRate": jobs[job]["payRate"],
            "billRate": jobs[job]["clientBillRate"],
        }
        pid = len(placements) + 1
        placements[pid] = _placement(data, pid, cid, jobs[job], next_submission, "Active", added, modified)
        next_submission += 1
    for _ in range(max(0, count["JobSubmission"] - len(submissions))):
        added, modified = clock.stamps()
        sid = next_submission
        next_submission += 1
        job = data.choice(job_ids)
        submissions[sid] = {
            "id": sid,
            "candidate": data.choice(cand_ids) if cand_ids else None,
            "jobOrder": job,
            "status": _weighted(data, SUBMISSION_STATUSES),
            "dateAdded": added,
            "dateLastModified": modified,
            "dateWebResponse": added,
            "sendingUser": data.choice(user_ids),
            "source": data.choice(SOURCES),
            "isDeleted": data.random.random() < 0.02,
            "payRate": jobs[job]["payRate"],
            "billRate": jobs[job]["clientBillRate"],
        }
    # past placements of other candidates: completed or terminated assignments
    past = [c for c in cand_ids if candidates[c]["status"] in ("Active", "Inactive")][
        : max(1, len(cand_ids) // 20)
    ]
    for cid in past:
        added, modified = clock.stamps()
        pid = len(placements) + 1
        status = data.choice(("Completed", "Completed", "Terminated", "Approved"))
        placements[pid] = _placement(
            data, pid, cid, jobs[data.choice(job_ids)], None, status, added, modified
        )
    rows["JobSubmission"] = submissions
    rows["Placement"] = placements
    sub_ids = list(submissions)

    sendouts: dict[int, dict[str, Any]] = {}
    for i in range(1, min(count["Sendout"], len(sub_ids)) + 1):
        sub = submissions[sub_ids[(i * 7) % len(sub_ids)]]
        job = jobs[sub["jobOrder"]]
        added, _ = clock.stamps()
        sendouts[i] = {
            "id": i,
            "candidate": sub["candidate"],
            "jobOrder": sub["jobOrder"],
            "clientContact": job["clientContact"],
            "clientCorporation": job["clientCorporation"],
            "user": data.choice(user_ids),
            "dateAdded": added,
            "isRead": data.random.random() < 0.6,
            "email": "hiring@client.example.com",
        }
    rows["Sendout"] = sendouts

    appointments: dict[int, dict[str, Any]] = {}
    for i in range(1, min(count["Appointment"], len(sub_ids)) + 1):
        sub = submissions[sub_ids[(i * 3) % len(sub_ids)]]
        job = jobs[sub["jobOrder"]]
        added, modified = clock.stamps()
        begin = modified + data.random.randint(1, 14) * 86_400_000
        appointments[i] = {
            "id": i,
            "candidateReference": sub["candidate"],
            "jobOrder": sub["jobOrder"],
            "clientContactReference": job["clientContact"],
            "owner": data.choice(user_ids),
            "dateBegin": begin,
            "dateEnd": begin + 3_600_000,
            "type": "Interview",
            "subject": f"Interview: {job['title']}",
            "communicationMethod": data.choice(("Phone", "Video", "In Person")),
            "isDeleted": False,
            "isAllDay": False,
            "dateAdded": added,
            "dateLastModified": modified,
            "location": "Client office",
        }
    rows["Appointment"] = appointments

    notes: dict[int, dict[str, Any]] = {}
    for i in range(1, count["Note"] + 1):
        added, modified = clock.stamps()
        person: int | None = data.choice(cand_ids) if cand_ids else None
        notes[i] = {
            "id": i,
            "action": data.choice(NOTE_ACTIONS),
            "comments": "Seeded note about the candidate.",
            "personReference": person,
            "commentingPerson": data.choice(user_ids),
            "candidates": [person] if person else [],
            "isDeleted": data.random.random() < 0.02,
            "dateAdded": added,
            "dateLastModified": modified,
            "minutesSpent": data.random.randint(1, 45),
        }
    rows["Note"] = notes

    tearsheets: dict[int, dict[str, Any]] = {}
    for i in range(1, count["Tearsheet"] + 1):
        added, modified = clock.stamps()
        tearsheets[i] = {
            "id": i,
            "name": f"Hot list {i}",
            "description": None,
            "owner": data.choice(user_ids),
            "candidates": sorted(data.random.sample(cand_ids, min(5, len(cand_ids)))),
            "jobOrders": sorted(data.random.sample(job_ids, min(2, len(job_ids)))),
            "isPrivate": False,
            "isDeleted": False,
            "dateAdded": added,
            "dateLastModified": modified,
        }
    rows["Tearsheet"] = tearsheets
    _mess(rows, random.Random(seed * 7919 + 17))
    return rows


JUNK_PHONES = ("n/a", "555-1234", "call after 5pm", "12345", "", "TBD", "+1 212 555 01999 1")
ODD_PHONES = (
    "(836) 447-3343",
    "+1 555 602 9290",
    "(212) 555-0142 x23",
    "617.555.0199 ext. 4",
    "44 020-78311299",
)
FAR_PAST = -2_208_988_800_000  # 1900-01-01
FAR_FUTURE = 32_503_680_000_000  # 3000-01-01


def _mess(rows: Rows, rng: random.Random) -> None:
    """Make about one row in six of the people and companies look like real tenant data."""

    def phone(row: dict[str, Any], key: str) -> None:
        roll = rng.random()
        if roll < 0.08:
            row[key] = rng.choice(JUNK_PHONES)
        elif roll < 0.16:
            row[key] = rng.choice(ODD_PHONES)

    for entity in ("Candidate", "ClientContact", "ClientCorporation"):
        for row in rows[entity].values():
            phone(row, "phone")
            if "mobile" in row:
                phone(row, "mobile")
            email = row.get("email")
            if isinstance(email, str) and rng.random() < 0.1:
                row["email"] = f"  {email.title()} "
            if rng.random() < 0.05 and row.get("status") != "Placed":  # placed people keep an address
                row["email" if "email" in row else "companyURL"] = ""
    for row in rows["Candidate"].values():
        roll = rng.random()
        if roll < 0.05:
            row["employmentPreference"] = [*row["employmentPreference"], "Contract To Hire"]
            row["source"] = [*row["source"], "Referral"]
        elif roll < 0.08:
            row["source"] = None
        elif roll < 0.11:
            row["dateAvailable"] = FAR_PAST if rng.random() < 0.5 else FAR_FUTURE
    for row in rows["Placement"].values():
        if row["status"] in ("Completed", "Terminated") and rng.random() < 0.3:
            row["dateEnd"] = FAR_FUTURE if rng.random() < 0.5 else FAR_PAST


def _placement(
    data: SeededData,
    pid: int,
    candidate: int,
    job: dict[str, Any],
    submission: int | None,
    status: str,
    added: int,
    modified: int,
) -> dict[str, Any]:
    begin = _day(added + 14 * 86_400_000)
    pay = job["payRate"]
    return {
        "id": pid,
        "candidate": candidate,
        "jobOrder": job["id"],
        "jobSubmission": submission,
        "status": status,
        "dateBegin": begin,
        "dateEnd": begin + 180 * 86_400_000,
        "payRate": pay,
        "clientBillRate": job["clientBillRate"],
        "overtimeRate": round(pay * 1.5, 2),
        "salary": 0,
        "salaryUnit": "Per Hour",
        "employmentType": [job["employmentType"]],
        "dateAdded": added,
        "dateLastModified": modified,
        "fee": 0,
        "customText1": f"PO-{data.random.randint(10000, 99999)}",
    }
