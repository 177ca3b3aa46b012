"""The Greenhouse sandbox answers like Harvest v3: the client-credentials token endpoint and expiry, scopes, the
acting user, cursor paging, filters, rate-limit headers and 429s, and Greenhouse's error bodies. Tested with a
bare requests client, so the sandbox is checked without the connector."""

from __future__ import annotations

import base64
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from source_greenhouse.sandbox import (
    CLIENT_ID,
    CLIENT_SECRET,
    CLOSED_JOB_ID,
    NO_OFFERS_CLIENT,
    REVOKED_CLIENT,
    GreenhouseSandbox,
)


def _token(
    sandbox: GreenhouseSandbox, client: tuple[str, str] = (CLIENT_ID, CLIENT_SECRET), **form: str
) -> requests.Response:
    return requests.post(sandbox.token_url, auth=client, data={"grant_type": "client_credentials", **form})


def _get(sandbox: GreenhouseSandbox, path: str, token: str, **params: Any) -> requests.Response:
    return requests.get(sandbox.api_url + path, params=params, headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def token(sandbox: GreenhouseSandbox) -> str:
    return str(_token(sandbox).json()["access_token"])


def test_the_token_endpoint_takes_basic_client_auth_and_answers_the_sdk_fields(
    sandbox: GreenhouseSandbox,
) -> None:
    before = time.time()
    answer = _token(sandbox)
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"token_type", "access_token", "expires_at"}  # what Greenhouse's PHP SDK requires
    assert body["token_type"] == "Bearer"
    expires = time.mktime(time.strptime(body["expires_at"][:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
    assert 3590 <= expires - before <= 3610


@pytest.mark.parametrize(
    ("client", "form", "status", "body"),
    [
        (
            (CLIENT_ID, "wrong"),
            {},
            401,
            {"error": "invalid_client", "error_description": "Client authentication failed."},
        ),
        (
            REVOKED_CLIENT,
            {},
            401,
            {"error": "invalid_client", "error_description": "The client credentials have been revoked."},
        ),
        (
            (CLIENT_ID, CLIENT_SECRET),
            {"grant_type": "password"},
            400,
            {
                "error": "unsupported_grant_type",
                "error_description": "grant_type must be client_credentials.",
            },
        ),
        (
            (CLIENT_ID, CLIENT_SECRET),
            {"sub": "1005"},
            400,
            {
                "error": "invalid_request",
                "error_description": "sub 1005 is not an active user of this organization.",
            },
        ),
    ],
    ids=["wrong-secret", "revoked", "other-grant", "disabled-user"],
)
def test_the_token_endpoint_refuses_like_an_oauth_server(
    sandbox: GreenhouseSandbox,
    client: tuple[str, str],
    form: dict[str, str],
    status: int,
    body: dict[str, str],
) -> None:
    answer = _token(sandbox, client, **form)
    assert (answer.status_code, answer.json()) == (status, body)


def test_calls_without_a_valid_token_get_401_and_out_of_scope_calls_403(sandbox: GreenhouseSandbox) -> None:
    assert (_get(sandbox, "/jobs", "nope").status_code, _get(sandbox, "/jobs", "nope").json()) == (
        401,
        {"message": "Invalid or expired access token."},
    )
    limited = _token(sandbox, NO_OFFERS_CLIENT).json()["access_token"]
    refused = _get(sandbox, "/offers", limited)
    assert (refused.status_code, refused.json()) == (
        403,
        {"message": "Missing required scope: harvest:offers:list"},
    )
    assert _get(sandbox, "/jobs", limited).status_code == 200


def test_tokens_expire_after_their_lifetime() -> None:
    with GreenhouseSandbox(candidates=2, token_ttl=1.0) as sandbox:
        answer = _token(sandbox).json()
        token = answer["access_token"]
        assert _get(sandbox, "/jobs", token).status_code == 200
        sandbox.tokens.expire_after(seconds=0.0)  # as if the hour had passed
        assert _get(sandbox, "/jobs", token).status_code == 401
        assert _token(sandbox).status_code == 200


def test_a_revoked_credential_loses_its_live_tokens(sandbox: GreenhouseSandbox, token: str) -> None:
    sandbox.revoke(CLIENT_ID)
    assert _get(sandbox, "/jobs", token).status_code == 401
    assert _token(sandbox).status_code == 401


def test_writes_are_recorded_as_the_user_the_token_acts_for(sandbox: GreenhouseSandbox) -> None:
    token = _token(sandbox, sub="1003").json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    created = requests.post(
        sandbox.api_url + "/candidates", json={"first_name": "Ada", "last_name": "Lovelace"}, headers=headers
    ).json()
    note = requests.post(
        sandbox.api_url + "/notes",
        json={"candidate_id": created["id"], "body": "Called", "visibility": "private"},
        headers=headers,
    ).json()
    assert note["user"] == {
        "id": 1003,
        "first_name": "Priya",
        "last_name": "Raman",
        "name": "Priya Raman",
        "employee_id": "E1003",
    }


def test_cursor_paging_follows_the_link_header_with_the_cursor_alone(
    sandbox: GreenhouseSandbox, token: str
) -> None:
    seen: list[int] = []
    first = _get(sandbox, "/candidates", token, per_page=10)
    page = first
    while True:
        seen += [c["id"] for c in page.json()]
        if "next" not in page.links:
            break
        url = page.links["next"]["url"]
        assert list(parse_qs(urlsplit(url).query)) == ["cursor"]
        page = requests.get(url, headers={"Authorization": f"Bearer {token}"})
    assert seen == sandbox.ids("candidates")
    assert "Link" not in page.headers
    mixed = requests.get(
        first.links["next"]["url"] + "&per_page=5", headers={"Authorization": f"Bearer {token}"}
    )
    assert (mixed.status_code, mixed.json()) == (
        422,
        {
            "message": "Validation error",
            "errors": [
                {"message": "cursor cannot be combined with other query parameters", "field": "cursor"}
            ],
        },
    )


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"per_page": "501"}, "per_page", "per_page must be an integer between 1 and 500"),
        ({"ids": ",".join(str(i) for i in range(51))}, "ids", "ids accepts at most 50 ids"),
        (
            {"updated_at": "since|2024-01-01T00:00:00Z"},
            "updated_at",
            "updated_at must look like gte|2024-01-01T00:00:00Z (gte, gt, lte or lt)",
        ),
        ({"colour": "blue"}, "colour", "colour is not a filter of /v3/jobs"),
    ],
)
def test_bad_list_parameters_get_greenhouses_validation_error(
    sandbox: GreenhouseSandbox, token: str, params: dict[str, str], field: str, message: str
) -> None:
    answer = _get(sandbox, "/jobs", token, **params)
    assert (answer.status_code, answer.json()) == (
        422,
        {"message": "Validation error", "errors": [{"message": message, "field": field}]},
    )


def test_filters_select_by_time_email_and_parent(sandbox: GreenhouseSandbox, token: str) -> None:
    newest = max(sandbox.tables["candidates"].values(), key=lambda c: c["updated_at"])
    recent = _get(sandbox, "/candidates", token, updated_at=f"gte|{newest['updated_at']}").json()
    assert [c["id"] for c in recent] == [newest["id"]]
    messy = sandbox.tables["candidates"][50004]["email_addresses"][0]["value"]
    assert messy != messy.strip().lower()  # capitals and spaces, as typed
    found = _get(sandbox, "/candidates", token, email=messy.strip().lower()).json()
    assert [c["id"] for c in found] == [50004]
    apps = _get(sandbox, "/applications", token, candidate_ids="50001,50002").json()
    assert sorted(a["id"] for a in apps) == sorted(
        i for i, a in sandbox.tables["applications"].items() if a["candidate_id"] in (50001, 50002)
    )


def test_every_answer_carries_the_rate_limit_and_the_limit_answers_429() -> None:
    with GreenhouseSandbox(candidates=2, rate_limit=3, window=5.0) as sandbox:
        token = _token(sandbox).json()["access_token"]
        answers = [_get(sandbox, "/jobs", token) for _ in range(4)]
    assert [a.headers["X-RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert {a.headers["X-RateLimit-Limit"] for a in answers} == {"3"}
    limited = answers[3]
    assert (limited.status_code, limited.json()) == (429, {"message": "Rate limit exceeded."})
    assert 1 <= int(limited.headers["Retry-After"]) <= 5
    assert int(limited.headers["X-RateLimit-Reset"]) >= int(time.time())


@pytest.mark.parametrize(
    ("body", "message", "field"),
    [
        ({"candidate_id": 50001, "job_id": CLOSED_JOB_ID}, f"Job {CLOSED_JOB_ID} is closed", "job_id"),
        ({"candidate_id": 50001, "job_id": 4999}, "Job 4999 does not exist", "job_id"),
        (
            {"candidate_id": 50001, "job_id": 4013},
            "Missing required custom field: Work Authorization",
            "custom_fields",
        ),
        ({"candidate_id": 1, "job_id": 4001}, "Candidate 1 does not exist", "candidate_id"),
        (
            {"candidate_id": 50001, "job_id": 4001, "referrer": {"type": "agency"}},
            "referrer.type must be one of: id, email, outside",
            "referrer",
        ),
    ],
)
def test_an_application_greenhouse_cannot_take_is_a_validation_error(
    sandbox: GreenhouseSandbox, token: str, body: dict[str, Any], message: str, field: str
) -> None:
    answer = requests.post(
        sandbox.api_url + "/applications", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert (answer.status_code, answer.json()) == (
        422,
        {"message": "Validation error", "errors": [{"message": message, "field": field}]},
    )


def test_an_attachment_takes_exactly_one_of_content_or_url(sandbox: GreenhouseSandbox, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    both = {
        "application_id": 70001,
        "filename": "cv.pdf",
        "type": "resume",
        "url": "https://x.example/cv.pdf",
        "content": base64.b64encode(b"%PDF").decode(),
    }
    answer = requests.post(sandbox.api_url + "/attachments", json=both, headers=headers)
    assert answer.json()["errors"] == [
        {"message": "Provide exactly one of content or url", "field": "content"}
    ]
    del both["url"]
    created = requests.post(sandbox.api_url + "/attachments", json=both, headers=headers)
    assert (
        created.status_code == 201
        and created.json()["candidate_id"] == sandbox.tables["applications"][70001]["candidate_id"]
    )
