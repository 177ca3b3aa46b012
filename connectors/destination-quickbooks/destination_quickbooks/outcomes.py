"""Per-record outcomes for the SDK's :class:`~staffwire.activation.Outcomes` (reported in every echoed state's
``destinationStats``), from the outcomes of the entities each record is written as.

One input record may become several entities (a placement: a Job and an Item), and several records of one key
in a commit become one entity (the last one's values are written: the earlier records share its outcome). A
record's outcome is decided once every entity it is written as has one:

* rejected (any entity refused, or the record itself): counted by the write loop, nothing here;
* created when any entity was created, else updated when any was updated (or made inactive), else unchanged;
* ignored: no object wrote it (every object's condition is false, or the stream only teaches names).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from staffwire.activation import Outcome, Outcomes

__all__ = ["RecordOutcomes"]

#: an entity's outcome (the writer's counts) -> the record's, in precedence order
_PRECEDENCE = (
    ("created", Outcome.CREATED),
    ("updated", Outcome.UPDATED),
    ("deactivated", Outcome.UPDATED),
    ("unchanged", Outcome.UNCHANGED),
)


@dataclass
class _Record:
    stream: str
    entities: int = 0  #: entities carrying this record whose outcome is not known yet
    seen: set[str] = field(default_factory=set)
    rejected: bool = False
    mapped: bool = False  #: every entity of the record has been buffered


class RecordOutcomes:
    def __init__(self) -> None:
        self.outcomes = Outcomes()
        self._records: dict[int, _Record] = {}
        self._next = 0

    def start(self, stream: str) -> int:
        """A new input record of ``stream``: its ticket, carried by the entities it is written as."""
        self._next += 1
        self._records[self._next] = _Record(stream)
        return self._next

    def carried(self, ticket: int) -> None:
        """One more entity carries the record."""
        self._records[ticket].entities += 1

    def mapped(self, ticket: int) -> None:
        """Every entity of the record is buffered (none: it is ignored)."""
        record = self._records[ticket]
        record.mapped = True
        if record.entities == 0:
            del self._records[ticket]
            if not record.rejected:
                self.outcomes.add(record.stream, Outcome.IGNORED)

    def rejected(self, ticket: int) -> None:
        """The record was refused before it was buffered (the write loop counts it)."""
        record = self._records[ticket]
        record.rejected = True
        record.mapped = True
        if record.entities == 0:
            del self._records[ticket]

    def entity_done(self, tickets: Iterable[int], what: str) -> None:
        """An entity carrying ``tickets`` was created, updated, deactivated, unchanged or rejected."""
        for ticket in tickets:
            record = self._records.get(ticket)
            if record is None:
                continue
            record.seen.add(what)
            record.rejected = record.rejected or what == "rejected"
            record.entities -= 1
            if record.entities == 0 and record.mapped:
                del self._records[ticket]
                if not record.rejected:
                    self.outcomes.add(record.stream, _decide(record.seen))


def _decide(seen: set[str]) -> Outcome:
    for what, outcome in _PRECEDENCE:
        if what in seen:
            return outcome
    raise ValueError(f"no outcome among {sorted(seen)}")
