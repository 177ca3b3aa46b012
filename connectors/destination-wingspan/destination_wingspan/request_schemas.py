"""Validate request bodies against Wingspan's published request schemas (the sandbox refuses what the API refuses).

The schemas come from ``reference/request_schemas.json``, pre-extracted from Wingspan's OpenAPI file by
``scripts/extract_request_schemas.py`` so that loading takes milliseconds. Validators are compiled once per
operation and cached.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator

__all__ = ["operations", "request_errors"]


@cache
def _document() -> dict[str, Any]:
    text = (
        resources.files("destination_wingspan").joinpath("reference/request_schemas.json").read_text("utf-8")
    )
    return json.loads(text)


def operations() -> dict[str, str]:
    """``"METHOD /path/{param}"`` -> the name of its request schema."""
    return dict(_document()["operations"])


@cache
def _validator(operation: str) -> Draft202012Validator:
    doc = _document()
    schema_name = doc["operations"][operation]
    root = {"$ref": f"#/components/schemas/{schema_name}", "components": doc["components"]}
    return Draft202012Validator(root)


def request_errors(operation: str, body: Any) -> list[str]:
    """Human-readable schema violations of ``body`` for ``operation`` (empty when the body is acceptable)."""
    errors = []
    for error in sorted(_validator(operation).iter_errors(body), key=lambda e: list(e.absolute_path)):
        where = ".".join(str(p) for p in error.absolute_path) or "body"
        errors.append(f"{where}: {error.message}")
    return errors
