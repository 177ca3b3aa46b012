"""The source-wingspan config model: destination-wingspan's auth fields first (same names, same meaning), then
how to read."""

from __future__ import annotations

from destination_wingspan.config import WingspanAuth
from pydantic import Field

__all__ = ["SourceWingspanConfig"]


class SourceWingspanConfig(WingspanAuth):
    collaborator_events: bool = Field(
        default=True,
        title="Read onboarding events",
        description="Add each changed collaborator's onboarding events (GET /payments/collaborator/{id}/events: "
        "signed up, identity verified, tax documentation verified, payout method added) to the Collaborator "
        "stream, and date a ready worker's onboarded_at from them. One extra request per changed collaborator.",
    )
    requests_per_second: float = Field(
        default=100.0,
        gt=0,
        title="Requests per second",
        description="Wingspan's published read limit is 200 GET/s per account; stay below it.",
    )
    max_concurrency: int = Field(default=4, ge=1, le=32, title="Concurrent requests")
    request_timeout_s: float = Field(default=60.0, gt=0, title="Request timeout (seconds)")
    max_attempts: int = Field(default=6, ge=1, le=20, title="Attempts per request")
    backoff_base_s: float = Field(default=0.5, ge=0, title="First retry wait (seconds)")
