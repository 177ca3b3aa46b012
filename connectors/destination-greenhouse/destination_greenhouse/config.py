"""The destination's config (its spec): a Greenhouse credential (shared with source-greenhouse) plus how the agency
submits."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from source_greenhouse.config import GreenhouseCredentials

__all__ = ["GreenhouseDestinationConfig"]


class GreenhouseDestinationConfig(GreenhouseCredentials):
    """Config of destination-greenhouse. Field order is the spec's ``order``."""

    agency_name: str = Field(
        title="Agency name",
        description="The staffing agency's name as the client's Greenhouse knows it: the referrer of every "
        "submission, and the agency source looked up when source_id is empty.",
        min_length=1,
    )
    source_id: int | None = Field(
        None,
        title="Agency source ID",
        description="Id of the agency's source in the client's Greenhouse (type Agencies). Empty: the source named "
        "like agency_name.",
        ge=1,
    )
    submit_stages: list[str] = Field(
        ["client_submitted"],
        title="Stages that submit",
        description="A standard submission whose stage is one of these is submitted to the client; others are "
        "skipped (counted, not rejected).",
        min_length=1,
    )
    tags: list[str] = Field(
        ["Agency submission"],
        title="Tags",
        description="Tags added to every submitted candidate (kept once each).",
    )
    note_template: str | None = Field(
        None,
        title="Note template",
        description="A note added to the candidate on submission, e.g. 'Submitted by {agency_name} for job "
        "{job_id}' ({agency_name}, {job_id}, {candidate_id}, {id} are filled in). A record's own 'note' field wins.",
    )
    note_visibility: Literal["admin_only", "private", "public"] = Field(
        "admin_only", title="Note visibility", description="Who sees the notes in Greenhouse."
    )
    rejected_records_path: str | None = Field(
        None,
        title="Rejected records file",
        description="Also append every rejected record (with its reasons) to this JSONL file.",
    )
