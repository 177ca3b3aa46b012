"""destination-greenhouse check and the credential cases of write: missing write scopes fail check (found through
token introspection) and reject each record on write, a revoked credential fails both, a wrong agency fails check."""

from __future__ import annotations

from typing import Any

import pytest
from destination_greenhouse import DestinationGreenhouse
from destination_greenhouse.testing import candidate, config, state, stats, submission, write
from source_greenhouse.sandbox import CLIENT_ID, READ_ONLY_CLIENT, REVOKED_CLIENT, GreenhouseSandbox
from source_greenhouse.testing import sandbox_secrets
from staffwire.testing.conformance import assert_conformant, assert_no_secrets, run_connector

READ_ONLY = {"client_id": READ_ONLY_CLIENT[0], "client_secret": READ_ONLY_CLIENT[1]}


def _check(sandbox: GreenhouseSandbox, cfg: dict[str, Any]) -> dict[str, Any]:
    result = run_connector(DestinationGreenhouse, "check", config=cfg)
    assert_conformant(result)
    assert_no_secrets(result, sandbox_secrets(sandbox))
    assert result.connection_status is not None
    return result.connection_status


def test_check_passes_with_the_write_scopes_and_the_agency_source(sandbox: GreenhouseSandbox) -> None:
    assert _check(sandbox, config(sandbox)) == {"status": "SUCCEEDED"}
    introspection = sandbox.requests_to("^/introspect$", "POST")
    assert len(introspection) == 1 and introspection[0].headers["authorization"].startswith("Basic ")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            READ_ONLY,
            "Greenhouse: the API credential lacks the scopes harvest:candidates:create, harvest:candidates:update, "
            "harvest:applications:create, harvest:attachments:create, harvest:notes:create that submitting "
            "candidates needs. Add them to the Harvest V3 credential in Greenhouse (Configure > Dev Center > API "
            "Credentials > Manage scopes).",
        ),
        (
            {"client_id": REVOKED_CLIENT[0], "client_secret": REVOKED_CLIENT[1]},
            "Greenhouse refused the API credential (invalid_client: The client credentials have been revoked.) for "
            "POST /token. Check client_id and client_secret, and that the Harvest V3 credential is still active in "
            "Greenhouse (Configure > Dev Center > API Credentials): a revoked credential must be replaced.",
        ),
        (
            {"agency_name": "Acme Staffing"},
            "Greenhouse has no source named 'Acme Staffing' (agency_name). Ask the client to add the agency as a "
            "source, or set source_id. Agency sources there: 'Staffwire Staffing'.",
        ),
        (
            {"source_id": 12},
            "Greenhouse has no source with id 12 (source_id). Use the id of the agency's source (Configure > "
            "Sources), or leave source_id empty to use the source named like agency_name.",
        ),
    ],
    ids=["missing-scopes", "revoked", "unknown-agency", "unknown-source"],
)
def test_check_fails_saying_what_to_fix(
    sandbox: GreenhouseSandbox, overrides: dict[str, Any], message: str
) -> None:
    assert _check(sandbox, config(sandbox, **overrides)) == {"status": "FAILED", "message": message}


def test_a_write_without_the_create_scope_rejects_each_submission_and_goes_on(
    sandbox: GreenhouseSandbox,
) -> None:
    existing = sandbox.tables["candidates"][50001]["email_addresses"][0]["value"]
    applied = {a["job_id"] for a in sandbox.tables["applications"].values() if a["candidate_id"] == 50001}
    job = next(j for j in (4001, 4002, 4003, 4004, 4006) if j not in applied)
    messages = [
        candidate(1),
        submission(1, 4001),
        submission(2, job, candidate={"first_name": "A", "last_name": "B", "email": existing}),
        state(1),
    ]
    result = write(sandbox, config(sandbox, **READ_ONLY), messages)
    assert result.exit_code == 0
    assert stats(result) == [(2.0, 2.0)]
    warnings = result.log_messages("WARN")
    assert len(warnings) == 2
    assert warnings[0].startswith(
        "destination-greenhouse stream 'submissions': record bullhorn:sub1 rejected: Greenhouse refused POST "
        "/v3/candidates (403 Missing required scope: harvest:candidates:create): the API credential lacks the scope "
        "harvest:candidates:create."
    )
    assert "lacks the scope harvest:applications:create" in warnings[1]


def test_a_write_with_a_revoked_credential_fails_as_a_config_error(sandbox: GreenhouseSandbox) -> None:
    sandbox.revoke(CLIENT_ID)
    result = write(sandbox, config(sandbox), [candidate(1), submission(1, 4001), state(1)])
    assert result.exit_code == 1
    (error,) = result.trace_errors
    assert error["failure_type"] == "config_error"
    assert "The client credentials have been revoked." in error["message"]
    assert result.states == []
