"""Reading input records: a standard submission (plus the candidate it names) into a :class:`Submission`.

A ``submissions`` record is the standard submission. Its Greenhouse job is ``job_id`` when it is a Greenhouse id
(``greenhouse:4012`` or ``4012``), else ``custom_fields.greenhouse_job_id`` (the internal ATS's copy of the
client's requisition keeps it). The candidate is the record's ``candidate`` object when it carries one, else the
``candidates`` record with the submission's ``candidate_id`` seen earlier in the run. Candidate fields used:
``first_name``, ``last_name``, ``email``, ``phone``, and a resume as ``resume_url`` or ``resume_content`` (Base64)
with ``resume_filename``. An optional ``note`` on the submission becomes a note on the candidate.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from typing import Any

from staffwire.errors import RecordRejected, Rejection

from destination_greenhouse.submit import Submission

__all__ = ["greenhouse_job_id", "submission_from"]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def greenhouse_job_id(record: Mapping[str, Any]) -> int | None:
    custom = record.get("custom_fields") or {}
    for value in (
        custom.get("greenhouse_job_id") if isinstance(custom, Mapping) else None,
        record.get("job_id"),
    ):
        text = str(value or "").strip()
        if text.startswith("greenhouse:"):
            text = text.removeprefix("greenhouse:")
        if text.isdigit():
            return int(text)
    return None


def submission_from(record: Mapping[str, Any], candidate: Mapping[str, Any] | None) -> Submission:
    """The submission a record asks for, or RecordRejected with every problem at once."""
    record_id = str(record.get("id") or "") or None
    reasons: list[Rejection] = []
    job_id = greenhouse_job_id(record)
    if job_id is None:
        reasons.append(
            Rejection(
                "required",
                "job_id",
                record.get("job_id"),
                f"the submission's job {record.get('job_id')!r} is not a Greenhouse job: send greenhouse:<id> as "
                "job_id or custom_fields.greenhouse_job_id",
            )
        )
    if candidate is None:
        reasons.append(
            Rejection(
                "required",
                "candidate_id",
                record.get("candidate_id"),
                f"candidate {record.get('candidate_id')} was not in this sync's candidates stream and the "
                "submission carries no candidate object",
            )
        )
        raise RecordRejected(reasons=reasons, stream="submissions", record_id=record_id)
    email = str(candidate.get("email") or "").strip().lower()
    if not _EMAIL.match(email):
        reasons.append(
            Rejection(
                "required",
                "email",
                candidate.get("email"),
                "the candidate has no valid email: Greenhouse candidates are matched by email, so a submission "
                "needs one",
            )
        )
    names = {k: str(candidate.get(k) or "").strip() for k in ("first_name", "last_name")}
    for key, value in names.items():
        if not value:
            reasons.append(
                Rejection("required", key, None, f"the candidate has no {key} (Greenhouse requires it)")
            )
    content = candidate.get("resume_content")
    if content:
        try:
            base64.b64decode(str(content), validate=True)
        except (binascii.Error, ValueError):
            reasons.append(Rejection("format", "resume_content", None, "resume_content is not Base64"))
    if reasons:
        raise RecordRejected(reasons=reasons, stream="submissions", record_id=record_id)
    assert job_id is not None
    custom = record.get("custom_fields") or {}
    answers = (
        {k: v for k, v in custom.items() if k != "greenhouse_job_id"} if isinstance(custom, Mapping) else {}
    )
    note = record.get("note")
    return Submission(
        record_id=record_id or "",
        job_id=job_id,
        email=email,
        first_name=names["first_name"],
        last_name=names["last_name"],
        phone=str(candidate.get("phone") or "").strip() or None,
        resume_url=str(candidate.get("resume_url") or "").strip() or None,
        resume_content=str(content) if content else None,
        resume_filename=str(candidate.get("resume_filename") or "").strip() or None,
        note=str(note) if note else None,
        custom_fields=answers,
    )
