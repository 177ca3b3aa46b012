"""staffwire demo --recipe client-staffing: the client-staffing recipe's connection files on fresh Greenhouse and
Bullhorn sandboxes (requisitions -> JobOrders, a submission into Greenhouse, stages -> JobSubmission status):
exact outcome, and the shipped connection files are the recipe's own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from staffwire.cli import main
from staffwire.runner.demo_recipe import FILES

DOCS = Path(__file__).resolve().parents[2] / "docs" / "recipes"


def test_the_connection_files_the_demo_ships_are_the_recipes_own() -> None:
    shipped = sorted(p.name for p in FILES.glob("*.yaml"))
    assert shipped == [
        "bullhorn-submissions-to-greenhouse.yaml",
        "greenhouse-jobs-to-bullhorn.yaml",
        "greenhouse-statuses-to-bullhorn.yaml",
    ]
    assert {n: (FILES / n).read_text() for n in shipped} == {n: (DOCS / n).read_text() for n in shipped}


def test_staffwire_demo_recipe_client_staffing_exits_0_and_prints_what_it_wrote(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STAFFWIRE_DB", str(tmp_path / "runner" / "staffwire.db"))
    assert main(["demo", "--recipe", "client-staffing", "--json"]) == 0
    outcome = json.loads(capsys.readouterr().out)
    assert outcome["succeeded"] is True
    assert outcome["job_orders"] == [{"id": 4, "externalID": "4002", "title": "Med-Surg RN (13 weeks)"}]
    assert outcome["statuses"] == [
        {"stage": "Offer", "bullhorn_status": "Offer Extended"},
        {"stage": "hired", "bullhorn_status": "Offer Accepted"},
    ]
    counts = [
        (
            r["run"]["connection"],
            *(
                sum(s.get(f"records_{k}") or 0 for s in r["run"]["streams"].values())
                for k in ("read", "created", "updated", "unchanged", "ignored", "rejected")
            ),
        )
        for r in outcome["runs"]
    ]
    assert counts == [
        ("northwind-requisitions", 2, 1, 0, 0, 0, 7),
        ("northwind-requisitions", 2, 0, 0, 1, 0, 7),
        # 10 candidates + 11 submissions read; one is sent to the client (destination-greenhouse reports no outcomes)
        ("northwind-submissions", 21, 0, 0, 0, 0, 0),
        ("northwind-statuses", 13, 0, 0, 0, 13, 0),
        ("northwind-statuses", 1, 0, 1, 0, 0, 0),
        ("northwind-statuses", 1, 0, 1, 0, 0, 0),
    ]
    assert sorted(p.name for p in (tmp_path / "runner" / "demo").glob("*.yaml")) == [
        "bullhorn-submissions-to-greenhouse.yaml",
        "greenhouse-jobs-to-bullhorn.yaml",
        "greenhouse-statuses-to-bullhorn.yaml",
    ]
    assert main(["runs", "--json"]) == 0
    assert [(r["id"], r["status"]) for r in json.loads(capsys.readouterr().out)] == [
        (n, "succeeded") for n in range(6, 0, -1)
    ]
