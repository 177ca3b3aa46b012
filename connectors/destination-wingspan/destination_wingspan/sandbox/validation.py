"""Request validation for the Wingspan sandbox: bodies are checked against Wingspan's published request schemas
(the sandbox refuses what the API refuses), plus the few rules the schemas do not state (date formats, emails,
non-empty line items).

The schemas come from ``reference/request_schemas.json``, pre-extracted from Wingspan's OpenAPI file by
``scripts/extract_request_schemas.py`` so that loading takes milliseconds. Validators are compiled once per
operation and cached.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from staffwire.testing.sandbox import HttpError, Request

__all__ = ["EMAIL", "operations", "request_errors", "require_date", "require_lines", "validated_body"]

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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


def validated_body(request: Request, operation: str) -> dict[str, Any]:
    """The request's JSON object body, or a 400 naming every schema violation, as Wingspan answers."""
    body = request.json()
    if not isinstance(body, dict):
        raise HttpError(400, {"error": f"{operation}: the request body must be a JSON object"})
    errors = request_errors(operation, body)
    if errors:
        raise HttpError(
            400, {"code": "ValidationError", "message": f"Invalid request body: {'; '.join(errors)}"}
        )
    return body


def require_date(body: dict[str, Any]) -> None:
    """``dueDate`` must be a plain date (the schema only says string)."""
    if not _DATE.match(body["dueDate"]):
        raise HttpError(400, {"error": f"dueDate must be a date (YYYY-MM-DD), got {body['dueDate']!r}"})


def require_lines(body: dict[str, Any]) -> None:
    """A payable or invoice needs at least one line item."""
    if not body["lineItems"]:
        raise HttpError(400, {"error": "lineItems must contain at least one line item"})
