"""JSON Schemas of the standard streams, draft-07 friendly.

Pydantic writes draft 2020-12 with ``$defs``/``$ref`` and ``anyOf [X, null]``; Airbyte destinations and many
validators expect draft-07 with everything inline and nullable written as ``"type": ["x", "null"]``. This module
converts the models' schemas into that shape (and drops pydantic-only keys), once, and caches them.

Usage::

    from staffwire.standard import standard_stream_schema, STANDARD_STREAM_NAMES
    schema = standard_stream_schema("candidates")   # a fresh dict; safe to modify
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from pydantic import BaseModel

from staffwire.errors import ConfigError
from staffwire.standard.models import (
    Candidate,
    Client,
    Contact,
    Interview,
    Job,
    Payable,
    Placement,
    Submission,
    Worker,
)

__all__ = [
    "DRAFT_07",
    "STANDARD_STREAMS",
    "STANDARD_STREAM_NAMES",
    "model_for",
    "standard_stream_schema",
    "to_draft07",
]

DRAFT_07 = "http://json-schema.org/draft-07/schema#"

STANDARD_STREAMS: dict[str, type[BaseModel]] = {
    "candidates": Candidate,
    "jobs": Job,
    "clients": Client,
    "contacts": Contact,
    "submissions": Submission,
    "placements": Placement,
    "interviews": Interview,
    "payables": Payable,
    "workers": Worker,
}
"""Standard stream name -> its model, in the order the docs list them."""

STANDARD_STREAM_NAMES: tuple[str, ...] = tuple(STANDARD_STREAMS)

_DROP = {"title", "discriminator", "$defs", "definitions"}


def model_for(stream: str) -> type[BaseModel]:
    """The model of a standard stream; ConfigError naming the valid streams otherwise."""
    try:
        return STANDARD_STREAMS[stream]
    except KeyError:
        raise ConfigError(
            f"{stream!r} is not a standard stream; use one of: {', '.join(STANDARD_STREAM_NAMES)}"
        ) from None


def standard_stream_schema(stream: str) -> dict[str, Any]:
    """The draft-07 JSON Schema of one standard stream (a copy: callers may modify it)."""
    model_for(stream)
    return copy.deepcopy(_schema(stream))


@cache
def _schema(stream: str) -> dict[str, Any]:
    model = STANDARD_STREAMS[stream]
    schema = to_draft07(model.model_json_schema(mode="serialization"))
    # Records may carry more than the model knows (a newer source, a connector's extras): stay open at the top,
    # strict inside nested objects is not needed either. Airbyte's convention.
    schema["additionalProperties"] = True
    return {"$schema": DRAFT_07, **schema}


def to_draft07(schema: dict[str, Any]) -> dict[str, Any]:
    """Inline ``$ref``s, turn ``anyOf [X, null]`` into ``type: [x, "null"]`` and drop pydantic-only keys."""
    defs = schema.get("$defs", {})
    return _convert(schema, defs)


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref is None:
        return node
    target = defs[ref.rsplit("/", 1)[-1]]
    merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return _resolve(merged, defs)


def _convert(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_convert(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    node = _resolve(node, defs)
    variants = node.get("anyOf")
    if variants is not None:
        non_null = [v for v in variants if v != {"type": "null"}]
        if len(non_null) == 1 and len(non_null) < len(variants):
            inner = _convert(non_null[0], defs)
            rest = {k: v for k, v in node.items() if k not in ("anyOf", "default")}
            node = {**inner, **rest}
            return _nullable(_strip(node, defs), node_default=rest)
    return _strip(node, defs)


def _strip(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROP or key == "default":
            continue
        if key == "properties":
            out[key] = {name: _convert(sub, defs) for name, sub in value.items()}
        elif key in ("items", "additionalProperties", "anyOf", "oneOf", "allOf", "not"):
            out[key] = _convert(value, defs)
        else:
            out[key] = value
    if out.get("additionalProperties") is False:
        out.pop("additionalProperties")  # see _schema(): readers must tolerate additions
    return out


def _nullable(node: dict[str, Any], node_default: dict[str, Any]) -> dict[str, Any]:
    kind = node.get("type")
    if isinstance(kind, str):
        node["type"] = [kind, "null"]
    elif isinstance(kind, list) and "null" not in kind:
        node["type"] = [*kind, "null"]
    elif kind is None:
        return {"anyOf": [node, {"type": "null"}]}
    if "enum" in node and None not in node["enum"]:
        node["enum"] = [*node["enum"], None]
    return node
