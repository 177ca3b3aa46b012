"""Bad input to source-greenhouse: each case gives a message that says what to fix, with the protocol's failure
type (check: CONNECTION_STATUS FAILED; read: a config_error TRACE), and the rest of the read goes on."""

from __future__ import annotations

from typing import Any

import pytest
from source_greenhouse.sandbox import NO_OFFERS_CLIENT, REVOKED_CLIENT, GreenhouseSandbox
from source_greenhouse.testing import catalog, make_config, run


def test_a_working_credential_passes_check(sandbox: GreenhouseSandbox) -> None:
    result = run(sandbox, "check", make_config(sandbox))
    assert result.connection_status == {"status": "SUCCEEDED"}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"client_id": REVOKED_CLIENT[0], "client_secret": REVOKED_CLIENT[1]},
            "Greenhouse refused the API credential (invalid_client: The client credentials have been revoked.) "
            "for POST /token. Check client_id and client_secret, and that the Harvest V3 credential is still "
            "active in Greenhouse (Configure > Dev Center > API Credentials): a revoked credential must be replaced.",
        ),
        (
            {"client_secret": "not-the-secret"},
            "Greenhouse refused the API credential (invalid_client: Client authentication failed.) for POST /token. "
            "Check client_id and client_secret, and that the Harvest V3 credential is still active in Greenhouse "
            "(Configure > Dev Center > API Credentials): a revoked credential must be replaced.",
        ),
        (
            {"user_id": 1005},
            "Greenhouse refused to act as user 1005 (invalid_request: sub 1005 is not an active user of this "
            "organization.) for POST /token. Set user_id to the numeric id of an active Greenhouse user (the "
            "number in the user's page URL), or leave it empty to act as the credential's service user.",
        ),
    ],
    ids=["revoked", "wrong-secret", "disabled-user"],
)
def test_a_refused_credential_or_user_fails_check_naming_the_field(
    sandbox: GreenhouseSandbox, overrides: dict[str, Any], message: str
) -> None:
    result = run(sandbox, "check", make_config(sandbox, **overrides))
    assert result.connection_status == {"status": "FAILED", "message": message}
    assert "not-the-secret" not in result.output


def test_a_credential_without_a_core_scope_fails_check_naming_the_scope(sandbox: GreenhouseSandbox) -> None:
    sandbox.clients[NO_OFFERS_CLIENT[0]]["scopes"].discard("harvest:candidates:list")
    config = make_config(sandbox, client_id=NO_OFFERS_CLIENT[0], client_secret=NO_OFFERS_CLIENT[1])
    result = run(sandbox, "check", config)
    assert result.connection_status is not None and result.connection_status["status"] == "FAILED"
    assert result.connection_status["message"].startswith(
        "Greenhouse refused GET /v3/candidates (403 Missing required scope: harvest:candidates:list): the API "
        "credential lacks the scope harvest:candidates:list."
    )


def test_a_credential_without_another_scope_passes_check_with_a_warning_and_that_stream_fails_alone(
    sandbox: GreenhouseSandbox,
) -> None:
    config = make_config(sandbox, client_id=NO_OFFERS_CLIENT[0], client_secret=NO_OFFERS_CLIENT[1])
    checked = run(sandbox, "check", config)
    assert checked.connection_status == {"status": "SUCCEEDED"}
    assert checked.log_messages("WARN") == [
        "Greenhouse: the API credential lacks harvest:offers:list: the streams that read them will fail; add the "
        "scopes or deselect those streams"
    ]
    streams = ["harvest_departments", "harvest_offers", "placements", "harvest_offices"]
    result = run(sandbox, "read", config, catalog=catalog(sandbox, config, streams))
    assert result.exit_code == 1
    assert result.stream_statuses() == {
        "harvest_departments": ["STARTED", "RUNNING", "COMPLETE"],
        "harvest_offers": ["STARTED", "INCOMPLETE"],
        "placements": ["STARTED", "INCOMPLETE"],
        "harvest_offices": ["STARTED", "RUNNING", "COMPLETE"],
    }
    errors = [(e["failure_type"], e["message"]) for e in result.trace_errors]
    assert errors[0] == (
        "config_error",
        "Stream harvest_offers: Greenhouse refused GET /v3/offers (403 Missing required scope: "
        "harvest:offers:list): the API credential lacks the scope harvest:offers:list. Add it to the Harvest V3 "
        "credential in Greenhouse (Configure > Dev Center > API Credentials > Manage scopes), or deselect the "
        "stream.",
    )
    assert len(result.records("harvest_offices")) == len(sandbox.tables["offices"])


def test_a_credential_revoked_before_a_read_is_a_config_error(sandbox: GreenhouseSandbox) -> None:
    config = make_config(sandbox)
    selected = catalog(sandbox, config, ["harvest_jobs"])
    sandbox.revoke("9f1c2e7a-sandbox-harvest-v3")
    result = run(sandbox, "read", config, catalog=selected)
    assert result.exit_code == 1
    (error,) = result.trace_errors
    assert error["failure_type"] == "config_error"
    assert "The client credentials have been revoked." in error["message"]


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"api_url": "http://harvest.example.com/v3"}, "must use https://"),
        ({"start_date": "yesterday"}, "start_date must be ISO 8601"),
        ({"page_size": 501}, "page_size"),
        ({"status_maps": {"submissions": {"Offer": "hired"}}}, "'Offer' -> 'hired' is not a standard value"),
    ],
)
def test_a_bad_config_is_a_config_error_naming_the_field(
    sandbox: GreenhouseSandbox, overrides: dict[str, Any], fragment: str
) -> None:
    result = run(sandbox, "check", make_config(sandbox, **overrides))
    status = result.connection_status or {}
    assert status.get("status") == "FAILED" and fragment in status["message"]
