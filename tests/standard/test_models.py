"""The standard models: the envelope, the enums the design lists, and strict validation of records."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from staffwire.errors import ConfigError
from staffwire.standard import (
    STANDARD_STREAM_NAMES,
    Candidate,
    CandidateStatus,
    EmploymentType,
    JobStatus,
    Payable,
    PayableStatus,
    PayUnit,
    PlacementStatus,
    SubmissionStage,
    Worker,
    WorkerOnboardingStatus,
    model_for,
)

ENVELOPE = {
    "id",
    "remote_id",
    "source_system",
    "remote_created_at",
    "remote_updated_at",
    "remote_deleted_at",
    "custom_fields",
    "remote_data",
}

DESIGN_FIELDS = {
    "candidates": "first_name last_name email phone mobile address status original_status owner source skills",
    "jobs": "title description client_id contact_id status original_status employment_type openings location "
    "pay_rate bill_rate currency start_date end_date owner",
    "clients": "name status phone website address",
    "contacts": "client_id first_name last_name email phone title status",
    "submissions": "candidate_id job_id stage original_status submitted_at",
    "placements": "candidate_id job_id client_id status original_status start_date end_date pay_rate bill_rate "
    "currency pay_unit employment_type",
    "interviews": "candidate_id job_id submission_id start_at end_at type status",
    "payables": "worker_id amount currency due_date description reference line_items status original_status "
    "paid_at",
    "workers": "candidate_id external_id email first_name last_name onboarding_status original_status "
    "requirements",
}


def test_the_stream_names_are_the_nine_standard_streams_in_design_order() -> None:
    assert STANDARD_STREAM_NAMES == (
        "candidates",
        "jobs",
        "clients",
        "contacts",
        "submissions",
        "placements",
        "interviews",
        "payables",
        "workers",
    )


@pytest.mark.parametrize("stream", STANDARD_STREAM_NAMES)
def test_every_stream_has_the_envelope_and_the_design_fields(stream: str) -> None:
    fields = set(model_for(stream).model_fields)
    assert fields >= ENVELOPE
    assert set(DESIGN_FIELDS[stream].split()) <= fields


@pytest.mark.parametrize(
    ("enum", "values"),
    [
        (CandidateStatus, "new active placed inactive do_not_use other"),
        (JobStatus, "open on_hold filled closed draft other"),
        (EmploymentType, "contract contract_to_hire permanent temporary other"),
        (SubmissionStage, "new submitted client_submitted interview offer placed rejected withdrawn other"),
        (PlacementStatus, "pending approved active completed terminated other"),
        (PayUnit, "hour day week month year fixed"),
        (PayableStatus, "draft open approved paid cancelled"),
        (WorkerOnboardingStatus, "invited onboarding ready inactive other"),
    ],
)
def test_status_enums_hold_exactly_the_design_values(enum: type, values: str) -> None:
    assert [member.value for member in enum] == values.split()  # type: ignore[attr-defined]


def test_a_minimal_record_gets_empty_defaults() -> None:
    record = Candidate(id="bullhorn:1", remote_id="1", source_system="bullhorn")
    assert record.model_dump()["custom_fields"] == {}
    assert record.skills == []
    assert record.status is None


def test_a_full_payable_validates_and_dumps_as_json_types() -> None:
    payable = Payable.model_validate(
        {
            "id": "bullhorn:p1",
            "remote_id": "p1",
            "source_system": "bullhorn",
            "worker_id": "bullhorn:123",
            "amount": 1250.5,
            "currency": "USD",
            "due_date": "2024-05-31",
            "reference": "INV-1",
            "line_items": [
                {"description": "40h", "quantity": 40, "unit": "hour", "unit_price": 31.26, "amount": 1250.5}
            ],
        }
    )
    assert payable.model_dump(mode="json")["line_items"][0]["unit_price"] == 31.26


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "hired"),  # not in the enum
        ("remote_created_at", "2024-05-01 10:00"),  # not ISO UTC with Z
        ("address", {"country": "USA"}),  # not alpha-2
        ("owner", {"id": "123"}),  # a reference must be "{system}:{id}"
        ("skills", "java"),  # a list
        ("unknown_field", "x"),  # models are closed
    ],
)
def test_a_record_with_a_wrong_value_fails_validation(field: str, value: object) -> None:
    with pytest.raises(ValidationError):
        Candidate.model_validate(
            {"id": "bullhorn:1", "remote_id": "1", "source_system": "bullhorn", field: value}
        )


def test_model_for_names_the_valid_streams_on_a_typo() -> None:
    with pytest.raises(ConfigError) as caught:
        model_for("candidate")
    assert str(caught.value) == (
        "'candidate' is not a standard stream; use one of: candidates, jobs, clients, contacts, submissions, "
        "placements, interviews, payables, workers"
    )


def test_a_worker_links_back_to_its_ats_record_and_lists_its_requirements() -> None:
    worker = Worker.model_validate(
        {
            "id": "wingspan:Pq1",
            "remote_id": "Pq1",
            "source_system": "wingspan",
            "candidate_id": "bullhorn:123",
            "external_id": "bullhorn:123",
            "email": "ada@example.com",
            "onboarding_status": "ready",
            "original_status": "Active",
            "onboarded_at": "2026-12-01T09:30:00Z",
            "requirements": [{"type": "W9", "status": "Complete", "completed": True}],
        }
    )
    dumped = worker.model_dump(mode="json")
    assert dumped["candidate_id"] == "bullhorn:123"
    assert dumped["requirements"] == [
        {"name": None, "type": "W9", "status": "Complete", "completed": True, "completed_at": None}
    ]
    with pytest.raises(ValidationError):
        Worker.model_validate({**dumped, "onboarding_status": "onboarded"})
