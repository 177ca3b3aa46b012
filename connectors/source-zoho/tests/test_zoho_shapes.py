"""The sandbox is faithful to real Zoho CRM records (``source_zoho/reference/crm``, see SOURCE.md there): the
connector reads the same modules from the sandbox, and every field both hold has the same JSON shape (array vs
string vs object vs number vs boolean, null vs empty string, ISO times with an offset), lookups field by field."""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

import pytest
from source_zoho.sandbox import ZohoSandbox

REFERENCE = resources.files("source_zoho") / "reference" / "crm"
ZOHO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
ZOHO_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")


def kind(value: Any) -> str:
    if value is None:
        return "null"
    if value == "":
        return "empty string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        if ZOHO_TIME.match(value):
            return "time with offset"
        return "date" if ZOHO_DATE.match(value) else "string"
    return {list: "array", dict: "object"}[type(value)]


def shapes(rows: list[dict[str, Any]], prefix: str = "") -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for row in rows:
        for key, value in row.items():
            path = f"{prefix}{key}"
            out.setdefault(path, set()).add(kind(value))
            if isinstance(value, dict):
                for sub, kinds in shapes([value], path + ".").items():
                    out.setdefault(sub, set()).update(kinds)
    return out


def allowed(real: set[str]) -> set[str]:
    return real | {"string"} if "empty string" in real else real


def real_rows(module: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads((REFERENCE / f"{module.lower()}.json").read_text("utf-8"))["data"]
    return rows


@pytest.mark.parametrize("module", ["Accounts", "Contacts", "Leads"])
def test_crm_records_from_the_sandbox_have_the_shapes_of_real_zoho_records(zoho: Any, module: str) -> None:
    with ZohoSandbox() as sb:
        result = zoho.read(zoho.make_config(sb, product="crm"), [f"zoho_{module}"], mode="full_refresh")
    answered = zoho.records(result, f"zoho_{module}")
    assert answered
    real, ours = shapes(real_rows(module)), shapes(answered)
    compared = {path for path, kinds in real.items() if kinds - {"null"}} & set(ours)
    wrong = {
        path: (sorted(ours[path]), sorted(real[path]))
        for path in compared
        if ours[path] - {"null"} - allowed(real[path])
    }
    assert wrong == {}, "field -> (sandbox kinds, real kinds)"
    # the fields every record has, in Zoho's shapes: ids as text, lookups with name/id/email, offset times
    for field in (
        "id",
        "Owner.id",
        "Owner.name",
        "Owner.email",
        "Created_Time",
        "Modified_Time",
        "Created_By.id",
    ):
        assert field in compared, field
