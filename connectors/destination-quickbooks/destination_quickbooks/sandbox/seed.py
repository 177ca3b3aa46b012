"""The sandbox company's opening data: the chart of accounts a staffing firm uses, and names already taken.

The messy values are the kind real company files hold: a customer from Intuit's own sample company (a junk
"INVALID" geocode, SyncToken 5), a phone with an extension, 555 numbers, an email with capitals and spaces, an
empty company name, a far-past creation date, an inactive vendor (query answers leave it out unless asked), and
an Employee whose DisplayName a contractor will collide with (names are unique across customers, vendors and
employees).
"""

from __future__ import annotations

from destination_quickbooks.sandbox.company import Company

__all__ = ["ACCOUNTS", "seed_company"]

#: Id -> (Name, AccountType). Ids 7 and 33 are those of Intuit's example bodies.
ACCOUNTS = {
    "1": ("Services", "Income"),
    "7": ("Advertising", "Expense"),
    "33": ("Accounts Payable (A/P)", "Accounts Payable"),
    "60": ("Cost of Labor", "Cost of Goods Sold"),
    "61": ("Contract Labor", "Expense"),
}


def seed_company(company: Company, *, full: bool = True) -> None:
    for account_id, (name, kind) in ACCOUNTS.items():
        company.entities["Account"][account_id] = {
            "Name": name,
            "SubAccount": False,
            "FullyQualifiedName": name,
            "Active": True,
            "Classification": "Liability" if kind == "Accounts Payable" else "Expense",
            "AccountType": kind,
            "CurrentBalance": 0,
            "CurrencyRef": {"value": company.home_currency, "name": "United States Dollar"},
            "domain": "QBO",
            "sparse": False,
            "Id": account_id,
            "SyncToken": "0",
            "MetaData": {
                "CreateTime": "2014-09-12T10:12:02-07:00",
                "LastUpdatedTime": "2014-09-12T10:12:02-07:00",
            },
        }
    if not full:
        return
    amy = company.seed(
        "Customer",
        {
            "GivenName": "Amy",
            "MiddleName": "Michelle",
            "FamilyName": "Lauterbach",
            "DisplayName": "Amy's Bird Sanctuary",
            "CompanyName": "Amy's Bird Sanctuary",
            "PrimaryEmailAddr": {"Address": "Birds@Intuit.com"},
            "PrimaryPhone": {"FreeFormNumber": "(650) 555-3311"},
            "Notes": "Note added via Update operation.",
            "Taxable": True,
            "BillAddr": {
                "Line1": "4581 Finch St.",
                "City": "Bayshore",
                "CountrySubDivisionCode": "CA",
                "PostalCode": "94326",
                "Lat": "INVALID",
                "Long": "INVALID",
            },
            "ShipAddr": {
                "Line1": "4581 Finch St.",
                "City": "Bayshore",
                "CountrySubDivisionCode": "CA",
                "PostalCode": "94326",
                "Lat": "INVALID",
                "Long": "INVALID",
            },
        },
        SyncToken="5",
    )
    amy["MetaData"] = {
        "CreateTime": "2014-09-11T16:48:43-07:00",
        "LastUpdatedTime": "2015-07-01T10:14:15-07:00",
    }
    company.seed(
        "Customer",
        {
            "DisplayName": "Globex (old account)",
            "CompanyName": "",
            "PrimaryEmailAddr": {"Address": " AP@Globex.COM "},
            "PrimaryPhone": {"FreeFormNumber": "555-0100 ext. 12"},
        },
    )["MetaData"]["CreateTime"] = "1999-12-31T23:59:59-08:00"
    company.seed(
        "Vendor",
        {
            "DisplayName": "Cal Telephone",
            "CompanyName": "Cal Telephone",
            "PrimaryPhone": {"FreeFormNumber": "(650) 555-1616"},
            "TermRef": {"value": "1"},
        },
    )
    company.seed("Vendor", {"DisplayName": "Old Temp Agency", "Active": False, "Vendor1099": True})
    company.seed(
        "Employee",
        {
            "DisplayName": "Maria Garcia",
            "GivenName": "Maria",
            "FamilyName": "Garcia",
            "PrimaryEmailAddr": {"Address": "maria.garcia@staffwire-sandbox.example"},
        },
    )
    company.seed(
        "Item",
        {
            "Name": "Design",
            "Description": "Custom Design",
            "Type": "Service",
            "UnitPrice": 75,
            "IncomeAccountRef": {"value": "1"},
        },
    )
