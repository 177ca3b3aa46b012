"""The Writer: keeps the run's candidates, buffers submissions, submits them on flush (see :mod:`.submit`).

Streams: ``candidates`` (standard) are remembered by ``id`` for the submissions that name them (never written on
their own); ``submissions`` (standard) whose stage is in ``submit_stages`` are submitted, the others skipped and
counted. Any other stream is accepted and ignored. Each record's outcome is logged (created, unchanged, skipped,
rejected with the reason); a refused record never stops the others.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from typing import Any

from source_greenhouse.api import GreenhouseApi
from staffwire.errors import RecordRejected

from destination_greenhouse.config import GreenhouseDestinationConfig
from destination_greenhouse.records import submission_from
from destination_greenhouse.submit import Submitter

__all__ = ["GreenhouseWriter"]

_log = logging.getLogger("destination_greenhouse")


class GreenhouseWriter:
    def __init__(self, config: GreenhouseDestinationConfig, api: GreenhouseApi, source_id: int) -> None:
        self.config = config
        self.api = api
        self.submitter = Submitter(api, config, source_id)
        self.candidates: dict[str, dict[str, Any]] = {}
        self.pending: list[dict[str, Any]] = []
        self.outcomes: Counter[str] = Counter()
        self._stages = {s.strip().lower() for s in config.submit_stages}

    def write(self, stream: str, record: Mapping[str, Any]) -> None:
        if stream == "candidates":
            if record.get("id"):
                self.candidates[str(record["id"])] = dict(record)
            return
        if stream != "submissions":
            self.outcomes["ignored"] += 1
            return
        if str(record.get("stage") or "").lower() not in self._stages:
            self.outcomes["skipped"] += 1
            return
        self.pending.append(dict(record))

    def flush(self) -> list[RecordRejected]:
        rejections: list[RecordRejected] = []
        pending, self.pending = self.pending, []
        for record in pending:
            candidate = record.get("candidate")
            if not isinstance(candidate, Mapping):
                candidate = self.candidates.get(str(record.get("candidate_id")))
            try:
                submission = submission_from(record, candidate)
                outcome = self.submitter.submit(submission)
            except RecordRejected as rejection:
                rejection.stream = "submissions"
                rejections.append(rejection)
                self.outcomes["rejected"] += 1
                continue
            self.outcomes[outcome.result] += 1
            _log.info(
                "submission %s: %s (candidate %d, application %d)%s",
                submission.record_id,
                outcome.result,
                outcome.candidate_id,
                outcome.application_id,
                ": " + ", ".join(outcome.steps) if outcome.steps else "",
            )
        return rejections

    def close(self) -> None:
        if self.outcomes:
            _log.info(
                "Greenhouse submissions: %s", ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes.items()))
            )
        self.api.close()
