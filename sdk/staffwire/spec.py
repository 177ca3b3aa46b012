"""Connector specification from a pydantic config model.

:func:`connection_specification` turns the model's JSON Schema into what Airbyte's UI and spec lint expect:

* draft-07, every ``$ref`` inlined (no ``$defs``);
* ``SecretStr`` fields marked ``airbyte_secret: true`` (also inside ``oneOf`` branches and arrays);
* ``Optional[X]`` (pydantic's ``anyOf [X, null]``) collapsed to ``X`` -- the field is simply not required;
* discriminated unions as ``oneOf`` whose branches each carry their ``const`` discriminator;
* ``order`` on every property, in declaration order; titles, descriptions, defaults, enums, examples kept.

:data:`SecureUrl` is the config field type for URLs: https://, or http:// to a loopback host only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, GetJsonSchemaHandler, ValidationInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from staffwire.urls import plain_http_allowed

__all__ = ["SecureUrl", "check_status_maps", "connection_specification", "specification"]


def _secure_url(value: str, info: ValidationInfo) -> str:
    """https:// anywhere; plain http:// only for loopback hosts, so credentials never cross a network in clear."""
    field = f"config field {info.field_name!r}" if info.field_name else "config URL"
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{field} must be an absolute https:// URL such as https://api.example.com")
    if not plain_http_allowed(value):
        raise ValueError(
            f"{field} must use https:// (plain http:// is accepted only for loopback hosts such as 127.0.0.1)"
        )
    return value


class _UriFormat:
    """Adds ``format: uri`` to the field's JSON Schema (keeping its title, description and examples)."""

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        out = handler(schema)
        out["format"] = "uri"
        return out


SecureUrl = Annotated[str, AfterValidator(_secure_url), _UriFormat()]
"""A config URL: ``https://``, or ``http://`` only to loopback hosts (127.0.0.0/8, ``localhost``, ``::1``).

The value is kept as given (no trailing-slash trimming); the spec shows it as ``{"type": "string", "format":
"uri"}``. Use ``SecureUrl | None`` for an optional URL.
"""

_DROP = {"discriminator", "writeOnly", "$defs", "definitions"}


def connection_specification(model: type[Any], *, title: str | None = None) -> dict[str, Any]:
    """The ``connectionSpecification`` JSON Schema of a pydantic model class."""
    raw = model.model_json_schema(mode="validation")
    defs: dict[str, Any] = raw.get("$defs", {})
    schema = _clean(raw, defs, ())
    out: dict[str, Any] = {"$schema": "http://json-schema.org/draft-07/schema#"}
    out.update(schema)
    if title:
        out["title"] = title
    out.setdefault("type", "object")
    out.setdefault("required", [])
    out["additionalProperties"] = True
    return out


def specification(
    model: type[Any],
    *,
    documentation_url: str | None = None,
    title: str | None = None,
    supports_incremental: bool | None = None,
    destination_sync_modes: list[str] | None = None,
) -> dict[str, Any]:
    """The ``ConnectorSpecification`` (the body of the SPEC message) as a wire dict."""
    spec: dict[str, Any] = {"connectionSpecification": connection_specification(model, title=title)}
    if documentation_url:
        spec["documentationUrl"] = documentation_url
    if supports_incremental is not None:
        spec["supportsIncremental"] = supports_incremental
    if destination_sync_modes:
        spec["supported_destination_sync_modes"] = destination_sync_modes
    return spec


def _resolve(
    node: Mapping[str, Any], defs: Mapping[str, Any], seen: tuple[str, ...]
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Inline a ``$ref`` (keeping sibling keywords such as description/default, which win)."""
    node = dict(node)
    while "$ref" in node:
        ref = node.pop("$ref")
        name = ref.rsplit("/", 1)[-1]
        if name in seen:
            raise ValueError(f"config model refers to itself through {name!r}; a spec cannot be recursive")
        seen = (*seen, name)
        target = dict(defs[name])
        target.update(node)
        node = target
    return node, seen


def _is_null(node: Any) -> bool:
    return isinstance(node, Mapping) and node.get("type") == "null" and len(node) == 1


def _clean(node: Mapping[str, Any], defs: Mapping[str, Any], seen: tuple[str, ...]) -> dict[str, Any]:
    node, seen = _resolve(node, defs, seen)
    # Optional[X]: anyOf [X, null] -> X (the field is optional by not being required)
    any_of = node.get("anyOf")
    if isinstance(any_of, list):
        rest = [b for b in any_of if not _is_null(b)]
        if len(rest) == 1 and len(rest) < len(any_of):
            node.pop("anyOf")
            inner, seen2 = _resolve(rest[0], defs, seen)
            merged = dict(inner)
            for key, value in node.items():  # outer keywords (title, description, default) win
                if key == "default" and value is None:
                    continue
                merged[key] = value
            return _clean(merged, defs, seen2)
        if rest and len(rest) < len(any_of):
            node["anyOf"] = rest
    if node.get("default", 0) is None:
        node.pop("default")
    secret = node.get("format") == "password" and node.get("writeOnly") is True
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROP:
            continue
        if key == "format" and secret:
            continue
        if key == "properties" and isinstance(value, Mapping):
            props: dict[str, Any] = {}
            for order, (name, sub) in enumerate(value.items()):
                cleaned = _clean(sub, defs, seen)
                cleaned["order"] = order
                props[name] = cleaned
            out[key] = props
        elif key in ("oneOf", "anyOf", "allOf") and isinstance(value, list):
            out["oneOf" if key == "anyOf" and "discriminator" in node else key] = [
                _branch(_clean(v, defs, seen)) for v in value
            ]
        elif key in ("items", "additionalProperties") and isinstance(value, Mapping):
            out[key] = _clean(value, defs, seen)
        else:
            out[key] = value
    if secret:
        out["airbyte_secret"] = True
    if "oneOf" in out and "type" not in out:
        out["type"] = "object"
    return out


def _branch(branch: dict[str, Any]) -> dict[str, Any]:
    """A ``oneOf`` branch: an object whose discriminator is a required ``const``."""
    props = branch.get("properties")
    if isinstance(props, dict):
        consts = [name for name, sub in props.items() if isinstance(sub, dict) and "const" in sub]
        for name in consts:
            props[name].setdefault("default", props[name]["const"])
            required = branch.setdefault("required", [])
            if name not in required:
                required.insert(0, name)
    return branch


def check_status_maps(
    maps: Mapping[str, Mapping[str, str]] | None, allowed: Mapping[str, Iterable[str]]
) -> None:
    """Check a connector config's ``status_maps`` (per standard stream, remote word -> standard value) against the
    standard values each stream allows; ValueError naming the stream, the word and the allowed values."""
    for stream, mapping in (maps or {}).items():
        values = allowed.get(stream)
        if values is None:
            raise ValueError(f"status_maps: unknown stream {stream!r}; use one of {sorted(allowed)}")
        values = list(values)
        for remote, target in mapping.items():
            if target not in values:
                raise ValueError(
                    f"status_maps.{stream}: {remote!r} -> {target!r} is not a standard value; use one of {values}"
                )
