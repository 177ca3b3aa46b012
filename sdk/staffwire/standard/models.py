"""The standard staffing record models: one pydantic model per standard stream.

Usage::

    from staffwire.standard import Candidate, STANDARD_STREAMS, model_for, standard_stream_schema

    record = Candidate(id="bullhorn:1", remote_id="1", source_system="bullhorn", first_name="Ada")
    Candidate.model_validate(mapped_dict)            # validate a mapped record (tests, destinations)
    standard_stream_schema("candidates")             # the stream's draft-07 JSON Schema
    model_for("candidates") is Candidate

Every record carries the envelope of :class:`StandardRecord`. Statuses are a normalised enum next to
``original_status`` (the remote value, kept verbatim). Fields only ever get added; removing one or narrowing its
type is a breaking change that ``tests/standard`` refuses (see the committed schema snapshots).
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from staffwire.standard.types import Country, Currency, Date, DateTime, Money, Ref

__all__ = [
    "Address",
    "Candidate",
    "CandidateStatus",
    "Client",
    "ClientStatus",
    "Contact",
    "ContactStatus",
    "EmploymentType",
    "Interview",
    "InterviewStatus",
    "Job",
    "JobStatus",
    "LineItem",
    "Location",
    "Owner",
    "PayUnit",
    "Payable",
    "PayableStatus",
    "Placement",
    "PlacementStatus",
    "StandardRecord",
    "Submission",
    "SubmissionStage",
    "Worker",
    "WorkerOnboardingStatus",
    "WorkerRequirement",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


# -- status enums ---------------------------------------------------------------------------------------------


class CandidateStatus(str, Enum):
    new = "new"
    active = "active"
    placed = "placed"
    inactive = "inactive"
    do_not_use = "do_not_use"
    other = "other"


class JobStatus(str, Enum):
    open = "open"
    on_hold = "on_hold"
    filled = "filled"
    closed = "closed"
    draft = "draft"
    other = "other"


class EmploymentType(str, Enum):
    contract = "contract"
    contract_to_hire = "contract_to_hire"
    permanent = "permanent"
    temporary = "temporary"
    other = "other"


class ClientStatus(str, Enum):
    prospect = "prospect"
    active = "active"
    inactive = "inactive"
    other = "other"


class ContactStatus(str, Enum):
    active = "active"
    inactive = "inactive"
    other = "other"


class SubmissionStage(str, Enum):
    new = "new"
    submitted = "submitted"
    client_submitted = "client_submitted"
    interview = "interview"
    offer = "offer"
    placed = "placed"
    rejected = "rejected"
    withdrawn = "withdrawn"
    other = "other"


class PlacementStatus(str, Enum):
    pending = "pending"
    approved = "approved"
    active = "active"
    completed = "completed"
    terminated = "terminated"
    other = "other"


class PayUnit(str, Enum):
    hour = "hour"
    day = "day"
    week = "week"
    month = "month"
    year = "year"
    fixed = "fixed"


class InterviewStatus(str, Enum):
    scheduled = "scheduled"
    completed = "completed"
    cancelled = "cancelled"
    no_show = "no_show"
    other = "other"


class PayableStatus(str, Enum):
    draft = "draft"
    open = "open"
    approved = "approved"
    paid = "paid"
    cancelled = "cancelled"


class WorkerOnboardingStatus(str, Enum):
    invited = "invited"
    onboarding = "onboarding"
    ready = "ready"
    inactive = "inactive"
    other = "other"


# -- nested objects -------------------------------------------------------------------------------------------


class Address(_Strict):
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: Country | None = None


class Location(_Strict):
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: Country | None = None


class Owner(_Strict):
    """The remote user who owns the record (recruiter, account manager)."""

    id: Ref | None = None
    name: str | None = None


class LineItem(_Strict):
    description: str | None = None
    quantity: float | None = None
    unit: str | None = None
    unit_price: Money | None = None
    amount: Money | None = None


class WorkerRequirement(_Strict):
    """One onboarding requirement of a worker (a tax form, a signed agreement, a payout method)."""

    name: str | None = Field(default=None, description="The requirement as the remote system names it.")
    type: str | None = Field(default=None, description="The remote requirement type, e.g. W9, Signature.")
    status: str | None = Field(default=None, description="The remote status, verbatim.")
    completed: bool | None = Field(default=None, description="Whether the remote status means done.")
    completed_at: DateTime | None = Field(default=None, description="When it was completed, where known.")


# -- the envelope ---------------------------------------------------------------------------------------------


class StandardRecord(_Strict):
    """Fields every standard record has."""

    id: str = Field(pattern=r"^[a-z0-9_]+:.+$", description='"{system}:{remote_id}", e.g. "bullhorn:123".')
    remote_id: str = Field(description="The record's id in the remote system, as a string.")
    source_system: str = Field(description='The remote system, e.g. "bullhorn", "zoho_recruit".')
    remote_created_at: DateTime | None = Field(
        default=None, description="When the remote record was created (UTC)."
    )
    remote_updated_at: DateTime | None = Field(
        default=None, description="When the remote record last changed (UTC)."
    )
    remote_deleted_at: DateTime | None = Field(
        default=None, description="Set when the remote record is (soft-)deleted; the record is still emitted."
    )
    custom_fields: dict[str, Any] = Field(
        default_factory=dict, description="The remote system's custom fields, keyed by their API name."
    )
    remote_data: dict[str, Any] | None = Field(
        default=None, description="Optionally, the raw remote record this one was mapped from."
    )


# -- the streams ----------------------------------------------------------------------------------------------


class Candidate(StandardRecord):
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = Field(default=None, description="E.164, e.g. +14155550123.")
    mobile: str | None = Field(default=None, description="E.164, e.g. +14155550123.")
    address: Address | None = None
    status: CandidateStatus | None = None
    original_status: str | None = Field(default=None, description="The remote status, verbatim.")
    owner: Owner | None = None
    source: str | None = Field(
        default=None, description="Where the candidate came from (job board, referral)."
    )
    skills: list[str] = Field(default_factory=list)


class Job(StandardRecord):
    title: str | None = None
    description: str | None = None
    client_id: Ref | None = None
    contact_id: Ref | None = None
    status: JobStatus | None = None
    original_status: str | None = Field(default=None, description="The remote status, verbatim.")
    employment_type: EmploymentType | None = None
    openings: int | None = None
    location: Location | None = None
    pay_rate: Money | None = None
    bill_rate: Money | None = None
    currency: Currency | None = None
    start_date: Date | None = None
    end_date: Date | None = None
    owner: Owner | None = None


class Client(StandardRecord):
    name: str | None = None
    status: ClientStatus | None = None
    original_status: str | None = Field(default=None, description="The remote status, verbatim.")
    phone: str | None = Field(default=None, description="E.164, e.g. +14155550123.")
    website: str | None = None
    address: Address | None = None


class Contact(StandardRecord):
    client_id: Ref | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = Field(default=None, description="E.164, e.g. +14155550123.")
    title: str | None = None
    status: ContactStatus | None = None
    original_status: str | None = Field(default=None, description="The remote status, verbatim.")


class Submission(StandardRecord):
    candidate_id: Ref | None = None
    job_id: Ref | None = None
    stage: SubmissionStage | None = None
    original_status: str | None = Field(default=None, description="The remote status, verbatim.")
    submitted_at: DateTime | None = None


class Placement(StandardRecord):
    candidate_id: Ref | None = None
    job_id: Ref | None = None
    client_id: Ref | None = None
    status: PlacementStatus | None = None
    original_status: str | None = Field(default=None, description="The remote status, verbatim.")
    start_date: Date | None = None
    end_date: Date | None = None
    pay_rate: Money | None = None
    bill_rate: Money | None = None
    currency: Currency | None = None
    pay_unit: PayUnit | None = None
    employment_type: EmploymentType | None = None


class Interview(StandardRecord):
    candidate_id: Ref | None = None
    job_id: Ref | None = None
    submission_id: Ref | None = None
    start_at: DateTime | None = None
    end_at: DateTime | None = None
    type: str | None = Field(
        default=None, description="Phone, video, in person... as the remote system says."
    )
    status: InterviewStatus | None = None
    original_status: str | None = Field(default=None, description="The remote status, verbatim.")


class Payable(StandardRecord):
    worker_id: Ref | None = Field(default=None, description="The candidate (worker) to pay, a standard id.")
    amount: Money | None = None
    currency: Currency | None = None
    due_date: Date | None = None
    description: str | None = None
    reference: str | None = Field(default=None, description="Unique per payable: the idempotency key.")
    line_items: list[LineItem] = Field(default_factory=list)
    status: PayableStatus | None = None
    original_status: str | None = Field(default=None, description="The remote status, verbatim.")
    paid_at: DateTime | None = Field(default=None, description="When the payable was paid (UTC).")


class Worker(StandardRecord):
    """A contractor in a payments platform (e.g. a Wingspan payee), linked back to the ATS record that created
    it."""

    candidate_id: Ref | None = Field(
        default=None,
        description='The ATS record that created this worker, as a standard id (e.g. "bullhorn:123"); null when '
        "the stored external id is not one.",
    )
    external_id: str | None = Field(
        default=None, description="The external id the payments platform stores for the worker, verbatim."
    )
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    onboarding_status: WorkerOnboardingStatus | None = None
    original_status: str | None = Field(default=None, description="The remote status, verbatim.")
    onboarded_at: DateTime | None = Field(
        default=None, description="When the worker met every requirement (UTC), where known."
    )
    requirements: list[WorkerRequirement] = Field(default_factory=list)
