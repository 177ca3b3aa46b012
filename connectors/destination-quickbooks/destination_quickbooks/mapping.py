"""The objects' mappings (defaults from :mod:`.objects`, changed by the config's ``mappings``), compiled once.

A change is merged over the object's default fields (a null removes a default); ``when`` replaces the default
condition; ``stream`` reads the object from another input stream; ``enabled: false`` turns it off. Mistakes are
ConfigErrors at their config path (``mappings.Vendor.fields.DisplayName.transforms[0]: unknown transform ...``),
found by ``check`` before any request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from staffwire.errors import ConfigError, RecordRejected
from staffwire.mapping import CompiledMapping, compile_fields

from destination_quickbooks.config import QuickBooksConfig
from destination_quickbooks.objects import OBJECTS, QuickBooksObject

__all__ = ["LOWER_FIELDS", "CompiledObject", "compile_objects"]

#: the lower-case (connector) fields each object accepts
LOWER_FIELDS: dict[str, frozenset[str]] = {
    "Customer": frozenset({"key"}),
    "Job": frozenset({"key", "parent_key"}),
    "Item": frozenset({"key"}),
    "Vendor": frozenset({"key"}),
    "Bill": frozenset({"key", "vendor_key", "amount", "currency", "line_items", "description"}),
}


@dataclass(frozen=True)
class CompiledObject:
    obj: QuickBooksObject
    stream: str
    fields: CompiledMapping

    def map(self, record: Mapping[str, Any], record_id: str | None) -> dict[str, Any] | None:
        """The mapped fields of ``record`` (None when the condition does not hold); RecordRejected when a
        transform refuses a value."""
        try:
            return self.fields(record if type(record) is dict else dict(record))
        except RecordRejected as rejected:
            raise RecordRejected(reasons=rejected.reasons, stream=self.stream, record_id=record_id) from None


def compile_objects(
    config: QuickBooksConfig, streams: Mapping[str, str] | None = None
) -> list[CompiledObject]:
    """Every enabled object's compiled mapping, in dependency order (the table's order). ``streams`` (object ->
    input stream, from the configured catalog's routes): only those objects, each read from its stream."""
    unknown = sorted(set(config.mappings) - {o.name for o in OBJECTS})
    if unknown:
        raise ConfigError(
            f"mappings: unknown QuickBooks object {unknown[0]!r}; the objects are "
            + ", ".join(o.name for o in OBJECTS)
            + "."
        )
    compiled = []
    for obj in OBJECTS:
        change = config.mappings.get(obj.name)
        if (change is not None and not change.enabled) or (streams is not None and obj.name not in streams):
            continue
        fields: dict[str, Any] = dict(obj.fields)
        when: Mapping[str, Any] | None = obj.when
        stream = obj.stream
        if change is not None:
            for target, spec in change.fields.items():
                if spec is None:
                    fields.pop(target, None)
                else:
                    fields[target] = spec
            if change.when is not None:
                when = change.when
            stream = change.stream or stream
        if streams is not None:
            stream = streams[obj.name]
        _check_targets(obj, fields)
        path = f"mappings.{obj.name}.fields"
        mapping = compile_fields(
            fields,
            name=stream,
            path=path,
            when=dict(when) if when else None,
            when_path=f"mappings.{obj.name}.when",
        )
        compiled.append(CompiledObject(obj, stream, mapping))
    return compiled


def _check_targets(obj: QuickBooksObject, fields: Mapping[str, Any]) -> None:
    where = f"mappings.{obj.name}.fields"
    for name in obj.required:
        if name not in fields:
            raise ConfigError(f"{where} must map {name!r} (removing it leaves {obj.name} without it).")
    for target in fields:
        root = target.split(".", 1)[0]
        if root == obj.key_field:
            raise ConfigError(
                f"{where}.{target}: {obj.entity}.{obj.key_field} keeps Staffwire's key (how the {obj.name} is found "
                "again before a create); map another field."
            )
        if root[:1].islower() and root not in LOWER_FIELDS[obj.name]:
            raise ConfigError(
                f"{where}.{target}: {obj.name} has no field {root!r}; QuickBooks fields start with a capital "
                f"letter (e.g. DisplayName), and {obj.name}'s own fields are "
                + ", ".join(sorted(LOWER_FIELDS[obj.name]))
                + "."
            )
        if target in obj.fixed:
            raise ConfigError(f"{where}.{target}: {obj.name} always sets {target} (it is not mappable).")
