"""Step 4 of the client-staffing recipe as a real connection: docs/recipes/bullhorn-submissions-to-greenhouse.yaml,
loaded unchanged, run by the runner from source-bullhorn's standard submissions into destination-greenhouse, on
the Bullhorn and Greenhouse sandboxes over real HTTP."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from source_bullhorn.sandbox import BullhornSandbox
from source_greenhouse.sandbox import GreenhouseSandbox
from staffwire.runner import RunResult, StateStore, load_connection, run_sync
from staffwire.runner.demo_recipe import recipe_env

SUBMISSIONS = (
    Path(__file__).resolve().parents[2] / "docs" / "recipes" / "bullhorn-submissions-to-greenhouse.yaml"
)


def _sync(store: StateStore, env: dict[str, str]) -> RunResult:
    result = run_sync(load_connection(SUBMISSIONS), store=store, env=env)
    assert result.succeeded, result.error
    return result


def _ours(greenhouse: GreenhouseSandbox) -> list[dict[str, Any]]:
    return [a for a in greenhouse.tables["applications"].values() if a.get("_referrer")]


def test_a_bullhorn_submission_sent_to_the_client_becomes_a_greenhouse_application_once(
    tmp_path: Path,
) -> None:
    with GreenhouseSandbox(candidates=12) as greenhouse, BullhornSandbox(seed=7, candidates=10) as bullhorn:
        env = recipe_env(greenhouse, bullhorn)
        store = StateStore(tmp_path / "staffwire.db")
        try:
            _submit(greenhouse, bullhorn, store, env)
        finally:
            store.close()


def _submit(
    greenhouse: GreenhouseSandbox, bullhorn: BullhornSandbox, store: StateStore, env: dict[str, str]
) -> None:
    # Northwind's requisition 4002 is a JobOrder in Bullhorn (step 3 wrote its externalID)
    job_order = next(iter(bullhorn.rows["JobOrder"].values()))
    job_order["externalID"] = "4002"
    seeded = bullhorn.rows["JobSubmission"][3]
    person = bullhorn.rows["Candidate"][seeded["candidate"]]
    # the recruiter sends a candidate to the client; another is still an internal submission
    bullhorn.rows["JobSubmission"][11] = {
        **seeded,
        "id": 11,
        "jobOrder": job_order["id"],
        "status": "Client Submission",
    }
    bullhorn.rows["JobSubmission"][12] = {
        **seeded,
        "id": 12,
        "jobOrder": job_order["id"],
        "status": "Submitted",
    }
    before = len(greenhouse.tables["applications"])

    first = _sync(store, env)
    assert first.rejected_records == []
    (app,) = _ours(greenhouse)
    assert len(greenhouse.tables["applications"]) == before + 1
    assert {k: app[k] for k in ("job_id", "custom_fields", "source", "_referrer", "status")} == {
        "job_id": 4002,  # the JobOrder's externalID
        "custom_fields": {"bullhorn_submission_id": "bullhorn:11"},  # the way back (step 6)
        "source": {"id": 7001, "public_name": "Staffwire Staffing"},
        "_referrer": {"type": "outside", "value": "Staffwire Staffing"},
        "status": "active",
    }
    made = greenhouse.tables["candidates"][app["candidate_id"]]
    assert (made["first_name"], made["last_name"], made["email_addresses"]) == (
        person["firstName"],
        person["lastName"],
        [{"value": "aisha.lee10@example.com", "type": "personal"}],
    )

    # a rerun finds the candidate by email and the application on the job: nothing is created twice
    applications, candidates = len(greenhouse.tables["applications"]), len(greenhouse.tables["candidates"])
    again = _sync(store, env)
    assert again.rejected_records == []
    assert (len(greenhouse.tables["applications"]), len(greenhouse.tables["candidates"])) == (
        applications,
        candidates,
    )
    assert _ours(greenhouse) == [app]
