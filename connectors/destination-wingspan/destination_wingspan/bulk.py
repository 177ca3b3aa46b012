"""Wingspan's bulk batches as this destination uses them: how it labels them, and how it waits for them."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from staffwire.errors import TransientError

if TYPE_CHECKING:
    from destination_wingspan.api import WingspanApi
    from destination_wingspan.config import WingspanConfig

__all__ = ["BATCH_LABELS", "Pacing", "wait_for"]

_log = logging.getLogger("destination_wingspan.bulk")
#: Labels on every batch this destination creates, so a later run recognises its own unfinished batches.
BATCH_LABELS = {"createdBy": "staffwire-destination-wingspan"}
_TERMINAL = ("Complete", "Failed")


@dataclass(frozen=True)
class Pacing:
    """How hard and how long the writers work Wingspan: requests in flight, batch polling, attempts per item."""

    concurrency: int = 8
    poll_interval: float = 2.0
    max_wait: float = 1800.0
    max_attempts: int = 6

    @classmethod
    def from_config(cls, config: WingspanConfig) -> Pacing:
        return cls(
            concurrency=config.max_concurrency,
            poll_interval=config.poll_interval_s,
            max_wait=config.max_batch_wait_s,
            max_attempts=config.max_attempts,
        )

    def wait(self, api: WingspanApi, kind: str, batch_id: str, *, stream: str) -> dict[str, Any]:
        """Poll the bulk ``kind`` (collaborator, payable) batch until it is Complete or Failed."""
        path = f"/payments/bulk/{kind}/batch/{batch_id}"
        return wait_for(
            partial(api.get, path, stream=stream),
            f"bulk {kind} batch {batch_id}",
            interval=self.poll_interval,
            max_wait=self.max_wait,
        )


def wait_for(
    fetch: Callable[[], dict[str, Any]],
    what: str,
    *,
    interval: float,
    max_wait: float,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """Poll ``fetch`` until the batch it returns is Complete or Failed; TransientError after ``max_wait``."""
    deadline = time.monotonic() + max_wait
    last_log = time.monotonic()
    while True:
        batch = fetch()
        if batch.get("status") in _TERMINAL:
            return batch
        now = time.monotonic()
        if now >= deadline:
            raise TransientError(
                f"Wingspan has not finished {what} after {max_wait:g}s (status {batch.get('status')}). Nothing is "
                "lost: run the sync again and it resumes from the last committed state without duplicates.",
                request=what,
            )
        if now - last_log >= 60:
            stats = batch.get("statistics") or {}
            _log.info(
                "waiting for Wingspan to process %s: %s, %s of %s items processed",
                what,
                batch.get("status"),
                stats.get("itemsProcessed", "?"),
                stats.get("itemsTotal", "?"),
            )
            last_log = now
        sleep(min(interval, max(0.0, deadline - now)))
