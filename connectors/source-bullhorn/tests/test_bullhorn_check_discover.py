"""check and discover against the Bullhorn sandbox: the four-hop login, readable failures, meta-driven schemas."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from source_bullhorn.sandbox import CORP_TOKEN, BullhornSandbox
from staffwire.standard import STANDARD_STREAM_NAMES
from staffwire.testing.sandbox import Sandbox


def test_check_succeeds_after_the_four_hops_and_one_cheap_call(
    bullhorn: Any, sandbox: BullhornSandbox
) -> None:
    result = bullhorn.run("check", bullhorn.config())
    assert result.connection_status == {"status": "SUCCEEDED"}
    hops = [(r.method, r.path, r.status) for r in sandbox.log]
    assert hops == [
        ("GET", "/rest-services/loginInfo", 307),
        ("GET", "/dc/east/rest-services/loginInfo", 200),
        ("GET", "/dc/east/oauth/authorize", 302),
        ("POST", "/dc/east/oauth/token", 200),
        ("GET", "/dc/east/rest-services/login", 200),
        ("GET", f"/dc/east/rest-services/{CORP_TOKEN}/ping", 200),
    ]
    login = sandbox.log[4]
    assert login.arg("version") == "*" and login.arg("ttl") == "60"
    assert "bhresttoken" in sandbox.log[5].headers


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"password": "Not-The-Password-9"},
            "Bullhorn refused the login of user 'staffwire.api': the username or password is "
            "wrong. Check username and password in the connector config.",
        ),
        (
            {"client_id": "nope"},
            "Bullhorn does not know the OAuth client id 'nope' (GET /dc/east/oauth/authorize "
            "answered HTTP 400). Check client_id in the connector config.",
        ),
        (
            {"client_secret": "wrong-secret"},
            "Bullhorn refused the OAuth client credentials (POST "
            "/dc/east/oauth/token answered invalid_client). Check client_id and "
            "client_secret in the connector config.",
        ),
        (
            {"username": BullhornSandbox.NEW_USERNAME},
            "Bullhorn did not issue an authorization code for user 'new.api.user' (HTTP 200 without a redirect). The "
            "API user must log in once in a browser to accept Bullhorn's terms of service; then run the connection "
            "again.",
        ),
    ],
    ids=["wrong-password", "wrong-client-id", "wrong-client-secret", "terms-not-accepted"],
)
def test_check_fails_with_a_readable_message(bullhorn: Any, overrides: dict[str, Any], expected: str) -> None:
    result = bullhorn.run("check", bullhorn.config(**overrides))
    assert result.exit_code == 0
    assert result.connection_status == {"status": "FAILED", "message": expected}


def test_check_fails_readably_when_the_host_is_unreachable(bullhorn: Any) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/rest-services/loginInfo"
    result = bullhorn.run("check", bullhorn.config(login_info_url=url))
    status = result.connection_status
    assert status["status"] == "FAILED"
    assert status["message"].startswith("Could not reach Bullhorn for GET /rest-services/loginInfo")
    assert "Check the API URL and the network" in status["message"]


def test_check_fails_readably_when_the_host_is_not_bullhorn(bullhorn: Any) -> None:
    with Sandbox() as other:  # a web server that knows nothing about Bullhorn
        result = bullhorn.run("check", bullhorn.config(login_info_url=f"{other.url}/rest-services/loginInfo"))
    assert result.connection_status == {
        "status": "FAILED",
        "message": f"Bullhorn: the data-center discovery at {other.url}/rest-services/loginInfo answered HTTP 404. "
        "Check login_info_url (Bullhorn's is https://rest.bullhornstaffing.com/rest-services/loginInfo) "
        "and the username.",
    }


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"login_info_url": "http://rest.bullhornstaffing.com/rest-services/loginInfo"},
            "config field 'login_info_url' must use https://",
        ),
        ({"login_info_url": "ftp://x"}, "config field 'login_info_url' must be an absolute https:// URL"),
        ({"start_date": "yesterday"}, "start_date must be an ISO 8601 date or time"),
        ({"page_size": 501}, "page_size"),
        ({"status_maps": {"candidate": {"Hired": "placed"}}}, "candidate_status"),
    ],
    ids=["plain-http", "not-a-url", "bad-start-date", "page-size", "unknown-status-map"],
)
def test_invalid_config_is_a_config_error(bullhorn: Any, overrides: dict[str, Any], expected: str) -> None:
    result = bullhorn.run("check", bullhorn.config(**overrides))
    status = result.connection_status
    assert status["status"] == "FAILED" and expected in status["message"], status
    result = bullhorn.run("discover", bullhorn.config(**overrides))
    assert result.exit_code == 1
    assert result.trace_errors[0]["failure_type"] == "config_error"
    assert expected in result.trace_errors[0]["message"]


def test_discover_offers_a_raw_stream_per_entity_and_the_standard_streams(bullhorn: Any) -> None:
    config = bullhorn.config()
    del config["entities"]
    streams = {s["name"]: s for s in bullhorn.run("discover", config).catalog["streams"]}
    assert sorted(streams) == sorted(
        [
            "Appointment",
            "BusinessSector",
            "Candidate",
            "CandidateCertification",
            "CandidateEducation",
            "CandidateWorkHistory",
            "Category",
            "ClientContact",
            "ClientCorporation",
            "CorporateUser",
            "Department",
            "JobOrder",
            "JobSubmission",
            "JobSubmissionHistory",
            "Lead",
            "Note",
            "Opportunity",
            "Placement",
            "PlacementChangeRequest",
            "PlacementCommission",
            "Sendout",
            "Skill",
            "Task",
            "Tearsheet",
            # Bullhorn has no payables, and workers are a payments platform's contractors
            *(name for name in STANDARD_STREAM_NAMES if name not in ("payables", "workers")),
        ]
    )
    cursors = {n: s.get("default_cursor_field") for n, s in streams.items()}
    assert cursors["Candidate"] == ["dateLastModified"]
    assert cursors["Sendout"] == ["dateAdded"]
    assert cursors["Skill"] is None and streams["Skill"]["supported_sync_modes"] == ["full_refresh"]
    assert cursors["candidates"] == ["remote_updated_at"]
    assert all(s["source_defined_primary_key"] == [["id"]] for s in streams.values())


def test_raw_schemas_come_from_the_field_metadata(bullhorn: Any) -> None:
    streams = {s["name"]: s for s in bullhorn.run("discover", bullhorn.config()).catalog["streams"]}
    props = streams["Candidate"]["json_schema"]["properties"]
    assert props["id"] == {"type": "integer"}
    assert props["customText1"] == {
        "type": ["null", "string"],
        "maxLength": 100,
        "description": "Security Clearance",
    }
    assert props["customText8"]["type"] == ["null", "string", "array"]
    assert props["dateLastModified"]["type"] == ["null", "integer"]
    assert props["isDeleted"]["type"] == ["null", "boolean"]
    assert (
        props["dayRate"] == {"type": ["null", "number"], "description": "money", "title": "Day Rate"}
        or props["dayRate"]["description"] == "money"
    )
    assert props["owner"]["properties"] == {
        "id": {"type": ["null", "integer"]},
        "firstName": {"type": ["null", "string"]},
        "lastName": {"type": ["null", "string"]},
    }
    assert props["categories"]["properties"]["total"] == {"type": ["null", "integer"]}
    assert props["address"]["properties"]["city"]["type"] == ["null", "string"]
    placement = streams["Placement"]["json_schema"]["properties"]
    assert placement["customText1"]["description"] == "PO Number"
