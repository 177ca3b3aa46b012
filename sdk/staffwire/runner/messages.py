"""Checking the lines connectors print before the runner relays or acts on them.

The runner trusts no connector: every stdout line must be one JSON Airbyte message of a known type with the fields
the runner relies on. The check is structural and cheap (it runs once per record); the full schema is the
connectors' own conformance tests' business.
"""

from __future__ import annotations

from typing import Any

import orjson

from staffwire.protocol import MESSAGE_TYPES

__all__ = ["BadMessage", "parse_message", "state_key"]


class BadMessage(ValueError):
    """A line that is not a valid Airbyte message; ``str()`` says why (without echoing the line)."""


def parse_message(line: bytes) -> dict[str, Any]:
    """Decode and check one line; raise :class:`BadMessage` when it is not a usable Airbyte message."""
    try:
        message = orjson.loads(line)
    except orjson.JSONDecodeError:
        raise BadMessage("not JSON") from None
    if not isinstance(message, dict):
        raise BadMessage("JSON but not an object")
    kind = message.get("type")
    if kind not in MESSAGE_TYPES:
        raise BadMessage(f"unknown message type {kind!r}" if kind is not None else "no 'type' field")
    if kind == "RECORD":
        record = message.get("record")
        if not (
            isinstance(record, dict)
            and isinstance(record.get("stream"), str)
            and isinstance(record.get("data"), dict)
            and isinstance(record.get("emitted_at"), int | float)
        ):
            raise BadMessage("RECORD without stream, data object and emitted_at")
    elif kind == "STATE":
        state = message.get("state")
        if not isinstance(state, dict):
            raise BadMessage("STATE without a state object")
        state_type = state.get("type", "LEGACY")
        if state_type == "STREAM":
            stream = state.get("stream")
            descriptor = stream.get("stream_descriptor") if isinstance(stream, dict) else None
            if not (isinstance(descriptor, dict) and isinstance(descriptor.get("name"), str)):
                raise BadMessage("STREAM state without stream.stream_descriptor.name")
        elif state_type == "GLOBAL":
            if not isinstance(state.get("global"), dict):
                raise BadMessage("GLOBAL state without a global object")
        else:
            raise BadMessage(f"state type {state_type!r} is not supported (use STREAM or GLOBAL)")
    elif kind == "LOG":
        log = message.get("log")
        if not (isinstance(log, dict) and isinstance(log.get("message"), str)):
            raise BadMessage("LOG without a message")
    elif kind == "TRACE":
        if not isinstance(message.get("trace"), dict):
            raise BadMessage("TRACE without a trace object")
    elif kind == "CONTROL":
        control = message.get("control")
        connector_config = control.get("connectorConfig") if isinstance(control, dict) else None
        if not (isinstance(connector_config, dict) and isinstance(connector_config.get("config"), dict)):
            raise BadMessage("CONTROL without connectorConfig.config")
    elif kind == "SPEC":
        spec = message.get("spec")
        if not (isinstance(spec, dict) and isinstance(spec.get("connectionSpecification"), dict)):
            raise BadMessage("SPEC without connectionSpecification")
    elif kind == "CATALOG":
        catalog = message.get("catalog")
        if not (isinstance(catalog, dict) and isinstance(catalog.get("streams"), list)):
            raise BadMessage("CATALOG without a streams list")
    return message


def state_key(state: dict[str, Any]) -> tuple[str, str]:
    """``(namespace, name)`` of a STREAM state; ``("", "")`` stands for the GLOBAL state."""
    if state.get("type") == "GLOBAL":
        return ("", "")
    descriptor = state["stream"]["stream_descriptor"]
    return (descriptor.get("namespace") or "", descriptor["name"])
