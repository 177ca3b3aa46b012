"""The QuickBooks sandbox on its own: Intuit's OAuth, query language, rules and limits, over real HTTP."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from destination_quickbooks.sandbox import QuickBooksSandbox


class Api:
    """A bare client of the sandbox: a fresh access token, then JSON calls under /v3/company/{realm}."""

    def __init__(self, sandbox: QuickBooksSandbox, realm: str | None = None) -> None:
        config = sandbox.demo_config()
        token = requests.post(
            config["token_url"],
            data={"grant_type": "refresh_token", "refresh_token": config["refresh_token"]},
            auth=(config["client_id"], config["client_secret"]),
            timeout=5,
        ).json()
        self.refresh_token = token["refresh_token"]
        self.headers = {"Authorization": f"Bearer {token['access_token']}", "Accept": "application/json"}
        self.base = f"{sandbox.url}/v3/company/{realm or sandbox.realm_id}"

    def query(self, text: str) -> requests.Response:
        return requests.get(f"{self.base}/query", params={"query": text}, headers=self.headers, timeout=5)

    def post(self, entity: str, body: Any, **params: str) -> requests.Response:
        return requests.post(
            f"{self.base}/{entity}", json=body, params=params, headers=self.headers, timeout=5
        )


@pytest.fixture
def api(sandbox: QuickBooksSandbox) -> Api:
    return Api(sandbox)


def _fault(response: requests.Response) -> tuple[int, str, str, str]:
    error = response.json()["Fault"]["Error"][0]
    return response.status_code, response.json()["Fault"]["type"], error["code"], error["element"]


def test_refresh_tokens_rotate_and_the_old_one_works_for_the_grace_period(sandbox: QuickBooksSandbox) -> None:
    first = Api(sandbox)
    config = sandbox.demo_config()
    assert first.refresh_token != config["refresh_token"] or len(sandbox.refresh_tokens) == 2
    again = requests.post(
        config["token_url"],
        data={"grant_type": "refresh_token", "refresh_token": "AB11775000000sandboxRefreshToken0001"},
        auth=(config["client_id"], config["client_secret"]),
        timeout=5,
    )
    assert again.status_code == 200 and again.json()["refresh_token"] not in (first.refresh_token, None)
    sandbox.revoke_refresh_tokens()
    refused = requests.post(
        config["token_url"],
        data={"grant_type": "refresh_token", "refresh_token": first.refresh_token},
        auth=(config["client_id"], config["client_secret"]),
        timeout=5,
    )
    assert (refused.status_code, refused.json()) == (400, {"error": "invalid_grant"})
    wrong_client = requests.post(
        config["token_url"],
        data={"grant_type": "refresh_token", "refresh_token": "x"},
        auth=("a", "b"),
        timeout=5,
    )
    assert (wrong_client.status_code, wrong_client.json()) == (401, {"error": "invalid_client"})


def test_api_calls_need_a_live_token_of_the_realm(sandbox: QuickBooksSandbox, api: Api) -> None:
    assert _fault(Api(sandbox, realm="123").query("SELECT * FROM Customer")) == (
        403,
        "AuthorizationFault",
        "3100",
        "",
    )
    sandbox.expire_access_tokens()
    expired = api.query("SELECT * FROM Customer")
    assert _fault(expired) == (401, "AuthenticationFault", "3200", "")
    assert expired.json()["Fault"]["Error"][0]["Message"] == (
        "message=AuthenticationFailed; errorCode=003200; statusCode=401"
    )


def test_queries_page_with_startposition_and_maxresults_and_hide_inactive_names(api: Api) -> None:
    for n in range(5):
        assert api.post("vendor", {"DisplayName": f"Paging Vendor {n}"}).status_code == 200
    page = api.query(
        "select * from Vendor where DisplayName LIKE 'Paging%' STARTPOSITION 2 MAXRESULTS 2"
    ).json()
    assert [v["DisplayName"] for v in page["QueryResponse"]["Vendor"]] == [
        "Paging Vendor 1",
        "Paging Vendor 2",
    ]
    assert (page["QueryResponse"]["startPosition"], page["QueryResponse"]["maxResults"]) == (2, 2)
    assert api.query("SELECT * FROM Vendor WHERE DisplayName = 'nobody'").json()["QueryResponse"] == {}
    assert api.query("SELECT COUNT(*) FROM Vendor").json()["QueryResponse"] == {"totalCount": 6}
    everyone = api.query("SELECT COUNT(*) FROM Vendor WHERE Active IN (true, false)").json()
    assert everyone["QueryResponse"] == {"totalCount": 7}  # the inactive "Old Temp Agency" too
    quoted = api.query("SELECT * FROM Customer WHERE DisplayName = 'Amy\\'s Bird Sanctuary'").json()
    assert [c["Id"] for c in quoted["QueryResponse"]["Customer"]] == ["1"]


@pytest.mark.parametrize(
    ("text", "code", "detail"),
    [
        (
            "SELECT * FROM Customer WHERE Notes = 'x'",
            "4001",
            "QueryValidationError: property 'Notes' is not queryable",
        ),
        (
            "SELECT * FROM Customer WHERE Id = '1' OR Id = '2'",
            "4000",
            'QueryParserError: Encountered " <OR> "OR "" ',
        ),
        ("SELECT * FROM Planet", "4001", "QueryValidationError: Invalid context declaration : Planet"),
        ("DROP TABLE Customer", "4000", "QueryParserError: Encountered an error in: DROP TABLE Customer"),
    ],
)
def test_bad_queries_are_refused_like_intuit_does(api: Api, text: str, code: str, detail: str) -> None:
    response = api.query(text)
    assert _fault(response)[:3] == (400, "ValidationFault", code)
    assert response.json()["Fault"]["Error"][0]["Detail"] == detail


def test_displayname_is_unique_across_customers_vendors_and_employees(api: Api) -> None:
    refused = api.post("vendor", {"DisplayName": "maria GARCIA"})  # the seeded Employee, any case
    assert _fault(refused) == (400, "ValidationFault", "6240", "")
    assert refused.json()["Fault"]["Error"][0]["Message"] == "Duplicate Name Exists Error"
    assert _fault(api.post("customer", {"DisplayName": "Cal Telephone"}))[2] == "6240"  # a Vendor's name
    assert _fault(api.post("customer", {"DisplayName": "A:B"}))[2:] == ("6000", "DisplayName")


def test_jobs_need_an_existing_parent_and_take_its_name_into_their_full_name(api: Api) -> None:
    orphan = api.post("customer", {"DisplayName": "Orphan job", "Job": True, "ParentRef": {"value": "999"}})
    assert _fault(orphan) == (400, "ValidationFault", "2500", "ParentRef")
    job = api.post("customer", {"DisplayName": "Kitchen", "Job": True, "ParentRef": {"value": "1"}}).json()
    assert (job["Customer"]["FullyQualifiedName"], job["Customer"]["Level"]) == (
        "Amy's Bird Sanctuary:Kitchen",
        1,
    )


def test_an_update_needs_the_current_synctoken(api: Api) -> None:
    created = api.post("customer", {"DisplayName": "Token Test"}).json()["Customer"]
    update = {"Id": created["Id"], "SyncToken": "0", "sparse": True, "Notes": "first"}
    assert api.post("customer", update).json()["Customer"]["SyncToken"] == "1"
    stale = api.post("customer", {**update, "Notes": "second"})
    assert _fault(stale) == (400, "ValidationFault", "5010", "")
    assert stale.json()["Fault"]["Error"][0]["Message"] == "Stale Object Error"


def test_a_repeated_requestid_gets_the_first_answer_and_writes_nothing(
    sandbox: QuickBooksSandbox, api: Api
) -> None:
    first = api.post("vendor", {"DisplayName": "Once Only"}, requestid="4f1c2d9e-0000-4000-8000-000000000001")
    again = api.post("vendor", {"DisplayName": "Once Only"}, requestid="4f1c2d9e-0000-4000-8000-000000000001")
    assert first.content == again.content and first.status_code == 200
    assert [v["DisplayName"] for v in sandbox.entities("Vendor")].count("Once Only") == 1
    assert _fault(api.post("vendor", {"DisplayName": "Too long"}, requestid="x" * 51))[2:] == (
        "4000",
        "requestid",
    )


def test_a_batch_answers_each_item_on_its_own_and_refuses_more_than_30(api: Api) -> None:
    items = [
        {"bId": "a", "operation": "create", "Vendor": {"DisplayName": "Batch One"}},
        {"bId": "b", "operation": "create", "Vendor": {"DisplayName": "Cal Telephone"}},
        {"bId": "c", "Query": "SELECT * FROM Customer WHERE Id = '1'"},
    ]
    answer = api.post("batch", {"BatchItemRequest": items}).json()["BatchItemResponse"]
    assert [sorted(a) for a in answer] == [["Vendor", "bId"], ["Fault", "bId"], ["QueryResponse", "bId"]]
    assert answer[1]["Fault"]["Error"][0]["code"] == "6240"
    too_many = [{"bId": str(i), "Query": "SELECT * FROM Customer"} for i in range(31)]
    assert _fault(api.post("batch", {"BatchItemRequest": too_many})) == (
        400,
        "ValidationFault",
        "1040",
        "BatchItemRequest",
    )


def test_bills_need_a_vendor_numbers_and_a_currency_of_the_company(api: Api) -> None:
    line = {
        "DetailType": "AccountBasedExpenseLineDetail",
        "Amount": 10,
        "AccountBasedExpenseLineDetail": {"AccountRef": {"value": "61"}},
    }
    assert _fault(api.post("bill", {"Line": [line]}))[2:] == ("2020", "VendorRef")
    vendor = {"VendorRef": {"value": "1"}}
    assert _fault(api.post("bill", {**vendor, "Line": [{**line, "Amount": "ten"}]}))[2:] == ("2010", "Amount")
    euro = api.post("bill", {**vendor, "Line": [line], "CurrencyRef": {"value": "EUR"}})
    assert _fault(euro)[2:] == ("6000", "CurrencyRef")
    bill = api.post("bill", {**vendor, "Line": [line, {**line, "Amount": 2.5}]}).json()["Bill"]
    assert (bill["TotalAmt"], bill["Balance"], bill["APAccountRef"]) == (
        12.5,
        12.5,
        {"name": "Accounts Payable (A/P)", "value": "33"},
    )


def test_the_rate_limit_and_the_concurrency_limit_answer_429() -> None:
    with QuickBooksSandbox(requests_per_minute=5, window_s=60) as sandbox:
        api = Api(sandbox)
        statuses = [api.query("SELECT * FROM Customer").status_code for _ in range(7)]
        assert statuses == [200] * 5 + [429] * 2
        assert _fault(api.query("SELECT * FROM Customer")) == (429, "ThrottlingFault", "3001", "")
