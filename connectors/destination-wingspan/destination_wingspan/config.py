"""The destination-wingspan config model (field order = the spec's ``order``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
from staffwire.spec import SecureUrl

__all__ = [
    "DEFAULT_CONTRACTOR_LABELS",
    "DEFAULT_PLACEMENT_LABELS",
    "StreamMapping",
    "WingspanAuth",
    "WingspanConfig",
]

#: Contractor labels from the candidate record: label key -> field spec of :mod:`staffwire.mapping` (a plain
#: string is a path; see :mod:`destination_wingspan.mapping`).
DEFAULT_CONTRACTOR_LABELS: dict[str, Any] = {
    "staffwire_id": "id",
    "source_system": "source_system",
}
#: Labels a placement adds to its contractor.
DEFAULT_PLACEMENT_LABELS: dict[str, Any] = {
    "placement_id": "id",
    "client_id": "client_id",
    "job_id": "job_id",
    "pay_rate": "pay_rate",
    "bill_rate": "bill_rate",
    "pay_unit": "pay_unit",
    "start_date": "start_date",
    "end_date": "end_date",
}


class StreamMapping(BaseModel):
    """Map any input stream onto a Wingspan target: each target field gets a field of :mod:`staffwire.mapping`
    (a path such as ``"candidate_id"``, ``{"const": "USD"}``, ``{"template": "placement:{id}:week1"}``, or a path
    with transforms such as ``{"path": "pay_rate", "transforms": [{"multiply": 40}, "money"]}``)."""

    model_config = ConfigDict(extra="forbid")

    stream: str = Field(title="Input stream", description="The input stream this mapping applies to.")
    target: Literal["payables", "contractors", "invoices"] = Field(
        title="Wingspan target",
        description="payables: fields of a standard payable (worker_id, amount, currency, due_date, description, "
        "reference, line_items); contractors: fields of a standard candidate (id, email, first_name, last_name); "
        "invoices: client invoices (reference, client_email, client_name, due_date, currency, amount or "
        "line_items, description).",
    )
    fields: dict[str, Any] = Field(
        title="Field mapping",
        description='Target field -> field spec of the Staffwire mapping engine: a path ("candidate_id"), '
        '{"const": "USD"}, {"template": "placement:{id}:week1"} or {"path": ..., "transforms": [...]}.',
    )
    when: dict[str, Any] | None = Field(
        default=None,
        title="Condition",
        description='Only records matching this condition are mapped, e.g. {"field": "pay_unit", "in": ["hour"]}.',
    )


class WingspanAuth(BaseModel):
    """How to reach a Wingspan account: the config fields destination-wingspan and source-wingspan share (their
    specs list them first, in this order)."""

    model_config = ConfigDict(extra="ignore")

    api_token: SecretStr = Field(
        title="API token", description="A Wingspan API token (Settings > API tokens)."
    )
    api_url: SecureUrl = Field(
        default="https://api.wingspan.app",
        title="API URL",
        description="https://api.wingspan.app (production) or https://stagingapi.wingspan.app; plain http:// is "
        "accepted only for loopback hosts (sandboxes).",
    )
    acting_user_id: str | None = Field(
        default=None,
        title="Acting user ID",
        description="Act as this child account (sent as X-WINGSPAN-USER), e.g. one legal entity's payer.",
    )

    @field_validator("api_token")
    @classmethod
    def _not_blank(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            raise ValueError(
                "config field 'api_token' is empty: put a Wingspan API token in it (Settings > API tokens)"
            )
        return value

    @field_validator("api_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")  # request paths start with "/"


class WingspanConfig(WingspanAuth):
    contractor_trigger: dict[str, Any] = Field(
        default_factory=lambda: {"field": "status", "in": ["placed"]},
        title="Contractor trigger",
        description="Candidates matching this condition become Wingspan contractors.",
    )
    contractor_mode: Literal["bulk", "payee"] = Field(
        default="bulk",
        title="Contractor API",
        description="bulk: bulk collaborator batches (Wingspan's Contractor Batch Items; best for volume); "
        "payee: one POST /payments/payee per contractor (immediate, per-record errors).",
    )
    contractor_labels: dict[str, Any] = Field(
        default_factory=lambda: dict(DEFAULT_CONTRACTOR_LABELS),
        title="Contractor labels",
        description="Label key -> field spec, from the candidate record (a path; custom fields too: "
        '"custom_fields.customText1"; {"const": "gold"} for a fixed value).',
    )
    placement_labels: dict[str, Any] = Field(
        default_factory=lambda: dict(DEFAULT_PLACEMENT_LABELS),
        title="Placement labels",
        description="Label key -> field spec, from a placement record; added to the placed candidate's contractor.",
    )
    deactivate_untriggered: bool = Field(
        default=False,
        title="Deactivate contractors who no longer match the trigger",
        description="Set a contractor Inactive when its candidate no longer matches contractor_trigger (e.g. "
        "placed, then inactive). Off by default: a candidate between placements may still be owed pay. A deleted "
        "candidate (remote_deleted_at set) is set Inactive either way.",
    )
    stream_mappings: list[StreamMapping] = Field(
        default_factory=list,
        title="Stream mappings",
        description="Write other input streams (or more from the standard ones) as payables or contractors.",
    )
    payable_status: Literal["Draft", "Open", "Approved"] = Field(
        default="Draft", title="Payable status", description="The status new payables get in Wingspan."
    )
    invoice_status: Literal["Draft", "Open"] = Field(
        default="Draft", title="Invoice status", description="The status new client invoices get in Wingspan."
    )
    rejected_records_path: str | None = Field(
        default=None,
        title="Rejected records file",
        description="Also write every rejected record (stream, id, reasons) to this JSONL file.",
    )
    contractor_batch_size: int = Field(default=500, ge=1, le=5000, title="Contractor batch size")
    payable_batch_size: int = Field(default=500, ge=1, le=5000, title="Payable batch size")
    writes_per_second: float = Field(
        default=100.0,
        gt=0,
        title="Writes per second",
        description="Wingspan's published limit is 100 writes/s.",
    )
    max_concurrency: int = Field(default=8, ge=1, le=64, title="Concurrent requests")
    poll_interval_s: float = Field(default=2.0, gt=0, title="Batch poll interval (seconds)")
    max_batch_wait_s: float = Field(default=1800.0, gt=0, title="Longest wait for one batch (seconds)")
    flush_interval_s: float = Field(
        default=300.0,
        gt=0,
        title="Commit interval (seconds)",
        description="Buffered records are committed at least this often, so states keep flowing.",
    )
    request_timeout_s: float = Field(default=60.0, gt=0, title="Request timeout (seconds)")
    max_attempts: int = Field(default=6, ge=1, le=20, title="Attempts per request")
    backoff_base_s: float = Field(default=0.5, ge=0, title="First retry wait (seconds)")
