"""destination-greenhouse submits agency candidates into the client's Greenhouse over real HTTP: new candidates
with an application, existing candidates matched by email, resume, source and referrer, tags and a note; exactly
once on a rerun or after a lost answer; and every refusal a rejection that says why while the rest goes on."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from destination_greenhouse.testing import candidate, config, state, stats, submission, write
from source_greenhouse.sandbox import AGENCY_SOURCE_ID, CLOSED_JOB_ID, CUSTOM_FIELD_JOB_ID, GreenhouseSandbox

REVIEW = {"id": 101, "name": "Application Review"}


def _candidates_by_email(sandbox: GreenhouseSandbox, email: str) -> list[dict[str, Any]]:
    return [
        c
        for c in sandbox.tables["candidates"].values()
        if any(e["value"].strip().lower() == email for e in c["email_addresses"])
    ]


def test_a_new_candidate_is_created_with_an_agency_application_resume_tags_and_note(
    sandbox: GreenhouseSandbox,
) -> None:
    messages = [
        candidate(
            1,
            resume_url="https://files.agency-talent.example/cv/first1_last1.pdf",
            email=" First1.Last1@Agency-Talent.example",
        ),
        submission(1, 4001),
        state(1),
    ]
    result = write(sandbox, config(sandbox, note_template="Submitted by {agency_name} ({id})"), messages)
    assert result.exit_code == 0
    assert stats(result) == [(1.0, 0.0)]  # the state counts its own stream's records
    (person,) = _candidates_by_email(sandbox, "first1.last1@agency-talent.example")
    assert (person["first_name"], person["last_name"], person["tags"]) == (
        "First1",
        "Last1",
        ["Agency submission"],
    )
    assert person["email_addresses"] == [{"value": "first1.last1@agency-talent.example", "type": "personal"}]
    assert person["phone_numbers"] == [{"value": "(206) 555-0100", "type": "mobile"}]
    (app,) = [a for a in sandbox.tables["applications"].values() if a["candidate_id"] == person["id"]]
    assert (app["job_id"], app["source"], app["_referrer"], app["current_stage"]) == (
        4001,
        {"id": AGENCY_SOURCE_ID, "public_name": "Staffwire Staffing"},
        {"type": "outside", "value": "Staffwire Staffing"},
        REVIEW,
    )
    assert app["credited_to"]["id"] == 1002  # the user the connection acts as
    (resume,) = [a for a in sandbox.tables["attachments"].values() if a["application_id"] == app["id"]]
    assert (resume["type"], resume["filename"]) == ("resume", "first1_last1.pdf")
    (note,) = [n for n in sandbox.tables["notes"].values() if n["candidate_id"] == person["id"]]
    assert (note["body"], note["visibility"], note["user"]["id"]) == (
        "Submitted by Staffwire Staffing (bullhorn:sub1)",
        "admin_only",
        1002,
    )
    assert (
        f"submission bullhorn:sub1: created (candidate {person['id']}, application {app['id']}): created candidate "
        f"{person['id']}, created application {app['id']} on job 4001, attached the resume, added a note"
    ) in result.log_messages("INFO")


def test_an_existing_candidate_is_matched_by_email_whatever_its_case_and_spaces(
    sandbox: GreenhouseSandbox,
) -> None:
    seeded = sandbox.tables["candidates"][50004]  # '  JESSICA.Harris@Mail.Example ' as typed in Greenhouse
    before = len(sandbox.tables["candidates"])
    inline = {"first_name": "Jessica", "last_name": "Harris", "email": "jessica.harris@mail.example"}
    content = base64.b64encode(b"%PDF-1.4 resume").decode()
    inline.update(resume_content=content, resume_filename="Jessica Harris CV.pdf")
    result = write(sandbox, config(sandbox), [submission(2, 4002, candidate=inline), state(1)])
    assert result.exit_code == 0 and stats(result) == [(1.0, 0.0)]
    assert len(sandbox.tables["candidates"]) == before
    apps = [
        a
        for a in sandbox.tables["applications"].values()
        if a["candidate_id"] == 50004 and a["job_id"] == 4002
    ]
    assert len(apps) == 1
    (resume,) = [a for a in sandbox.tables["attachments"].values() if a["application_id"] == apps[0]["id"]]
    assert (resume["filename"], resume["content_type"]) == ("Jessica Harris CV.pdf", "application/pdf")
    assert seeded["tags"] == ["Agency submission"]  # added to the candidate's existing (empty) tags


def test_sending_the_same_submissions_again_changes_nothing(sandbox: GreenhouseSandbox) -> None:
    messages = [candidate(3, resume_url="https://x.example/cv3.pdf"), submission(3, 4003), state(1)]
    cfg = config(sandbox, note_template="Submitted by {agency_name}")
    write(sandbox, cfg, messages)
    counts = {t: len(sandbox.tables[t]) for t in ("candidates", "applications", "attachments", "notes")}
    sandbox.clear_log()
    again = write(sandbox, cfg, messages)
    assert again.exit_code == 0 and stats(again) == [(1.0, 0.0)]
    assert {t: len(sandbox.tables[t]) for t in counts} == counts
    assert sandbox.requests_to(r"^/v3/", "POST") == [] and sandbox.requests_to(r"^/v3/", "PATCH") == []
    assert any(m.startswith("submission bullhorn:sub3: unchanged") for m in again.log_messages("INFO"))


@pytest.mark.parametrize("what", ["candidate", "application"])
def test_a_create_whose_answer_is_lost_is_looked_up_not_repeated(
    sandbox: GreenhouseSandbox, what: str
) -> None:
    sandbox.faults.drop(rf"^/v3/{what}s$", method="POST", applied=True)
    result = write(sandbox, config(sandbox), [candidate(4), submission(4, 4004), state(1)])
    assert result.exit_code == 0 and stats(result) == [(1.0, 0.0)]
    (person,) = _candidates_by_email(sandbox, "first4.last4@agency-talent.example")
    apps = [a for a in sandbox.tables["applications"].values() if a["candidate_id"] == person["id"]]
    assert [a["job_id"] for a in apps] == [4004]
    assert len(sandbox.requests_to(rf"^/v3/{what}s$", "POST")) == 1


def test_only_submissions_in_a_submitting_stage_are_sent(sandbox: GreenhouseSandbox) -> None:
    messages = [
        candidate(5),
        submission(5, 4001, stage="interview"),
        submission(6, 4001, candidate_n=5, stage="new"),
    ]
    result = write(sandbox, config(sandbox), [*messages, state(1)])
    assert stats(result) == [(2.0, 0.0)]
    assert _candidates_by_email(sandbox, "first5.last5@agency-talent.example") == []
    assert "Greenhouse submissions: skipped 2" in result.log_messages("INFO")


def test_refusals_are_rejections_that_say_why_and_the_rest_is_submitted(sandbox: GreenhouseSandbox) -> None:
    twin = dict(sandbox.tables["candidates"][50001], id=59999)  # Greenhouse does not dedupe by email
    sandbox.tables["candidates"][59999] = twin
    twin_email = twin["email_addresses"][0]["value"]
    messages = [
        candidate(7),
        candidate(8, email="not-an-email"),
        submission(7, CLOSED_JOB_ID),
        submission(8, 4999, candidate_n=7),
        submission(9, CUSTOM_FIELD_JOB_ID, candidate_n=7),
        submission(10, 4001, candidate={"first_name": "Twin", "last_name": "Person", "email": twin_email}),
        submission(11, 4001, candidate_n=8),
        submission(12, "bullhorn:77", candidate_n=7),
        submission(13, 4002, candidate_n=99),
        submission(14, 4006, candidate_n=7),
        state(1),
    ]
    result = write(sandbox, config(sandbox), messages)
    assert result.exit_code == 0
    assert stats(result) == [(8.0, 7.0)]
    warnings = result.log_messages("WARN")
    prefix = "destination-greenhouse stream 'submissions': record "
    assert warnings == [
        prefix + f"bullhorn:sub7 rejected: job {CLOSED_JOB_ID} is closed",
        prefix + "bullhorn:sub8 rejected: job 4999 does not exist in Greenhouse",
        prefix
        + "bullhorn:sub9 rejected: Greenhouse refused the submission: a required custom field is missing: "
        f"Work Authorization (job {CUSTOM_FIELD_JOB_ID})",
        prefix
        + f"bullhorn:sub10 rejected: 2 Greenhouse candidates share the email {twin_email} (ids 50001, 59999): "
        "merge them in Greenhouse, then send the submission again",
        prefix
        + "bullhorn:sub11 rejected: the candidate has no valid email: Greenhouse candidates are matched by "
        "email, so a submission needs one",
        prefix + "bullhorn:sub12 rejected: the submission's job 'bullhorn:77' is not a Greenhouse job: send "
        "greenhouse:<id> as job_id or custom_fields.greenhouse_job_id",
        prefix
        + "bullhorn:sub13 rejected: candidate bullhorn:99 was not in this sync's candidates stream and the "
        "submission carries no candidate object",
    ]
    (person,) = _candidates_by_email(sandbox, "first7.last7@agency-talent.example")
    apps = [a["job_id"] for a in sandbox.tables["applications"].values() if a["candidate_id"] == person["id"]]
    assert apps == [4006]  # the one good submission went through


def test_a_required_custom_field_given_on_the_submission_is_passed_on(sandbox: GreenhouseSandbox) -> None:
    messages = [
        candidate(15),
        submission(15, CUSTOM_FIELD_JOB_ID, custom_fields={"work_authorization": "US citizen"}),
    ]
    result = write(sandbox, config(sandbox), [*messages, state(1)])
    assert stats(result) == [(1.0, 0.0)]
    (app,) = [a for a in sandbox.tables["applications"].values() if a["job_id"] == CUSTOM_FIELD_JOB_ID]
    assert app["custom_fields"] == {"work_authorization": "US citizen"}
