"""Custom fields a connection maps by their label in the tenant's meta, whatever API name the tenant gave them."""

from __future__ import annotations

from typing import Any

from source_bullhorn.sandbox import BullhornSandbox

LABELS = {"candidates": {"clearance": "security clearance", "badge": "Badge Number"}}


def test_a_custom_field_mapped_by_label_lands_under_the_connections_name(
    bullhorn: Any, sandbox: BullhornSandbox
) -> None:
    result = bullhorn.read(bullhorn.config(custom_field_labels=LABELS), ["candidates"])
    records = {int(r["remote_id"]): r for r in result.records("candidates")}
    for cid, row in sandbox.rows["Candidate"].items():
        assert records[cid]["custom_fields"]["clearance"] == row["customText1"]  # labelled Security Clearance
        assert "badge" not in records[cid]["custom_fields"]


def test_a_label_the_tenant_lacks_is_reported_once_by_discover(bullhorn: Any) -> None:
    result = bullhorn.run("discover", bullhorn.config(custom_field_labels=LABELS))
    assert [m for m in result.log_messages("WARN") if "labelled" in m] == [
        "stream candidates: no Candidate custom field is labelled 'Badge Number' in this tenant's meta "
        "(custom_field_labels.candidates.badge); custom_fields.badge will be null"
    ]


def test_an_unknown_stream_in_custom_field_labels_is_a_config_error(bullhorn: Any) -> None:
    result = bullhorn.run(
        "discover", bullhorn.config(custom_field_labels={"candidate": {"x": "Security Clearance"}})
    )
    assert result.exit_code == 1
    assert result.trace_errors[0]["failure_type"] == "config_error"
    assert result.trace_errors[0]["message"].startswith(
        "custom_field_labels.candidate: not a standard stream of source-bullhorn; use one of candidates, jobs"
    )
