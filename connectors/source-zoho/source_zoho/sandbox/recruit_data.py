"""Seeded Zoho Recruit modules: field metadata and record generators (Candidates, JobOpenings, ...)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from source_zoho.sandbox.seed import BASE_TIME, ENVELOPE, FieldSpec, ModuleSeed, Seeder, stamp

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
SOURCES = ("Added by User", "Imported by Parser", "Career Site", "LinkedIn", "Referral", "Indeed")


def _candidate(s: Seeder, n: int) -> dict[str, Any]:
    d = s.data
    first, last = d.first_name(), d.last_name()
    city, state, zip_code = d.city()
    return stamp(
        s,
        {
            "Candidate_ID": f"ZR_{n + 1}_CAND",
            "First_Name": first,
            "Last_Name": last,
            "Full_Name": f"{first} {last}",
            "Email": d.email(first, last, n),
            "Phone": s.phone() if n != 13 else "call front desk",  # free text people type into phone fields
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
        },
    )


def _client(s: Seeder, n: int) -> dict[str, Any]:
    d = s.data
    city, state, zip_code = d.city()
    name = d.company(n + 1)
    return stamp(
        s,
        {
            "Client_Name": name,
            "Contact_Number": s.phone(),
            "Website": f"https://www.{name.lower().replace(' ', '')}.example.com",
            "Billing_Street": f"{d.random.randint(10, 999)} Market St",
            "Billing_City": city,
            "Billing_State": state,
            "Billing_Code": zip_code,
            "Billing_Country": "United States",
            "Industry": d.choice(("Manufacturing", "Healthcare", "Technology", "Logistics", "Retail")),
            "Account_Manager": s.owner(),
            "Client_Status": ("Active", "Inactive", "Prospect")[n % 3],
        },
    )


def _contact(s: Seeder, n: int) -> dict[str, Any]:
    d = s.data
    first, last = d.first_name(), d.last_name()
    return stamp(
        s,
        {
            "First_Name": first,
            "Last_Name": last,
            "Email": d.email(first, last, n, "client.example.com"),
            "Work_Phone": s.phone(),
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
            "Industry": d.choice(("Manufacturing", "Healthcare", "Technology")),
        },
    )


def _application(s: Seeder, n: int) -> dict[str, Any]:
    return stamp(
        s,
        {
            "Application_ID": f"ZR_{n + 1}_APP",
            "Candidate_Name": s.lookup("Candidates", n),
            "Job_Opening_Name": s.lookup("JobOpenings", n * 7),
            "Client_Name": s.lookup("Clients", n * 7),
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
            "Candidate_Name": s.lookup("Candidates", n * 3),
            "Job_Opening_Name": s.lookup("JobOpenings", n * 3 * 7),
            "Client_Name": s.lookup("Clients", n * 3 * 7),
            "From": start,
            "To": start + timedelta(hours=1),
            "Type": ("Online Interview", "Face to Face", "Phone Interview")[n % 3],
            "Interview_Status": INTERVIEW_STATUSES[n % len(INTERVIEW_STATUSES)],
            "Interview_Owner": s.owner(),
        },
    )


def _department(s: Seeder, n: int) -> dict[str, Any]:
    return stamp(s, {"Department_Name": ("Engineering", "Nursing", "Logistics", "Finance")[n % 4]})


def recruit_modules(sizes: dict[str, int]) -> list[ModuleSeed]:
    """Recruit modules in dependency order (lookups point at modules generated earlier)."""
    f = FieldSpec
    return [
        ModuleSeed(
            "Clients",
            "client",
            [
                f("Client_Name", "text", "string", "Client Name"),
                f("Contact_Number", "phone", "string"),
                f("Website", "website", "string"),
                f("Billing_Street", "text", "string"),
                f("Billing_City", "text", "string"),
                f("Billing_State", "text", "string"),
                f("Billing_Code", "text", "string"),
                f("Billing_Country", "text", "string"),
                f(
                    "Industry",
                    "picklist",
                    "string",
                    picklist=("Manufacturing", "Healthcare", "Technology", "Logistics", "Retail"),
                ),
                f("Account_Manager", "ownerlookup", "jsonobject", "Account Manager"),
                f(
                    "Client_Status",
                    "picklist",
                    "string",
                    picklist=("Active", "Inactive", "Prospect"),
                    custom=True,
                ),
                *ENVELOPE,
            ],
            sizes.get("Clients", 6),
            _client,
            scope_name="client",
        ),
        ModuleSeed(
            "Contacts",
            "contact",
            [
                f("First_Name", "text", "string"),
                f("Last_Name", "text", "string"),
                f("Email", "email", "string"),
                f("Work_Phone", "phone", "string"),
                f("Mobile", "phone", "string"),
                f("Job_Title", "text", "string"),
                f("Client_Name", "lookup", "jsonobject", lookup_module="Clients"),
                f("Department", "text", "string"),
                f("Is_primary_contact", "boolean", "boolean"),
                *ENVELOPE,
            ],
            sizes.get("Contacts", 8),
            _contact,
            scope_name="contact",
        ),
        ModuleSeed(
            "Candidates",
            "candidate",
            [
                f("Candidate_ID", "autonumber", "string", read_only=True),
                f("First_Name", "text", "string"),
                f("Last_Name", "text", "string"),
                f("Full_Name", "text", "string", read_only=True),
                f("Email", "email", "string"),
                f("Phone", "phone", "string"),
                f("Mobile", "phone", "string"),
                f("Street", "text", "string"),
                f("City", "text", "string"),
                f("State", "text", "string"),
                f("Zip_Code", "text", "string"),
                f("Country", "text", "string"),
                f("Candidate_Status", "picklist", "string", "Candidate Status", picklist=CANDIDATE_STATUSES),
                f("Candidate_Owner", "ownerlookup", "jsonobject"),
                f("Source", "picklist", "string", picklist=SOURCES),
                f("Skill_Set", "textarea", "string", "Skill Set"),
                f("Current_Employer", "text", "string"),
                f("Experience_in_Years", "integer", "integer"),
                f("Expected_Salary", "currency", "double"),
                f("Is_Unsubscribed", "boolean", "boolean"),
                f("Preferred_Shift", "picklist", "string", custom=True, picklist=("Day", "Night", "Weekend")),
                f("Security_Clearance", "boolean", None, custom=True),  # no json_type: typed from data_type
                f("Visa_Status", "text", None, custom=True),
                *ENVELOPE,
            ],
            sizes.get("Candidates", 24),
            _candidate,
            scope_name="candidate",
        ),
        ModuleSeed(
            "JobOpenings",
            "jobopening",
            [
                f("Job_Opening_ID", "autonumber", "string", read_only=True),
                f("Posting_Title", "text", "string"),
                f("Client_Name", "lookup", "jsonobject", lookup_module="Clients"),
                f("Contact_Name", "lookup", "jsonobject", lookup_module="Contacts"),
                f("Job_Opening_Status", "picklist", "string", picklist=JOB_STATUSES),
                f("Job_Type", "picklist", "string", picklist=JOB_TYPES),
                f("Number_of_Positions", "text", "string"),
                f("City", "text", "string"),
                f("State", "text", "string"),
                f("Zip_Code", "text", "string"),
                f("Country", "text", "string"),
                f("Job_Description", "textarea", "string"),
                f("Salary", "text", "string"),
                f("Currency", "text", "string"),
                f("Date_Opened", "date", "string"),
                f("Target_Date", "date", "string"),
                f("Assigned_Recruiter", "multiuserlookup", "jsonarray"),
                f("Account_Manager", "ownerlookup", "jsonobject"),
                f("Remote_Job", "boolean", "boolean"),
                f("Industry", "picklist", "string", picklist=("Manufacturing", "Healthcare", "Technology")),
                *ENVELOPE,
            ],
            sizes.get("JobOpenings", 10),
            _job,
            scope_name="jobopening",
        ),
        ModuleSeed(
            "Applications",
            "application",
            [
                f("Application_ID", "autonumber", "string", read_only=True),
                f("Candidate_Name", "lookup", "jsonobject", lookup_module="Candidates"),
                f("Job_Opening_Name", "lookup", "jsonobject", lookup_module="JobOpenings"),
                f("Client_Name", "lookup", "jsonobject", lookup_module="Clients"),
                f("Application_Status", "picklist", "string", picklist=APPLICATION_STATUSES),
                f("Application_Owner", "ownerlookup", "jsonobject"),
                *ENVELOPE,
            ],
            sizes.get("Applications", 16),
            _application,
            scope_name="application",
        ),
        ModuleSeed(
            "Interviews",
            "interview",
            [
                f("Interview_Name", "text", "string"),
                f("Candidate_Name", "lookup", "jsonobject", lookup_module="Candidates"),
                f("Job_Opening_Name", "lookup", "jsonobject", lookup_module="JobOpenings"),
                f("Client_Name", "lookup", "jsonobject", lookup_module="Clients"),
                f("From", "datetime", "string"),
                f("To", "datetime", "string"),
                f(
                    "Type",
                    "picklist",
                    "string",
                    picklist=("Online Interview", "Face to Face", "Phone Interview"),
                ),
                f("Interview_Status", "picklist", "string", picklist=INTERVIEW_STATUSES),
                f("Interview_Owner", "ownerlookup", "jsonobject"),
                *ENVELOPE,
            ],
            sizes.get("Interviews", 6),
            _interview,
            scope_name="interview",
        ),
        ModuleSeed(
            "Departments",
            "department",
            [f("Department_Name", "text", "string"), *ENVELOPE],
            sizes.get("Departments", 4),
            _department,
            scope_name="department",
        ),
        # Quirks seen in real orgs: metadata that answers 204 or 401, and modules the API does not serve.
        ModuleSeed(
            "Reviews",
            "review",
            [f("Review_Name", "text", "string")],
            0,
            None,
            metadata_status=204,
            scope_name="review",
        ),
        ModuleSeed(
            "Offers",
            "offer",
            [f("Offer_Name", "text", "string")],
            0,
            None,
            metadata_status=401,
            scope_name="offer",
        ),
        ModuleSeed("Home", "home", [], 0, None, api_supported=False, generated_type="web"),
        ModuleSeed("Reports", "report", [], 0, None, api_supported=False, generated_type="web"),
    ]
