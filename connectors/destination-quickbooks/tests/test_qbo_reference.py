"""The sandbox answers with the JSON shapes of Intuit's published example bodies, field by field.

Each vendored request (``destination_quickbooks/reference``, see SOURCE.md there) is sent to the sandbox; its
answer must have the same fields as Intuit's answer, each of the same JSON type (string vs number vs boolean vs
object vs array vs null), except the differences listed here with their reason.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import requests
from destination_quickbooks.sandbox import QuickBooksSandbox

REFERENCE = Path(__file__).resolve().parent.parent / "destination_quickbooks" / "reference"


def load(name: str) -> Any:
    return json.loads((REFERENCE / name).read_text(encoding="utf-8"))


def shape(value: Any) -> Any:
    """A value's JSON shape: objects field by field, arrays by the union of their elements' shapes."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        merged: dict[str, Any] = {}
        for item in value:
            s = shape(item)
            if isinstance(s, dict):
                merged.update(s)
            else:
                return [s]
        return [merged] if value else []
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return "string"


def differences(ours: Any, real: Any, path: str = "") -> list[str]:
    if isinstance(ours, dict) and isinstance(real, dict):
        out = []
        for key in sorted(set(ours) | set(real)):
            where = f"{path}.{key}" if path else key
            if key not in ours:
                out.append(f"missing {where}")
            elif key not in real:
                out.append(f"extra {where}")
            else:
                out += differences(ours[key], real[key], where)
        return out
    if isinstance(ours, list) and isinstance(real, list):
        return differences(ours[0], real[0], path + "[]") if ours and real else []
    return [] if ours == real else [f"{path}: {ours} vs {real}"]


class Session:
    def __init__(self, sandbox: QuickBooksSandbox) -> None:
        config = sandbox.demo_config()
        self.token = requests.post(
            config["token_url"],
            data={"grant_type": "refresh_token", "refresh_token": config["refresh_token"]},
            auth=(config["client_id"], config["client_secret"]),
            timeout=5,
        ).json()
        self.headers = {"Authorization": f"Bearer {self.token['access_token']}"}
        self.base = f"{sandbox.url}/v3/company/{sandbox.realm_id}"

    def post(self, entity: str, body: Any) -> Any:
        return requests.post(f"{self.base}/{entity}", json=body, headers=self.headers, timeout=5).json()

    def query(self, text: str) -> Any:
        return requests.get(
            f"{self.base}/query", params={"query": text}, headers=self.headers, timeout=5
        ).json()


def test_token_refresh_answers_the_fields_of_intuits_answer(sandbox: QuickBooksSandbox) -> None:
    assert differences(shape(Session(sandbox).token), shape(load("token_refresh_response.json"))) == []
    refused = requests.post(
        sandbox.demo_config()["token_url"],
        data={"grant_type": "refresh_token", "refresh_token": "revoked"},
        auth=(sandbox.client_id, sandbox.client_secret),
        timeout=5,
    ).json()
    # Intuit's SDK fixture also carries error_description; the refresh grant's invalid_grant answer has none
    assert differences(shape(refused), shape(load("token_error_response.json"))) == [
        "missing error_description"
    ]


def test_a_created_customer_has_the_fields_of_intuits_example(sandbox: QuickBooksSandbox) -> None:
    ours = Session(sandbox).post("customer", load("customer_create_request.json"))
    # a company without sales tax set up gives a customer no DefaultTaxCodeRef
    assert differences(shape(ours), shape(load("customer_create_response.json"))) == [
        "missing Customer.DefaultTaxCodeRef"
    ]
    assert ours["Customer"]["DisplayName"] == "King's Groceries"
    assert (
        ours["Customer"]["FullyQualifiedName"] == "King's Groceries"
    )  # QuickBooks sets it, whatever is sent


def test_queried_customers_have_the_fields_of_intuits_example(sandbox: QuickBooksSandbox) -> None:
    ours = Session(sandbox).query("SELECT * FROM Customer WHERE DisplayName = 'Amy\\'s Bird Sanctuary'")
    real = load("customer_query_response.json")
    # DefaultTaxCodeRef: no sales tax in the sandbox company; CurrencyRef: answered on customers as on the
    # create example (the query example predates it)
    assert differences(shape(ours), shape(real)) == [
        "extra QueryResponse.Customer[].CurrencyRef",
        "missing QueryResponse.Customer[].DefaultTaxCodeRef",
    ]


def test_a_created_vendor_has_the_fields_of_intuits_example(sandbox: QuickBooksSandbox) -> None:
    ours = Session(sandbox).post("vendor", load("vendor_create_request.json"))
    assert differences(shape(ours), shape(load("vendor_create_response.json"))) == []


def test_a_created_bill_has_the_fields_of_intuits_example(sandbox: QuickBooksSandbox) -> None:
    session = Session(sandbox)
    vendor = session.post("vendor", {"DisplayName": "Bob's Burger Joint"})["Vendor"]
    request = load("bill_create_request.json")
    request["VendorRef"] = {"value": vendor["Id"]}
    ours = session.post("bill", request)
    real = load("bill_create_response.json")
    # the company's multicurrency-independent CurrencyRef is answered on every bill by newer minor versions
    assert differences(shape(ours), shape(real)) == ["extra Bill.CurrencyRef"]
    bill, expected = ours["Bill"], real["Bill"]
    assert (bill["TotalAmt"], bill["Balance"], bill["APAccountRef"]) == (
        expected["TotalAmt"],
        expected["Balance"],
        expected["APAccountRef"],
    )
    assert bill["Line"][0]["AccountBasedExpenseLineDetail"] == {
        **expected["Line"][0]["AccountBasedExpenseLineDetail"],
    }


def test_queried_items_have_the_fields_of_intuits_example(sandbox: QuickBooksSandbox) -> None:
    ours = Session(sandbox).query("SELECT * FROM Item MAXRESULTS 2")
    assert differences(shape(ours), shape(load("item_query_response.json"))) == []


def test_a_batch_answers_faults_in_the_shape_of_intuits_example(sandbox: QuickBooksSandbox) -> None:
    session = Session(sandbox)
    session.post(
        "vendor", {"DisplayName": "Smith Family Store"}
    )  # bid1's create meets a taken name, as in the example
    request = load("batch_request.json")
    items = [request["BatchItemRequest"][0]]
    ours = session.post("batch", {"BatchItemRequest": items})
    real = load("batch_response.json")
    real["BatchItemResponse"] = real["BatchItemResponse"][:1]
    assert differences(shape(ours), shape(real)) == []
    assert (
        ours["BatchItemResponse"][0]["Fault"]["Error"][0] == real["BatchItemResponse"][0]["Fault"]["Error"][0]
    )
