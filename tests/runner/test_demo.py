"""staffwire demo, end to end: Bullhorn and Wingspan sandboxes on loopback, two syncs to Wingspan, onboarding in
Wingspan, the write-back to Bullhorn (status field and Note), and a final run of every connection that writes
nothing: exact outcome."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from destination_wingspan.sandbox import DEMO_TOKEN, WingspanSandbox
from source_bullhorn.sandbox import BullhornSandbox
from staffwire.py310 import datetime_fromisoformat
from staffwire.runner import StateStore
from staffwire.runner.demo import run_demo

FORWARD, STATUS, NOTES = "bullhorn-to-wingspan-demo", "wingspan-to-bullhorn", "wingspan-to-bullhorn-notes"
ONBOARDED = ["bullhorn:1", "bullhorn:2", "bullhorn:7", "bullhorn:8", "bullhorn:9"]
GONE_REJECTION = "no Candidate has id 190: nothing to update"
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
    first, second, final = outcome.steps
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
        "  read from Bullhorn: candidates 200, placements 43\n"
        "  created in Wingspan: 32 contractors, 32 payables; 100 writes sent\n"
        "  rejected: 11 records\n" in text
    )
    assert f"    placements bullhorn:25: {FIRST_REJECTION}\n" in text
    assert "    ... and 6 more: staffwire runs show 1 lists them all\n" in text
    assert (
        "  read from Bullhorn: candidates 3, placements 1\n"
        "  created in Wingspan: 2 contractors, 1 payable; set Inactive: 1 contractor; 9 writes sent\n"
        "  rejected: none\n" in text
    )

    # the loop: five contractors finish onboarding in Wingspan; their status and a Note go back to Bullhorn
    assert outcome.onboarded == ONBOARDED
    status, notes, final_status, final_notes = outcome.write_back
    assert [s.result.connection for s in outcome.write_back] == [STATUS, NOTES, STATUS, NOTES]
    assert status.result.streams == {
        "workers": {
            "records_read": 34,
            "records_written": 33,
            "records_rejected": 1,
            "states_committed": 1,
            "status": "COMPLETE",
            "records_created": 0,
            "records_updated": 33,
            "records_unchanged": 0,
            "records_ignored": 0,
        }
    }
    payee = {c["externalId"]: c["payeeId"] for c in wingspan.contractors()}
    # candidate 190 was deleted in Bullhorn: its (now Inactive) contractor finds no candidate to update
    assert [(r["record_id"], r["reasons"][0]["message"]) for r in status.result.rejected_records] == [
        (f"wingspan:{payee['bullhorn:190']}", GONE_REJECTION)
    ]
    assert (status.candidates_updated, status.notes_created, status.bullhorn_writes) == (33, 0, 33)
    assert notes.result.streams["workers"] | {"states_committed": 1} == {
        "records_read": 34,
        "records_written": 5,
        "records_rejected": 0,
        "states_committed": 1,
        "status": "COMPLETE",
        "records_created": 5,
        "records_updated": 0,
        "records_unchanged": 0,
        "records_ignored": 29,
    }
    assert (notes.candidates_updated, notes.notes_created, notes.bullhorn_writes) == (0, 5, 5)
    candidates = bullhorn.rows["Candidate"]
    linked = [int(external_id.split(":")[1]) for external_id in payee if external_id != "bullhorn:190"]
    assert Counter(candidates[i]["customText3"] for i in linked) == {"invited": 28, "ready": 5}
    assert sorted(i for i in linked if candidates[i]["customText3"] == "ready") == [1, 2, 7, 8, 9]

    def completed(external_id: str) -> str:
        """When the sandbox completed the contractor's onboarding, in ISO 8601 UTC as source-wingspan writes it."""
        at = wingspan.find_contractor(external_id)["_events"]["payoutMethodFirstAddedAt"]
        return datetime_fromisoformat(at).isoformat().replace("+00:00", "Z")

    written_notes = [
        (n["externalID"], n["personReference"], n["action"], n["comments"])
        for n in bullhorn.rows["Note"].values()
        if str(n.get("externalID")).startswith("onboarded:")
    ]
    assert sorted(written_notes, key=lambda n: n[1]) == [
        (
            f"onboarded:wingspan:{payee[external_id]}",
            int(external_id.split(":")[1]),
            "Email",
            f"Wingspan onboarding complete on {completed(external_id)}",
        )
        for external_id in ONBOARDED
    ]
    # the final run of every connection changes nothing: the Bullhorn -> Wingspan connection reads back the 33
    # candidates the write-back touched (and, within source-bullhorn's 5-minute lookback, candidate 190 and
    # placement 44 again) and writes nothing to Wingspan; the Wingspan -> Bullhorn connections read nothing new
    assert {k: v["records_read"] for k, v in final.result.streams.items()} == {
        "candidates": 34,
        "placements": 1,
    }
    assert (
        final.contractors_created,
        final.payables_created,
        final.contractors_deactivated,
        final.wingspan_writes,
    ) == (0, 0, 0, 0)
    for step in (final_status, final_notes):
        assert step.result.succeeded and step.result.streams["workers"]["records_read"] == 0
        assert (step.candidates_updated, step.notes_created, step.bullhorn_writes) == (0, 0, 0)
    assert (
        "In Wingspan, 5 contractors finished onboarding (the sandbox's admin switch): bullhorn:1, bullhorn:2, "
        "bullhorn:7, bullhorn:8, bullhorn:9\n"
        "  connections back: wingspan-to-bullhorn.yaml, wingspan-to-bullhorn-notes.yaml" in text
    )
    assert (
        "  read from Wingspan: workers 34\n"
        "  in Bullhorn: 33 candidates updated (customText3); unchanged 0, ignored 0; 33 writes sent\n"
        "  rejected: 1 record\n"
        f"    workers wingspan:{payee['bullhorn:190']}: {GONE_REJECTION}\n" in text
    )
    assert (
        "  read from Wingspan: workers 34\n"
        "  in Bullhorn: 5 notes created; unchanged 0, ignored 29; 5 writes sent\n  rejected: none\n" in text
    )
    assert (
        "  read from Bullhorn: candidates 34, placements 1\n"
        "  created in Wingspan: 0 contractors, 0 payables; 0 writes sent\n  rejected: none\n" in text
    )
    assert (
        text.count(
            "  read from Wingspan: workers 0\n"
            "  in Bullhorn: nothing written; unchanged 0, ignored 0; 0 writes sent\n  rejected: none\n"
        )
        == 2
    )
    assert DEMO_TOKEN not in text and bullhorn.PASSWORD not in text and bullhorn.CLIENT_SECRET not in text

    store = StateStore(tmp_path / "demo.db")
    try:
        assert [
            (r["id"], r["connection"], r["status"], r["records_read"], r["records_rejected"])
            for r in store.runs()
        ] == [
            (7, NOTES, "succeeded", 0, 0),
            (6, STATUS, "succeeded", 0, 0),
            (5, FORWARD, "succeeded", 35, 0),
            (4, NOTES, "succeeded", 34, 0),
            (3, STATUS, "succeeded", 34, 1),
            (2, FORWARD, "succeeded", 4, 0),
            (1, FORWARD, "succeeded", 243, 11),
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
    ] == [(32, 32, 0), (2, 1, 1), (0, 0, 0)]
    assert [s["wingspan_writes"] for s in outcome["steps"]][-1] == 0
    assert outcome["onboarded"] == ONBOARDED
    assert [
        (s["candidates_updated"], s["notes_created"], s["bullhorn_writes"]) for s in outcome["write_back"]
    ] == [(33, 0, 33), (0, 5, 5), (0, 0, 0), (0, 0, 0)]
    assert outcome["duration_s"] < 60
    # kept where `staffwire runs` finds it by default, with the connection file beside it
    assert outcome["db"] == str(tmp_path / "runner" / "staffwire.db")
    assert (tmp_path / "runner" / "demo" / "bullhorn-to-wingspan.yaml").is_file()
    assert main(["runs", "--json"]) == 0
    # the seven syncs of the three connections (both ways), newest first
    assert [(r["id"], r["status"]) for r in json.loads(capsys.readouterr().out)] == [
        (n, "succeeded") for n in range(7, 0, -1)
    ]
    assert sorted(p.name for p in (tmp_path / "runner" / "demo").glob("*.yaml")) == [
        "bullhorn-to-wingspan.yaml",
        "wingspan-to-bullhorn-notes.yaml",
        "wingspan-to-bullhorn.yaml",
    ]
