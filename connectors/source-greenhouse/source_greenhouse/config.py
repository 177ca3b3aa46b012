"""The connector's config (its spec). Shared with destination-greenhouse through :class:`GreenhouseCredentials`."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, SecretStr, field_validator
from staffwire.py310 import datetime_fromisoformat
from staffwire.spec import SecureUrl, check_status_maps

__all__ = ["API_URL", "TOKEN_URL", "GreenhouseConfig", "GreenhouseCredentials"]

API_URL = "https://harvest.greenhouse.io/v3"
TOKEN_URL = "https://auth.greenhouse.io/token"


class GreenhouseCredentials(BaseModel):
    """How to reach one Greenhouse organisation: a Harvest v3 credential and, optionally, the user to act as."""

    client_id: str = Field(
        title="Client ID",
        description="Client ID of a Harvest V3 (OAuth) API credential, created in Greenhouse under Configure > "
        "Dev Center > API Credentials.",
    )
    client_secret: SecretStr = Field(title="Client secret", description="The credential's client secret.")
    user_id: int | None = Field(
        None,
        title="Act as user",
        description="Numeric id of the Greenhouse user to act on behalf of (sent as the token's sub). Empty: the "
        "credential's service user. Writes are recorded as this user's.",
        ge=1,
    )
    api_url: SecureUrl = Field(API_URL, title="Harvest API URL", description="Harvest v3 base URL.")
    token_url: SecureUrl = Field(
        TOKEN_URL, title="Token URL", description="Greenhouse's OAuth token endpoint."
    )
    retry_base_delay: float = Field(
        0.5,
        ge=0,
        le=60,
        title="Retry base delay",
        description="Seconds before the first retry; doubles each time.",
    )

    @field_validator("api_url", "token_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("user_id", mode="before")
    @classmethod
    def _blank_user_is_unset(cls, value: Any) -> Any:
        return None if value == "" else value


class GreenhouseConfig(GreenhouseCredentials):
    """Config of source-greenhouse. Field order is the spec's ``order``."""

    start_date: str | None = Field(
        None,
        title="Start date",
        description="Only read records updated at or after this moment (ISO 8601, e.g. 2024-01-01T00:00:00Z).",
        examples=["2024-01-01T00:00:00Z"],
    )
    client_ref: str | None = Field(
        None,
        title="Client reference",
        description="The staffing firm's id of this client (e.g. bullhorn:42): set as client_id on the standard "
        "jobs and placements, so per-client rules and the internal ATS can find the client.",
    )
    page_size: int = Field(500, ge=1, le=500, title="Page size", description="Records per page (1..500).")
    status_maps: dict[str, dict[str, str]] | None = Field(
        None,
        title="Status maps",
        description="Per standard stream, Greenhouse word -> standard value, merged over the defaults, e.g. "
        '{"submissions": {"Agency Submitted": "client_submitted"}} (stage names are tenant-specific).',
    )
    pay_fields: dict[str, str] | None = Field(
        None,
        title="Offer pay fields",
        description="Which offer custom fields hold pay_rate, bill_rate, currency and pay_unit (defaults: the "
        'same names), e.g. {"pay_rate": "hourly_rate"}.',
    )

    rules: dict[str, Any] | None = Field(
        None,
        title="Per-client rules",
        description="Validation rule sets (staffwire.mapping rules) applied to standard streams: "
        '{"rule_sets": {"northwind": {"rules": [{"rule": "required", "field": "bill_rate"}]}}, '
        '"streams": {"jobs": "northwind"}}. A stream\'s entry is a rule set name or {"field", "cases", '
        '"default"} choosing one per record. A record that breaks a rule is rejected with its reasons.',
    )

    @field_validator("rules")
    @classmethod
    def _check_rules(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is None:
            return None
        from source_greenhouse.standard import rule_checkers

        unknown = set(value) - {"rule_sets", "streams"}
        if unknown:
            raise ValueError(f"rules: unknown keys {sorted(unknown)}; use rule_sets and streams")
        rule_checkers(value)  # a mistake is reported with its path, here rather than mid-read
        return value

    @field_validator("start_date")
    @classmethod
    def _check_start_date(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        try:
            moment = datetime_fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(
                f"start_date must be ISO 8601 such as 2024-01-01T00:00:00Z, got {value!r}"
            ) from None
        if moment.tzinfo is None:
            raise ValueError(f"start_date needs a time zone (Z or +05:30), got {value!r}")
        return value

    @field_validator("status_maps")
    @classmethod
    def _check_status_maps(cls, value: dict[str, dict[str, str]] | None) -> dict[str, dict[str, str]] | None:
        from source_greenhouse.standard import STATUS_VALUES

        check_status_maps(value, STATUS_VALUES)
        return value
