"""Candidate-like records (the shape of a Bullhorn Candidate with a typical field list), pre-encoded as pages."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import orjson
from staffwire.testing.sandbox import SeededData

START = datetime(2021, 1, 1, tzinfo=timezone.utc)
STATUSES = ("New Lead", "Active", "Placed", "Inactive", "Submitted", "Interviewing")
SOURCES = ("LinkedIn", "Indeed", "Referral", "Website", "Job Fair")


def candidate(seed: SeededData, n: int) -> dict[str, Any]:
    first, last = seed.first_name(), seed.last_name()
    city, state, postal = seed.city()
    added = seed.moment(START, 900)
    return {
        "id": n,
        "firstName": first,
        "lastName": last,
        "name": f"{first} {last}",
        "email": seed.email(first, last, n),
        "phone": seed.phone(),
        "mobile": seed.phone(),
        "address": {
            "address1": f"{n % 9000 + 100} Main St",
            "address2": None,
            "city": city,
            "state": state,
            "zip": postal,
            "countryID": 1,
        },
        "status": seed.choice(STATUSES),
        "source": seed.choice(SOURCES),
        "occupation": seed.job_title(),
        "companyName": seed.company(),
        "skillSet": ", ".join(seed.skills(3)),
        "salary": seed.money(40_000, 160_000),
        "dayRate": seed.money(200, 900),
        "employmentPreference": ["Contract", "Permanent"][: 1 + n % 2],
        "owner": {"id": 1000 + n % 17, "firstName": "Dana", "lastName": "Recruiter"},
        "dateAdded": SeededData.epoch_ms(added),
        "dateLastModified": SeededData.epoch_ms(seed.moment(added, 300)),
        "isDeleted": False,
        "customText1": seed.choice(("W2", "1099", "C2C")),
        "customText2": None,
        "customDate1": None,
    }


def encoded_pages(page_size: int, distinct: int = 16, seed: int = 7) -> list[bytes]:
    """``distinct`` pre-encoded JSON arrays of ``page_size`` records each (ids differ across them)."""
    data = SeededData(seed)
    pages = []
    for p in range(distinct):
        pages.append(orjson.dumps([candidate(data, p * page_size + i + 1) for i in range(page_size)]))
    return pages
