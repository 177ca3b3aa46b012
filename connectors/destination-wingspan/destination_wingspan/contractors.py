"""Contractors: find existing ones, create the missing ones exactly once, keep their labels up to date.

Two ways to create (``contractor_mode``):

* ``bulk`` (default): Wingspan's bulk collaborator batches ("Contractor Batch Items"): create a batch, add one item
  per contractor, submit it (status Pending), poll until Complete or Failed, then read each item's result
  (``metadata.resolvedCollaboratorId`` or ``metadata.errorMessage``). Best for volume: one submit, processed
  server-side, the invite e-mails go out in one go.
* ``payee``: ``POST /payments/payee`` per contractor: immediate, with a per-record answer, no polling.

Exactly once: every run first lists the account's contractors (cached for the run) and indexes them by external
id (the standard record id) and e-mail; only contractors found in neither are created. Bulk batches this
destination submitted in an earlier, interrupted run are waited for before the listing, so their contractors are
seen. A create whose answer was lost (dropped connection, timeout, 5xx) is verified by lookup before it is
retried, and a 409 means "already there".
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from staffwire.errors import RecordRejected, Rejection
from staffwire.http.errors import ClientError, HttpError

from destination_wingspan.api import WingspanApi, create_once, reason
from destination_wingspan.bulk import BATCH_LABELS, Pacing

__all__ = ["Contractor", "ContractorDirectory", "ContractorRequest", "ContractorWriter"]

_log = logging.getLogger("destination_wingspan.contractors")


@dataclass
class Contractor:
    collaborator_id: str
    email: str
    external_id: str | None = None
    payee_id: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    status: str | None = None  # Active / Inactive / Pending (a payee's payerOwnedData.status)


@dataclass
class ContractorRequest:
    """One contractor to ensure in Wingspan (from a candidate or a mapped record)."""

    stream: str
    record_id: str
    external_id: str
    email: str
    first_name: str | None = None
    last_name: str | None = None
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def full_name(self) -> str | None:
        return " ".join(p for p in (self.first_name, self.last_name) if p) or None

    def rejected(self, message: str, rule: str = "wingspan") -> RecordRejected:
        return RecordRejected(
            reasons=[Rejection(rule=rule, message=message)], stream=self.stream, record_id=self.record_id
        )


class ContractorDirectory:
    """The account's contractors, loaded once per run and kept current as this run creates more."""

    def __init__(self, api: WingspanApi, mode: str, pacing: Pacing) -> None:
        self.api = api
        self.mode = mode
        self.pacing = pacing
        self._lock = threading.RLock()
        self._loaded = False
        self._by_external: dict[str, Contractor] = {}
        self._by_email: dict[str, Contractor] = {}

    def load(self) -> None:
        with self._lock:
            if not self._loaded:
                if self.mode == "bulk":
                    self._finish_interrupted_batches()
                self.refresh()

    def _finish_interrupted_batches(self) -> None:
        """Wait for batches an interrupted run submitted, so the listing that follows sees their contractors."""
        for batch in self.api.get("/payments/bulk/collaborator/batch", stream="candidates"):
            labels = batch.get("labels") or {}
            if labels.get("createdBy") != BATCH_LABELS["createdBy"] or batch.get("status") not in (
                "Pending",
                "Processing",
            ):
                continue
            batch_id = batch["bulkCollaboratorBatchId"]
            _log.info("waiting for bulk collaborator batch %s submitted by an earlier run", batch_id)
            self.pacing.wait(self.api, "collaborator", batch_id, stream="candidates")

    def refresh(self) -> None:
        with self._lock:
            if self.mode == "payee":
                rows = self.api.get("/payments/payee", stream="candidates")
                contractors = [_from_payee(r) for r in rows]
            else:
                rows = self.api.get("/payments/collaborator", stream="candidates")
                contractors = [_from_collaborator(r) for r in rows]
            for contractor in contractors:
                if contractor is not None:
                    self.add(contractor)
            self._loaded = True

    def add(self, contractor: Contractor, *, external_id: str | None = None) -> None:
        with self._lock:
            if contractor.external_id:
                self._by_external[contractor.external_id] = contractor
            if external_id:
                self._by_external[external_id] = contractor
            if contractor.email:
                self._by_email[contractor.email.lower()] = contractor

    def find(self, external_id: str | None, email: str | None = None) -> Contractor | None:
        self.load()
        with self._lock:
            if external_id and external_id in self._by_external:
                return self._by_external[external_id]
            if email:
                found = self._by_email.get(email.lower())
                if found is not None and external_id:
                    self._by_external[external_id] = found
                return found
            return None

    def __len__(self) -> int:
        return len(self._by_email)


def _from_collaborator(row: dict[str, Any]) -> Contractor | None:
    collaborator_id = row.get("collaboratorId")
    if not collaborator_id:
        return None
    email = (((row.get("member") or {}).get("user") or {}).get("email")) or row.get("memberEmail") or ""
    return Contractor(
        collaborator_id=collaborator_id,
        email=email,
        external_id=(row.get("clientData") or {}).get("externalId"),
        labels=dict(row.get("labels") or {}),
        status=row.get("status"),
    )


def _from_payee(row: dict[str, Any]) -> Contractor | None:
    engagement = None
    for requirement in row.get("requirements") or []:
        ids = requirement.get("payerPayeeEngagementIds") or []
        if ids:
            engagement = ids[0]
            break
    if engagement is None:
        return None
    owned = row.get("payerOwnedData") or {}
    return Contractor(
        collaborator_id=engagement,
        email=(row.get("user") or {}).get("email") or "",
        external_id=owned.get("payeeExternalId"),
        payee_id=row.get("payeeId"),
        labels=dict(owned.get("labels") or {}),
        status=owned.get("status"),
    )


class ContractorWriter:
    """Ensures a list of contractors exists in Wingspan; returns the rejections."""

    def __init__(
        self,
        api: WingspanApi,
        directory: ContractorDirectory,
        *,
        mode: str,
        batch_size: int,
        pacing: Pacing,
    ) -> None:
        self.api = api
        self.directory = directory
        self.mode = mode
        self.batch_size = batch_size
        self.pacing = pacing
        self.max_attempts = pacing.max_attempts
        self.created = 0
        self.updated = 0
        self._pool = ThreadPoolExecutor(
            max_workers=pacing.concurrency, thread_name_prefix="wingspan-contractors"
        )

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    # -------------------------------------------------------------------------------------------- entry
    def commit(self, requests: Iterable[ContractorRequest]) -> list[RecordRejected]:
        rejections: list[RecordRejected] = []
        missing: dict[str, ContractorRequest] = {}  # by email: one Wingspan contractor per email
        same_person: list[tuple[ContractorRequest, ContractorRequest]] = []
        for request in requests:
            existing = self.directory.find(request.external_id, request.email)
            if existing is not None:
                self.directory.add(existing, external_id=request.external_id)
                self.update_labels(existing, request.labels, request.stream)
            elif request.email.lower() in missing:
                same_person.append((request, missing[request.email.lower()]))
            else:
                missing[request.email.lower()] = request
        todo = list(missing.values())
        for start in range(0, len(todo), self.batch_size):
            chunk = todo[start : start + self.batch_size]
            rejections += self._bulk(chunk) if self.mode == "bulk" else self._payees(chunk)
        for request, first in same_person:  # e.g. one person from two source systems, in the same commit
            contractor = self.directory.find(first.external_id)
            if contractor is None:
                rejections.append(
                    request.rejected(
                        f"contractor {request.email} was not created (see record {first.record_id}, same email)"
                    )
                )
                continue
            self.directory.add(contractor, external_id=request.external_id)
            self.update_labels(contractor, request.labels, request.stream)
        return rejections

    def update_labels(self, contractor: Contractor, labels: dict[str, str], stream: str) -> None:
        """Set labels that differ from what Wingspan has (absolute values: a repeat is harmless)."""
        changed = {k: v for k, v in labels.items() if contractor.labels.get(k) != v}
        if not changed:
            return
        if self.mode == "payee" and contractor.payee_id:
            self.api.patch(
                f"/payments/payee/{contractor.payee_id}",
                {"payerOwnedData": {"labels": changed}},
                stream=stream,
            )
        else:
            self.api.patch(
                f"/payments/collaborator/{contractor.collaborator_id}", {"labels": changed}, stream=stream
            )
        contractor.labels.update(changed)
        self.updated += 1

    # -------------------------------------------------------------------------------------------- bulk
    def _wait(self, batch_id: str) -> dict[str, Any]:
        return self.pacing.wait(self.api, "collaborator", batch_id, stream="candidates")

    def _bulk(self, chunk: list[ContractorRequest]) -> list[RecordRejected]:
        _, batch = self.api.post(
            "/payments/bulk/collaborator/batch",
            {"labels": dict(BATCH_LABELS)},
            stream="candidates",
            idempotent=True,
        )  # a lost answer leaves an empty Open batch
        batch_id = batch["bulkCollaboratorBatchId"]
        rejections: list[RecordRejected] = []
        results = list(self._pool.map(lambda r: self._add_item(batch_id, r), chunk))
        added = [r for r, problem in zip(chunk, results, strict=True) if problem is None]
        rejections += [p for p in results if p is not None]
        if not added:
            return rejections
        self.api.patch(
            f"/payments/bulk/collaborator/batch/{batch_id}", {"status": "Pending"}, stream="candidates"
        )
        self._wait(batch_id)
        items = self.api.get(f"/payments/bulk/collaborator/batch/{batch_id}/item", stream="candidates")
        by_external = {r.external_id: r for r in added}
        seen: set[str] = set()
        for item in items:
            request = by_external.get(item.get("externalId") or "")
            if request is None or request.external_id in seen:
                continue
            seen.add(request.external_id)
            metadata = item.get("metadata") or {}
            resolved = metadata.get("resolvedCollaboratorId")
            if item.get("status") == "Complete" and resolved:
                self.directory.add(
                    Contractor(
                        collaborator_id=resolved,
                        email=request.email,
                        external_id=request.external_id,
                        labels=dict(request.labels),
                        status="Active",
                    )
                )
                self.created += 1
            else:
                reason = (
                    metadata.get("errorMessage")
                    or f"item ended {item.get('status')} without an error message"
                )
                rejections.append(
                    request.rejected(
                        f"Wingspan refused contractor {request.email} in bulk collaborator batch {batch_id}: {reason}"
                    )
                )
        for request in added:
            if request.external_id not in seen:
                rejections.append(
                    request.rejected(
                        f"Wingspan lost the item for {request.email} in bulk collaborator batch {batch_id}; run the "
                        "sync again to retry it"
                    )
                )
        return rejections

    def _add_item(self, batch_id: str, request: ContractorRequest) -> RecordRejected | None:
        body = {
            "email": request.email,
            "firstLastName": request.full_name,
            "externalId": request.external_id,
            "collaboratorStatus": "Active",
            "labels": request.labels or None,
        }
        path = f"/payments/bulk/collaborator/batch/{batch_id}/item"

        def add() -> RecordRejected | None:
            try:
                self.api.post(path, body, stream=request.stream)
            except ClientError as exc:
                return request.rejected(f"Wingspan refused contractor {request.email}: {reason(exc)}")
            return None

        def landed() -> bool:  # was it added before the answer was lost?
            items = self.api.get(path, stream=request.stream)
            return any(i.get("externalId") == request.external_id for i in items)

        return create_once(add, landed, attempts=self.max_attempts)

    # -------------------------------------------------------------------------------------------- payees
    def _payees(self, chunk: list[ContractorRequest]) -> list[RecordRejected]:
        return [p for p in self._pool.map(self._create_payee, chunk) if p is not None]

    def _create_payee(self, request: ContractorRequest) -> RecordRejected | None:
        body = {
            "email": request.email,
            "firstName": request.first_name,
            "lastName": request.last_name,
            "payerOwnedData": {
                "payeeExternalId": request.external_id,
                "status": "Active",
                "labels": request.labels or None,
            },
        }

        def post() -> Any:  # the new payee, or the ClientError that refused it
            try:
                return self.api.post("/payments/payee", body, stream=request.stream)[1]
            except ClientError as exc:
                return exc

        payee = create_once(
            post, lambda: self._already_there(request, quiet=True) is None, attempts=self.max_attempts
        )
        if payee is None:
            return None
        if isinstance(payee, ClientError):
            if payee.status == 409:
                return self._already_there(request)
            return request.rejected(f"Wingspan refused payee {request.email}: {reason(payee)}")
        contractor = _from_payee(payee)
        if contractor is None:
            return request.rejected(
                f"Wingspan created payee {payee.get('payeeId')} for {request.email} "
                "without an engagement id; payables cannot reach it"
            )
        self.directory.add(contractor, external_id=request.external_id)
        self.created += 1
        return None

    def _already_there(self, request: ContractorRequest, *, quiet: bool = False) -> RecordRejected | None:
        self.directory.refresh()
        existing = self.directory.find(request.external_id, request.email)
        if existing is None:
            if quiet:
                return request.rejected("not there yet")
            return request.rejected(
                f"Wingspan reports payee {request.email} as a duplicate (409) but lists no "
                "such payee; check the acting user (X-WINGSPAN-USER)"
            )
        self.directory.add(existing, external_id=request.external_id)
        self.update_labels(existing, request.labels, request.stream)
        return None


def is_fatal(exc: BaseException) -> bool:
    """Errors that stop the run (bad token mid-run, 5xx beyond retries), as opposed to one record's problem."""
    return isinstance(exc, HttpError) and not isinstance(exc, ClientError)
