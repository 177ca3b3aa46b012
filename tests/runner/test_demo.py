"""staffwire demo, end to end: Bullhorn and Wingspan sandboxes on loopback, two syncs, exact outcome."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from destination_wingspan.sandbox import DEMO_TOKEN, WingspanSandbox
from source_bullhorn.sandbox import BullhornSandbox
from staffwire.runner import StateStore
from staffwire.runner.demo import run_demo

FIRST_REJECTION = (
    "no Wingspan contractor has external id bullhorn:152: the worker was never written as a contractor (is the "
    "candidate's status a contractor trigger, and is the candidates stream in the sync?)"
)


@pytest.fixture
def sandboxes() -> Iterator[tuple[BullhornSandbox, WingspanSandbox]]:
    with BullhornSandbox(seed=7, candidates=200) as bullhorn, WingspanSandbox() as wingspan:
        yield bullhorn, wingspan


def test_the_demo_syncs_everything_then_only_the_changes(
    sandboxes: tuple[BullhornSandbox, WingspanSandbox], tmp_path: Path
) -> None:
    bullhorn, wingspan = sandboxes
    out = io.StringIO()

    outcome = run_demo(db=tmp_path / "demo.db", out=out, sandboxes=sandboxes)

    assert outcome.succeeded
    first, second = outcome.steps
    assert {k: v["records_read"] for k, v in first.result.streams.items()} == {
        "candidates": 200,
        "placements": 43,
    }
    assert (first.contractors_created, first.payables_created) == (32, 32)
    assert len(first.result.rejected_records) == 11
    assert first.result.rejected_records[0]["record_id"] == "bullhorn:25"
    assert first.result.rejected_records[0]["reasons"][0]["message"] == FIRST_REJECTION
    assert outcome.changes == [
        "candidate 1 (Jennifer Novak) was placed: new placement 44, status Placed",
        "candidate 2 (Chloe Robinson) changed status to Placed",
        "candidate 190 (Omar Perez) was deleted (soft delete)",
    ]
    assert {k: v["records_read"] for k, v in second.result.streams.items()} == {
        "candidates": 3,
        "placements": 1,
    }
    assert (second.contractors_created, second.payables_created) == (2, 1)
    # the soft-deleted candidate 190 was a contractor: the delete reaches Wingspan as Inactive
    assert (first.contractors_deactivated, second.contractors_deactivated) == (0, 1)
    assert [c["externalId"] for c in wingspan.contractors() if c["status"] == "Inactive"] == ["bullhorn:190"]
    assert second.result.rejected_records == []
    # exactly once: one contractor per placed candidate, one payable per hourly placement
    external_ids = [c["externalId"] for c in wingspan.contractors()]
    assert len(external_ids) == len(set(external_ids)) == 34
    assert {"bullhorn:1", "bullhorn:2"} <= set(external_ids)
    references = [p["bulkPayableItemReference"] for p in wingspan.payables()]
    assert len(references) == len(set(references)) == 33
    assert references[-1] == "placement:bullhorn:44:week1"

    text = out.getvalue()
    assert (
        "  read from Bullhorn: candidates 200, placements 43\n  created in Wingspan: 32 contractors, 32 payables\n"
        "  rejected: 11 records\n" in text
    )
    assert f"    placements bullhorn:25: {FIRST_REJECTION}\n" in text
    assert "    ... and 6 more: staffwire runs show 1 lists them all\n" in text
    assert (
        "  read from Bullhorn: candidates 3, placements 1\n"
        "  created in Wingspan: 2 contractors, 1 payable; set Inactive: 1 contractor\n"
        "  rejected: none\n" in text
    )
    assert DEMO_TOKEN not in text and bullhorn.PASSWORD not in text and bullhorn.CLIENT_SECRET not in text

    store = StateStore(tmp_path / "demo.db")
    try:
        assert [(r["id"], r["status"], r["records_read"], r["records_rejected"]) for r in store.runs()] == [
            (2, "succeeded", 4, 0),
            (1, "succeeded", 243, 11),
        ]
    finally:
        store.close()


def test_staffwire_demo_exits_0_and_prints_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from staffwire.cli import main

    monkeypatch.setenv("STAFFWIRE_DB", str(tmp_path / "runner" / "staffwire.db"))
    assert main(["demo", "--json"]) == 0
    outcome = json.loads(capsys.readouterr().out)
    assert outcome["succeeded"] is True
    assert [
        (s["contractors_created"], s["payables_created"], s["contractors_deactivated"])
        for s in outcome["steps"]
    ] == [(32, 32, 0), (2, 1, 1)]
    assert outcome["duration_s"] < 60
    # kept where `staffwire runs` finds it by default, with the connection file beside it
    assert outcome["db"] == str(tmp_path / "runner" / "staffwire.db")
    assert (tmp_path / "runner" / "demo" / "bullhorn-to-wingspan.yaml").is_file()
    assert main(["runs", "--json"]) == 0
    assert [(r["id"], r["status"]) for r in json.loads(capsys.readouterr().out)] == [
        (2, "succeeded"),
        (1, "succeeded"),
    ]
