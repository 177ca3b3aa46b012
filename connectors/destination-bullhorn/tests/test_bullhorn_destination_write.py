"""write: status write-back with safe writes, over real HTTP against the Bullhorn sandbox."""

from __future__ import annotations

from typing import Any

import pytest
from source_bullhorn.sandbox import BullhornSandbox

from .conftest import rejections, stats

STATUS = {
    "workers": {
        "mapping": {
            "id": "ats_id",
            "customText3": "onboarding_status",
            "status": "ats_status",
        }
    }
}
CANDIDATE = ("workers", "Candidate", "update", [["id"]])


def _workers(*pairs: tuple[str, str]) -> list[dict[str, Any]]:
    """Worker records: a ready worker's ATS status is Active; the others have none (null)."""
    return [
        {
            "id": f"wingspan:{n}",
            "ats_id": ats,
            "onboarding_status": status,
            "ats_status": "Active" if status == "ready" else None,
        }
        for n, (ats, status) in enumerate(pairs)
    ]


def test_write_back_sets_exact_values_and_the_second_round_writes_nothing(
    writeback: Any, sandbox: BullhornSandbox
) -> None:
    config = writeback.config(STATUS)
    catalog = writeback.catalog(CANDIDATE)
    records = _workers(("bullhorn:3", "ready"), ("4", "onboarding"))
    before = sandbox.rows["Candidate"][4]["status"]
    first = writeback.write(config, catalog, writeback.messages("workers", records))
    assert first.exit_code == 0
    assert stats(first) == [
        {
            "recordCount": 2.0,
            "rejectedRecordCount": 0.0,
            "createdRecordCount": 0.0,
            "updatedRecordCount": 2.0,
            "unchangedRecordCount": 0.0,
            "ignoredRecordCount": 0.0,
        }
    ]
    assert (sandbox.rows["Candidate"][3]["customText3"], sandbox.rows["Candidate"][3]["status"]) == (
        "ready",
        "Active",
    )
    # a null (no status for "onboarding") never blanks the status
    assert (sandbox.rows["Candidate"][4]["customText3"], sandbox.rows["Candidate"][4]["status"]) == (
        "onboarding",
        before,
    )
    assert [(w.method, w.entity, w.entity_id, w.fields) for w in sandbox.writes] == [
        ("POST", "Candidate", 3, ("customText3", "status")),
        ("POST", "Candidate", 4, ("customText3",)),
    ]
    second = writeback.write(config, catalog, writeback.messages("workers", records, state=2))
    assert stats(second)[0]["unchangedRecordCount"] == 2.0 and stats(second)[0]["updatedRecordCount"] == 0.0
    assert len(sandbox.writes) == 2  # no write on the second round


def test_compare_reads_are_batched_one_request_per_batch(writeback: Any, sandbox: BullhornSandbox) -> None:
    ids = sandbox.ids("Candidate", deleted=False)[:30]
    records = _workers(*[(str(i), "ready") for i in ids])
    writeback.write(
        writeback.config(STATUS, batch_size=100),
        writeback.catalog(CANDIDATE),
        writeback.messages("workers", records),
    )
    reads = [r for r in sandbox.log if r.method == "GET" and "/entity/Candidate/" in r.path]
    assert len(reads) == 1 and reads[0].path.endswith("/entity/Candidate/" + ",".join(map(str, sorted(ids))))
    assert len(sandbox.writes) == 30


def test_unknown_candidates_and_foreign_ids_are_rejected_with_reasons_and_the_rest_is_written(
    writeback: Any, sandbox: BullhornSandbox
) -> None:
    records = _workers(("bullhorn:999999", "ready"), ("zoho:55", "ready"), ("5", "ready"), ("", "ready"))
    result = writeback.write(
        writeback.config(STATUS), writeback.catalog(CANDIDATE), writeback.messages("workers", records)
    )
    assert result.exit_code == 0
    assert rejections(result) == [
        "destination-bullhorn stream 'workers': record wingspan:1 rejected: id 'zoho:55' is not a Bullhorn id "
        "(a number or bullhorn:<id>)",
        "destination-bullhorn stream 'workers': record wingspan:3 rejected: the record has no id to find its "
        "Candidate by",
        "destination-bullhorn stream 'workers': record wingspan:0 rejected: no Candidate has id 999999: nothing to "
        "update",
    ]
    assert stats(result)[0]["rejectedRecordCount"] == 3.0 and stats(result)[0]["updatedRecordCount"] == 1.0
    assert sandbox.rows["Candidate"][5]["customText3"] == "ready"


def test_a_bad_picklist_value_is_rejected_before_sending_naming_the_field_and_its_options(
    writeback: Any, sandbox: BullhornSandbox
) -> None:
    config = writeback.config({"workers": {"mapping": {"id": "ats_id", "status": "onboarding_status"}}})
    records = _workers(("6", "Onboarded"), ("7", "Placed"))
    result = writeback.write(config, writeback.catalog(CANDIDATE), writeback.messages("workers", records))
    assert rejections(result) == [
        "destination-bullhorn stream 'workers': record wingspan:0 rejected: 'Onboarded' is not an option of "
        "Candidate.status in Bullhorn (options: 'New Lead', 'Active', 'Inactive', 'Registered', 'Pre-Registered', "
        "'Placed', 'Processed', 'Screened', 'Candidate (Bio)', 'Pending', 'Active - Looking', 'KMS Entry', ...)"
    ]
    assert sandbox.rows["Candidate"][7]["status"] == "Placed"
    assert [(w.entity_id, w.fields) for w in sandbox.writes] == [(7, ("status",))]


def test_bullhorns_own_refusal_becomes_a_rejection_naming_the_field(
    writeback: Any, sandbox: BullhornSandbox
) -> None:
    config = writeback.config({"workers": {"mapping": {"id": "ats_id", "customInt1": "onboarding_status"}}})
    result = writeback.write(
        config, writeback.catalog(CANDIDATE), writeback.messages("workers", _workers(("8", "ready")))
    )
    assert rejections(result) == [
        "destination-bullhorn stream 'workers': record wingspan:0 rejected: Bullhorn refused Candidate.customInt1: "
        "INVALID_VALUE (errorCode 400: error persisting an entity of type: Candidate)"
    ]
    assert sandbox.writes == []


def test_candidates_match_by_email_whatever_its_case_and_spaces(
    writeback: Any, sandbox: BullhornSandbox
) -> None:
    email = sandbox.rows["Candidate"][9]["email"]
    config = writeback.config({"people": {"mapping": {"email": "email", "customText3": "state"}}})
    catalog = writeback.catalog(("people", "Candidate", "update", [["email"]]))
    records = [{"id": "x:1", "email": f"  {email.upper()} ", "state": "ready"}]
    result = writeback.write(config, catalog, writeback.messages("people", records))
    assert stats(result)[0]["updatedRecordCount"] == 1.0
    assert sandbox.rows["Candidate"][9]["customText3"] == "ready"
    # the email found the candidate: it is not rewritten in the input's capitals and spaces
    assert [w.fields for w in sandbox.writes] == [("customText3",)]
    assert sandbox.rows["Candidate"][9]["email"] == email


def test_owned_fields_limit_what_a_connection_writes_and_write_nulls_blanks_only_when_asked(
    writeback: Any, sandbox: BullhornSandbox
) -> None:
    sandbox.update("Candidate", 10, customText3="old", customText1="keep")
    mapping = {"id": "ats_id", "customText3": "onboarding_status", "customText1": "onboarding_status"}
    owned = writeback.config({"workers": {"mapping": mapping, "owned_fields": ["customText3"]}})
    writeback.write(
        owned, writeback.catalog(CANDIDATE), writeback.messages("workers", _workers(("10", "ready")))
    )
    assert (sandbox.rows["Candidate"][10]["customText3"], sandbox.rows["Candidate"][10]["customText1"]) == (
        "ready",
        "keep",
    )
    blank = writeback.config(
        {"workers": {"mapping": mapping, "owned_fields": ["customText3"], "write_nulls": ["customText3"]}}
    )
    writeback.write(
        blank,
        writeback.catalog(CANDIDATE),
        writeback.messages("workers", [{"id": "w", "ats_id": 10, "onboarding_status": None}]),
    )
    assert (sandbox.rows["Candidate"][10]["customText3"], sandbox.rows["Candidate"][10]["customText1"]) == (
        None,
        "keep",
    )


def test_records_outside_the_when_condition_are_counted_as_ignored(
    writeback: Any, sandbox: BullhornSandbox
) -> None:
    config = writeback.config(
        {"workers": {**STATUS["workers"], "when": {"field": "onboarding_status", "in": ["ready"]}}}
    )
    records = _workers(("11", "ready"), ("12", "invited"), ("13", "invited"))
    result = writeback.write(config, writeback.catalog(CANDIDATE), writeback.messages("workers", records))
    assert stats(result)[0]["ignoredRecordCount"] == 2.0 and stats(result)[0]["updatedRecordCount"] == 1.0
    assert [w.entity_id for w in sandbox.writes] == [11]


NOTES = {
    "notes": {
        "mapping": {
            "externalID": {"template": "staffwire:onboarded:{id}"},
            "personReference": "ats_id",
            "action": {"const": "Email"},
            "comments": {"template": "Wingspan onboarding complete on {completed_on}"},
        }
    }
}


def test_a_note_is_appended_once_and_a_rerun_finds_it_instead_of_a_second(
    writeback: Any, sandbox: BullhornSandbox
) -> None:
    catalog = writeback.catalog(("notes", "Note", "append_dedup"))
    records = [{"id": "wingspan:7", "ats_id": "bullhorn:14", "completed_on": "2026-12-01"}]
    before = len(sandbox.rows["Note"])
    first = writeback.write(writeback.config(NOTES), catalog, writeback.messages("notes", records))
    assert stats(first)[0]["createdRecordCount"] == 1.0
    created = [
        n for n in sandbox.rows["Note"].values() if n.get("externalID") == "staffwire:onboarded:wingspan:7"
    ]
    assert [(n["personReference"], n["action"], n["comments"]) for n in created] == [
        (14, "Email", "Wingspan onboarding complete on 2026-12-01")
    ]
    second = writeback.write(writeback.config(NOTES), catalog, writeback.messages("notes", records, state=2))
    assert stats(second)[0]["unchangedRecordCount"] == 1.0
    assert len(sandbox.rows["Note"]) == before + 1


JOBS = {
    "requisitions": {
        "mapping": {
            "externalID": "req_id",
            "title": "title",
            "clientCorporation": {"const": 1},
            "clientContact": {"const": 1},
            "owner": {"const": 1},
            "description": "title",
            "publicDescription": "title",
            "correlatedCustomText6": {"const": "n/a"},
            "customText10": {"const": "n/a"},
            "customDate3": "start",
            "startDate": "start",
            "durationWeeks": {"const": 13},
            "hoursOfOperation": {"const": "8 Hour Days"},
            "type": {"const": 1},
            "numOpenings": "openings",
        }
    }
}


def test_job_orders_are_created_from_requisitions_then_updated_by_their_key(
    writeback: Any, sandbox: BullhornSandbox
) -> None:
    catalog = writeback.catalog(("requisitions", "JobOrder", "append_dedup", [["externalID"]]))
    records = [{"id": "req:1", "req_id": "REQ-1", "title": "Welder", "start": "2026-12-14", "openings": 2}]
    first = writeback.write(writeback.config(JOBS), catalog, writeback.messages("requisitions", records))
    assert stats(first)[0]["createdRecordCount"] == 1.0, rejections(first)
    (job,) = [j for j in sandbox.rows["JobOrder"].values() if j.get("externalID") == "REQ-1"]
    assert (job["title"], job["numOpenings"], job["startDate"], job["clientCorporation"]) == (
        "Welder",
        2,
        1_797_206_400_000,
        1,
    )
    records[0]["openings"] = 3
    second = writeback.write(
        writeback.config(JOBS), catalog, writeback.messages("requisitions", records, state=2)
    )
    assert stats(second)[0]["updatedRecordCount"] == 1.0
    assert sandbox.rows["JobOrder"][job["id"]]["numOpenings"] == 3
    assert [(w.method, w.fields) for w in sandbox.writes][-1] == ("POST", ("numOpenings",))


def test_a_create_missing_a_field_meta_requires_is_rejected_naming_it(
    writeback: Any, sandbox: BullhornSandbox
) -> None:
    mapping = {k: v for k, v in JOBS["requisitions"]["mapping"].items() if k != "title"}
    config = writeback.config({"requisitions": {"mapping": mapping}})
    catalog = writeback.catalog(("requisitions", "JobOrder", "append_dedup", [["externalID"]]))
    records = [{"id": "req:2", "req_id": "REQ-2", "title": "Welder", "start": "2026-12-14", "openings": 1}]
    result = writeback.write(config, catalog, writeback.messages("requisitions", records))
    assert rejections(result) == [
        "destination-bullhorn stream 'requisitions': record req:2 rejected: JobOrder.title is required to create a "
        "JobOrder in Bullhorn (meta)"
    ]


@pytest.mark.parametrize(
    ("catalog", "message"),
    [
        (
            ("workers", "Worker", "update"),
            "destination-bullhorn: stream 'workers' asks for destination object 'Worker', which it does not have "
            "(its objects: Candidate, JobOrder, JobSubmission, Note, Placement; run discover to see them).",
        ),
        (
            ("workers", "Candidate", "append_dedup"),
            "destination-bullhorn: stream 'workers' asks for destination_sync_mode 'append_dedup' on object Candidate, "
            "which supports update. Change destination_sync_mode of the stream.",
        ),
        (
            ("workers", "Candidate", "update", [["phone"]]),
            "destination-bullhorn: stream 'workers' matches Candidate records by phone, which is not a matching key "
            "of Candidate (its matching keys: id, email). Fix the stream's primary_key.",
        ),
    ],
    ids=["unknown object", "unsupported mode", "unknown matching key"],
)
def test_a_catalog_asking_for_what_bullhorn_does_not_have_is_a_config_error(
    writeback: Any, sandbox: BullhornSandbox, catalog: Any, message: str
) -> None:
    result = writeback.write(
        writeback.config(STATUS),
        writeback.catalog(catalog),
        writeback.messages("workers", _workers(("3", "ready"))),
    )
    assert result.exit_code == 1
    assert [(e["failure_type"], e["message"]) for e in result.trace_errors] == [("config_error", message)]
    assert sandbox.writes == []


def test_a_mapping_into_a_read_only_field_is_a_config_error(writeback: Any, sandbox: BullhornSandbox) -> None:
    config = writeback.config({"workers": {"mapping": {"id": "ats_id", "dateAdded": "onboarding_status"}}})
    result = writeback.write(
        config, writeback.catalog(CANDIDATE), writeback.messages("workers", _workers(("3", "ready")))
    )
    assert [(e["failure_type"], e["message"]) for e in result.trace_errors] == [
        (
            "config_error",
            "streams.workers.mapping.dateAdded: Candidate.dateAdded is read-only in Bullhorn and is never written. "
            "Map the value to a writable field.",
        )
    ]
