"""Field types shared by the standard models: dates, times, money, references, and their JSON Schema forms.

Values travel as JSON: dates are ``YYYY-MM-DD`` strings, times ISO 8601 UTC strings ending in ``Z``, money is a
JSON number (parsed Decimal-safe by the mapping engine) next to an ISO 4217 ``currency`` code, and references to
other records use the standard id form ``"{system}:{remote_id}"``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

__all__ = ["Country", "Currency", "Date", "DateTime", "Money", "Ref"]

Date = Annotated[
    str,
    Field(pattern=r"^\d{4}-\d{2}-\d{2}$", json_schema_extra={"format": "date"}),
]
"""A calendar date, ``YYYY-MM-DD``."""

DateTime = Annotated[
    str,
    Field(
        pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$",
        json_schema_extra={"format": "date-time", "airbyte_type": "timestamp_with_timezone"},
    ),
]
"""An instant in ISO 8601, always UTC (``2024-05-01T13:45:00Z``)."""

Money = Annotated[float, Field(description="A decimal amount, in `currency`.")]
"""A decimal amount as a JSON number (the engine parses it with ``Decimal``; no float arithmetic)."""

Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 currency code, e.g. USD.")]
"""An ISO 4217 currency code."""

Country = Annotated[
    str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 country code, e.g. US.")
]
"""An ISO 3166-1 alpha-2 country code."""

Ref = Annotated[str, Field(pattern=r"^[a-z0-9_]+:.+$", description='Standard id "{system}:{remote_id}".')]
"""A reference to another standard record, in the standard id form ``"bullhorn:123"``."""
