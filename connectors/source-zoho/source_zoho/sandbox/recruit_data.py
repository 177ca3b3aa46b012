"""Seeded Zoho Recruit modules: field metadata and record generators (Candidates, JobOpenings, ...)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from source_zoho.sandbox.seed import (
    BASE_TIME,
    BILLING_ADDRESS,
    FieldSpec,
    ModuleSeed,
    Seeder,
    company,
    lookup,
    module,
    owner,
    person,
    phones,
    picklist,
    refused_metadata,
    stamp,
    text,
    web_tab,
)

__all__ = ["recruit_modules"]

# ------------------------------------------------------------------------------------------------ Recruit
CANDIDATE_STATUSES = (
    "New",
    "Qualified",
    "Contacted",
    "Hired",
    "Rejected",
    "Joined",
    "Offer-Made",
    "On-Hold",
    "Unqualified",
    "Junk candidate",
    "Waiting-for-Evaluation",
    "Bench",  # a tenant's own word, in no default map
)
JOB_STATUSES = (
    "In-progress",
    "On-Hold",
    "Filled",
    "Cancelled",
    "Declined",
    "Inactive",
    "Waiting for approval",
)
JOB_TYPES = ("Full time", "Part time", "Temporary", "Contract", "Contract to hire", "Freelance")
APPLICATION_STATUSES = (
    "New",
    "Qualified",
    "Submitted-to-client",
    "Interview-Scheduled",
    "Offer-Made",
    "Hired",
    "Rejected",
    "Withdrawn",
)
INTERVIEW_STATUSES = ("Scheduled", "Completed", "Cancelled", "No-Show")
INTERVIEW_TYPES = ("Online Interview", "Face to Face", "Phone Interview")
SOURCES = ("Added by User", "Imported by Parser", "Career Site", "LinkedIn", "Referral", "Indeed")


INDUSTRIES = ("Manufacturing", "Healthcare", "Technology", "Logistics", "Retail")
SIZES = {
    "Clients": 6,
    "Contacts": 8,
    "Candidates": 24,
    "JobOpenings": 10,
    "Applications": 16,
    "Interviews": 6,
    "Departments": 4,
}


# What real tenants hold (every sixth record, and a few others): junk and fictional phones, extensions, empty
# strings, emails typed with capitals and spaces, far-past and far-future dates, multi-select picklists.
MESSY_PHONES = ("+1 555 602 9290", "(836) 447-3343", "(212) 555-0142 x23", "", "555-1234")
PREFERENCES = ("Remote", "Day shift", "Night shift", "Weekend")
FAR_DATES = ("1900-01-01", "2999-12-31")


def messy_phone(s: Seeder, n: int) -> str:
    return MESSY_PHONES[(n // 6) % len(MESSY_PHONES)] if n % 6 == 5 else s.phone()


def messy_email(email: str, n: int) -> str:
    return f"  {email.title()} " if n % 7 == 3 else email


def _candidate(s: Seeder, n: int) -> dict[str, Any]:
    d = s.data
    name = person(s, n, "example.com", full_name=True)
    name["Email"] = messy_email(name["Email"], n)
    city, state, zip_code = d.city()
    return stamp(
        s,
        {
            "Candidate_ID": f"ZR_{n + 1}_CAND",
            **name,
            # free text people type into phone fields
            "Phone": messy_phone(s, n) if n != 13 else "call front desk",
            "Mobile": s.phone() if n % 3 else None,
            "Street": f"{d.random.randint(10, 9999)} Main St",
            "City": city,
            "State": state,
            "Zip_Code": zip_code,
            "Country": "United States",
            "Candidate_Status": CANDIDATE_STATUSES[n % len(CANDIDATE_STATUSES)],
            "Candidate_Owner": s.owner(),
            "Source": d.choice(SOURCES),
            "Skill_Set": ", ".join(d.skills(3)),
            "Current_Employer": d.company(),
            "Experience_in_Years": d.random.randint(0, 25),
            "Expected_Salary": d.money(35000, 160000),
            "Is_Unsubscribed": n % 11 == 0,
            "Preferred_Shift": ("Day", "Night", "Weekend")[n % 3],
            "Security_Clearance": n % 4 == 0,
            "Visa_Status": ("Citizen", "Green Card", "H-1B", None)[n % 4],
            "Job_Preferences": list(PREFERENCES[n % 4 : n % 4 + n % 3]),  # multi-select: 0 to 2 values
            "Available_From": FAR_DATES[n % 2] if n % 8 == 1 else None,
        },
    )


def _client(s: Seeder, n: int) -> dict[str, Any]:
    return stamp(
        s,
        {
            **company(s, n, "Client_Name", "Contact_Number", "Market St"),
            "Industry": s.data.choice(INDUSTRIES),
            "Account_Manager": s.owner(),
            "Client_Status": ("Active", "Inactive", "Prospect")[n % 3],
        },
    )


def _contact(s: Seeder, n: int) -> dict[str, Any]:
    d = s.data
    return stamp(
        s,
        {
            **person(s, n, "client.example.com"),
            "Work_Phone": messy_phone(s, n),
            "Mobile": s.phone(),
            "Job_Title": d.choice(("Hiring Manager", "HR Director", "VP Operations", "Talent Partner")),
            "Client_Name": s.lookup("Clients", n),
            "Department": d.choice(("Operations", "Engineering", "Finance", "Human Resources")),
            "Is_primary_contact": n % 2 == 0,
        },
    )


def _job(s: Seeder, n: int) -> dict[str, Any]:
    d = s.data
    city, state, zip_code = d.city()
    opened = (BASE_TIME + timedelta(days=n)).date()
    return stamp(
        s,
        {
            "Job_Opening_ID": f"ZR_{n + 1}_JOB",
            "Posting_Title": d.job_title(),
            "Client_Name": s.lookup("Clients", n),
            "Contact_Name": s.lookup("Contacts", n),
            "Job_Opening_Status": JOB_STATUSES[n % len(JOB_STATUSES)],
            "Job_Type": JOB_TYPES[n % len(JOB_TYPES)],
            "Number_of_Positions": str(1 + n % 4),
            "City": city,
            "State": state,
            "Zip_Code": zip_code,
            "Country": "United States",
            "Job_Description": "<p>Day shift, benefits from day one.</p>",
            "Salary": str(d.money(18, 85)),
            "Currency": "USD",
            "Date_Opened": opened.isoformat(),
            "Target_Date": (opened + timedelta(days=45)).isoformat(),
            "Assigned_Recruiter": [s.owner()],
            "Account_Manager": s.owner(),
            "Remote_Job": n % 5 == 0,
            "Industry": d.choice(INDUSTRIES[:3]),
        },
    )


def _application(s: Seeder, n: int) -> dict[str, Any]:
    return stamp(
        s,
        {
            "Application_ID": f"ZR_{n + 1}_APP",
            **_pipeline_lookups(s, n),
            "Application_Status": APPLICATION_STATUSES[n % len(APPLICATION_STATUSES)],
            "Application_Owner": s.owner(),
        },
    )


def _interview(s: Seeder, n: int) -> dict[str, Any]:
    start = s.data.moment(BASE_TIME + timedelta(days=30), 60)
    return stamp(
        s,
        {
            "Interview_Name": f"Interview {n + 1}",
            **_pipeline_lookups(s, n * 3),
            "From": start,
            "To": start + timedelta(hours=1),
            "Type": INTERVIEW_TYPES[n % 3],
            "Interview_Status": INTERVIEW_STATUSES[n % len(INTERVIEW_STATUSES)],
            "Interview_Owner": s.owner(),
        },
    )


def _pipeline_lookups(s: Seeder, n: int) -> dict[str, Any]:
    """The candidate, job opening and client an application or interview points at."""
    return {
        "Candidate_Name": s.lookup("Candidates", n),
        "Job_Opening_Name": s.lookup("JobOpenings", n * 7),
        "Client_Name": s.lookup("Clients", n * 7),
    }


def _department(s: Seeder, n: int) -> dict[str, Any]:
    return stamp(s, {"Department_Name": ("Engineering", "Nursing", "Logistics", "Finance")[n % 4]})


def _autonumber(name: str) -> FieldSpec:
    return FieldSpec(name, "autonumber", "string", read_only=True)


PIPELINE_LOOKUPS = [
    lookup("Candidate_Name", "Candidates"),
    lookup("Job_Opening_Name", "JobOpenings"),
    lookup("Client_Name", "Clients"),
]


def recruit_modules(sizes: dict[str, int]) -> list[ModuleSeed]:
    """Recruit modules in dependency order (lookups point at modules generated earlier); ``sizes`` overrides
    counts."""
    counts = {**SIZES, **sizes}
    return [
        module(
            "Clients",
            "client",
            [
                FieldSpec("Client_Name", "text", "string", "Client Name"),
                *phones("Contact_Number"),
                FieldSpec("Website", "website", "string"),
                *BILLING_ADDRESS,
                picklist("Industry", INDUSTRIES),
                owner("Account_Manager", "Account Manager"),
                picklist("Client_Status", ("Active", "Inactive", "Prospect"), custom=True),
            ],
            _client,
            counts,
        ),
        module(
            "Contacts",
            "contact",
            [
                *text("First_Name", "Last_Name"),
                FieldSpec("Email", "email", "string"),
                *phones("Work_Phone", "Mobile"),
                *text("Job_Title"),
                lookup("Client_Name", "Clients"),
                *text("Department"),
                FieldSpec("Is_primary_contact", "boolean", "boolean"),
            ],
            _contact,
            counts,
        ),
        module(
            "Candidates",
            "candidate",
            [
                _autonumber("Candidate_ID"),
                *text("First_Name", "Last_Name"),
                FieldSpec("Full_Name", "text", "string", read_only=True),
                FieldSpec("Email", "email", "string"),
                *phones("Phone", "Mobile"),
                *text("Street", "City", "State", "Zip_Code", "Country"),
                picklist("Candidate_Status", CANDIDATE_STATUSES, "Candidate Status"),
                owner("Candidate_Owner"),
                picklist("Source", SOURCES),
                FieldSpec("Skill_Set", "textarea", "string", "Skill Set"),
                *text("Current_Employer"),
                FieldSpec("Experience_in_Years", "integer", "integer"),
                FieldSpec("Expected_Salary", "currency", "double"),
                FieldSpec("Is_Unsubscribed", "boolean", "boolean"),
                picklist("Preferred_Shift", ("Day", "Night", "Weekend"), custom=True),
                FieldSpec("Security_Clearance", "boolean", None, custom=True),  # no json_type: from data_type
                FieldSpec("Visa_Status", "text", None, custom=True),
                FieldSpec(
                    "Job_Preferences", "multiselectpicklist", "jsonarray", custom=True, picklist=PREFERENCES
                ),
                FieldSpec("Available_From", "date", "string", custom=True),
            ],
            _candidate,
            counts,
        ),
        module(
            "JobOpenings",
            "jobopening",
            [
                _autonumber("Job_Opening_ID"),
                *text("Posting_Title"),
                lookup("Client_Name", "Clients"),
                lookup("Contact_Name", "Contacts"),
                picklist("Job_Opening_Status", JOB_STATUSES),
                picklist("Job_Type", JOB_TYPES),
                *text("Number_of_Positions", "City", "State", "Zip_Code", "Country"),
                FieldSpec("Job_Description", "textarea", "string"),
                *text("Salary", "Currency"),
                FieldSpec("Date_Opened", "date", "string"),
                FieldSpec("Target_Date", "date", "string"),
                FieldSpec("Assigned_Recruiter", "multiuserlookup", "jsonarray"),
                owner("Account_Manager"),
                FieldSpec("Remote_Job", "boolean", "boolean"),
                picklist("Industry", INDUSTRIES[:3]),
            ],
            _job,
            counts,
        ),
        module(
            "Applications",
            "application",
            [
                _autonumber("Application_ID"),
                *PIPELINE_LOOKUPS,
                picklist("Application_Status", APPLICATION_STATUSES),
                owner("Application_Owner"),
            ],
            _application,
            counts,
        ),
        module(
            "Interviews",
            "interview",
            [
                *text("Interview_Name"),
                *PIPELINE_LOOKUPS,
                FieldSpec("From", "datetime", "string"),
                FieldSpec("To", "datetime", "string"),
                picklist("Type", INTERVIEW_TYPES),
                picklist("Interview_Status", INTERVIEW_STATUSES),
                owner("Interview_Owner"),
            ],
            _interview,
            counts,
        ),
        module("Departments", "department", text("Department_Name"), _department, counts),
        # Quirks seen in real orgs: metadata that answers 204 or 401, and modules the API does not serve.
        refused_metadata("Reviews", "review", "Review_Name", 204),
        refused_metadata("Offers", "offer", "Offer_Name", 401),
        web_tab("Home", "home"),
        web_tab("Reports", "report"),
    ]
