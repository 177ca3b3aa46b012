"""Standard fields are found through the tenant's field metadata, not hard-coded API names; a field the tenant
lacks is reported once, naming the stream, the field and what was looked for."""

from __future__ import annotations

from typing import Any

from source_zoho.sandbox import ZohoSandbox


def test_interviews_find_renamed_datetime_fields_and_the_job_lookup_through_metadata(zoho: Any) -> None:
    with ZohoSandbox() as sb:
        sb.rename_field("recruit", "Interviews", "From", "Start_DateTime")
        sb.rename_field("recruit", "Interviews", "To", "End_DateTime")
        sb.rename_field("recruit", "Interviews", "Job_Opening_Name", "Job_Opening", label="Job Opening")
        result = zoho.read(zoho.make_config(sb), ["zoho_Interviews", "interviews"], mode="full_refresh")
        raw = {r["id"]: r for r in zoho.records(result, "zoho_Interviews")}
        standard = zoho.records(result, "interviews")
        assert len(standard) == len(raw) == 6
        for record in standard:
            row = raw[record["remote_id"]]
            assert record["job_id"] == f"zoho_recruit:{row['Job_Opening']['id']}"
            assert record["start_at"] is not None and record["end_at"] is not None
            assert record["start_at"][:16] < record["end_at"][:16]
        assert not [m for m in result.log_messages("WARN") if "cannot find" in m]


def test_a_field_the_tenant_lacks_is_reported_once_by_discover_and_stays_null(zoho: Any) -> None:
    with ZohoSandbox() as sb:
        sb.drop_field("recruit", "Interviews", "To")
        discovered = zoho.run("discover", zoho.make_config(sb))
        assert [m for m in discovered.log_messages("WARN") if "cannot find" in m] == [
            "stream interviews: cannot find end_at in module Interviews: its field metadata has no datetime "
            "field labelled 'To' or 'End DateTime' or 'End Time', else the second such field that is not a "
            "system field; end_at will be null"
        ]
        result = zoho.read(zoho.make_config(sb), ["interviews"], mode="full_refresh")
        assert {r["end_at"] for r in zoho.records(result, "interviews")} == {None}
        assert None not in {r["start_at"] for r in zoho.records(result, "interviews")}
