"""The Bullhorn sandbox answers like Bullhorn: auth hop failures, token rules, error bodies, query languages,
page caps, shapes of the real reference bodies, soft deletes and event subscriptions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from source_bullhorn.reference_data import sample_rows
from source_bullhorn.sandbox import BullhornSandbox


class Client:
    """A bare requests client doing the four hops, so the sandbox is tested without the connector."""

    def __init__(self, sandbox: BullhornSandbox) -> None:
        self.sandbox = sandbox
        self.http = requests.Session()
        info = self.http.get(sandbox.login_info_url, params={"username": sandbox.USERNAME}).json()
        self.oauth, self.rest = info["oauthUrl"], info["restUrl"]
        code = self.authorize().headers["Location"]
        self.code = parse_qs(urlsplit(code).query)["code"][0]
        self.tokens = self.token(grant_type="authorization_code", code=self.code).json()
        login = self.http.get(
            self.rest + "login", params={"version": "*", "access_token": self.tokens["access_token"]}
        )
        self.base = login.json()["restUrl"]
        self.http.headers["BhRestToken"] = login.json()["BhRestToken"]

    def authorize(self, **overrides: str) -> requests.Response:
        params = {
            "client_id": self.sandbox.CLIENT_ID,
            "response_type": "code",
            "action": "Login",
            "username": self.sandbox.USERNAME,
            "password": self.sandbox.PASSWORD,
            **overrides,
        }
        return self.http.get(self.oauth + "authorize", params=params, allow_redirects=False)

    def token(self, **params: str) -> requests.Response:
        return self.http.post(
            self.oauth + "token",
            params={
                "client_id": self.sandbox.CLIENT_ID,
                "client_secret": self.sandbox.CLIENT_SECRET,
                **params,
            },
        )

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.http.get(self.base + path, params=params)


@pytest.fixture
def client(sandbox: BullhornSandbox) -> Iterator[Client]:
    c = Client(sandbox)
    yield c
    c.http.close()


def test_login_info_redirects_to_the_data_center(sandbox: BullhornSandbox) -> None:
    answer = requests.get(sandbox.login_info_url, params={"username": "x"}, allow_redirects=False)
    assert answer.status_code == 307
    assert answer.headers["Location"] == f"{sandbox.url}/dc/east/rest-services/loginInfo?username=x"


def test_the_code_travels_url_encoded_and_is_single_use(client: Client) -> None:
    location = client.authorize().headers["Location"]
    assert "code=60%3A" in location
    assert client.token(grant_type="authorization_code", code=client.code).json() == {
        "error": "invalid_grant",
        "error_description": "Invalid, expired, or revoked authorization code.",
    }


def test_refresh_tokens_rotate_and_are_single_use(client: Client) -> None:
    first = client.token(grant_type="refresh_token", refresh_token=client.tokens["refresh_token"])
    assert first.status_code == 200 and first.json()["refresh_token"] != client.tokens["refresh_token"]
    again = client.token(grant_type="refresh_token", refresh_token=client.tokens["refresh_token"])
    assert (again.status_code, again.json()["error"]) == (400, "invalid_grant")


def test_missing_token_is_412_and_a_bad_token_is_bullhorns_401(client: Client) -> None:
    missing = requests.get(client.base + "ping")
    assert missing.status_code == 412
    bad = requests.get(client.base + "ping", headers={"BhRestToken": "nope"})
    assert (bad.status_code, bad.json()) == (
        401,
        {
            "errorMessage": "Bad 'BhRestToken' or timed-out.",
            "errorMessageKey": "errors.authentication.invalidRestToken",
            "errorCode": 401,
        },
    )


@pytest.mark.parametrize(
    "query",
    ["status:(Placed", "id:[1 TO", "AND id:1", "status:", "id:[a b]", "(id:1", "nosuchfield:1", "id:1 )"],
)
def test_invalid_lucene_is_a_400_with_bullhorns_body(client: Client, query: str) -> None:
    answer = client.get("search/Candidate", query=query, fields="id")
    assert answer.status_code == 400
    body = answer.json()
    assert body["errorCode"] == 400 and body["errorMessageKey"] == "errors.badRequest"
    assert body["errorMessage"].startswith(f"Invalid search query {query!r}: ")


@pytest.mark.parametrize(
    "where", ["id >> 3", "id = ", "status IN ('a'", "id IS 5", "(id = 1", "bogus = 1", "id = 1 AND", "id ~ 2"]
)
def test_invalid_where_is_a_400(client: Client, where: str) -> None:
    answer = client.get("query/Sendout", where=where, fields="id")
    assert answer.status_code == 400
    assert answer.json()["errorMessage"].startswith(f"Invalid where clause {where!r}: ")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("id:[3 TO 5]", [3, 4, 5]),
        ("id:{3 TO 5}", [4]),
        ("id:[3 TO 5} AND NOT id:4", [3]),
        ("id:1 OR id:2", [1, 2]),
        ("id:(1 OR 7)", [1, 7]),
    ],
)
def test_lucene_subset_selects_exactly(client: Client, query: str, expected: list[int]) -> None:
    body = client.get(
        "search/Candidate", query=f"({query}) AND (isDeleted:0 OR isDeleted:1)", fields="id"
    ).json()
    assert [r["id"] for r in body["data"]] == expected and body["total"] == len(expected)


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("id >= 3 AND id < 6", [3, 4, 5]),
        ("id IN (2, 4, 9)", [2, 4, 9]),
        ("id <> 1 AND id <= 3", [2, 3]),
        ("id = 1 OR id = 8", [1, 8]),
        ("candidate.id IS NULL", []),
    ],
)
def test_where_subset_selects_exactly(client: Client, where: str, expected: list[int]) -> None:
    body = client.get("query/Sendout", where=where, fields="id", showTotalMatched="true").json()
    assert [r["id"] for r in body["data"]] == expected and body["total"] == len(expected)


def test_fields_star_is_refused_on_search_but_served_on_entity(client: Client) -> None:
    assert client.get("search/Candidate", query="id:1", fields="*").status_code == 400
    assert client.get("entity/Candidate/1", fields="*").json()["data"]["id"] == 1


def test_count_is_capped_at_500_and_at_200_for_wide_field_lists(make_bullhorn: Any) -> None:
    with BullhornSandbox(seed=1, candidates=600) as sandbox:
        c = Client(sandbox)
        narrow = c.get("search/Candidate", query="id:[1 TO *]", fields="id,firstName", count=1000).json()
        assert narrow["count"] == 500 and narrow["total"] == len(sandbox.ids("Candidate", deleted=False))
        wide = c.get(
            "search/Candidate", query="id:[1 TO *]", fields="id,categories[3](id,name)", count=500
        ).json()
        assert wide["count"] == 200


def test_search_and_query_each_serve_their_own_entities(client: Client) -> None:
    assert client.get("query/Note", where="id > 0", fields="id").json()["errorMessage"] == (
        "Query operation not supported for Note"
    )
    assert client.get("search/Sendout", query="id:1", fields="id").json()["errorMessage"] == (
        "Entity Sendout is not searchable; use /query/Sendout."
    )


def test_query_answers_total_only_when_asked(client: Client) -> None:
    assert "total" not in client.get("query/Sendout", where="id > 0", fields="id").json()


def test_rows_have_the_shapes_of_bullhorns_real_bodies(client: Client, sandbox: BullhornSandbox) -> None:
    fields = "id,firstName,address,owner(id,firstName,lastName),categories[2](id,name),dateAdded,isDeleted"
    row = client.get("search/Candidate", query="id:1", fields=fields).json()["data"][0]
    real = sample_rows("Candidate")[0]
    assert (
        set(row["address"])
        == set(real["address"])
        == {"address1", "address2", "city", "state", "zip", "countryID"}
    )
    assert set(row["categories"]) == set(real["categories"]) == {"total", "data"}
    assert isinstance(row["dateAdded"], int) and isinstance(real["dateAdded"], int)
    assert set(row["owner"]) == {"id", "firstName", "lastName"}
    placement = client.get("search/Placement", query="id:1", fields="id,candidate,jobOrder(id,title)").json()
    assert set(placement["data"][0]) == {"id", "candidate", "jobOrder"}
    real_sendout = sample_rows("Sendout")[0]
    sendout = client.get("query/Sendout", where="id = 1", fields=",".join(real_sendout)).json()["data"][0]
    assert set(sendout) == set(real_sendout)


def test_pages_are_exactly_bullhorns_json_layout(client: Client) -> None:
    search = client.get("search/Candidate", query="id:[1 TO 2]", fields="id,isDeleted", sort="id")
    assert (
        search.content
        == b'{"total":2,"start":0,"count":2,"data":[{"id":1,"isDeleted":false},{"id":2,"isDeleted":false}]}'
    )
    query = client.get("query/Sendout", where="id <= 2", fields="id", orderBy="id", start=1)
    assert query.content == b'{"start":1,"count":1,"data":[{"id":2}]}'


def test_a_change_shows_in_the_next_page_of_the_same_field_list(
    client: Client, sandbox: BullhornSandbox
) -> None:
    """Rows are served from encoded bytes cached per field list; every change drops them."""
    fields = "id,status,owner(id,firstName)"
    before = client.get("search/Candidate", query="id:1", fields=fields).json()["data"][0]
    owner = before["owner"]["id"]
    sandbox.update("Candidate", 1, status="Placed")
    sandbox.update("CorporateUser", owner, firstName="Renamed")
    after = client.get("search/Candidate", query="id:1", fields=fields).json()["data"][0]
    assert after == {"id": 1, "status": "Placed", "owner": {"id": owner, "firstName": "Renamed"}}
    assert before["status"] != "Placed" and before["owner"]["firstName"] != "Renamed"


def test_preload_encodes_every_row_and_pages_read_the_same(client: Client, sandbox: BullhornSandbox) -> None:
    params = {"query": "id:[1 TO *] AND (isDeleted:0 OR isDeleted:1)", "fields": "id,firstName", "count": 500}
    cold = client.get("search/Candidate", **params).content
    sandbox.add("Candidate", firstName="Ada")  # a change: nothing encoded before it survives
    assert sandbox.preload("Candidate", "id,firstName") == len(sandbox.ids("Candidate")) == 61
    warm = client.get("search/Candidate", **params).content
    expected = cold.replace(b'"total":60,"start":0,"count":60', b'"total":61,"start":0,"count":61')
    assert warm == expected[:-2] + b',{"id":61,"firstName":"Ada"}]}'


def test_soft_deleted_rows_are_hidden_unless_the_query_asks(client: Client, sandbox: BullhornSandbox) -> None:
    deleted = sandbox.ids("Candidate", deleted=True)
    default = client.get("search/Candidate", query="id:[1 TO *]", fields="id", count=500).json()
    assert not set(deleted) & {r["id"] for r in default["data"]}
    asked = client.get("search/Candidate", query="isDeleted:1", fields="id", count=500).json()
    assert [r["id"] for r in asked["data"]] == deleted


def test_events_are_purged_when_read_and_replayed_by_request_id(
    client: Client, sandbox: BullhornSandbox
) -> None:
    put = client.http.put(
        client.base + "event/subscription/s1",
        params={"type": "entity", "names": "Candidate", "eventTypes": "INSERTED,UPDATED,DELETED"},
    )
    assert put.status_code == 200 and put.json()["subscriptionId"] == "s1"
    again = client.http.put(
        client.base + "event/subscription/s1", params={"type": "entity", "names": "Candidate"}
    )
    assert again.status_code == 400 and "already exists" in again.json()["errorMessage"]
    sandbox.update("Candidate", 3, status="Placed")
    sandbox.hard_delete("Candidate", 4)
    batch = client.get("event/subscription/s1", maxEvents=10).json()
    assert [(e["entityId"], e["entityEventType"]) for e in batch["events"]] == [
        (3, "UPDATED"),
        (4, "DELETED"),
    ]
    assert batch["events"][0]["updatedProperties"] == ["status"]
    empty = client.get("event/subscription/s1", maxEvents=10)
    assert (empty.status_code, empty.content) == (200, b"")
    replay = client.get("event/subscription/s1", maxEvents=10, requestId=batch["requestId"]).json()
    assert replay == batch
    assert client.get("event/subscription/s1/lastRequestId").json() == {"result": batch["requestId"]}


def test_the_rest_write_api_creates_updates_and_deletes_with_events(
    client: Client, sandbox: BullhornSandbox
) -> None:
    client.http.put(client.base + "event/subscription/w", params={"type": "entity", "names": "Candidate"})
    created = client.http.put(
        client.base + "entity/Candidate",
        json={
            "firstName": "Ada",
            "lastName": "Byron",
            "status": "New Lead",
            "owner": {"id": 1},
            "customText5": "Sales",
            "educationDegree": "BA",
        },
    )
    new_id = created.json()["changedEntityId"]
    assert created.json()["changeType"] == "INSERT" and sandbox.rows["Candidate"][new_id]["owner"] == 1
    updated = client.http.post(client.base + f"entity/Candidate/{new_id}", json={"status": "Active"})
    assert updated.json() == {
        "changedEntityType": "Candidate",
        "changedEntityId": new_id,
        "changeType": "UPDATE",
        "data": {"status": "Active"},
    }
    bad = client.http.post(client.base + f"entity/Candidate/{new_id}", json={"nope": 1})
    assert bad.status_code == 400 and bad.json()["errors"] == [
        {"propertyName": "nope", "severity": "ERROR", "type": "INVALID_FIELD"}
    ]
    assert client.http.delete(client.base + f"entity/Candidate/{new_id}").json()["changeType"] == "DELETE"
    assert sandbox.rows["Candidate"][new_id]["isDeleted"] is True
    kinds = [e["entityEventType"] for e in client.get("event/subscription/w", maxEvents=10).json()["events"]]
    assert kinds == ["INSERTED", "UPDATED", "UPDATED"]
