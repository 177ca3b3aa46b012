"""Which configured stream writes which QuickBooks object: the configured catalog bound through the SDK's data
activation layer (:func:`staffwire.activation.bind_streams`), with QuickBooks's one addition, default routes.

* A stream that names ``destination_object_name`` writes that object, and only it; the object then reads no
  other stream (whatever its default or ``mappings.<Object>.stream`` says).
* A stream that names none writes every enabled object that reads it by default or by ``mappings.<Object>.
  stream`` (``placements`` -> Job and Item): the protocol binds a stream to one object, the object table fans
  a placement out to two. A stream that feeds no object (``jobs``, or ``candidates`` when no Vendor reads it)
  only teaches the writer names.

Every route is checked as the SDK checks a binding: the object exists, supports the stream's
``destination_sync_mode``, and is matched by the stream's ``primary_key``. ``append`` is written as
``append_dedup``: QuickBooks has no external id, so a create is exactly once only because the entity is looked
up by its key first (an existing one is brought up to date, never duplicated).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from staffwire.activation import DestinationObject, ObjectBinding, bind_streams
from staffwire.errors import ConfigError

from destination_quickbooks.config import QuickBooksConfig
from destination_quickbooks.objects import OBJECTS

__all__ = ["route_streams"]


def route_streams(
    catalog: Any, config: QuickBooksConfig, objects: Sequence[DestinationObject], *, connector: str
) -> dict[str, list[ObjectBinding]]:
    """stream -> the bindings of the objects it writes (in the object table's order; empty: none)."""
    streams = [_plain(s) for s in _get(catalog, "streams") or []]
    for entry in streams:
        if entry.get("destination_sync_mode") in (None, "append"):
            entry["destination_sync_mode"] = "append_dedup"
    enabled = {o.name for o in OBJECTS if o.name not in config.mappings or config.mappings[o.name].enabled}
    explicit: dict[str, str] = {}  # object -> the stream that names it
    for entry in streams:
        wanted = entry.get("destination_object_name")
        if wanted is None:
            continue
        name = entry["stream"]["name"]
        if wanted in explicit:
            raise ConfigError(
                f"{connector}: streams '{explicit[wanted]}' and '{name}' both write destination object {wanted}; "
                "one stream per object (QuickBooks finds an entity by one key)."
            )
        if wanted in {o.name for o in OBJECTS} and wanted not in enabled:
            raise ConfigError(
                f"{connector}: stream '{name}' writes {wanted}, which mappings.{wanted}.enabled turns off. "
                f"Remove destination_object_name from the stream or enable {wanted}."
            )
        explicit[str(wanted)] = name
    routes: dict[str, list[ObjectBinding]] = {}
    for entry in streams:
        name = entry["stream"]["name"]
        if entry.get("destination_object_name") is not None:
            wanted = [str(entry["destination_object_name"])]
        else:
            wanted = [
                o.name
                for o in OBJECTS
                if o.name in enabled and o.name not in explicit and _input_stream(config, o.name) == name
            ]
        routes[name] = [
            bind_streams(
                {"streams": [{**entry, "destination_object_name": obj}]}, objects, connector=connector
            )[name]
            for obj in wanted
        ]
    return routes


def _input_stream(config: QuickBooksConfig, name: str) -> str:
    change = config.mappings.get(name)
    default = next(o.stream for o in OBJECTS if o.name == name)
    return (change.stream if change is not None else None) or default


def _plain(configured: Any) -> dict[str, Any]:
    """A configured stream (model or dict) as the fields binding reads."""
    stream = _get(configured, "stream")
    return {
        "stream": {"name": str(_get(stream, "name"))},
        "destination_object_name": _get(configured, "destination_object_name"),
        "destination_sync_mode": _enum(_get(configured, "destination_sync_mode")),
        "primary_key": _get(configured, "primary_key"),
    }


def _get(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def _enum(value: Any) -> str | None:
    return None if value is None else str(getattr(value, "value", value))
