"""The source-bullhorn config: what a connection must (and may) say. Field order is the spec's ``order``."""

from __future__ import annotations

from pydantic import BaseModel, Field, SecretStr, field_validator
from staffwire.spec import SecureUrl
from staffwire.state import parse_cursor
from staffwire.token_fields import HIDDEN

__all__ = ["DEFAULT_CDC_ENTITIES", "BullhornConfig", "BullhornLogin", "ChangeDataCapture"]

DEFAULT_LOGIN_INFO_URL = "https://rest.bullhornstaffing.com/rest-services/loginInfo"
DEFAULT_CDC_ENTITIES = [
    "Candidate",
    "ClientContact",
    "ClientCorporation",
    "JobOrder",
    "JobSubmission",
    "Placement",
]


class ChangeDataCapture(BaseModel):
    """Incremental reads from Bullhorn event subscriptions instead of dateLastModified queries."""

    enabled: bool = Field(
        default=False, title="Enabled", description="Read changes from event subscriptions."
    )
    subscription_prefix: str = Field(
        default="staffwire",
        title="Subscription prefix",
        description="Each entity gets the subscription '{prefix}-{Entity}'; it is created or reused.",
        pattern=r"^[A-Za-z0-9_-]{1,40}$",
    )
    entities: list[str] = Field(
        default_factory=lambda: list(DEFAULT_CDC_ENTITIES),
        title="Entities",
        description="Entities read through events; the others keep dateLastModified queries.",
    )
    max_events: int = Field(default=500, ge=1, le=500, title="Events per batch")


class BullhornLogin(BaseModel):
    """How to log in to a Bullhorn tenant: the config fields source-bullhorn and destination-bullhorn share (their
    specs list them first, in this order)."""

    client_id: str = Field(
        title="Client ID", description="OAuth client id of the Bullhorn API user.", min_length=1
    )
    client_secret: SecretStr = Field(title="Client secret", description="OAuth client secret.")
    username: str = Field(title="Username", description="The Bullhorn API user's username.", min_length=1)
    password: SecretStr = Field(title="Password", description="The Bullhorn API user's password.")
    login_info_url: SecureUrl = Field(
        default=DEFAULT_LOGIN_INFO_URL,
        title="Login info URL",
        description="Bullhorn's data-center discovery endpoint; the connector follows it to your data center.",
    )


class BullhornConfig(BullhornLogin):
    start_date: str | None = Field(
        default=None,
        title="Start date",
        description="ISO 8601; records last modified before it are not read. Empty: everything.",
        examples=["2024-01-01T00:00:00Z"],
    )
    page_size: int = Field(
        default=500,
        ge=1,
        le=500,
        title="Page size",
        description="Rows asked per request (Bullhorn caps at 500).",
    )
    entities: list[str] | None = Field(
        default=None,
        title="Raw entities",
        description="Only these entities as raw streams (default: every entity the tenant exposes in meta).",
    )
    status_maps: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        title="Status maps",
        description="Per standard stream, Bullhorn status -> standard status, over the defaults; e.g. "
        '{"candidates": {"Custom Hire": "placed"}}.',
    )
    custom_field_labels: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        title="Custom fields by label",
        description="Per standard stream, a name of your choice -> the label of a Bullhorn custom field in this "
        "tenant's meta; the value lands in custom_fields under that name, whatever API name (customText3...) "
        'the tenant gave the field, e.g. {"candidates": {"clearance": "Security Clearance"}}.',
    )
    lookback_seconds: int = Field(
        default=300,
        ge=0,
        title="Lookback (seconds)",
        description="Incremental reads start this much earlier.",
    )
    requests_per_minute: int = Field(
        default=1200,
        ge=1,
        title="Requests per minute",
        description="Client-side rate limit (Bullhorn publishes about 1,500 requests per minute).",
    )
    max_concurrency: int = Field(
        default=3, ge=1, le=16, title="Parallel requests", description="Page fetches in flight at once."
    )
    session_ttl_minutes: int = Field(
        default=60, ge=1, le=2880, title="Session lifetime (minutes)", description="ttl of the REST login."
    )
    retry_base_seconds: float = Field(
        default=1.0,
        ge=0.0,
        title="Retry base wait (seconds)",
        description="First back-off wait after a 429 or 5xx.",
    )
    change_data_capture: ChangeDataCapture = Field(
        default_factory=ChangeDataCapture, title="Change data capture"
    )
    # Filled by the platform from the connector's CONTROL message (staffwire.token_fields): Bullhorn's refresh
    # tokens are single use, so the one an earlier process received must be the one the next process spends.
    refresh_token: SecretStr | None = Field(
        default=None,
        title="Refresh token",
        description="Filled by the platform: the single-use refresh token of the last login.",
        json_schema_extra=HIDDEN,
    )
    access_token: SecretStr | None = Field(
        default=None,
        title="REST session token",
        description="Filled by the platform: the BhRestToken of the last login, reused until token_expiry_date.",
        json_schema_extra=HIDDEN,
    )
    rest_url: str | None = Field(
        default=None,
        title="REST URL",
        description="Filled by the platform: the corporation's REST URL that goes with access_token.",
        json_schema_extra=HIDDEN,
    )
    token_expiry_date: str | None = Field(
        default=None,
        title="Session expiry",
        description="Filled by the platform: when access_token expires (ISO 8601 UTC).",
        json_schema_extra=HIDDEN,
    )

    @field_validator("start_date")
    @classmethod
    def _start(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        try:
            parse_cursor(value)
        except ValueError:
            raise ValueError(
                f"start_date must be an ISO 8601 date or time, e.g. 2024-01-01T00:00:00Z; got {value!r}"
            ) from None
        return value

    def start_ms(self) -> int | None:
        if not self.start_date:
            return None
        return int(parse_cursor(self.start_date).timestamp() * 1000)
