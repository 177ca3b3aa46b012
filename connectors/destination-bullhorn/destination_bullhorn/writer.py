"""The Writer: maps each stream's records to its Bullhorn object, and commits them through the SDK's safe writer
(batched compare-before-write, owned fields, no blanking nulls, exactly-once creates, outcome per record)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from source_bullhorn.api import BullhornApi
from staffwire.activation import ObjectBinding, Outcome, Outcomes, SafeWriter
from staffwire.activation.config import StreamWrite
from staffwire.errors import RecordRejected, Rejection

from destination_bullhorn.config import BullhornDestinationConfig
from destination_bullhorn.rules import EntityRules
from destination_bullhorn.store import BullhornStore
from destination_bullhorn.values import parse_bullhorn_id

__all__ = ["BullhornWriter"]

_log = logging.getLogger("destination_bullhorn.writer")


@dataclass
class _Plan:
    mapping: Callable[[dict[str, Any]], dict[str, Any] | None]
    rules: EntityRules
    writer: SafeWriter
    store: BullhornStore
    #: mapped fields a null may blank (the mapping leaves a null out; these get it back)
    nullable: tuple[str, ...] = ()


class BullhornWriter:
    def __init__(
        self,
        config: BullhornDestinationConfig,
        api: BullhornApi,
        bindings: Mapping[str, ObjectBinding],
        metas: Mapping[str, Mapping[str, Any]],
    ) -> None:
        self.api = api
        self.outcomes = Outcomes()
        self.plans: dict[str, _Plan] = {}
        for stream, binding in bindings.items():
            settings = config.streams.get(stream) or StreamWrite()
            rules = EntityRules(metas[binding.object.name])
            if settings.mapping is not None:
                rules.check_targets(settings.mapping, f"streams.{stream}.mapping")
            if settings.owned_fields is not None:
                rules.check_targets(settings.owned_fields, f"streams.{stream}.owned_fields")
            store = BullhornStore(api, rules, stream)
            writer = SafeWriter(
                binding, store, self.outcomes, settings.policy(), batch_size=config.batch_size
            )
            policy = settings.policy()
            nullable = tuple(n for n in settings.mapping or {} if n != "id" and policy.blanks(n))
            mapping = settings.compile(stream, f"streams.{stream}")
            self.plans[stream] = _Plan(mapping, rules, writer, store, nullable)
        self._rejections: list[RecordRejected] = []

    def write(self, stream: str, record: Mapping[str, Any]) -> None:
        plan = self.plans[stream]
        record_id = _text(record.get("id"))
        try:
            mapped = plan.mapping(record if type(record) is dict else dict(record))
        except RecordRejected as rejected:
            raise RecordRejected(rejected.reasons, stream=stream, record_id=record_id) from None
        if mapped is None:
            self.outcomes.add(stream, Outcome.IGNORED)
            return
        for name in plan.nullable:
            mapped.setdefault(name, None)
        values = plan.rules.normalise(mapped)
        if values.get("id") not in (None, ""):
            bullhorn_id = parse_bullhorn_id(values["id"])
            if bullhorn_id is None:
                raise RecordRejected(
                    [
                        Rejection(
                            "matching_key",
                            "id",
                            values["id"],
                            f"id {values['id']!r} is not a Bullhorn id (a number or bullhorn:<id>)",
                        )
                    ],
                    stream=stream,
                    record_id=record_id,
                )
            values["id"] = bullhorn_id
        keep = {k: v for k, v in values.items() if k == "id" or plan.rules.writable(k)}
        plan.writer.add(record_id, keep)
        if plan.writer.due():
            self._rejections += plan.writer.commit()

    def flush(self) -> list[RecordRejected]:
        rejections, self._rejections = self._rejections, []
        for plan in self.plans.values():
            rejections += plan.writer.commit()
        return rejections

    def close(self) -> None:
        self.api.close()
        for stream, plan in self.plans.items():
            totals = self.outcomes.totals(stream)
            _log.info(
                "Bullhorn %s (stream %s): %d created, %d updated, %d unchanged, %d ignored; %d reads, %d writes",
                plan.rules.entity,
                stream,
                totals.get(Outcome.CREATED, 0),
                totals.get(Outcome.UPDATED, 0),
                totals.get(Outcome.UNCHANGED, 0),
                totals.get(Outcome.IGNORED, 0),
                plan.store.reads,
                plan.writer.requests,
            )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
