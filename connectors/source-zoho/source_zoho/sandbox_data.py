"""Seeded modules, field metadata and records for the Zoho sandbox (Recruit v2 and CRM).

Shapes follow Zoho's developer guides (settings/modules, settings/fields, records): ids are long numeric strings,
lookups are ``{"name", "id"}``, picklists carry ``pick_list_values``, some fields lack ``json_type`` (as real
custom fields sometimes do) and times are rendered in the org's time zone (``+05:30`` by default).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from staffwire.testing.sandbox import SeededData

__all__ = ["FieldSpec", "ModuleSeed", "crm_modules", "recruit_modules"]

BASE_TIME = datetime(2024, 1, 8, 9, 0, 0, tzinfo=timezone.utc)

RECRUIT_ORG = 486812000000
CRM_ORG = 5725767000000


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
    extra: dict[str, Any] = field(default_factory=dict)


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

_ENVELOPE = [
    FieldSpec("Created_Time", "datetime", "string", "Created Time", read_only=True),
    FieldSpec("Modified_Time", "datetime", "string", "Modified Time", read_only=True),
    FieldSpec("Created_By", "ownerlookup", "jsonobject", "Created By", read_only=True),
    FieldSpec("Modified_By", "ownerlookup", "jsonobject", "Modified By", read_only=True),
]


def _stamp(s: Seeder, rec: dict[str, Any]) -> dict[str, Any]:
    created, modified = s.times()
    owner = s.owner()
    rec.update(
        {"Created_Time": created, "Modified_Time": modified, "Created_By": owner, "Modified_By": owner}
    )
    return rec


def _candidate(s: Seeder, n: int) -> dict[str, Any]:
    d = s.data
    first, last = d.first_name(), d.last_name()
    city, state, zip_code = d.city()
    return _stamp(
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
    return _stamp(
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
    return _stamp(
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
    return _stamp(
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
    return _stamp(
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
    return _stamp(
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
    return _stamp(s, {"Department_Name": ("Engineering", "Nursing", "Logistics", "Finance")[n % 4]})


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
                *_ENVELOPE,
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
                *_ENVELOPE,
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
                *_ENVELOPE,
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
                *_ENVELOPE,
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
                *_ENVELOPE,
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
                *_ENVELOPE,
            ],
            sizes.get("Interviews", 6),
            _interview,
            scope_name="interview",
        ),
        ModuleSeed(
            "Departments",
            "department",
            [f("Department_Name", "text", "string"), *_ENVELOPE],
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


# ---------------------------------------------------------------------------------------------------- CRM
ACCOUNT_CUSTOM = tuple(f"Score_{i:02d}" for i in range(1, 49))  # pushes Accounts beyond 50 fields
LEAD_STATUSES = (
    "Attempted to Contact",
    "Contact in Future",
    "Contacted",
    "Junk Lead",
    "Lost Lead",
    "Not Contacted",
    "Pre-Qualified",
)
DEAL_STAGES = (
    "Qualification",
    "Needs Analysis",
    "Proposal/Price Quote",
    "Negotiation/Review",
    "Closed Won",
    "Closed Lost",
)


def _account(s: Seeder, n: int) -> dict[str, Any]:
    d = s.data
    city, state, zip_code = d.city()
    name = d.company(n + 1)
    rec: dict[str, Any] = {
        "Account_Name": name,
        "Phone": s.phone(),
        "Website": f"https://www.{name.lower().replace(' ', '')}.example.com",
        "Billing_Street": f"{d.random.randint(10, 999)} Harbor Rd",
        "Billing_City": city,
        "Billing_State": state,
        "Billing_Code": zip_code,
        "Billing_Country": "United States",
        "Industry": d.choice(("Manufacturing", "Healthcare", "Technology", "Logistics")),
        "Account_Type": ("Customer", "Prospect", "Partner", "Analyst")[n % 4],
        "Owner": s.owner(),
        "Annual_Revenue": d.money(1e5, 5e7),
        "Employees": d.random.randint(5, 5000),
    }
    for i, key in enumerate(ACCOUNT_CUSTOM):
        rec[key] = (n * 31 + i * 7) % 100
    return _stamp(s, rec)


def _crm_contact(s: Seeder, n: int) -> dict[str, Any]:
    d = s.data
    first, last = d.first_name(), d.last_name()
    return _stamp(
        s,
        {
            "First_Name": first,
            "Last_Name": last,
            "Full_Name": f"{first} {last}",
            "Email": d.email(first, last, n, "crm.example.com"),
            "Phone": s.phone(),
            "Mobile": s.phone(),
            "Title": d.choice(("Hiring Manager", "HR Director", "Procurement Lead")),
            "Account_Name": s.lookup("Accounts", n),
            "Owner": s.owner(),
            "Contact_Status": ("Active", "Inactive")[n % 2],
        },
    )


def _lead(s: Seeder, n: int) -> dict[str, Any]:
    d = s.data
    first, last = d.first_name(), d.last_name()
    return _stamp(
        s,
        {
            "First_Name": first,
            "Last_Name": last,
            "Email": d.email(first, last, n, "leads.example.com"),
            "Company": d.company(),
            "Lead_Status": LEAD_STATUSES[n % len(LEAD_STATUSES)],
            "Lead_Source": d.choice(("Web Download", "Cold Call", "Trade Show", "Partner")),
            "Owner": s.owner(),
        },
    )


def _deal(s: Seeder, n: int) -> dict[str, Any]:
    d = s.data
    return _stamp(
        s,
        {
            "Deal_Name": f"{d.job_title()} staffing {n + 1}",
            "Stage": DEAL_STAGES[n % len(DEAL_STAGES)],
            "Amount": d.money(5000, 250000),
            "Account_Name": s.lookup("Accounts", n),
            "Contact_Name": s.lookup("Contacts", n),
            "Closing_Date": (BASE_TIME + timedelta(days=60 + n)).date().isoformat(),
            "Owner": s.owner(),
        },
    )


def crm_modules(sizes: dict[str, int]) -> list[ModuleSeed]:
    f = FieldSpec
    return [
        ModuleSeed(
            "Accounts",
            "accounts",
            [
                f("Account_Name", "text", "string"),
                f("Phone", "phone", "string"),
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
                    picklist=("Manufacturing", "Healthcare", "Technology", "Logistics"),
                ),
                f(
                    "Account_Type",
                    "picklist",
                    "string",
                    picklist=("Customer", "Prospect", "Partner", "Analyst"),
                ),
                f("Owner", "ownerlookup", "jsonobject"),
                f("Annual_Revenue", "currency", "double"),
                f("Employees", "integer", "integer"),
                *(f(key, "integer", "integer", custom=True) for key in ACCOUNT_CUSTOM),
                *_ENVELOPE,
            ],
            sizes.get("Accounts", 8),
            _account,
            scope_name="accounts",
        ),
        ModuleSeed(
            "Contacts",
            "contacts",
            [
                f("First_Name", "text", "string"),
                f("Last_Name", "text", "string"),
                f("Full_Name", "text", "string"),
                f("Email", "email", "string"),
                f("Phone", "phone", "string"),
                f("Mobile", "phone", "string"),
                f("Title", "text", "string"),
                f("Account_Name", "lookup", "jsonobject", lookup_module="Accounts"),
                f("Owner", "ownerlookup", "jsonobject"),
                f("Contact_Status", "picklist", None, custom=True, picklist=("Active", "Inactive")),
                *_ENVELOPE,
            ],
            sizes.get("Contacts", 10),
            _crm_contact,
            scope_name="contacts",
        ),
        ModuleSeed(
            "Leads",
            "leads",
            [
                f("First_Name", "text", "string"),
                f("Last_Name", "text", "string"),
                f("Email", "email", "string"),
                f("Company", "text", "string"),
                f("Lead_Status", "picklist", "string", picklist=LEAD_STATUSES),
                f(
                    "Lead_Source",
                    "picklist",
                    "string",
                    picklist=("Web Download", "Cold Call", "Trade Show", "Partner"),
                ),
                f("Owner", "ownerlookup", "jsonobject"),
                *_ENVELOPE,
            ],
            sizes.get("Leads", 12),
            _lead,
            scope_name="leads",
        ),
        ModuleSeed(
            "Deals",
            "deals",
            [
                f("Deal_Name", "text", "string"),
                f("Stage", "picklist", "string", picklist=DEAL_STAGES),
                f("Amount", "currency", "double"),
                f("Account_Name", "lookup", "jsonobject", lookup_module="Accounts"),
                f("Contact_Name", "lookup", "jsonobject", lookup_module="Contacts"),
                f("Closing_Date", "date", "string"),
                f("Owner", "ownerlookup", "jsonobject"),
                *_ENVELOPE,
            ],
            sizes.get("Deals", 6),
            _deal,
            scope_name="deals",
        ),
        ModuleSeed(
            "Visits",
            "visits",
            [f("Name", "text", "string")],
            0,
            None,
            metadata_status=401,
            scope_name="visits",
        ),
        ModuleSeed("Home", "home", [], 0, None, api_supported=False, generated_type="web"),
    ]


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
