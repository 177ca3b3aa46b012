"""The destination-quickbooks config model (field order = the spec's ``order``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
from staffwire.spec import SecureUrl

__all__ = ["API_URLS", "TOKEN_URL", "ObjectMapping", "QuickBooksConfig"]

API_URLS = {
    "production": "https://quickbooks.api.intuit.com",
    "sandbox": "https://sandbox-quickbooks.api.intuit.com",
}
TOKEN_URL = "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"


class ObjectMapping(BaseModel):
    """Changes to one QuickBooks object's default mapping (see the README's "Mappings")."""

    model_config = ConfigDict(extra="forbid")

    stream: str | None = Field(
        default=None,
        title="Input stream",
        description="Read this object from another input stream (default: the object's standard stream).",
    )
    when: dict[str, Any] | None = Field(
        default=None,
        title="Condition",
        description='Only records matching it are written, e.g. {"field": "status", "in": ["placed"]}; '
        "replaces the default condition ({} writes every record).",
    )
    fields: dict[str, Any] = Field(
        default_factory=dict,
        title="Fields",
        description="QuickBooks field (a dot path such as PrimaryEmailAddr.Address, or one of the object's "
        "lower-case fields such as key) -> field spec of the Staffwire mapping engine; merged over the defaults, "
        "null removes a default.",
    )
    enabled: bool = Field(default=True, title="Enabled", description="false: never write this object.")


class QuickBooksConfig(BaseModel):
    model_config = ConfigDict(extra="ignore")

    client_id: str = Field(
        title="Client ID", description="The Client ID of your app (Intuit Developer > Keys & credentials)."
    )
    client_secret: SecretStr = Field(title="Client secret", description="The Client Secret of your app.")
    refresh_token: SecretStr = Field(
        title="Refresh token",
        description="A refresh token from connecting the app to the company (OAuth 2.0). Intuit rotates it: "
        "the connector emits each new one in a CONTROL message for the platform to store.",
    )
    realm_id: str = Field(
        pattern=r"^\d+$",
        title="Realm ID (Company ID)",
        description="The company's realm ID, all digits (QuickBooks: Settings > Account and settings > Billing "
        "& subscription > Company ID; Intuit's OAuth playground shows it as realmId).",
    )
    environment: Literal["production", "sandbox"] = Field(
        default="production",
        title="Environment",
        description="production (quickbooks.api.intuit.com) or sandbox (Intuit's developer sandbox companies).",
    )
    api_url: SecureUrl | None = Field(
        default=None,
        title="API URL",
        description="Overrides the environment's API host (e.g. Staffwire's QuickBooks sandbox on loopback).",
    )
    token_url: SecureUrl | None = Field(
        default=None,
        title="Token URL",
        description=f"Overrides Intuit's token endpoint ({TOKEN_URL}).",
    )
    minor_version: int = Field(
        default=75, ge=1, title="Minor version", description="Sent as minorversion on every request."
    )
    expense_account: str = Field(
        default="Contract Labor",
        title="Expense account for bills",
        description="Name or Id of the account bill lines are booked to (an Expense or Cost of Goods Sold "
        "account).",
    )
    income_account: str = Field(
        default="Services",
        title="Income account for service items",
        description="Name or Id of the income account of the service items placements create.",
    )
    mappings: dict[str, ObjectMapping] = Field(
        default_factory=dict,
        title="Mappings",
        description="Per QuickBooks object (Customer, Job, Item, Vendor, Bill): changes to its default mapping.",
    )
    use_batch: bool = Field(
        default=True,
        title="Use batch requests",
        description="Send creates and updates through /batch (up to 30 per request): fewer requests per record.",
    )
    batch_size: int = Field(default=30, ge=1, le=30, title="Items per batch request")
    requests_per_minute: int = Field(
        default=500,
        ge=1,
        le=100000,
        title="Requests per minute",
        description="Intuit allows 500 requests per minute per company; keep the default against QuickBooks.",
    )
    batch_requests_per_minute: int = Field(
        default=40,
        ge=1,
        le=100000,
        title="Batch requests per minute",
        description="Intuit allows 40 batch requests per minute per company.",
    )
    max_concurrency: int = Field(
        default=10, ge=1, le=10, title="Concurrent requests", description="Intuit allows 10 at a time."
    )
    commit_size: int = Field(
        default=300,
        ge=1,
        le=100000,
        title="Records per commit",
        description="Buffered records are written when this many are waiting, and at every state.",
    )
    rejected_records_path: str | None = Field(
        default=None,
        title="Rejected records file",
        description="Also write every rejected record (stream, id, reasons) to this JSONL file.",
    )
    request_timeout_s: float = Field(default=60.0, gt=0, title="Request timeout (seconds)")
    max_attempts: int = Field(default=6, ge=1, le=20, title="Attempts per request")
    backoff_base_s: float = Field(default=1.0, ge=0, title="First retry wait (seconds)")

    @field_validator("api_url", "token_url")
    @classmethod
    def _no_trailing_slash(cls, value: str | None) -> str | None:
        return value.rstrip("/") if value else value

    @property
    def base_url(self) -> str:
        return self.api_url or API_URLS[self.environment]

    @property
    def token_endpoint(self) -> str:
        return self.token_url or TOKEN_URL
