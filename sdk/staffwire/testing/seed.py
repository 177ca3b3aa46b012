"""Deterministic, realistic-looking staffing data for sandboxes: names, cities, companies, job titles, skills.

Part of the sandbox kit (:mod:`staffwire.testing.sandbox` re-exports :class:`SeededData`). The value lists are
public so a connector's sandbox can draw from the same pools with its own ``random.Random``.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

__all__ = ["CITIES", "COMPANIES", "FIRST_NAMES", "JOB_TITLES", "LAST_NAMES", "SKILLS", "SeededData"]

FIRST_NAMES = [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Priya",
    "Wei",
    "Aisha",
    "Mateo",
    "Sofia",
    "Liam",
    "Olivia",
    "Noah",
    "Emma",
    "Ava",
    "Lucas",
    "Mia",
    "Ethan",
    "Amara",
    "Diego",
    "Yuki",
    "Fatima",
    "Omar",
    "Chloe",
    "Hannah",
    "Ravi",
    "Ines",
    "Kofi",
    "Zara",
    "Leon",
    "Nora",
    "Hugo",
    "Maya",
]
LAST_NAMES = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Patel",
    "Kim",
    "Chen",
    "Okafor",
    "Silva",
    "Novak",
    "Schmidt",
    "Rossi",
    "Dubois",
    "Haddad",
]
CITIES = (
    ("Boston", "MA", "02108"),
    ("Chicago", "IL", "60601"),
    ("Austin", "TX", "73301"),
    ("Denver", "CO", "80202"),
    ("Seattle", "WA", "98101"),
    ("Atlanta", "GA", "30303"),
    ("Phoenix", "AZ", "85001"),
    ("Miami", "FL", "33101"),
    ("Columbus", "OH", "43004"),
    ("Raleigh", "NC", "27601"),
    ("St. Louis", "MO", "63101"),
    ("San Jose", "CA", "95101"),
    ("Portland", "OR", "97201"),
    ("Nashville", "TN", "37201"),
)
COMPANIES = (
    "Acme Manufacturing",
    "Globex Logistics",
    "Initech Software",
    "Umbrella Health",
    "Stark Industries",
    "Wayne Enterprises",
    "Hooli Cloud",
    "Vandelay Imports",
    "Soylent Foods",
    "Cyberdyne Systems",
    "Wonka Industries",
    "Tyrell Biotech",
    "Massive Dynamic",
    "Aperture Labs",
    "Pied Piper",
    "Northwind Traders",
    "Contoso Retail",
    "Fabrikam Energy",
    "Blue Sky Airlines",
    "Oceanic Freight",
)
JOB_TITLES = (
    "Forklift Operator",
    "Registered Nurse",
    "Java Developer",
    "Project Manager",
    "Accountant",
    "Warehouse Associate",
    "Data Analyst",
    "Electrician",
    "Welder",
    "Customer Service Representative",
    "Network Engineer",
    "Medical Assistant",
    "CNC Machinist",
    "Payroll Specialist",
    "QA Tester",
    "Truck Driver (CDL-A)",
    "Business Analyst",
    "Dental Hygienist",
    "Site Supervisor",
    "DevOps Engineer",
)
SKILLS = (
    "Java",
    "Python",
    "SQL",
    "Forklift",
    "OSHA 10",
    "CPR",
    "Excel",
    "Salesforce",
    "AWS",
    "Welding",
    "Kubernetes",
    "Bookkeeping",
    "Spanish",
    "CDL-A",
    "Phlebotomy",
    "AutoCAD",
    "Scrum",
    "Customer Service",
)


class SeededData:
    """Deterministic, realistic-looking staffing data: the same seed always yields the same values."""

    def __init__(self, seed: int = 0) -> None:
        self.random = random.Random(seed)

    def choice(self, options: Any) -> Any:
        return self.random.choice(options)

    def first_name(self) -> str:
        return str(self.random.choice(FIRST_NAMES))

    def last_name(self) -> str:
        return str(self.random.choice(LAST_NAMES))

    def email(self, first: str, last: str, n: int, domain: str = "example.com") -> str:
        return f"{first.lower()}.{last.lower()}{n}@{domain}"

    def phone(self) -> str:
        return f"({self.random.randint(201, 989)}) 555-{self.random.randint(0, 9999):04d}"

    def city(self) -> tuple[str, str, str]:
        return self.random.choice(CITIES)

    def company(self, n: int | None = None) -> str:
        base = str(self.random.choice(COMPANIES))
        return base if n is None else f"{base} {n}"

    def job_title(self) -> str:
        return str(self.random.choice(JOB_TITLES))

    def skills(self, k: int = 3) -> list[str]:
        return self.random.sample(SKILLS, k)

    def money(self, low: float, high: float) -> float:
        return round(self.random.uniform(low, high), 2)

    def moment(self, start: datetime, days: int) -> datetime:
        """A datetime within ``days`` after ``start`` (whole seconds)."""
        return start + timedelta(seconds=self.random.randint(0, days * 86400))

    @staticmethod
    def epoch_ms(moment: datetime) -> int:
        return int(moment.replace(tzinfo=moment.tzinfo or timezone.utc).timestamp() * 1000)
