"""One error tree for every Staffwire failure.

Errors are classified by what the user (or the platform) should do next, which is exactly the Airbyte
protocol's ``failure_type``:

* :class:`ConfigError` -- the user must change something (credentials, a config field, the catalog);
* :class:`TransientError` -- an outage or a limit; running again later should succeed;
* :class:`InternalError` -- a bug in a connector or in Staffwire (``system_error``);
* :class:`RecordRejected` -- one record cannot be processed; it is reported and the sync goes on.

Every message is written for a person: it names the system, the stream and the request, and says what to do.
Wrap a dependency's exception with ``raise ConfigError(...) from exc`` so callers never catch library types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, ClassVar

__all__ = [
    "ConfigError",
    "FailureType",
    "InternalError",
    "RecordRejected",
    "Rejection",
    "StaffwireError",
    "TransientError",
]


class FailureType(str, Enum):
    """The protocol's ``AirbyteErrorTraceMessage.failure_type`` values."""

    config_error = "config_error"
    system_error = "system_error"
    transient_error = "transient_error"


class StaffwireError(Exception):
    """Root of every error Staffwire raises on purpose.

    ``message`` is shown to the user; ``internal_message`` carries technical detail for the logs.
    ``stream`` and ``request`` (e.g. ``"GET /search/Candidate"``) locate the failure.
    """

    failure_type: ClassVar[FailureType] = FailureType.system_error

    def __init__(
        self,
        message: str,
        *,
        internal_message: str | None = None,
        stream: str | None = None,
        request: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.internal_message = internal_message
        self.stream = stream
        self.request = request
        self.status = status

    def __str__(self) -> str:
        return self.message


class ConfigError(StaffwireError):
    """The user must fix the config, the credentials or the catalog."""

    failure_type = FailureType.config_error


class TransientError(StaffwireError):
    """An outage, a timeout or a rate limit that outlasted the retries: try again later."""

    failure_type = FailureType.transient_error


class InternalError(StaffwireError):
    """A bug: the connector or Staffwire did something it should not have."""

    failure_type = FailureType.system_error


@dataclass(frozen=True)
class Rejection:
    """One machine-readable reason why a record was refused (rule, field, offending value)."""

    rule: str
    field: str | None = None
    value: Any = None
    message: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "field": self.field, "value": self.value, "message": self.message}


@dataclass
class RecordRejected(Exception):
    """A single record cannot be processed; the sync reports it and goes on (skippable)."""

    reasons: list[Rejection] = field(default_factory=list)
    stream: str | None = None
    record_id: str | None = None

    def reasons_text(self) -> str:
        """The reasons as one line (``"; "``-joined; a reason without a message reads "<rule> failed on <field>")."""
        return "; ".join(r.message or f"{r.rule} failed on {r.field}" for r in self.reasons)

    def __str__(self) -> str:
        what = " ".join(p for p in (self.stream, self.record_id) if p)
        why = self.reasons_text()
        return f"record {what} rejected: {why}" if what else f"record rejected: {why}"
