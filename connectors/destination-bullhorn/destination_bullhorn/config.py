"""The destination-bullhorn config: source-bullhorn's auth fields and rate budget, and the per-stream write
settings of data activation (field order = the spec's ``order``)."""

from __future__ import annotations

from pydantic import ConfigDict, Field
from source_bullhorn.config import BullhornConfig, BullhornLogin
from staffwire.activation.config import StreamWrite

__all__ = ["BullhornDestinationConfig"]


class BullhornDestinationConfig(BullhornLogin):
    model_config = ConfigDict(extra="ignore")

    streams: dict[str, StreamWrite] = Field(
        default_factory=dict,
        title="Streams",
        description="Per input stream: mapping to the object's fields, owned_fields, write_nulls, when "
        "(the runner fills it from the connection's streams). A stream without an entry is written as it is.",
    )
    batch_size: int = Field(
        default=100,
        ge=1,
        le=500,
        title="Batch size",
        description="Records compared per batch: their current values are read in one request per matching key.",
    )
    requests_per_minute: int = Field(
        default=1500,
        ge=1,
        title="Requests per minute",
        description="Client-side rate limit (Bullhorn publishes about 1,500 requests per minute).",
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
    rejected_records_path: str | None = Field(
        default=None,
        title="Rejected records file",
        description="Append every rejected record (stream, id, reasons) to this JSONL file.",
    )

    def source_config(self) -> BullhornConfig:
        """The same login and rate budget as source-bullhorn's config (its client and auth are reused)."""
        return BullhornConfig(
            client_id=self.client_id,
            client_secret=self.client_secret,
            username=self.username,
            password=self.password,
            login_info_url=self.login_info_url,
            requests_per_minute=self.requests_per_minute,
            max_concurrency=1,
            session_ttl_minutes=self.session_ttl_minutes,
            retry_base_seconds=self.retry_base_seconds,
        )
