"""Seeded Zoho CRM modules: field metadata and record generators (Accounts with 65 fields, Contacts, ...)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from source_zoho.sandbox.seed import BASE_TIME, ENVELOPE, FieldSpec, ModuleSeed, Seeder, stamp

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
    return stamp(s, rec)


def _crm_contact(s: Seeder, n: int) -> dict[str, Any]:
    d = s.data
    first, last = d.first_name(), d.last_name()
    return stamp(
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
    return stamp(
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
                *ENVELOPE,
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
                *ENVELOPE,
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
                *ENVELOPE,
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
                *ENVELOPE,
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
