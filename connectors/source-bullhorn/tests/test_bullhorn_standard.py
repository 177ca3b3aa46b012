"""The standard staffing streams read from the Bullhorn sandbox: ids, references, statuses, dates, deletes."""

from __future__ import annotations

from typing import Any

from source_bullhorn.sandbox import BullhornSandbox
from staffwire.standard import model_for

STANDARD = ["candidates", "jobs", "clients", "contacts", "submissions", "placements", "interviews"]


def test_every_standard_stream_maps_every_row(bullhorn: Any, sandbox: BullhornSandbox) -> None:
    result = bullhorn.read(bullhorn.config(), STANDARD)
    entity = {
        "candidates": "Candidate",
        "jobs": "JobOrder",
        "clients": "ClientCorporation",
        "contacts": "ClientContact",
        "submissions": "JobSubmission",
        "placements": "Placement",
        "interviews": "Appointment",
    }
    for stream in STANDARD:
        records = result.records(stream)
        assert sorted(int(r["remote_id"]) for r in records) == sandbox.ids(entity[stream]), stream
        for record in records:
            model_for(stream).model_validate(record)
            assert record["id"] == f"bullhorn:{record['remote_id']}"
            assert record["source_system"] == "bullhorn"
    assert not [m for m in result.log_messages() if "rejected" in m]


def test_candidates_carry_mapped_statuses_references_and_custom_fields(
    bullhorn: Any, sandbox: BullhornSandbox
) -> None:
    result = bullhorn.read(bullhorn.config(), ["candidates"])
    by_id = {int(r["remote_id"]): r for r in result.records("candidates")}
    changed = {
        int(m["data"]["remote_id"]): {c["field"] for c in m["meta"]["changes"]}
        for m in result.record_messages("candidates")
        if "meta" in m
    }
    expected = {
        "New Lead": "new",
        "New": "new",
        "Active": "active",
        "Placed": "placed",
        "Inactive": "inactive",
        "DNU": "do_not_use",
        "Registered": "active",
    }
    for cid, row in sandbox.rows["Candidate"].items():
        record = by_id[cid]
        assert (record["status"], record["original_status"]) == (expected[row["status"]], row["status"])
        assert record["owner"]["id"] == f"bullhorn:{row['owner']}"
        assert record["custom_fields"]["customText2"] == row["customText2"]
        assert record["remote_deleted_at"] == (record["remote_updated_at"] if row["isDeleted"] else None)
        assert record["email"] == (row["email"].strip().lower() or None)  # seeded with capitals and spaces
        if record["phone"] is None:  # a junk number: null, and the record's meta says so
            assert row["phone"] == "" or "phone" in changed[cid]
        else:
            assert record["phone"].startswith("+")
    one = by_id[1]
    row = sandbox.rows["Candidate"][1]
    assert one["first_name"] == row["firstName"] and one["address"]["city"] == row["address"]["city"]
    assert one["address"]["country"] == "US"
    assert sorted(one["skills"]) == sorted(sandbox.rows["Skill"][s]["name"] for s in row["primarySkills"])


def test_status_maps_from_the_config_override_the_defaults(bullhorn: Any, sandbox: BullhornSandbox) -> None:
    sandbox.update("Candidate", 2, status="Custom Hire")
    sandbox.update("Candidate", 3, status="Nobody Knows This")
    config = bullhorn.config(status_maps={"candidates": {"Custom Hire": "placed", "Active": "inactive"}})
    by_id = {int(r["remote_id"]): r for r in bullhorn.read(config, ["candidates"]).records("candidates")}
    assert (by_id[2]["status"], by_id[2]["original_status"]) == ("placed", "Custom Hire")
    assert (by_id[3]["status"], by_id[3]["original_status"]) == ("other", "Nobody Knows This")
    active = [c for c, r in sandbox.rows["Candidate"].items() if r["status"] == "Active"]
    assert {by_id[c]["status"] for c in active} == {"inactive"}


def test_placed_candidates_have_placements_with_pay_rates(bullhorn: Any, sandbox: BullhornSandbox) -> None:
    result = bullhorn.read(bullhorn.config(), ["candidates", "placements"])
    placed = {r["id"] for r in result.records("candidates") if r["status"] == "placed"}
    placements = result.records("placements")
    active = {p["candidate_id"] for p in placements if p["status"] == "active"}
    assert placed and placed <= active
    for placement in placements:
        row = sandbox.rows["Placement"][int(placement["remote_id"])]
        job = sandbox.rows["JobOrder"][row["jobOrder"]]
        assert placement["pay_rate"] == row["payRate"] and placement["bill_rate"] == row["clientBillRate"]
        assert placement["currency"] == "USD" and placement["pay_unit"] == "hour"
        assert placement["job_id"] == f"bullhorn:{job['id']}"
        assert placement["client_id"] == f"bullhorn:{job['clientCorporation']}"
        assert len(placement["start_date"]) == 10 and placement["start_date"][4] == "-"


def test_submissions_stages_and_interviews(bullhorn: Any, sandbox: BullhornSandbox) -> None:
    result = bullhorn.read(bullhorn.config(), ["submissions", "interviews"])
    stages = {
        "New Lead": "new",
        "Submitted": "submitted",
        "Client Submission": "client_submitted",
        "Interview Scheduled": "interview",
        "Offer Extended": "offer",
        "Placed": "placed",
        "Client Rejected": "rejected",
        "Candidate Rejected": "withdrawn",
        "Sales Rep Rejected": "rejected",
    }
    for record in result.records("submissions"):
        row = sandbox.rows["JobSubmission"][int(record["remote_id"])]
        assert record["stage"] == stages[row["status"]]
        assert record["candidate_id"] == f"bullhorn:{row['candidate']}"
    interview = result.records("interviews")[0]
    row = sandbox.rows["Appointment"][int(interview["remote_id"])]
    assert interview["status"] == "scheduled" and interview["type"] == row["communicationMethod"]
    assert interview["start_at"].endswith("Z")


def test_incremental_standard_read_emits_the_soft_delete(
    bullhorn: Any, helpers: Any, sandbox: BullhornSandbox
) -> None:
    import time

    config = bullhorn.config()
    first = bullhorn.read(config, ["candidates"], mode="incremental")
    sandbox.soft_delete("Candidate", 12)
    time.sleep(1.0 - time.time() % 1.0 + 0.01)
    second = bullhorn.read(config, ["candidates"], mode="incremental", state=helpers.final_state(first))
    [record] = second.records("candidates")
    assert record["id"] == "bullhorn:12" and record["remote_deleted_at"] is not None
