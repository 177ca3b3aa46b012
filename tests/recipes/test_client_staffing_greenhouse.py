"""The client-staffing recipe (docs/recipes/client-staffing.md) on the Greenhouse and Bullhorn sandboxes, over real
HTTP with the real connectors, its connection files loaded unchanged from docs/recipes/:

1-3. greenhouse-jobs-to-bullhorn.yaml: the client's requisitions (standard ``jobs``) through the client's rule set
     into Bullhorn JobOrders (append_dedup on externalID = the Greenhouse job id); a rerun writes nothing;
4.   submissions in the "client_submitted" stage go into the client's Greenhouse (destination-greenhouse), carrying
     the Bullhorn JobSubmission id in the application custom field ``bullhorn_submission_id``;
5.   the client's stage changes come back as standard submissions (incremental);
6.   greenhouse-statuses-to-bullhorn.yaml: those stages become the Bullhorn JobSubmission's status;
7.   the client's hire comes back as a placement with the accepted offer's start date and pay.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from destination_greenhouse import DestinationGreenhouse
from destination_greenhouse.testing import candidate, catalog, state, submission
from source_bullhorn.sandbox import BullhornSandbox
from source_greenhouse.sandbox import GreenhouseSandbox
from source_greenhouse.testing import last_states, make_config, read
from staffwire.runner import RunResult, StateStore, load_connection, run_sync
from staffwire.runner.demo_recipe import recipe_env
from staffwire.testing.conformance import assert_conformant, run_connector

RECIPES = Path(__file__).resolve().parents[2] / "docs" / "recipes"
REQUISITIONS = RECIPES / "greenhouse-jobs-to-bullhorn.yaml"
STATUSES = RECIPES / "greenhouse-statuses-to-bullhorn.yaml"


def _sync(path: Path, store: StateStore, env: dict[str, str]) -> RunResult:
    result = run_sync(load_connection(path), store=store, env=env)
    assert result.succeeded, result.error
    return result


def _counts(result: RunResult, stream: str) -> tuple[int, ...]:
    """(read, created, updated, unchanged, ignored, rejected) of one stream of a run."""
    counts: dict[str, Any] = result.streams[stream]
    keys = ("read", "created", "updated", "unchanged", "ignored", "rejected")
    return tuple(counts[f"records_{k}"] for k in keys)


def test_the_client_staffing_recipe_runs_on_the_greenhouse_and_bullhorn_sandboxes(tmp_path: Path) -> None:
    with GreenhouseSandbox(candidates=12) as greenhouse, BullhornSandbox(seed=7, candidates=10) as bullhorn:
        env = recipe_env(greenhouse, bullhorn)
        store = StateStore(tmp_path / "staffwire.db")
        try:
            _the_recipe(greenhouse, bullhorn, store, env)
        finally:
            store.close()


def _the_recipe(
    greenhouse: GreenhouseSandbox, bullhorn: BullhornSandbox, store: StateStore, env: dict[str, str]
) -> None:
    # 1-3: requisitions through Northwind's rules into Bullhorn JobOrders
    first = _sync(REQUISITIONS, store, env)
    assert sorted((r["origin"], r["record_id"], r["message"]) for r in first.rejected_records) == [
        (
            "destination",
            "greenhouse:4003",
            "destination-bullhorn stream 'jobs': record greenhouse:4003 rejected: 'Contract To Hire' is not an "
            "option of JobOrder.employmentType in Bullhorn (options: 'Contract')",
        ),
        *(
            ("source", f"greenhouse:{job}", f"stream 'jobs': record greenhouse:{job} rejected: {why}")
            for job, why in [
                (4001, "Northwind requisitions need a bill rate"),
                (4004, "Northwind requisitions need a bill rate"),
                (4005, "Northwind requisitions need a bill rate; only open requisitions"),
                (4006, "Northwind requisitions need a bill rate"),
                (4012, "only open requisitions"),
                (4013, "Northwind requisitions need a bill rate"),
            ]
        ),
    ]
    assert _counts(first, "jobs") == (2, 1, 0, 0, 0, 7)
    (job_order,) = [j for j in bullhorn.rows["JobOrder"].values() if j.get("externalID")]
    assert {k: v for k, v in job_order.items() if k not in ("id", "dateAdded", "dateLastModified")} == {
        "isDeleted": False,
        "externalID": "4002",
        "title": "Med-Surg RN (13 weeks)",
        "clientCorporation": 1,
        "clientContact": 1,
        "owner": 1,
        "description": "Requisition from Northwind's Greenhouse",
        "publicDescription": "Med-Surg RN (13 weeks)",
        "employmentType": "Contract",
        "startDate": 1_695_168_000_000,  # 2023-09-20, the job's opened_at
        "numOpenings": 2,
        "clientBillRate": 52.5,
        "type": 1,
        "durationWeeks": 13,
        "hoursOfOperation": "8 Hour Days",
        "customDate3": 1_695_168_000_000,
        "correlatedCustomText6": "n/a",
        "customText10": "n/a",
    }
    writes = len(bullhorn.writes)
    again = _sync(REQUISITIONS, store, env)
    assert _counts(again, "jobs") == (2, 0, 0, 1, 0, 7)
    assert len(bullhorn.writes) == writes

    # the recruiter submits a candidate on the new JobOrder in Bullhorn, in "Submission"
    seeded = bullhorn.rows["JobSubmission"][3]
    bullhorn.rows["JobSubmission"][11] = {
        **seeded,
        "id": 11,
        "jobOrder": job_order["id"],
        "status": "Submission",
    }

    # 4: the submission goes into the client's Greenhouse, carrying the Bullhorn submission id
    messages = [
        candidate(1, resume_url="https://files.agency.example/cv/ada.pdf"),
        submission(1, "greenhouse:4002", custom_fields={"bullhorn_submission_id": "bullhorn:11"}),
        candidate(2),
        submission(2, "greenhouse:4002", stage="interview"),  # still internal: not sent
        state(1),
    ]
    cfg = {**make_config(greenhouse), "agency_name": "Staffwire Staffing", "user_id": 1002}
    written = run_connector(DestinationGreenhouse, "write", config=cfg, catalog=catalog(), stdin=messages)
    assert_conformant(written)
    assert written.exit_code == 0
    (app,) = [a for a in greenhouse.tables["applications"].values() if a.get("_referrer")]
    assert (app["job_id"], app["custom_fields"]) == (4002, {"bullhorn_submission_id": "bullhorn:11"})

    # 6 (first run): nothing of the client's own applications is ours; ours is still in review
    statuses = _sync(STATUSES, store, env)
    every = len(greenhouse.tables["applications"])
    assert _counts(statuses, "submissions") == (every, 0, 0, 0, every, 0)

    # 5: the client moves the application; the stage comes back as a standard submission
    config = make_config(greenhouse)
    seen = read(greenhouse, config, ["submissions"])
    assert next(s for s in seen.records("submissions") if s["remote_id"] == str(app["id"]))["stage"] == "new"
    app.update(current_stage={"id": 104, "name": "Hiring Manager Interview"}, updated_at=greenhouse.now())
    moved = read(greenhouse, config, ["submissions"], state=last_states(seen))
    assert [(s["remote_id"], s["stage"], s["original_status"]) for s in moved.records("submissions")] == [
        (str(app["id"]), "interview", "Hiring Manager Interview")
    ]

    # 6: an interview has no word in this tenant's picklist (ignored); the offer has one
    interview = _sync(STATUSES, store, env)
    assert _counts(interview, "submissions") == (1, 0, 0, 0, 1, 0)
    assert bullhorn.rows["JobSubmission"][11]["status"] == "Submission"
    app.update(current_stage={"id": 106, "name": "Offer"}, updated_at=greenhouse.now())
    offer = _sync(STATUSES, store, env)
    assert _counts(offer, "submissions") == (1, 0, 1, 0, 0, 0)
    assert bullhorn.rows["JobSubmission"][11]["status"] == "Offer Extended"
    assert bullhorn.rows["JobSubmission"][3]["status"] == "Client Submission"  # not ours: untouched

    # 7: the client hires; the placement carries the accepted offer's start date and pay
    app.update(status="hired", current_stage=None, updated_at=greenhouse.now())
    greenhouse.tables["offers"][99001] = {
        **next(iter(greenhouse.tables["offers"].values())),
        "id": 99001,
        "application_id": app["id"],
        "candidate_id": app["candidate_id"],
        "job_id": app["job_id"],
        "status": "accepted",
        "start_on": "2026-03-02",
        "custom_fields": {"pay_rate": "$61.25", "bill_rate": "92", "currency": "USD", "pay_unit": "hour"},
    }
    placed = read(
        greenhouse, make_config(greenhouse, client_ref="bullhorn:1"), ["placements"], mode="full_refresh"
    )
    placement = next(p for p in placed.records("placements") if p["remote_id"] == str(app["id"]))
    assert {
        k: placement[k] for k in ("start_date", "pay_rate", "bill_rate", "currency", "pay_unit", "client_id")
    } == {
        "start_date": "2026-03-02",
        "pay_rate": 61.25,
        "bill_rate": 92,
        "currency": "USD",
        "pay_unit": "hour",
        "client_id": "bullhorn:1",
    }

    # 6 again: the hire is the accepted offer in Bullhorn
    hired = _sync(STATUSES, store, env)
    assert _counts(hired, "submissions") == (1, 0, 1, 0, 0, 0)
    assert bullhorn.rows["JobSubmission"][11]["status"] == "Offer Accepted"
