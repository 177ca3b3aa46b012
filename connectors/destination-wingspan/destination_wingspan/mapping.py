"""The config's field specs (labels, trigger, stream mappings) compiled once with :mod:`staffwire.mapping`.

A field spec is a field of the SDK's mapping engine (see docs/mapping.md, "Fields" and "Transforms"): a path
(``"candidate_id"``, ``"custom_fields.customText3"``), ``{"const": "USD"}``, ``{"template": "placement:{id}:week1"}``,
``{"path": "pay_rate", "transforms": [{"multiply": 40}, "money"]}``, ``{"path": "start_date", "transforms":
[{"add_days": 7}]}``, ``{"path": "pay_unit", "transforms": [{"lookup": {"table": {...}}}]}``, ``default``, ...
Conditions (the trigger, ``when``) are the engine's conditions. A mistake is a ConfigError at its config path
(``stream_mappings[0].fields.amount.transforms[0]: ...``), found by ``check`` before any request is sent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from staffwire.errors import ConfigError, RecordRejected
from staffwire.mapping import CompiledMapping, compile_condition, compile_fields

from destination_wingspan.config import StreamMapping, WingspanConfig

__all__ = ["DELETED_FIELD", "CompiledConfig", "StreamPlan", "compile_config", "map_labels", "names_field"]

#: The standard field a source sets on a soft-deleted record (the record is still emitted).
DELETED_FIELD = "remote_deleted_at"

#: Fields a stream mapping must map, by target (invoices also need ``amount`` or ``line_items``).
_REQUIRED = {
    "payables": ("reference", "worker_id", "amount", "due_date"),
    "invoices": ("reference", "client_email", "due_date"),
    "contractors": ("email",),
}


@dataclass(frozen=True)
class StreamPlan:
    """One stream mapping: its Wingspan target and its compiled fields (with its ``when``)."""

    target: str
    fields: CompiledMapping
    #: its ``when`` names ``remote_deleted_at``: the user decides what deleted records do (otherwise skipped)
    handles_deleted: bool = False


@dataclass(frozen=True)
class CompiledConfig:
    trigger: Callable[[Mapping[str, Any]], bool]
    contractor_labels: CompiledMapping
    placement_labels: CompiledMapping
    streams: dict[str, list[StreamPlan]] = field(default_factory=dict)


def compile_config(config: WingspanConfig) -> CompiledConfig:
    """Every field spec and condition of ``config``, compiled; ConfigError naming the entry otherwise."""
    trigger = config.contractor_trigger
    trigger_fn = compile_condition(dict(trigger), "contractor_trigger") if trigger else _always
    contractor_labels = compile_fields(config.contractor_labels, name="candidates", path="contractor_labels")
    placement_labels = compile_fields(config.placement_labels, name="placements", path="placement_labels")
    streams: dict[str, list[StreamPlan]] = {}
    for i, mapping in enumerate(config.stream_mappings):
        _check_required(mapping, i)
        compiled = compile_fields(
            mapping.fields,
            name=mapping.stream,
            path=f"stream_mappings[{i}].fields",
            when=mapping.when,
            when_path=f"stream_mappings[{i}].when",
        )
        plan = StreamPlan(mapping.target, compiled, names_field(mapping.when, DELETED_FIELD))
        streams.setdefault(mapping.stream, []).append(plan)
    return CompiledConfig(trigger_fn, contractor_labels, placement_labels, streams)


def names_field(condition: Any, name: str) -> bool:
    """Whether a condition (``{"field": ...}``, ``all``/``any``/``not`` nests) tests the field ``name``."""
    if isinstance(condition, Mapping):
        if condition.get("field") == name:
            return True
        return any(names_field(value, name) for value in condition.values())
    if isinstance(condition, list):
        return any(names_field(value, name) for value in condition)
    return False


def _always(record: Mapping[str, Any]) -> bool:
    return True


def _check_required(mapping: StreamMapping, index: int) -> None:
    missing = [name for name in _REQUIRED[mapping.target] if name not in mapping.fields]
    if mapping.target == "invoices" and "amount" not in mapping.fields and "line_items" not in mapping.fields:
        missing.append("amount or line_items")
    if not missing:
        return
    if mapping.target == "contractors":
        raise ConfigError(f"stream_mappings[{index}] ({mapping.stream} -> contractors) must map email.")
    raise ConfigError(f"stream_mappings[{index}] ({mapping.stream} -> {mapping.target}) must map {missing}.")


def map_labels(
    labels: CompiledMapping, record: Mapping[str, Any], stream: str, record_id: str | None
) -> dict[str, Any]:
    """The label values of ``record`` (key -> value, unset when null); a transform that fails rejects the record
    as one of ``stream``'s."""
    try:
        return labels(record if type(record) is dict else dict(record)) or {}
    except RecordRejected as rejected:
        raise RecordRejected(reasons=rejected.reasons, stream=stream, record_id=record_id) from None
