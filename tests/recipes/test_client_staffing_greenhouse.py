"""The Greenhouse legs of the client-staffing recipe (docs/recipes/client-staffing.md), on the Greenhouse sandbox:

1-2. the runner syncs the client's Greenhouse requisitions (standard ``jobs``) through the client's rule set into a
     JSON-lines file (the stand-in for the internal ATS until destination-bullhorn lands);
4.   submissions in the "client_submitted" stage go into the client's Greenhouse (destination-greenhouse);
5.   the client's stage changes come back as standard submissions (incremental);
7.   the client's hire comes back as a placement with the accepted offer's start date and pay.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from destination_greenhouse import DestinationGreenhouse
from destination_greenhouse.testing import candidate, catalog, state, submission
from source_greenhouse.sandbox import CLIENT_SECRET, GreenhouseSandbox
from source_greenhouse.testing import last_states, make_config, read
from staffwire.runner import StateStore, parse_connection, run_sync
from staffwire.testing.conformance import assert_conformant, run_connector

PLAIN_DESTINATION = Path(__file__).parents[1] / "runner" / "connectors" / "plain_destination.py"
NORTHWIND = {
    "rule_sets": {
        "northwind": {
            "rules": [
                {
                    "rule": "required",
                    "field": "bill_rate",
                    "message": "Northwind requisitions need a bill rate",
                },
                {
                    "rule": "allowed",
                    "field": "status",
                    "values": ["open"],
                    "message": "only open requisitions",
                },
            ]
        }
    },
    "streams": {"jobs": "northwind"},
}


def _sync_requisitions(sandbox: GreenhouseSandbox, tmp_path: Path) -> tuple[Any, list[dict[str, Any]]]:
    out = tmp_path / "requisitions.jsonl"
    config = {k: v for k, v in make_config(sandbox, client_ref="bullhorn:42").items() if k != "client_secret"}
    connection = parse_connection(
        {
            "name": "northwind-requisitions",
            "source": {
                "connector": "source-greenhouse",
                "config": {**config, "client_secret": "${NORTHWIND_GREENHOUSE_SECRET}"},
                "rules": NORTHWIND,
            },
            "destination": {"connector": str(PLAIN_DESTINATION), "config": {"path": str(out)}},
            "streams": [{"name": "jobs", "sync_mode": "incremental"}],
        }
    )
    store = StateStore(tmp_path / "state.db")
    try:
        result = run_sync(connection, store=store, env={"NORTHWIND_GREENHOUSE_SECRET": CLIENT_SECRET})
    finally:
        store.close()
    rows = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    return result, rows


def test_the_greenhouse_legs_of_the_client_staffing_recipe(tmp_path: Path) -> None:
    with GreenhouseSandbox(candidates=12) as sandbox:
        # 1-2: requisitions through the client's rules into the internal ATS (a JSON-lines file for now)
        result, rows = _sync_requisitions(sandbox, tmp_path)
        assert result.succeeded, result.error
        assert sorted(r["id"] for r in rows) == ["greenhouse:4002", "greenhouse:4003"]
        assert {r["client_id"] for r in rows} == {"bullhorn:42"}
        assert sorted(r["record_id"] for r in result.rejected_records) == [
            "greenhouse:4001",
            "greenhouse:4004",
            "greenhouse:4005",
            "greenhouse:4006",
            "greenhouse:4012",
            "greenhouse:4013",
        ]

        # 4: the recruiter's "submitted to client" submissions on those requisitions go into Greenhouse
        job = rows[0]["id"]
        messages = [
            candidate(1, resume_url="https://files.agency.example/cv/ada.pdf"),
            submission(1, job),
            candidate(2),
            submission(2, job, stage="interview"),  # still internal: not sent
            state(1),
        ]
        cfg = {**make_config(sandbox), "agency_name": "Staffwire Staffing", "user_id": 1002}
        written = run_connector(DestinationGreenhouse, "write", config=cfg, catalog=catalog(), stdin=messages)
        assert_conformant(written)
        assert written.exit_code == 0
        (app,) = [a for a in sandbox.tables["applications"].values() if a.get("_referrer")]
        assert app["job_id"] == int(job.removeprefix("greenhouse:"))

        # 5: the client moves the application; the stage comes back as a standard submission
        config = make_config(sandbox)
        first = read(sandbox, config, ["submissions"])
        assert (
            next(s for s in first.records("submissions") if s["remote_id"] == str(app["id"]))["stage"]
            == "new"
        )
        app.update(current_stage={"id": 104, "name": "Hiring Manager Interview"}, updated_at=sandbox.now())
        moved = read(sandbox, config, ["submissions"], state=last_states(first))
        assert [(s["remote_id"], s["stage"], s["original_status"]) for s in moved.records("submissions")] == [
            (str(app["id"]), "interview", "Hiring Manager Interview")
        ]

        # 7: the client hires; the placement carries the accepted offer's start date and pay
        app.update(status="hired", current_stage=None, updated_at=sandbox.now())
        sandbox.tables["offers"][99001] = {
            **next(iter(sandbox.tables["offers"].values())),
            "id": 99001,
            "application_id": app["id"],
            "candidate_id": app["candidate_id"],
            "job_id": app["job_id"],
            "status": "accepted",
            "start_on": "2026-03-02",
            "custom_fields": {"pay_rate": "$61.25", "bill_rate": "92", "currency": "USD", "pay_unit": "hour"},
        }
        placed = read(
            sandbox, make_config(sandbox, client_ref="bullhorn:42"), ["placements"], mode="full_refresh"
        )
        placement = next(p for p in placed.records("placements") if p["remote_id"] == str(app["id"]))
        assert {
            k: placement[k]
            for k in ("start_date", "pay_rate", "bill_rate", "currency", "pay_unit", "client_id")
        } == {
            "start_date": "2026-03-02",
            "pay_rate": 61.25,
            "bill_rate": 92,
            "currency": "USD",
            "pay_unit": "hour",
            "client_id": "bullhorn:42",
        }
