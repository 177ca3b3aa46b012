"""What a destination did with each record: created, updated, unchanged, ignored (rejections are counted by the
write loop), tallied per stream so the write loop can report them with every echoed state.

The counts travel in the echoed state's ``destinationStats`` (an ``AirbyteStateStats``, whose schema allows more
properties) next to ``recordCount`` and ``rejectedRecordCount``, as ``createdRecordCount``,
``updatedRecordCount``, ``unchangedRecordCount`` and ``ignoredRecordCount`` (numbers, like the protocol's own
counts): records of that stream since its previous state. A record without a reported outcome was written in a
way the destination does not tell apart (e.g. appended).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from enum import Enum

__all__ = ["OUTCOME_STATS", "Outcome", "Outcomes"]


class Outcome(str, Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    IGNORED = "ignored"
    REJECTED = "rejected"


#: outcome -> its property in ``destinationStats``
OUTCOME_STATS = {
    Outcome.CREATED: "createdRecordCount",
    Outcome.UPDATED: "updatedRecordCount",
    Outcome.UNCHANGED: "unchangedRecordCount",
    Outcome.IGNORED: "ignoredRecordCount",
}


class Outcomes:
    """Running totals per stream and outcome (thread-safe). A writer that has one as its ``outcomes`` attribute
    gets its counts reported in every echoed state: those of the outcomes in ``reported`` (default: created,
    updated, unchanged and ignored); a destination that only tells ignored records apart passes
    ``reported=[Outcome.IGNORED]``."""

    def __init__(self, reported: Iterable[Outcome] = tuple(OUTCOME_STATS)) -> None:
        self._totals: dict[str, dict[Outcome, int]] = {}
        self._lock = threading.Lock()
        self.reported = tuple(Outcome(o) for o in reported)

    def add(self, stream: str, outcome: Outcome | str, count: int = 1) -> None:
        outcome = Outcome(outcome)
        if outcome not in self.reported:
            raise ValueError(
                f"{outcome.value} is not among the outcomes this writer reports ({self.reported})"
            )
        with self._lock:
            per = self._totals.setdefault(stream, {})
            per[outcome] = per.get(outcome, 0) + count

    def totals(self, stream: str | None = None) -> dict[Outcome, int]:
        """Totals of one stream, or of every stream when ``stream`` is None."""
        with self._lock:
            if stream is not None:
                return dict(self._totals.get(stream, {}))
            summed: dict[Outcome, int] = {}
            for per in self._totals.values():
                for outcome, count in per.items():
                    summed[outcome] = summed.get(outcome, 0) + count
            return summed

    def streams(self) -> list[str]:
        with self._lock:
            return list(self._totals)
