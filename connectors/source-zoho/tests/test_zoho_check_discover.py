"""check and discover: readable FAILED messages (bad refresh token, wrong data center, missing scopes, bad
client), and a catalog built from Zoho's field metadata that survives modules whose metadata is refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from source_zoho.sandbox import REFRESH_TOKEN, ZohoSandbox

NO_SETTINGS = "1000.refresh.without.settings.scope"
ONLY_CANDIDATES = "1000.refresh.only.candidates"
# the sandbox's Recruit modules with records, in settings/modules order
RECRUIT_MODULES = [
    "Clients",
    "Contacts",
    "Candidates",
    "JobOpenings",
    "Applications",
    "Interviews",
    "Departments",
]


def test_check_succeeds_with_one_token_and_one_cheap_call(sandbox: ZohoSandbox, zoho: Any) -> None:
    result = zoho.run("check", zoho.make_config(sandbox))
    assert result.connection_status == {"status": "SUCCEEDED"}
    assert [(r.method, r.path) for r in sandbox.log] == [
        ("POST", "/oauth/v2/token"),
        ("GET", "/recruit/v2/settings/modules"),
    ]
    token_call = sandbox.log[0]
    assert b"grant_type=refresh_token" in token_call.body


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"refresh_token": "1000.not.a.real.token"},
            "Zoho accounts server 127.0.0.1:{port} rejected the refresh token (invalid_code) for POST "
            "/oauth/v2/token. The token is wrong, revoked, or was issued in another data center than 'us': check "
            "data_center (or accounts_url), or generate a new refresh token.",
        ),
        (
            {"client_secret": "wrong-secret"},
            "Zoho accounts server 127.0.0.1:{port} rejected the OAuth client (invalid_client_secret) for POST "
            "/oauth/v2/token: check client_secret, and that the client was created for the 'us' data center (or "
            "enable it there in the Zoho API console).",
        ),
        (
            {"client_id": "1000.UNKNOWN"},
            "Zoho accounts server 127.0.0.1:{port} rejected the OAuth client (invalid_client) for POST "
            "/oauth/v2/token: check client_id, and that the client was created for the 'us' data center (or "
            "enable it there in the Zoho API console).",
        ),
        (
            {"refresh_token": NO_SETTINGS},
            "Zoho Recruit (http://127.0.0.1:{port}) answered OAUTH_SCOPE_MISMATCH to GET "
            "/recruit/v2/settings/modules: the refresh token lacks the scope ZohoRecruit.settings.all. Generate a "
            "new refresh token with that scope (see the connector README) and update refresh_token.",
        ),
        (
            {"refresh_token": NO_SETTINGS, "product": "crm"},
            "Zoho CRM (http://127.0.0.1:{port}) answered OAUTH_SCOPE_MISMATCH to GET /crm/v5/settings/modules: the "
            "refresh token lacks the scope ZohoCRM.settings.all. Generate a new refresh token with that scope (see "
            "the connector README) and update refresh_token.",
        ),
    ],
    ids=["bad-refresh-token", "bad-client-secret", "unknown-client", "missing-settings-scope", "crm-scope"],
)
def test_check_fails_with_a_message_that_says_what_to_fix(
    sandbox: ZohoSandbox, zoho: Any, overrides: dict[str, Any], expected: str
) -> None:
    sandbox.add_refresh_token(NO_SETTINGS, ["ZohoRecruit.modules.all", "ZohoCRM.modules.all"])
    result = zoho.run("check", zoho.make_config(sandbox, **overrides))
    assert result.exit_code == 0
    assert result.connection_status == {"status": "FAILED", "message": expected.format(port=sandbox.port)}


@pytest.mark.parametrize("code", ["INVALID_OAUTHTOKEN", "INVALID_TOKEN"])
def test_a_token_from_another_data_center_is_a_config_error_naming_the_data_center(
    zoho: Any, code: str
) -> None:
    with ZohoSandbox(dc="us") as us, ZohoSandbox(dc="eu") as eu:
        eu.cross_dc_code = code
        result = zoho.run("check", zoho.make_config(us, api_url=eu.url))
        assert result.connection_status == {
            "status": "FAILED",
            "message": f"Zoho Recruit ({eu.url}) answered {code} to GET /recruit/v2/settings/modules "
            "even with a freshly issued access token: the accounts server and the API host belong to different "
            "data centers. Set data_center to the one the Zoho account lives in (currently 'us'), or fix "
            "accounts_url/api_url.",
        }
        assert [r.status for r in eu.log] == [401, 401]  # renewed once, then gave up
        assert len(us.requests_to("/oauth/v2/token")) == 2


def test_a_refresh_token_used_at_another_data_centers_accounts_server_fails_check(zoho: Any) -> None:
    with ZohoSandbox(dc="us") as us, ZohoSandbox(dc="eu") as eu:
        eu.refresh_tokens.clear()  # the token was issued by the us accounts server
        result = zoho.run("check", zoho.make_config(us, accounts_url=eu.url, data_center="eu"))
        message = result.connection_status["message"]
        assert result.connection_status["status"] == "FAILED"
        assert "rejected the refresh token (invalid_code)" in message and "'eu'" in message


def test_missing_module_scope_fails_the_stream_naming_the_scope(sandbox: ZohoSandbox, zoho: Any) -> None:
    sandbox.add_refresh_token(
        ONLY_CANDIDATES, ["ZohoRecruit.settings.all", "ZohoRecruit.modules.candidate.READ"]
    )
    config = zoho.make_config(sandbox, refresh_token=ONLY_CANDIDATES)
    result = zoho.read(config, ["zoho_Candidates", "zoho_Clients"], ok=False)
    assert sorted(zoho.ids(result, "zoho_Candidates")) == sorted(sandbox.ids("recruit", "Candidates"))
    [error] = result.trace_errors
    assert error["failure_type"] == "config_error"
    assert error["message"] == (
        f"Stream zoho_Clients: Zoho Recruit ({sandbox.url}) answered OAUTH_SCOPE_MISMATCH to GET /recruit/v2/Clients: "
        "the refresh token lacks the scope ZohoRecruit.modules.all (or ZohoRecruit.modules.client.READ). Generate "
        "a new refresh token with that scope (see the connector README) and update refresh_token."
    )


def test_secrets_never_appear_in_any_output(sandbox: ZohoSandbox, zoho: Any) -> None:
    config = zoho.make_config(sandbox)
    result = zoho.read(config, ["zoho_Candidates"])
    bad = zoho.run("check", zoho.make_config(sandbox, refresh_token="1000.wrong.refresh.token.value"))
    issued = [t for t in sandbox.tokens._tokens]
    # The CONTROL connectorConfig message is the one line written unmasked (the platform stores the new token from
    # it, see test_token_reuse); every other line is masked.
    controls = [line for line in result.output.splitlines() if line.startswith('{"type":"CONTROL"')]
    [control] = controls
    assert json.loads(control)["control"]["connectorConfig"]["config"]["access_token"] == issued[-1]
    for output in (result.output, bad.output):
        masked = "\n".join(line for line in output.splitlines() if not line.startswith('{"type":"CONTROL"'))
        for secret in (config["client_secret"], REFRESH_TOKEN, "1000.wrong.refresh.token.value", *issued):
            assert secret not in masked


# -------------------------------------------------------------------------------------------------- discover
def test_discover_lists_api_modules_and_standard_streams_skipping_unreadable_metadata(
    sandbox: ZohoSandbox, zoho: Any
) -> None:
    result = zoho.run("discover", zoho.make_config(sandbox))
    names = [s["name"] for s in result.catalog["streams"]]
    assert names == [
        *(f"zoho_{m}" for m in RECRUIT_MODULES),
        "candidates",
        "jobs",
        "clients",
        "contacts",
        "submissions",
        "interviews",
    ]
    warnings = result.log_messages("WARN")
    assert warnings == [
        "Zoho Recruit: skipping module Reviews: its field metadata is not available (HTTP 204 for GET "
        "/recruit/v2/settings/fields?module=Reviews)",
        "Zoho Recruit: skipping module Offers: its field metadata is not available (HTTP 401 "
        "OAUTH_SCOPE_MISMATCH for GET /recruit/v2/settings/fields?module=Offers)",
    ]


def test_metadata_is_fetched_once_per_module_per_run(sandbox: ZohoSandbox, zoho: Any) -> None:
    zoho.run("discover", zoho.make_config(sandbox))
    fields_calls = [r.arg("module") for r in sandbox.requests_to(r"/settings/fields$")]
    assert sorted(fields_calls) == sorted([*RECRUIT_MODULES, "Reviews", "Offers"])
    assert len(sandbox.requests_to(r"/settings/modules$")) == 1
    assert len(sandbox.requests_to(r"/oauth/v2/token$")) == 1


def test_raw_schema_comes_from_field_metadata(sandbox: ZohoSandbox, zoho: Any) -> None:
    catalog = zoho.run("discover", zoho.make_config(sandbox)).catalog
    stream = next(s for s in catalog["streams"] if s["name"] == "zoho_Candidates")
    assert stream["supported_sync_modes"] == ["full_refresh", "incremental"]
    assert stream["source_defined_cursor"] is True
    assert stream["default_cursor_field"] == ["Modified_Time"]
    assert stream["source_defined_primary_key"] == [["id"]]
    props = stream["json_schema"]["properties"]
    assert props["id"] == {"type": "string"}
    assert props["Security_Clearance"] == {"type": ["null", "boolean"]}  # no json_type: from data_type
    assert props["Visa_Status"] == {"type": ["null", "string"]}
    assert props["Experience_in_Years"] == {"type": ["null", "integer"]}
    assert props["Expected_Salary"] == {"type": ["null", "number"]}
    assert props["Candidate_Owner"]["properties"] == {
        "name": {"type": ["null", "string"]},
        "id": {"type": ["null", "string"]},
    }
    assert props["Modified_Time"] == {
        "type": ["null", "string"],
        "format": "date-time",
        "airbyte_type": "timestamp_with_timezone",
    }
    assert props["Candidate_Status"]["enum"][:4] == [None, "New", "Qualified", "Contacted"]
    assert "Bench" in props["Candidate_Status"]["enum"]
    assert {"Preferred_Shift", "Security_Clearance", "Visa_Status"} <= set(props)
    assert props["_deleted"] == {
        "type": ["null", "boolean"],
        "description": "True on a record that marks a deletion.",
    }
    jobs = next(s for s in catalog["streams"] if s["name"] == "zoho_JobOpenings")["json_schema"]["properties"]
    assert jobs["Date_Opened"] == {"type": ["null", "string"], "format": "date"}
    assert jobs["Assigned_Recruiter"] == {"type": ["null", "array"], "items": {}}
    assert jobs["Client_Name"]["type"] == ["null", "object"]


def test_standard_stream_schemas_are_staffwires(sandbox: ZohoSandbox, zoho: Any) -> None:
    from staffwire.standard import standard_stream_schema

    catalog = zoho.run("discover", zoho.make_config(sandbox)).catalog
    stream = next(s for s in catalog["streams"] if s["name"] == "candidates")
    assert stream["json_schema"] == standard_stream_schema("candidates")
    assert stream["default_cursor_field"] == ["remote_updated_at"]


def test_module_whose_metadata_is_forbidden_is_skipped_and_discover_still_succeeds(
    sandbox: ZohoSandbox, zoho: Any
) -> None:
    sandbox.store("recruit", "Departments").seed.metadata_status = 403
    result = zoho.run("discover", zoho.make_config(sandbox))
    assert result.exit_code == 0
    assert "zoho_Departments" not in [s["name"] for s in result.catalog["streams"]]
    assert result.log_messages("WARN")[0] == (
        "Zoho Recruit: skipping module Departments: its field metadata is not available (HTTP 403 NO_PERMISSION "
        "for GET /recruit/v2/settings/fields?module=Departments)"
    )
