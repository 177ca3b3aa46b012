"""The destination side of Airbyte data activation: the objects a destination writes, its DESTINATION_CATALOG,
and how a configured catalog binds each stream to one of them.

A destination declares its objects once (:class:`DestinationObject`: name, the sync modes it supports among
``append``, ``update``, ``append_dedup`` and ``soft_delete``, a JSON schema of its writable fields, and the
matching keys a record can be found by). ``discover`` answers them as a ``DESTINATION_CATALOG`` message (one
operation per object and sync mode, as the protocol schema has it). ``write`` binds every configured stream with
:func:`bind_streams`:

* ``destination_object_name`` names the object (a stream named like an object needs none);
* ``destination_sync_mode`` must be one the object supports;
* the configured stream's ``primary_key`` carries the matching keys the connection chose (the platform puts the
  selected matching key there); each path must be one of the object's ``matching_keys``. Several paths are tried
  in order: a record is matched by the first key it has a value for. Empty: the object's own keys, in order.

Anything else is a ConfigError that names the stream, the object and what the destination offers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from staffwire.errors import ConfigError

__all__ = [
    "SYNC_MODES",
    "DestinationObject",
    "ObjectBinding",
    "bind_streams",
    "destination_catalog",
]

#: The destination sync modes of data activation (``overwrite`` belongs to warehouses).
SYNC_MODES = ("append", "update", "append_dedup", "soft_delete")

KeyPath = tuple[str, ...]


@dataclass(frozen=True)
class DestinationObject:
    """One object a destination writes (e.g. Bullhorn's ``Candidate``)."""

    name: str
    json_schema: Mapping[str, Any]
    sync_modes: tuple[str, ...] = ("update",)
    matching_keys: tuple[KeyPath, ...] = ()
    description: str | None = None

    def __post_init__(self) -> None:
        unknown = [mode for mode in self.sync_modes if mode not in SYNC_MODES]
        if unknown or not self.sync_modes:
            raise ValueError(
                f"object {self.name}: sync modes {unknown or '(none)'} are not among {SYNC_MODES}"
            )

    def operations(self) -> list[dict[str, Any]]:
        """The object's ``DestinationOperation`` wire dicts, one per sync mode."""
        return [
            {
                "object_name": self.name,
                "sync_mode": mode,
                "json_schema": dict(self.json_schema),
                "matching_keys": [list(key) for key in self.matching_keys],
            }
            for mode in self.sync_modes
        ]


def destination_catalog(objects: Iterable[DestinationObject]) -> dict[str, Any]:
    """The ``DestinationCatalog`` wire dict (the body of a ``DESTINATION_CATALOG`` message)."""
    return {"operations": [op for obj in objects for op in obj.operations()]}


@dataclass(frozen=True)
class ObjectBinding:
    """One configured stream bound to the object it writes."""

    stream: str
    object: DestinationObject
    sync_mode: str
    #: matching keys to try in order (empty for append, which matches nothing)
    keys: tuple[KeyPath, ...] = field(default_factory=tuple)

    @property
    def creates(self) -> bool:
        """Whether a record that matches nothing becomes a new object."""
        return self.sync_mode in ("append", "append_dedup")

    def key_value(self, record: Mapping[str, Any]) -> tuple[KeyPath, Any] | None:
        """The first matching key ``record`` has a value for, with that value."""
        for key in self.keys:
            value: Any = record
            for part in key:
                value = value.get(part) if isinstance(value, Mapping) else None
            if value not in (None, ""):
                return key, value
        return None


def bind_streams(
    catalog: Any, objects: Sequence[DestinationObject], *, connector: str
) -> dict[str, ObjectBinding]:
    """Bind every stream of a ConfiguredAirbyteCatalog (a model or its dict) to one of ``objects``."""
    by_name = {obj.name: obj for obj in objects}
    offered = ", ".join(sorted(by_name)) or "none"
    bindings: dict[str, ObjectBinding] = {}
    for configured in _streams(catalog):
        stream = str(_get(_get(configured, "stream"), "name"))
        wanted = _get(configured, "destination_object_name") or (stream if stream in by_name else None)
        if wanted is None:
            raise ConfigError(
                f"{connector}: stream '{stream}' names no destination_object_name and no object is called like it. "
                f"Set destination_object_name to one of its objects: {offered}."
            )
        obj = by_name.get(str(wanted))
        if obj is None:
            raise ConfigError(
                f"{connector}: stream '{stream}' asks for destination object '{wanted}', which it does not have "
                f"(its objects: {offered}; run discover to see them)."
            )
        mode = _enum_value(_get(configured, "destination_sync_mode")) or "append"
        if mode not in obj.sync_modes:
            raise ConfigError(
                f"{connector}: stream '{stream}' asks for destination_sync_mode '{mode}' on object {obj.name}, "
                f"which supports {', '.join(obj.sync_modes)}. Change destination_sync_mode of the stream."
            )
        if mode == "append":  # matches nothing: a source's primary key here says nothing about the object
            bindings[stream] = ObjectBinding(stream, obj, mode)
            continue
        chosen = tuple(
            tuple(str(p) for p in path) for path in (_get(configured, "primary_key") or []) if path
        )
        unknown = [".".join(path) for path in chosen if path not in obj.matching_keys]
        if unknown:
            known = ", ".join(".".join(k) for k in obj.matching_keys) or "none"
            raise ConfigError(
                f"{connector}: stream '{stream}' matches {obj.name} records by {', '.join(unknown)}, which is not "
                f"a matching key of {obj.name} (its matching keys: {known}). Fix the stream's primary_key."
            )
        keys = chosen or obj.matching_keys
        if not keys:
            raise ConfigError(
                f"{connector}: stream '{stream}' uses {mode} on {obj.name}, which has no matching key to find "
                "the records to change; use append."
            )
        bindings[stream] = ObjectBinding(stream, obj, mode, keys)
    return bindings


def _streams(catalog: Any) -> list[Any]:
    return list(_get(catalog, "streams") or [])


def _get(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def _enum_value(value: Any) -> str | None:
    if value is None:
        return None
    return str(getattr(value, "value", value))
