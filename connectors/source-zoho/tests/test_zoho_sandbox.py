"""The Zoho sandbox answers like Zoho at the wire: token endpoint quirks, auth and scope errors, paging limits,
204/304, CRM's fields/ids/page_token rules and the deleted-records API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from source_zoho.sandbox import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, ZohoSandbox


@pytest.fixture
def sb() -> Iterator[ZohoSandbox]:
    with ZohoSandbox(recruit_sizes={"Candidates": 5}, crm_sizes={"Leads": 2010, "Accounts": 3}) as sandbox:
        yield sandbox


def token(sb: ZohoSandbox, refresh: str = REFRESH_TOKEN) -> requests.Response:
    return requests.post(
        f"{sb.url}/oauth/v2/token",
        params={
            "grant_type": "refresh_token",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "refresh_token": refresh,
        },
        timeout=5,
    )


def get(sb: ZohoSandbox, path: str, tok: str | None = None, **kwargs: object) -> requests.Response:
    headers = dict(kwargs.pop("headers", {}) or {})  # type: ignore[call-overload]
    if tok:
        headers["Authorization"] = f"Zoho-oauthtoken {tok}"
    return requests.get(f"{sb.url}{path}", headers=headers, timeout=5, **kwargs)  # type: ignore[arg-type]


def error(status: int, code: str, message: str, **details: object) -> tuple[int, dict[str, object]]:
    return status, {"code": code, "details": details, "message": message, "status": "error"}


def test_token_endpoint_issues_tokens_and_hides_a_bad_refresh_token_in_http_200(sb: ZohoSandbox) -> None:
    good = token(sb)
    assert good.status_code == 200
    body = good.json()
    assert body["access_token"].startswith("1000.us-") and body["expires_in"] == 3600
    assert body["token_type"] == "Bearer" and body["api_domain"] == "https://www.zohoapis.com"
    bad = token(sb, "1000.nope")
    assert (bad.status_code, bad.json()) == (200, {"error": "invalid_code"})


def test_refreshing_too_often_is_denied(sb: ZohoSandbox) -> None:
    statuses = [token(sb).status_code for _ in range(11)]
    assert statuses == [200] * 10 + [400]
    assert token(sb).json() == {
        "error_description": "You have made too many requests continuously. Please try again after some time.",
        "error": "Access Denied",
        "status": "failure",
    }


def test_auth_errors(sb: ZohoSandbox) -> None:
    tok = token(sb).json()["access_token"]
    limited = sb.add_refresh_token("1000.limited", ["ZohoRecruit.settings.all"])
    narrow = token(sb, limited).json()["access_token"]
    cases = [
        (get(sb, "/recruit/v2/Candidates"), error(401, "AUTHENTICATION_FAILURE", "Authentication failed")),
        (
            get(sb, "/recruit/v2/Candidates", "1000.us-99-dead"),
            error(401, "INVALID_TOKEN", "invalid oauth token"),
        ),
        (
            get(sb, "/recruit/v2/Candidates", "1000.eu-1-abcdef"),
            error(401, "INVALID_OAUTHTOKEN", "invalid oauth token"),
        ),
        (
            get(sb, "/recruit/v2/Candidates", narrow),
            error(401, "OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL"),
        ),
        (
            get(sb, "/recruit/v2/Nope", tok),
            error(400, "INVALID_MODULE", "the module name given seems to be invalid"),
        ),
    ]
    for response, (status, body) in cases:
        assert (response.status_code, response.json()) == (status, body)
    sb.expire_tokens()
    assert get(sb, "/recruit/v2/Candidates", tok).json()["code"] == "INVALID_TOKEN"


def test_recruit_paging_204_and_304(sb: ZohoSandbox) -> None:
    tok = token(sb).json()["access_token"]
    page = get(sb, "/recruit/v2/Candidates", tok, params={"per_page": 3, "page": 2}).json()
    assert page["info"] == {"per_page": 3, "count": 2, "page": 2, "more_records": False}
    assert len(page["data"]) == 2
    beyond = get(sb, "/recruit/v2/Candidates", tok, params={"per_page": 3, "page": 3})
    assert (beyond.status_code, beyond.content) == (204, b"")
    unchanged = get(
        sb, "/recruit/v2/Candidates", tok, headers={"If-Modified-Since": "2030-01-01T00:00:00+05:30"}
    )
    assert (unchanged.status_code, unchanged.content) == (304, b"")
    assert get(sb, "/recruit/v2/Candidates", tok, params={"per_page": 999}).json()["info"]["per_page"] == 200


def test_crm_fields_rules(sb: ZohoSandbox) -> None:
    tok = token(sb).json()["access_token"]
    many = ",".join(f"Score_{i:02d}" for i in range(1, 49)) + ",Phone,Website,Owner"
    cases = [
        (
            get(sb, "/crm/v5/Accounts", tok),
            error(400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", param="fields"),
        ),
        (
            get(sb, "/crm/v5/Accounts", tok, params={"fields": many}),
            error(
                400,
                "LIMIT_EXCEEDED",
                "the given fields exceeds the maximum limit of 50",
                limit=50,
                param="fields",
            ),
        ),
        (
            get(sb, "/crm/v5/Accounts", tok, params={"fields": "Nope"}),
            error(400, "INVALID_DATA", "the field name given seems to be invalid", api_name="Nope"),
        ),
    ]
    for response, (status, body) in cases:
        assert (response.status_code, response.json()) == (status, body)
    v2 = get(sb, "/crm/v2/Accounts", tok).json()["data"][0]
    assert len(v2) == 66  # v2 still answers every field without `fields`
    one = get(sb, "/crm/v5/Accounts", tok, params={"fields": "Phone"}).json()["data"][0]
    assert set(one) == {"id", "Phone"}


def test_crm_2000_record_limit_and_page_token(sb: ZohoSandbox) -> None:
    tok = token(sb).json()["access_token"]
    params = {"fields": "Email", "per_page": 200}
    tenth = get(sb, "/crm/v5/Leads", tok, params={**params, "page": 10}).json()
    assert tenth["info"]["more_records"] is True and tenth["info"]["next_page_token"]
    eleventh = get(sb, "/crm/v5/Leads", tok, params={**params, "page": 11})
    assert (eleventh.status_code, eleventh.json()) == error(
        400,
        "DISCRETE_PAGINATION_LIMIT_EXCEEDED",
        "cannot get records beyond 2000 without page_token",
        limit=2000,
    )
    rest = get(
        sb, "/crm/v5/Leads", tok, params={**params, "page_token": tenth["info"]["next_page_token"]}
    ).json()
    assert rest["info"]["count"] == 10 and rest["info"]["more_records"] is False
    assert rest["info"]["next_page_token"] is None
    stale = get(sb, "/crm/v5/Leads", tok, params={**params, "page_token": "forged"})
    assert stale.json()["code"] == "INVALID_DATA"


def test_deleted_records_api(sb: ZohoSandbox) -> None:
    tok = token(sb).json()["access_token"]
    assert get(sb, "/recruit/v2/Candidates/deleted", tok).status_code == 204
    victim = sorted(sb.ids("recruit", "Candidates"))[0]
    sb.delete_record("recruit", "Candidates", victim)
    body = get(sb, "/recruit/v2/Candidates/deleted", tok, params={"type": "all"}).json()
    assert body["info"] == {"per_page": 200, "count": 1, "page": 1, "more_records": False}
    [entry] = body["data"]
    assert entry["id"] == victim and entry["type"] == "recycle" and entry["deleted_time"].endswith("+05:30")
    assert entry["display_name"] and entry["deleted_by"]["name"] == "Priya Raman"
    assert get(sb, "/recruit/v2/Candidates/deleted", tok, params={"type": "permanent"}).status_code == 204
    later = get(
        sb, "/recruit/v2/Candidates/deleted", tok, headers={"If-Modified-Since": entry["deleted_time"]}
    )
    assert later.status_code == 304


def test_metadata_quirks(sb: ZohoSandbox) -> None:
    tok = token(sb).json()["access_token"]
    modules = get(sb, "/recruit/v2/settings/modules", tok).json()["modules"]
    assert [m["api_name"] for m in modules if not m["api_supported"]] == ["Home", "Reports"]
    assert get(sb, "/recruit/v2/settings/fields", tok, params={"module": "Reviews"}).status_code == 204
    assert get(sb, "/recruit/v2/settings/fields", tok, params={"module": "Offers"}).status_code == 401
    fields = get(sb, "/recruit/v2/settings/fields", tok, params={"module": "Candidates"}).json()["fields"]
    without = [f["api_name"] for f in fields if "json_type" not in f]
    assert without == ["Security_Clearance", "Visa_Status"]
    crm = get(sb, "/crm/v5/settings/fields", tok, params={"module": "Contacts"}).json()["fields"]
    lookup = next(f for f in crm if f["api_name"] == "Account_Name")["lookup"]
    assert lookup["module"] == {"api_name": "Accounts", "id": "0"}


def test_faults_answer_with_zoho_error_bodies(sb: ZohoSandbox) -> None:
    tok = token(sb).json()["access_token"]
    sb.exhaust_credits(times=1)
    credit = get(sb, "/recruit/v2/Candidates", tok)
    assert (credit.status_code, credit.json()["code"]) == (429, "TOO_MANY_REQUESTS")
    assert "credits" in credit.json()["message"] and "Retry-After" not in credit.headers
    sb.faults.server_error("/recruit/v2/Candidates", times=1)
    assert get(sb, "/recruit/v2/Candidates", tok).json()["code"] == "INTERNAL_ERROR"
    assert get(sb, "/recruit/v2/Candidates", tok).status_code == 200
