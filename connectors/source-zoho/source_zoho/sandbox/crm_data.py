"""Seeded Zoho CRM modules: field metadata and record generators (Accounts with 65 fields, Contacts, ...)."""

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

__all__ = ["crm_modules"]

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


INDUSTRIES = ("Manufacturing", "Healthcare", "Technology", "Logistics")
ACCOUNT_TYPES = ("Customer", "Prospect", "Partner", "Analyst")
LEAD_SOURCES = ("Web Download", "Cold Call", "Trade Show", "Partner")
SIZES = {"Accounts": 8, "Contacts": 10, "Leads": 12, "Deals": 6}


def _account(s: Seeder, n: int) -> dict[str, Any]:
    d = s.data
    rec: dict[str, Any] = {
        **company(s, n, "Account_Name", "Phone", "Harbor Rd"),
        "Industry": d.choice(INDUSTRIES),
        "Account_Type": ACCOUNT_TYPES[n % 4],
        "Owner": s.owner(),
        "Annual_Revenue": d.money(1e5, 5e7),
        "Employees": d.random.randint(5, 5000),
    }
    for i, key in enumerate(ACCOUNT_CUSTOM):
        rec[key] = (n * 31 + i * 7) % 100
    return stamp(s, rec)


def _crm_contact(s: Seeder, n: int) -> dict[str, Any]:
    return stamp(
        s,
        {
            **person(s, n, "crm.example.com", full_name=True),
            "Phone": s.phone(),
            "Mobile": s.phone(),
            "Title": s.data.choice(("Hiring Manager", "HR Director", "Procurement Lead")),
            "Account_Name": s.lookup("Accounts", n),
            "Owner": s.owner(),
            "Contact_Status": ("Active", "Inactive")[n % 2],
        },
    )


def _lead(s: Seeder, n: int) -> dict[str, Any]:
    d = s.data
    return stamp(
        s,
        {
            **person(s, n, "leads.example.com"),
            "Company": d.company(),
            "Lead_Status": LEAD_STATUSES[n % len(LEAD_STATUSES)],
            "Lead_Source": d.choice(LEAD_SOURCES),
            "Owner": s.owner(),
        },
    )


def _deal(s: Seeder, n: int) -> dict[str, Any]:
    d = s.data
    return stamp(
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
    """CRM modules in dependency order (lookups point at modules generated earlier); ``sizes`` overrides counts."""
    counts = {**SIZES, **sizes}
    return [
        module(
            "Accounts",
            "accounts",
            [
                *text("Account_Name"),
                *phones("Phone"),
                FieldSpec("Website", "website", "string"),
                *BILLING_ADDRESS,
                picklist("Industry", INDUSTRIES),
                picklist("Account_Type", ACCOUNT_TYPES),
                owner("Owner"),
                FieldSpec("Annual_Revenue", "currency", "double"),
                FieldSpec("Employees", "integer", "integer"),
                *(FieldSpec(key, "integer", "integer", custom=True) for key in ACCOUNT_CUSTOM),
            ],
            _account,
            counts,
        ),
        module(
            "Contacts",
            "contacts",
            [
                *text("First_Name", "Last_Name", "Full_Name"),
                FieldSpec("Email", "email", "string"),
                *phones("Phone", "Mobile"),
                *text("Title"),
                lookup("Account_Name", "Accounts"),
                owner("Owner"),
                FieldSpec("Contact_Status", "picklist", None, custom=True, picklist=("Active", "Inactive")),
            ],
            _crm_contact,
            counts,
        ),
        module(
            "Leads",
            "leads",
            [
                *text("First_Name", "Last_Name"),
                FieldSpec("Email", "email", "string"),
                *text("Company"),
                picklist("Lead_Status", LEAD_STATUSES),
                picklist("Lead_Source", LEAD_SOURCES),
                owner("Owner"),
            ],
            _lead,
            counts,
        ),
        module(
            "Deals",
            "deals",
            [
                *text("Deal_Name"),
                picklist("Stage", DEAL_STAGES),
                FieldSpec("Amount", "currency", "double"),
                lookup("Account_Name", "Accounts"),
                lookup("Contact_Name", "Contacts"),
                FieldSpec("Closing_Date", "date", "string"),
                owner("Owner"),
            ],
            _deal,
            counts,
        ),
        refused_metadata("Visits", "visits", "Name", 401),
        web_tab("Home", "home"),
    ]
