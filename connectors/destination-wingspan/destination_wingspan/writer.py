"""The Writer: turns input records into contractor and payable requests, buffers them, commits them on flush.

Streams accepted:

* ``candidates`` (standard): a candidate matching ``contractor_trigger`` (default ``status in [placed]``) becomes
  a contractor (email, names, external id = the standard ``id``, ``contractor_labels``); a deleted one
  (``remote_deleted_at`` set) has its contractor set Inactive (see :mod:`destination_wingspan.deactivations`), as
  has, with ``deactivate_untriggered``, one that no longer matches the trigger;
* ``placements`` (standard): ``placement_labels`` are added to the placed candidate's contractor;
* ``payables`` (standard): a payable for the contractor whose external id is ``worker_id``;
* any stream named in ``stream_mappings`` (mapped to ``payables`` or ``contractors`` fields first).

A deleted record (``remote_deleted_at`` set) of any other stream (placements, payables, ...) creates nothing in Wingspan (an INFO log says so),
unless a stream mapping's ``when`` tests ``remote_deleted_at``: then that condition decides.

Records of other streams are accepted and ignored (counted, not rejected). What the writer ignores is reported
as such (``ignoredRecordCount`` in every echoed state, :class:`staffwire.activation.Outcomes`): records of
streams it has no use for, deleted records that become nothing, candidates that do not match the trigger (unless
``deactivate_untriggered``) and stream-mapping records whose ``when`` does not hold; the runner then shows them
as ignored, not written. A commit writes contractors first (so
payables in the same commit find them), then pending label updates, then payables and invoices, then
deactivations (a deleted worker's last payable still reaches its contractor).

This module routes records and orchestrates buffering and commits; checking one record and turning it into a
request (or a rejection) is :mod:`destination_wingspan.records`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any, Literal

from staffwire.activation import Outcome, Outcomes
from staffwire.errors import RecordRejected

from destination_wingspan.api import WingspanApi
from destination_wingspan.bulk import Pacing
from destination_wingspan.config import WingspanConfig
from destination_wingspan.contractors import ContractorDirectory, ContractorRequest, ContractorWriter
from destination_wingspan.deactivations import DeactivationRequest, Deactivator
from destination_wingspan.invoices import InvoiceRequest, InvoiceWriter
from destination_wingspan.mapping import DELETED_FIELD, CompiledConfig, compile_config, map_labels
from destination_wingspan.payables import PayableRequest, PayableWriter
from destination_wingspan.records import (
    candidate_email,
    invoice_request,
    key_text,
    label_text,
    payable_request,
    reject,
    text_labels,
)

__all__ = ["WingspanWriter"]

_log = logging.getLogger("destination_wingspan.writer")


class WingspanWriter:
    def __init__(
        self, config: WingspanConfig, api: WingspanApi, compiled: CompiledConfig | None = None
    ) -> None:
        self.config = config
        self.compiled = compiled or compile_config(config)
        self.api = api
        pacing = Pacing.from_config(config)
        self.directory = ContractorDirectory(api, config.contractor_mode, pacing)
        self.contractors = ContractorWriter(
            api,
            self.directory,
            mode=config.contractor_mode,
            batch_size=config.contractor_batch_size,
            pacing=pacing,
        )
        self.payables = PayableWriter(
            api,
            self.directory,
            status=config.payable_status,
            batch_size=config.payable_batch_size,
            pacing=pacing,
        )
        self.invoices = InvoiceWriter(api, status=config.invoice_status, max_attempts=config.max_attempts)
        self.deactivator = Deactivator(api, self.directory, mode=config.contractor_mode)
        self._contractors: dict[str, ContractorRequest] = {}
        # by external id; a candidate's last record in a commit wins (a later create drops its deactivation)
        self._deactivations: dict[str, DeactivationRequest] = {}
        self._payables: list[PayableRequest] = []
        self._invoices: list[InvoiceRequest] = []
        self._enrichments: dict[str, dict[str, str]] = {}  # candidate id -> labels waiting for its contractor
        self._rejections: list[RecordRejected] = []
        self._since = time.monotonic()
        self._ignored: set[str] = set()
        self.outcomes = Outcomes(reported=[Outcome.IGNORED])

    # ------------------------------------------------------------------------------------------ Writer
    def write(self, stream: str, record: Mapping[str, Any]) -> None:
        if not self._route(stream, record):
            self.outcomes.add(stream, Outcome.IGNORED)
        if self._due():
            self._rejections += self._commit()

    def _route(self, stream: str, record: Mapping[str, Any]) -> bool:
        """Buffer what ``record`` becomes; False when it becomes nothing (ignored)."""
        used = False
        handled = False
        deleted_at = record.get(DELETED_FIELD)
        skipped: list[str] = []  # what a deleted record would otherwise have become
        if stream == "candidates":
            handled = True
            used = self._candidate(stream, record, record)
        elif stream == "placements":
            handled = True
            if deleted_at:
                skipped.append("placement labels")
            else:
                used = self._placement(record)
        elif stream == "payables":
            handled = True
            if deleted_at:
                skipped.append("a payable")
            else:
                self._payables.append(payable_request(stream, record, record))
                used = True
        for plan in self.compiled.streams.get(stream, ()):
            handled = True
            if deleted_at and not plan.handles_deleted:
                skipped.append(f"{plan.target} (stream_mappings)")
                continue
            mapped = plan.fields(record)
            if mapped is None:  # its `when` does not hold
                continue
            used = True
            if plan.target == "payables":
                self._payables.append(payable_request(stream, mapped, record))
            elif plan.target == "invoices":
                self._invoices.append(invoice_request(stream, mapped, record))
            else:
                mapped.setdefault("id", record.get("id"))
                self._candidate(stream, mapped, record, triggered=True)
        if skipped:
            _log.info(
                "%s record %s was deleted in the source (remote_deleted_at %s): not written as %s; a "
                "stream_mappings entry whose `when` tests remote_deleted_at decides otherwise",
                stream,
                label_text(record.get("id")) or "(no id)",
                deleted_at,
                ", ".join(skipped),
            )
        if not handled and stream not in self._ignored:
            self._ignored.add(stream)
            _log.info(
                "destination-wingspan ignores stream '%s' (no standard meaning and no stream_mappings entry)",
                stream,
            )
        return used

    def flush(self) -> list[RecordRejected]:
        rejections = self._rejections + self._commit()
        self._rejections = []
        return rejections

    def close(self) -> None:
        self.contractors.close()
        self.payables.close()
        self.api.close()
        _log.info(
            "Wingspan: %d contractors created, %d updated, %d set Inactive (%d already were); %d payables "
            "created, %d already there",
            self.contractors.created,
            self.contractors.updated,
            self.deactivator.deactivated,
            self.deactivator.already_inactive,
            self.payables.created,
            self.payables.skipped,
        )

    # ------------------------------------------------------------------------------------------ records
    def _candidate(
        self, stream: str, record: Mapping[str, Any], original: Mapping[str, Any], *, triggered: bool = False
    ) -> bool:
        """Buffer the candidate's contractor (or its deactivation); False when it becomes nothing."""
        record_id = label_text(original.get("id"))
        external_id = key_text(record.get("id"))
        if not external_id:
            raise reject(
                stream,
                record_id,
                "required",
                "id",
                None,
                "the record has no id (the contractor's external id in Wingspan)",
            )
        deleted_at = record.get(DELETED_FIELD)
        if deleted_at:
            self._deactivate(stream, record_id or external_id, external_id, "deleted", deleted_at)
            return True
        if not triggered and not self.compiled.trigger(record):
            if self.config.deactivate_untriggered:
                self._deactivate(stream, record_id or external_id, external_id, "untriggered", None)
                return True
            return False
        email = candidate_email(stream, record_id, external_id, record)
        labels = text_labels(map_labels(self.compiled.contractor_labels, record, stream, record_id))
        request = ContractorRequest(
            stream=stream,
            record_id=record_id or external_id,
            external_id=external_id,
            email=email,
            first_name=label_text(record.get("first_name")),
            last_name=label_text(record.get("last_name")),
            labels=labels,
        )
        self._deactivations.pop(external_id, None)
        previous = self._contractors.get(external_id)
        if previous is not None:
            request.labels = {**previous.labels, **request.labels}
        self._contractors[external_id] = request
        return True

    def _deactivate(
        self,
        stream: str,
        record_id: str,
        external_id: str,
        why: Literal["deleted", "untriggered"],
        deleted_at: Any,
    ) -> None:
        """Replace whatever this commit would have done for the candidate with setting its contractor Inactive."""
        self._contractors.pop(external_id, None)
        self._deactivations[external_id] = DeactivationRequest(
            stream, record_id, external_id, why, label_text(deleted_at)
        )

    def _placement(self, record: Mapping[str, Any]) -> bool:
        """Queue the placement's labels for its candidate's contractor; False when it has none to add."""
        candidate_id = key_text(record.get("candidate_id"))
        if not candidate_id:
            return False
        labels = text_labels(
            map_labels(self.compiled.placement_labels, record, "placements", label_text(record.get("id")))
        )
        if labels:
            self._enrichments.setdefault(candidate_id, {}).update(labels)
        return bool(labels)

    # ------------------------------------------------------------------------------------------ commit
    def _buffered(self) -> int:
        return len(self._contractors) + len(self._payables) + len(self._invoices) + len(self._deactivations)

    def _due(self) -> bool:
        if max(len(self._contractors), len(self._deactivations)) >= self.config.contractor_batch_size:
            return True
        if len(self._payables) >= self.config.payable_batch_size:
            return True
        return self._buffered() > 0 and time.monotonic() - self._since >= self.config.flush_interval_s

    def _commit(self) -> list[RecordRejected]:
        self._since = time.monotonic()
        rejections: list[RecordRejected] = []
        contractors = list(self._contractors.values())
        self._contractors = {}
        for request in contractors:
            extra = self._enrichments.pop(request.external_id, None)
            if extra:
                request.labels = {**request.labels, **extra}
        if contractors:
            rejections += self.contractors.commit(contractors)
        if self._enrichments:
            for candidate_id in list(self._enrichments):
                contractor = self.directory.find(candidate_id)
                if contractor is not None:
                    self.contractors.update_labels(
                        contractor, self._enrichments.pop(candidate_id), "placements"
                    )
        payables, self._payables = self._payables, []
        if payables:
            rejections += self.payables.commit(payables)
        invoices, self._invoices = self._invoices, []
        if invoices:
            rejections += self.invoices.commit(invoices)
        deactivations, self._deactivations = list(self._deactivations.values()), {}
        if deactivations:
            rejections += self.deactivator.commit(deactivations)
        return rejections
