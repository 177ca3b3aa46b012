"""Point 3 of issue 18: `staffwire audit CONNECTION` compares the mirror with the source system now; its exit code
is for schedulers (0 consistent, 1 drift, 2 could not run)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hub_support import ENV, LEVER_PATCH, LEVER_RECORDS, Hub, recorded
from staffwire.cli import main

LEVER = {"pack": "lever", "patch": LEVER_PATCH}


def audit(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["audit", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)


def drifted_lever_records(tmp_path: Path) -> Path:
    """The source after the last sync: Tom Delano's first opportunity deleted for good, Mark Smith's edited
    without its cursor moving (a silent change), and a new opportunity."""
    rows = [r for r in recorded(LEVER_RECORDS) if r["data"]["id"] != "a739d309-dfae-408d-a316-7f06fcd9150f"]
    for row in rows:
        if row["data"]["id"] == "9ea413b6-432a-4806-a6cb-683e55dda4c2":
            row["data"] = {**row["data"], "headline": "Daylob.com"}
    new = dict(rows[-1], data={**rows[-1]["data"], "id": "00000000-0000-4000-8000-000000000001"})
    path = tmp_path / "lever-now.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in [*rows, new]))
    return path


def test_a_mirror_that_matches_the_source_is_consistent(hub: Hub, capsys: pytest.CaptureFixture[str]) -> None:
    assert hub.run(mapping=LEVER).status == "succeeded"
    code, report = audit(capsys, str(hub.file(mapping=LEVER)), "--db", str(hub.db))
    assert code == 0
    assert report["consistent"] is True
    assert [(s["stream"], s["in_source"], s["in_mirror"]) for s in report["streams"]] == [
        ("applications", 5, 5),
        ("candidates", 3, 3),
        ("jobs", 2, 2),
        ("opportunities", 5, 5),
        ("placements", 1, 1),
        ("submissions", 5, 5),
    ]


def test_drift_is_counted_per_stream_with_examples_and_exit_code_1(
    hub: Hub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert hub.run(mapping=LEVER).status == "succeeded"
    now = hub.file(records=drifted_lever_records(tmp_path), mapping=LEVER)
    code, report = audit(capsys, str(now), "--db", str(hub.db))
    assert code == 1
    assert report["consistent"] is False
    by_stream = {s["stream"]: s for s in report["streams"]}
    assert by_stream["opportunities"] == {
        "stream": "opportunities",
        "in_source": 5,
        "in_mirror": 5,
        "missing": 1,
        "extra": 1,
        "changed": 1,
        "examples": {
            "missing": ["00000000-0000-4000-8000-000000000001"],
            "extra": ["a739d309-dfae-408d-a316-7f06fcd9150f"],
            "changed": ["9ea413b6-432a-4806-a6cb-683e55dda4c2"],
        },
    }
    # The standard stream made from it drifts the same way (the headline is not mapped: no change there).
    assert (by_stream["submissions"]["missing"], by_stream["submissions"]["extra"]) == (1, 1)
    assert by_stream["submissions"]["changed"] == 0
    assert by_stream["applications"]["missing"] + by_stream["applications"]["extra"] == 0
    # The report's drift chart reads the recorded outcome.
    assert hub.query(
        "SELECT stream, missing, extra, changed FROM mirror_audits WHERE stream = 'opportunities'"
    ) == [("opportunities", 1, 1, 1)]


def test_an_audit_of_a_connection_that_never_ran_exits_2_saying_what_to_do(
    hub: Hub, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["audit", str(hub.file(mapping=LEVER)), "--db", str(hub.db)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"connection replay has never run: there is no run history at {hub.db}." in err
    assert "Run `staffwire sync" in err


def test_an_audit_without_a_mirror_exits_2(hub: Hub, capsys: pytest.CaptureFixture[str]) -> None:
    assert hub.run(mapping=LEVER, mirror=None).status == "succeeded"
    code = main(["audit", str(hub.file(mapping=LEVER, mirror=None)), "--db", str(hub.db)])
    assert code == 2
    assert f"has never landed a run in the mirror at {hub.mirror}" in capsys.readouterr().err


def test_an_audit_whose_source_fails_exits_2(
    hub: Hub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert hub.run(mapping=LEVER).status == "succeeded"
    code = main(["audit", str(hub.file(records=tmp_path / "gone.jsonl", mapping=LEVER)), "--db", str(hub.db)])
    assert code == 2
    assert "could not be read for the audit" in capsys.readouterr().err


def _ats(tmp_path: Path, name: str, system: str, stage: dict[str, str]) -> Path:
    """A tiny ATS export: one candidate, one job, two submissions whose stages are given."""
    rows = [
        {"stream": "people", "data": {"id": "p1", "email": " Ada@Example.org", "updated": "2024-01-01"}},
        {"stream": "people", "data": {"id": "p2", "email": "grace@example.org", "updated": "2024-01-01"}},
        {"stream": "reqs", "data": {"id": "r1", "title": "Forklift Operator ", "updated": "2024-01-01"}},
        {
            "stream": "apps",
            "data": {
                "id": f"{system}-a1",
                "person": "p1",
                "req": "r1",
                "stage": stage["p1"],
                "updated": "2024-01-02",
            },
        },
        {
            "stream": "apps",
            "data": {
                "id": f"{system}-a2",
                "person": "p2",
                "req": "r1",
                "stage": stage["p2"],
                "updated": "2024-01-02",
            },
        },
    ]
    path = tmp_path / f"{name}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def ats_mapping(system: str) -> dict[str, Any]:
    return {
        "system": system,
        "mappings": {
            "candidates": {
                "standard": "candidates",
                "source": "people",
                "fields": {"remote_id": "id", "email": {"path": "email", "transforms": ["email"]}},
            },
            "jobs": {
                "standard": "jobs",
                "source": "reqs",
                "fields": {"remote_id": "id", "title": {"path": "title", "transforms": ["trim"]}},
            },
            "submissions": {
                "standard": "submissions",
                "source": "apps",
                "fields": {
                    "remote_id": "id",
                    "candidate_id": {"path": "person", "transforms": [{"prefix": f"{system}:"}]},
                    "job_id": {"path": "req", "transforms": [{"prefix": f"{system}:"}]},
                    "stage": "stage",
                },
            },
        },
    }


def test_stage_drift_between_the_internal_ats_and_the_clients_ats_is_listed(
    hub: Hub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    streams = {s: {"primary_key": "id", "cursor": "updated"} for s in ("people", "reqs", "apps")}
    files = {}
    for name, system, stages in (
        ("internal", "ours", {"p1": "interview", "p2": "offer"}),
        ("client", "theirs", {"p1": "interview", "p2": "rejected"}),
    ):
        mapping = {"document": ats_mapping(system)}
        records = _ats(tmp_path, name, system, stages)
        result = hub.run(name=name, records=records, streams=streams, mapping=mapping)
        assert result.status == "succeeded", result.error
        files[name] = hub.file(name=name, records=records, streams=streams, mapping=mapping)
    code, report = audit(capsys, str(files["internal"]), "--db", str(hub.db), "--against", "client")
    assert code == 1
    assert all(s["missing"] + s["extra"] + s["changed"] == 0 for s in report["streams"])
    assert report["stage_drift"] == [
        {
            "submission": "ours:ours-a2",
            "stage": "offer",
            "other_submission": "theirs:theirs-a2",
            "other_stage": "rejected",
            "candidate_email": "grace@example.org",
            "job_title": "forklift operator",
        }
    ]
    assert yaml.safe_load(files["client"].read_text())["name"] == "client"
    # The report's stage reconciliation rate: of the two matched submissions, one agrees.
    figures = tmp_path / "kpis.json"
    args = ["--connection", "internal", "--against", "client", "--out", str(tmp_path / "kpis.html")]
    assert main(["report", "--db", str(hub.db), *args, "--json", str(figures)]) == 0
    rate = json.loads(figures.read_text())["kpis"]["stage_reconciliation_rate"]
    assert (rate["value"], rate["numerator"], rate["denominator"]) == (0.5, 1, 2)
