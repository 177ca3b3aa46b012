"""Deactivations: a deleted candidate's contractor (or, when configured, one whose candidate no longer matches the
trigger) is set Inactive in Wingspan, exactly once.

Which contractor: the one whose Wingspan external id (``clientData.externalId`` / ``payerOwnedData.
payeeExternalId``) is the candidate's standard id, i.e. the contractor this destination created for that record.
A contractor that only shares the email is left alone: deleting a duplicate candidate record in the ATS must not
deactivate the surviving record's contractor, nor one somebody created by hand in Wingspan.

How: ``PATCH /payments/collaborator/{id} {"status": "Inactive"}`` in ``bulk`` mode, ``PATCH /payments/payee/{id}
{"payerOwnedData": {"status": "Inactive"}}`` in ``payee`` mode (both in Wingspan's OpenAPI file). The PATCH sets an
absolute value, so a retry after a 429 or a dropped connection is harmless, and a contractor already Inactive (as
the run's listing shows it) gets no request at all: reruns write nothing. Nothing is ever reactivated: a contractor
set Inactive by hand or by an earlier run stays so until someone sets it Active in Wingspan.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from staffwire.errors import RecordRejected, Rejection
from staffwire.http.errors import ClientError

from destination_wingspan.api import WingspanApi, reason
from destination_wingspan.contractors import Contractor, ContractorDirectory

__all__ = ["DeactivationRequest", "Deactivator"]

_log = logging.getLogger("destination_wingspan.deactivations")
INACTIVE = "Inactive"


@dataclass(frozen=True)
class DeactivationRequest:
    """A candidate whose contractor (if any) should be Inactive, and why."""

    stream: str
    record_id: str
    external_id: str
    why: Literal["deleted", "untriggered"]
    deleted_at: str | None = None

    def describe(self) -> str:
        if self.why == "deleted":
            return f"candidate {self.external_id} was deleted in the source (remote_deleted_at {self.deleted_at})"
        return f"candidate {self.external_id} no longer matches contractor_trigger"

    def rejected(self, message: str) -> RecordRejected:
        return RecordRejected(
            reasons=[Rejection(rule="wingspan", message=message)],
            stream=self.stream,
            record_id=self.record_id,
        )


class Deactivator:
    """Sets the requested candidates' contractors Inactive; returns the rejections (Wingspan refusing a PATCH)."""

    def __init__(self, api: WingspanApi, directory: ContractorDirectory, *, mode: str) -> None:
        self.api = api
        self.directory = directory
        self.mode = mode
        self.deactivated = 0
        self.already_inactive = 0

    def commit(self, requests: Iterable[DeactivationRequest]) -> list[RecordRejected]:
        rejections: list[RecordRejected] = []
        for request in requests:
            contractor = self._contractor_of(request)
            if contractor is None:
                continue
            if contractor.status == INACTIVE:
                self.already_inactive += 1
                continue
            try:
                self._patch(contractor, request.stream)
            except ClientError as exc:
                rejections.append(
                    request.rejected(
                        f"Wingspan refused to set contractor {contractor.collaborator_id} ({contractor.email}) "
                        f"Inactive, although {request.describe()}: {reason(exc)}. Set it Inactive in Wingspan."
                    )
                )
                continue
            contractor.status = INACTIVE
            self.deactivated += 1
            _log.info(
                "Wingspan contractor %s (%s) set Inactive: %s",
                contractor.collaborator_id,
                contractor.email,
                request.describe(),
            )
        return rejections

    def _contractor_of(self, request: DeactivationRequest) -> Contractor | None:
        """The contractor created for this candidate record, or None (logged for deletes)."""
        contractor = self.directory.find(request.external_id)
        if contractor is not None and contractor.external_id == request.external_id:
            return contractor
        if request.why == "deleted":
            if contractor is None:
                _log.info(
                    "%s; it never became a Wingspan contractor, so there is nothing to deactivate",
                    request.describe(),
                )
            else:
                _log.info(
                    "%s; Wingspan contractor %s (%s) has external id %s, not this record's, so it is left as it "
                    "is (set it Inactive in Wingspan if this person no longer works for you)",
                    request.describe(),
                    contractor.collaborator_id,
                    contractor.email,
                    contractor.external_id or "(none)",
                )
        return None

    def _patch(self, contractor: Contractor, stream: str) -> None:
        if self.mode == "payee" and contractor.payee_id:
            self.api.patch(
                f"/payments/payee/{contractor.payee_id}",
                {"payerOwnedData": {"status": INACTIVE}},
                stream=stream,
            )
        else:
            self.api.patch(
                f"/payments/collaborator/{contractor.collaborator_id}", {"status": INACTIVE}, stream=stream
            )
