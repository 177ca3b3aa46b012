"""The connector's config (its spec) and the data-center host table."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
from staffwire.errors import ConfigError
from staffwire.py310 import datetime_fromisoformat
from staffwire.spec import SecureUrl, check_status_maps
from staffwire.token_fields import HIDDEN

__all__ = ["ACCOUNTS_HOSTS", "CRM_API_HOSTS", "RECRUIT_API_HOSTS", "ZohoConfig", "hosts_for"]

DataCenter = Literal["us", "eu", "in", "au", "jp", "cn", "ca", "sa", "uk"]
Product = Literal["recruit", "crm"]

ACCOUNTS_HOSTS: dict[str, str] = {
    "us": "https://accounts.zoho.com",
    "eu": "https://accounts.zoho.eu",
    "in": "https://accounts.zoho.in",
    "au": "https://accounts.zoho.com.au",
    "jp": "https://accounts.zoho.jp",
    "cn": "https://accounts.zoho.com.cn",
    "ca": "https://accounts.zohocloud.ca",
    "sa": "https://accounts.zoho.sa",
    "uk": "https://accounts.zoho.uk",
}
RECRUIT_API_HOSTS: dict[str, str] = {
    "us": "https://recruit.zoho.com",
    "eu": "https://recruit.zoho.eu",
    "in": "https://recruit.zoho.in",
    "au": "https://recruit.zoho.com.au",
    "jp": "https://recruit.zoho.jp",
    "cn": "https://recruit.zoho.com.cn",
    "ca": "https://recruit.zohocloud.ca",
    "sa": "https://recruit.zoho.sa",
    "uk": "https://recruit.zoho.uk",
}
CRM_API_HOSTS: dict[str, str] = {
    "us": "https://www.zohoapis.com",
    "eu": "https://www.zohoapis.eu",
    "in": "https://www.zohoapis.in",
    "au": "https://www.zohoapis.com.au",
    "jp": "https://www.zohoapis.jp",
    "cn": "https://www.zohoapis.com.cn",
    "ca": "https://www.zohoapis.ca",
    "sa": "https://www.zohoapis.sa",
    "uk": "https://www.zohoapis.uk",
}


class ZohoConfig(BaseModel):
    """Config of source-zoho. Field order is the spec's ``order``."""

    client_id: str = Field(title="Client ID", description="OAuth client ID from the Zoho API console.")
    client_secret: SecretStr = Field(title="Client secret", description="OAuth client secret.")
    refresh_token: SecretStr = Field(
        title="Refresh token",
        description="A refresh token generated with the scopes ZohoRecruit.modules.all and ZohoRecruit.settings.all "
        "(Recruit) or ZohoCRM.modules.all and ZohoCRM.settings.all (CRM).",
    )
    data_center: DataCenter = Field(
        "us", title="Data center", description="Where the Zoho account lives (the domain you sign in at)."
    )
    product: Product = Field("recruit", title="Product", description="Zoho Recruit or Zoho CRM.")
    start_date: str | None = Field(
        None,
        title="Start date",
        description="Only read records modified after this moment (ISO 8601, e.g. 2024-01-01T00:00:00Z).",
        examples=["2024-01-01T00:00:00Z"],
    )
    accounts_url: SecureUrl | None = Field(
        None,
        title="Accounts URL",
        description="Overrides the data center's accounts server (e.g. a sandbox).",
    )
    api_url: SecureUrl | None = Field(
        None, title="API URL", description="Overrides the data center's API host (e.g. a sandbox)."
    )
    status_maps: dict[str, dict[str, str]] | None = Field(
        None,
        title="Status maps",
        description="Per standard stream, Zoho status value -> standard status, merged over the defaults, e.g. "
        '{"candidates": {"Joined": "placed"}}.',
    )
    raw_stream_prefix: str = Field(
        "zoho_",
        title="Raw stream prefix",
        description="Put before every raw stream name: zoho_ (the default) gives zoho_Candidates. Raw streams "
        "need one, because Zoho's module names (Candidates, Contacts, Interviews) differ from the standard "
        "streams (candidates, contacts, interviews) only in case, and PyAirbyte, DuckDB, Postgres and "
        "Snowflake fold case.",
        pattern=r"^[A-Za-z0-9_]+$",
    )
    page_size: int = Field(
        200, ge=1, le=200, title="Page size", description="Records per request (at most 200)."
    )
    retry_base_delay: float = Field(
        0.5,
        ge=0,
        le=60,
        title="Retry base delay",
        description="Seconds before the first retry; doubles each time.",
    )
    access_token: SecretStr | None = Field(
        None,
        title="Access token",
        description="Filled by the platform from the connector's CONTROL message: the access token of an earlier "
        "run, reused until shortly before token_expiry_date (Zoho issues only about ten per ten minutes).",
        json_schema_extra=HIDDEN,
    )
    token_expiry_date: str | None = Field(
        None,
        title="Access token expiry",
        description="Filled by the platform with access_token: when it expires (ISO 8601 UTC).",
        json_schema_extra=HIDDEN,
    )

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

    @field_validator("accounts_url", "api_url", mode="before")
    @classmethod
    def _blank_url_is_unset(cls, value: Any) -> Any:
        return None if value == "" else value

    @field_validator("accounts_url", "api_url")
    @classmethod
    def _no_trailing_slash(cls, value: str | None) -> str | None:
        return value.rstrip("/") if value else value

    @field_validator("status_maps")
    @classmethod
    def _check_status_maps(cls, value: dict[str, dict[str, str]] | None) -> dict[str, dict[str, str]] | None:
        from source_zoho.standard import STATUS_VALUES

        check_status_maps(value, STATUS_VALUES)
        return value


def hosts_for(config: ZohoConfig) -> tuple[str, str]:
    """(accounts server, API host) for the config's data center and product, overrides applied."""
    try:
        accounts = config.accounts_url or ACCOUNTS_HOSTS[config.data_center]
        table = RECRUIT_API_HOSTS if config.product == "recruit" else CRM_API_HOSTS
        api = config.api_url or table[config.data_center]
    except KeyError as exc:  # pragma: no cover - the Literal type already limits data_center
        raise ConfigError(f"Zoho: unknown data_center {config.data_center!r}") from exc
    return accounts, api
