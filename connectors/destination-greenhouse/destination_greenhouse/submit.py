"""One agency submission into the client's Greenhouse, exactly once.

Greenhouse does not dedupe candidates by email and its creates are not idempotent, so every step looks before it
writes, and a create whose answer was lost (the connection dropped after the request went out, or the process was
killed) is looked up again before it is retried:

1. the job: ``GET /v3/jobs/{id}``: a job that does not exist or is not open rejects the submission;
2. the candidate: ``GET /v3/candidates?email=`` (case-insensitive); none: ``POST /v3/candidates``; two or more: the
   submission is rejected (Greenhouse holds duplicates that a person must merge first);
3. the application: ``GET /v3/applications?candidate_ids=``; one on this job already: nothing to do; else
   ``POST /v3/applications`` with the agency's source and the agency as referrer;
4. the resume: ``GET /v3/attachments?application_ids=``; a resume with the same file name already: skipped; else
   ``POST /v3/attachments`` with the URL or the Base64 content;
5. tags (``PATCH /v3/candidates/{id}``, only the missing ones) and the note (``GET /v3/notes?candidate_ids=``,
   posted only when the same text is not there yet).

Every refusal becomes a rejection saying why ("job 4012 is closed", "a required custom field is missing: Work
Authorization", "the API credential lacks the scope harvest:applications:create ...").
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from source_greenhouse.api import GreenhouseApi, GreenhouseRefusal
from staffwire.errors import ConfigError, RecordRejected, Rejection, TransientError

from destination_greenhouse.config import GreenhouseDestinationConfig

__all__ = ["Outcome", "Submission", "Submitter", "reject"]

_log = logging.getLogger("destination_greenhouse")
T = TypeVar("T")
LOST_ANSWER_ATTEMPTS = 3


@dataclass
class Submission:
    """What one submission record asks for, read and checked by :mod:`destination_greenhouse.records`."""

    record_id: str
    job_id: int
    email: str
    first_name: str
    last_name: str
    phone: str | None = None
    resume_url: str | None = None
    resume_content: str | None = None
    resume_filename: str | None = None
    note: str | None = None
    custom_fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    """What a submission did: ``created`` (a new application), ``unchanged`` (it was there) plus the details."""

    result: str
    candidate_id: int
    application_id: int
    steps: list[str] = field(default_factory=list)


def reject(record_id: str | None, rule: str, message: str, field_name: str | None = None) -> RecordRejected:
    return RecordRejected(
        reasons=[Rejection(rule=rule, field=field_name, message=message)],
        stream="submissions",
        record_id=record_id,
    )


class Submitter:
    def __init__(self, api: GreenhouseApi, config: GreenhouseDestinationConfig, source_id: int) -> None:
        self.api = api
        self.config = config
        self.source_id = source_id
        self._jobs: dict[int, dict[str, Any] | None] = {}

    def submit(self, sub: Submission) -> Outcome:
        """Submit, or raise RecordRejected saying why not. Config errors other than a missing scope propagate."""
        try:
            return self._submit(sub)
        except GreenhouseRefusal as refusal:
            raise reject(sub.record_id, "greenhouse", _why(refusal, sub)) from None
        except ConfigError as exc:
            if exc.status == 403:  # a missing scope: this record cannot be written, the others may
                raise reject(sub.record_id, "greenhouse.scope", exc.message) from None
            raise

    def _submit(self, sub: Submission) -> Outcome:
        job = self.job(sub.job_id)
        if job is None:
            raise reject(
                sub.record_id, "greenhouse.job", f"job {sub.job_id} does not exist in Greenhouse", "job_id"
            )
        if job.get("status") != "open":
            raise reject(
                sub.record_id, "greenhouse.job", f"job {sub.job_id} is {job.get('status')}", "job_id"
            )
        steps: list[str] = []
        candidate = self._once(
            lambda: self._find_candidate(sub), lambda: self._create_candidate(sub), "candidate"
        )
        cid = int(candidate["id"])
        if candidate.pop("_created", False):
            steps.append(f"created candidate {cid}")
        existing = self._find_application(cid, sub.job_id)
        result = "unchanged"
        if existing is None:
            existing = self._once(
                lambda: self._find_application(cid, sub.job_id),
                lambda: self._create_application(cid, sub),
                "application",
            )
            result = "created"
            steps.append(f"created application {existing['id']} on job {sub.job_id}")
        aid = int(existing["id"])
        if (sub.resume_url or sub.resume_content) and self._add_resume(aid, sub):
            steps.append("attached the resume")
        tagged = self._add_tags(candidate)
        if tagged:
            steps.append("tagged " + ", ".join(tagged))
        if self._add_note(cid, sub):
            steps.append("added a note")
        return Outcome(result, cid, aid, steps)

    # ------------------------------------------------------------------------------------------ lookups
    def job(self, job_id: int) -> dict[str, Any] | None:
        if job_id not in self._jobs:
            try:
                self._jobs[job_id] = self.api.call("GET", f"/jobs/{job_id}")[1]
            except GreenhouseRefusal as refusal:
                if refusal.status != 404:
                    raise
                self._jobs[job_id] = None
        return self._jobs[job_id]

    def _find_candidate(self, sub: Submission) -> dict[str, Any] | None:
        found = self.api.get("/candidates", email=sub.email, per_page=2)
        if isinstance(found, list) and len(found) > 1:
            ids = ", ".join(str(c.get("id")) for c in found)
            raise reject(
                sub.record_id,
                "greenhouse.duplicate_candidate",
                f"{len(found)} Greenhouse candidates share the email {sub.email} (ids {ids}): merge them in "
                "Greenhouse, then send the submission again",
                "email",
            )
        return found[0] if found else None

    def _find_application(self, candidate_id: int, job_id: int) -> dict[str, Any] | None:
        apps = self.api.get("/applications", candidate_ids=str(candidate_id), per_page=500)
        return next((a for a in apps or [] if a.get("job_id") == job_id), None)

    # ------------------------------------------------------------------------------------------ creates
    def _once(self, find: Callable[[], T | None], create: Callable[[], T], what: str) -> T:
        """``find()``, else ``create()``; a create whose answer is lost is looked up again before it is retried."""
        for attempt in range(1, LOST_ANSWER_ATTEMPTS + 1):
            found = find()
            if found is not None:
                return found
            try:
                return create()
            except TransientError as exc:
                if attempt == LOST_ANSWER_ATTEMPTS:
                    raise
                _log.info("Greenhouse: the answer to creating the %s was lost (%s); looking it up", what, exc)
        raise AssertionError("unreachable")  # pragma: no cover

    def _create_candidate(self, sub: Submission) -> dict[str, Any]:
        body: dict[str, Any] = {
            "first_name": sub.first_name,
            "last_name": sub.last_name,
            "email_addresses": [{"value": sub.email, "type": "personal"}],
            "phone_numbers": [{"value": sub.phone, "type": "mobile"}] if sub.phone else [],
            "tags": list(dict.fromkeys(self.config.tags)),
        }
        created = dict(self.api.call("POST", "/candidates", json=body)[1])
        created["_created"] = True
        return created

    def _create_application(self, candidate_id: int, sub: Submission) -> dict[str, Any]:
        body: dict[str, Any] = {
            "candidate_id": candidate_id,
            "job_id": sub.job_id,
            "source_id": self.source_id,
            "referrer": {"type": "outside", "value": self.config.agency_name},
        }
        if sub.custom_fields:
            body["custom_fields"] = dict(sub.custom_fields)
        return dict(self.api.call("POST", "/applications", json=body)[1])

    def _add_resume(self, application_id: int, sub: Submission) -> bool:
        filename = sub.resume_filename or _filename(sub)
        existing = self.api.get("/attachments", application_ids=str(application_id), per_page=500) or []
        if any(a.get("type") == "resume" and a.get("filename") == filename for a in existing):
            return False
        body: dict[str, Any] = {"application_id": application_id, "filename": filename, "type": "resume"}
        if sub.resume_content:
            body["content"] = sub.resume_content
            body["content_type"] = _content_type(filename)
        else:
            body["url"] = sub.resume_url
        self._once(
            lambda: self._resume_there(application_id, filename),
            lambda: self.api.call("POST", "/attachments", json=body)[1],
            "resume",
        )
        return True

    def _resume_there(self, application_id: int, filename: str) -> dict[str, Any] | None:
        existing = self.api.get("/attachments", application_ids=str(application_id), per_page=500) or []
        return next(
            (a for a in existing if a.get("type") == "resume" and a.get("filename") == filename), None
        )

    def _add_tags(self, candidate: Mapping[str, Any]) -> list[str]:
        have = list(candidate.get("tags") or [])
        missing = [t for t in dict.fromkeys(self.config.tags) if t not in have]
        if missing:
            self.api.call("PATCH", f"/candidates/{candidate['id']}", json={"tags": have + missing})
        return missing

    def _add_note(self, candidate_id: int, sub: Submission) -> bool:
        text = sub.note
        if text is None and self.config.note_template:
            text = self.config.note_template.format_map(
                _Blank(
                    agency_name=self.config.agency_name,
                    job_id=sub.job_id,
                    candidate_id=candidate_id,
                    id=sub.record_id,
                )
            )
        if not text:
            return False
        notes = self.api.get("/notes", candidate_ids=str(candidate_id), per_page=500) or []
        if any(n.get("body") == text for n in notes):
            return False
        body = {"candidate_id": candidate_id, "body": text, "visibility": self.config.note_visibility}
        self._once(
            lambda: next(
                (
                    n
                    for n in self.api.get("/notes", candidate_ids=str(candidate_id), per_page=500) or []
                    if n.get("body") == text
                ),
                None,
            ),
            lambda: self.api.call("POST", "/notes", json=body)[1],
            "note",
        )
        return True


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def _filename(sub: Submission) -> str:
    if sub.resume_url:
        tail = sub.resume_url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        if "." in tail:
            return tail
    return f"{sub.first_name}_{sub.last_name}_Resume.pdf".replace(" ", "_")


def _content_type(filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower()
    return {
        "pdf": "application/pdf",
        "doc": "application/msword",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "txt": "text/plain",
        "rtf": "application/rtf",
    }.get(ext, "application/octet-stream")


def _why(refusal: GreenhouseRefusal, sub: Submission) -> str:
    """Greenhouse's 404/422 messages in the user's words."""
    texts = []
    for message in refusal.messages:
        lower = message.lower()
        if lower.startswith("missing required custom field"):
            label = message.split(":", 1)[1].strip() if ":" in message else ""
            texts.append(f"a required custom field is missing: {label} (job {sub.job_id})")
        elif lower.startswith("job ") and (" is " in lower or "does not exist" in lower):
            texts.append(message[0].lower() + message[1:])
        else:
            texts.append(message)
    return "Greenhouse refused the submission: " + "; ".join(texts)
