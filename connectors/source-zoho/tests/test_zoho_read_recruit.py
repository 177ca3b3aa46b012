"""Reading Zoho Recruit over real HTTP against the sandbox: exact id sets for full and incremental reads,
deletions, 204/304, faults, offsets, and the standard streams with their status maps."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from source_zoho.sandbox import ZohoSandbox
from staffwire.py310 import datetime_fromisoformat


def at(text: str) -> datetime:
    """An aware UTC datetime from any ISO 8601 offset style."""
    return datetime_fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


RAW = [
    "zoho_Candidates",
    "zoho_JobOpenings",
    "zoho_Clients",
    "zoho_Contacts",
    "zoho_Applications",
    "zoho_Interviews",
    "zoho_Departments",
]


def test_full_refresh_reads_every_record_of_every_module(sandbox: ZohoSandbox, zoho: Any) -> None:
    result = zoho.read(zoho.make_config(sandbox, page_size=5), RAW, mode="full_refresh")
    for module in RAW:
        assert sorted(zoho.ids(result, module)) == sorted(
            sandbox.ids("recruit", module.removeprefix("zoho_"))
        ), module
    assert len(zoho.ids(result, "zoho_Candidates")) == 12
    candidate = next(r for r in zoho.records(result, "zoho_Candidates") if r["id"] == "486812000000301003")
    assert candidate == sandbox.record("recruit", "Candidates", "486812000000301003")
    assert candidate["$approved"] is True  # Zoho's system fields pass through untouched


def test_pages_ask_200_sorted_by_modified_time_and_stop_on_more_records_false(
    sandbox: ZohoSandbox, zoho: Any
) -> None:
    zoho.read(zoho.make_config(sandbox), ["zoho_Candidates"], mode="full_refresh")
    calls = sandbox.requests_to(r"^/recruit/v2/Candidates$")
    assert [(c.arg("page"), c.arg("per_page"), c.arg("sort_by"), c.arg("sort_order")) for c in calls] == [
        ("1", "200", "Modified_Time", "asc")
    ]
    assert all(c.headers["authorization"].startswith("Zoho-oauthtoken 1000.us-") for c in calls)


def test_incremental_reads_only_changes_and_deletions_then_nothing(sandbox: ZohoSandbox, zoho: Any) -> None:
    config = zoho.make_config(sandbox, page_size=5)
    first = zoho.read(config, ["zoho_Candidates"])
    assert sorted(zoho.ids(first, "zoho_Candidates")) == sorted(sandbox.ids("recruit", "Candidates"))
    state = zoho.last_state(first)
    cursor = state[0]["stream"]["stream_state"]["Modified_Time"]
    newest = max(zoho.records(first, "zoho_Candidates"), key=lambda r: at(r["Modified_Time"]))
    assert at(cursor) == at(newest["Modified_Time"]) and cursor.endswith("Z")
    assert state[0]["stream"]["stream_state"]["seen"] == {newest["id"]: cursor}

    updated = sandbox.update_record("recruit", "Candidates", "486812000000301004", Candidate_Status="Hired")
    sandbox.update_record("recruit", "Candidates", "486812000000301009", City="Denver")
    sandbox.delete_record("recruit", "Candidates", "486812000000301002")
    second = zoho.read(config, ["zoho_Candidates"], state=state)
    rows = zoho.records(second, "zoho_Candidates")
    assert [r["id"] for r in rows] == ["486812000000301004", "486812000000301009", "486812000000301002"]
    assert rows[0]["Candidate_Status"] == "Hired" and rows[0]["Modified_Time"] == updated["Modified_Time"]
    [deleted] = sandbox.deleted_records("recruit", "Candidates")
    assert deleted["deleted_time"].endswith("+05:30")
    assert rows[2] == {
        "id": "486812000000301002",
        "Modified_Time": deleted["deleted_time"],
        "_deleted": True,
        "_deleted_at": deleted["deleted_time"],
        "_deletion_type": "recycle",
        "_deleted_by": {"name": "Priya Raman", "id": "486812000000078001"},
    }
    ims = [c.headers.get("if-modified-since") for c in sandbox.requests_to(r"^/recruit/v2/Candidates$")]
    assert ims[-1] is not None
    assert at(ims[-1]) == at(cursor) - timedelta(seconds=1)  # the first run's cursor, minus the lookback

    third = zoho.read(config, ["zoho_Candidates"], state=zoho.last_state(second))
    assert zoho.ids(third, "zoho_Candidates") == []
    # the lookback re-reads the newest change and deletion; both are dropped as already emitted
    assert [c.status for c in sandbox.requests_to(r"^/recruit/v2/Candidates(/deleted)?$")][-2:] == [200, 200]
    assert (
        zoho.last_state(third)[0]["stream"]["stream_state"]
        == zoho.last_state(second)[0]["stream"]["stream_state"]
    )


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(lambda sb: sb.exhaust_credits(r"^/recruit/v2/Candidates$", times=2), id="credit-429"),
        pytest.param(
            lambda sb: sb.faults.rate_limit(r"^/recruit/v2/Candidates$", times=2, retry_after="0"),
            id="429-retry-after",
        ),
        pytest.param(
            lambda sb: sb.faults.server_error(r"^/recruit/v2/Candidates$", times=2, after=1),
            id="500-on-page-2",
        ),
        pytest.param(lambda sb: sb.faults.drop(r"^/recruit/v2/Candidates$", times=1, after=2), id="dropped"),
        pytest.param(
            lambda sb: sb.faults.truncate(r"^/recruit/v2/Candidates$", times=1, after=1), id="truncated-body"
        ),
        pytest.param(lambda sb: sb.expire_tokens(), id="expired-token"),
    ],
)
def test_faults_do_not_change_the_ids_read(sandbox: ZohoSandbox, zoho: Any, fault: Any) -> None:
    config = zoho.make_config(sandbox, page_size=5)
    zoho.run("check", config)
    fault(sandbox)
    first = zoho.read(config, ["zoho_Candidates"])
    assert sorted(zoho.ids(first, "zoho_Candidates")) == sorted(sandbox.ids("recruit", "Candidates"))
    assert len(zoho.ids(first, "zoho_Candidates")) == 12

    changed = ["486812000000301001", "486812000000301006", "486812000000301011"]
    for rid in changed:
        sandbox.update_record("recruit", "Candidates", rid, Candidate_Status="Qualified")
    sandbox.delete_record("recruit", "Candidates", "486812000000301000")
    fault(sandbox)
    second = zoho.read(config, ["zoho_Candidates"], state=zoho.last_state(first))
    assert zoho.ids(second, "zoho_Candidates") == [*changed, "486812000000301000"]


def test_rate_limit_that_outlasts_the_retries_fails_the_stream_as_transient(
    sandbox: ZohoSandbox, zoho: Any
) -> None:
    config = zoho.make_config(sandbox)
    sandbox.exhaust_credits(r"^/recruit/v2/Candidates$", times=None)
    result = zoho.read(config, ["zoho_Candidates", "zoho_Clients"], ok=False)
    assert result.exit_code == 1
    assert sorted(zoho.ids(result, "zoho_Clients")) == sorted(sandbox.ids("recruit", "Clients"))
    [error] = result.trace_errors
    assert error["failure_type"] == "transient_error"
    assert "Zoho Recruit" in error["message"] and "429" in error["message"]


@pytest.mark.parametrize("offset", ["Z", "+00:00", "-08:00", "+05:30"])
def test_cursor_handles_every_offset_style(zoho: Any, offset: str) -> None:
    with ZohoSandbox(recruit_sizes={"Candidates": 6}, recruit_offset=offset) as sb:
        config = zoho.make_config(sb)
        first = zoho.read(config, ["zoho_Candidates"])
        moved = sb.update_record("recruit", "Candidates", "486812000000301001", City="Austin")
        second = zoho.read(config, ["zoho_Candidates"], state=zoho.last_state(first))
        assert zoho.ids(second, "zoho_Candidates") == ["486812000000301001"]
        suffix = "Z" if offset == "Z" else offset
        assert moved["Modified_Time"].endswith(suffix)
        cursor = zoho.last_state(second)[0]["stream"]["stream_state"]["Modified_Time"]
        assert at(cursor) == at(moved["Modified_Time"])


def test_start_date_limits_the_first_read(sandbox: ZohoSandbox, zoho: Any) -> None:
    config = zoho.make_config(sandbox, start_date="2024-04-01T00:00:00Z")
    result = zoho.read(config, ["zoho_Candidates"])
    expected = {
        rid
        for rid in sandbox.ids("recruit", "Candidates")
        if sandbox.store("recruit", "Candidates").records[rid]["Modified_Time"].isoformat()
        > "2024-04-01T00:00:00+00:00"
    }
    assert set(zoho.ids(result, "zoho_Candidates")) == expected
    assert 0 < len(expected) < 12
    [call] = sandbox.requests_to(r"^/recruit/v2/Candidates$")
    assert call.headers["if-modified-since"] == "2024-04-01T00:00:00+00:00"


def test_nothing_modified_after_the_cursor_answers_304_and_reads_as_no_data(
    sandbox: ZohoSandbox, zoho: Any
) -> None:
    result = zoho.read(zoho.make_config(sandbox, start_date="2030-01-01T00:00:00+05:30"), ["zoho_Candidates"])
    assert zoho.ids(result, "zoho_Candidates") == []
    calls = sandbox.requests_to(r"^/recruit/v2/Candidates(/deleted)?$")
    assert [(c.path, c.status) for c in calls] == [
        ("/recruit/v2/Candidates", 304),
        ("/recruit/v2/Candidates/deleted", 304),
    ]
    assert all(at(c.headers["if-modified-since"]) == at("2029-12-31T18:30:00Z") for c in calls)


def test_empty_module_answers_204_and_reads_as_no_data(zoho: Any) -> None:
    with ZohoSandbox(recruit_sizes={"Departments": 0}) as sb:
        result = zoho.read(zoho.make_config(sb), ["zoho_Departments"], mode="full_refresh")
        assert zoho.ids(result, "zoho_Departments") == []
        assert [c.status for c in sb.requests_to(r"^/recruit/v2/Departments$")] == [204]


# ---------------------------------------------------------------------------------------- standard streams
def test_standard_candidates_map_statuses_with_defaults(sandbox: ZohoSandbox, zoho: Any) -> None:
    result = zoho.read(zoho.make_config(sandbox), ["candidates"], mode="full_refresh")
    rows = {r["remote_id"]: r for r in zoho.records(result, "candidates")}
    assert set(rows) == sandbox.ids("recruit", "Candidates")
    statuses = {r["original_status"]: r["status"] for r in rows.values()}
    assert statuses == {
        "New": "new",
        "Qualified": "active",
        "Contacted": "active",
        "Hired": "placed",
        "Rejected": "inactive",
        "Joined": "placed",
        "Offer-Made": "active",
        "On-Hold": "inactive",
        "Unqualified": "inactive",
        "Junk candidate": "do_not_use",
        "Waiting-for-Evaluation": "new",
        "Bench": "other",
    }
    one = rows["486812000000301003"]
    raw = sandbox.record("recruit", "Candidates", "486812000000301003")
    assert one["id"] == "zoho_recruit:486812000000301003"
    assert one["source_system"] == "zoho_recruit"
    assert one["first_name"] == raw["First_Name"]
    assert (
        raw["Email"] == "  Mia.Nguyen3@Example.Com " and one["email"] == "mia.nguyen3@example.com"
    )  # seeded messy
    assert one["owner"] == {
        "id": f"zoho_recruit:{raw['Candidate_Owner']['id']}",
        "name": raw["Candidate_Owner"]["name"],
    }
    assert one["address"]["country"] == "US"
    assert one["skills"] == [s.strip() for s in raw["Skill_Set"].split(",")]
    assert one["custom_fields"] == {"Preferred_Shift": raw["Preferred_Shift"], "Security_Clearance": False}
    assert rows["486812000000301000"]["custom_fields"] == {
        "Preferred_Shift": "Day",
        "Security_Clearance": True,
        "Visa_Status": "Citizen",
    }


def test_status_maps_in_the_config_override_the_defaults(sandbox: ZohoSandbox, zoho: Any) -> None:
    config = zoho.make_config(sandbox, status_maps={"candidates": {"Bench": "active", "Hired": "active"}})
    result = zoho.read(config, ["candidates"], mode="full_refresh")
    statuses = {r["original_status"]: r["status"] for r in zoho.records(result, "candidates")}
    assert statuses["Bench"] == "active" and statuses["Hired"] == "active" and statuses["Joined"] == "placed"


def test_standard_streams_reference_each_other_by_standard_id(sandbox: ZohoSandbox, zoho: Any) -> None:
    result = zoho.read(
        zoho.make_config(sandbox),
        ["candidates", "jobs", "clients", "contacts", "submissions", "interviews"],
        mode="full_refresh",
    )
    counts = {
        s: len(zoho.records(result, s))
        for s in ("candidates", "jobs", "clients", "contacts", "submissions", "interviews")
    }
    assert counts == {
        "candidates": 12,
        "jobs": 5,
        "clients": 4,
        "contacts": 5,
        "submissions": 8,
        "interviews": 4,
    }
    candidates = {r["id"] for r in zoho.records(result, "candidates")}
    jobs = {r["id"] for r in zoho.records(result, "jobs")}
    clients = {r["id"] for r in zoho.records(result, "clients")}
    for sub in zoho.records(result, "submissions"):
        assert sub["candidate_id"] in candidates and sub["job_id"] in jobs
    for job in zoho.records(result, "jobs"):
        assert job["client_id"] in clients
    stages = {r["original_status"]: r["stage"] for r in zoho.records(result, "submissions")}
    assert stages["Submitted-to-client"] == "client_submitted" and stages["Hired"] == "placed"


def test_standard_stream_emits_deletions_with_remote_deleted_at(sandbox: ZohoSandbox, zoho: Any) -> None:
    config = zoho.make_config(sandbox)
    first = zoho.read(config, ["candidates"])
    sandbox.delete_record("recruit", "Candidates", "486812000000301007", permanent=True)
    when = sandbox.clock.strftime("%Y-%m-%dT%H:%M:%SZ")
    second = zoho.read(config, ["candidates"], state=zoho.last_state(first))
    [record] = zoho.records(second, "candidates")
    assert {k: v for k, v in record.items() if v not in (None, [], {})} == {
        "id": "zoho_recruit:486812000000301007",
        "remote_id": "486812000000301007",
        "source_system": "zoho_recruit",
        "remote_updated_at": when,
        "remote_deleted_at": when,
    }


def test_a_value_that_cannot_be_normalised_is_nulled_with_a_meta_change_and_the_record_goes_on(
    sandbox: ZohoSandbox, zoho: Any
) -> None:
    sandbox.update_record("recruit", "Candidates", "486812000000301008", Email="not an email")
    result = zoho.read(zoho.make_config(sandbox), ["candidates"], mode="full_refresh")
    assert sorted(zoho.ids(result, "candidates")) == sorted(
        f"zoho_recruit:{i}" for i in sandbox.ids("recruit", "Candidates")
    )
    assert not [m for m in result.log_messages("WARN") if "rejected" in m]
    [changed] = [
        m for m in result.record_messages("candidates") if m["data"]["remote_id"] == "486812000000301008"
    ]
    assert changed["data"]["email"] is None
    assert {"field": "email", "change": "NULLED", "reason": "SOURCE_SERIALIZATION_ERROR"} in changed["meta"][
        "changes"
    ]


def test_a_phone_that_is_not_a_phone_number_is_null_in_the_standard_record_and_kept_in_the_raw_one(
    zoho: Any,
) -> None:
    with ZohoSandbox(recruit_sizes={"Candidates": 14}) as sb:
        raw = sb.record("recruit", "Candidates", "486812000000301013")
        assert raw["Phone"] == "call front desk"  # seeded: free text people type into phone fields
        result = zoho.read(zoho.make_config(sb), ["zoho_Candidates", "candidates"], mode="full_refresh")
        [kept] = [r for r in zoho.records(result, "zoho_Candidates") if r["id"] == "486812000000301013"]
        assert kept["Phone"] == "call front desk"
        assert len(zoho.ids(result, "candidates")) == 14
        [message] = [
            m for m in result.record_messages("candidates") if m["data"]["remote_id"] == "486812000000301013"
        ]
        assert message["data"]["phone"] is None
        assert {"field": "phone", "change": "NULLED", "reason": "SOURCE_SERIALIZATION_ERROR"} in message[
            "meta"
        ]["changes"]
        assert not [m for m in result.log_messages("WARN") if "rejected" in m]


def test_jobs_come_from_job_openings_under_either_api_name(zoho: Any) -> None:
    with ZohoSandbox(recruit_sizes={"JobOpenings": 4}) as sb:
        sb.rename_module("recruit", "JobOpenings", "Job_Openings")
        result = zoho.read(zoho.make_config(sb), ["zoho_Job_Openings", "jobs"], mode="full_refresh")
        assert sorted(zoho.ids(result, "jobs")) == sorted(
            f"zoho_recruit:{i}" for i in sb.ids("recruit", "Job_Openings")
        )
        assert sorted(zoho.ids(result, "zoho_Job_Openings")) == sorted(sb.ids("recruit", "Job_Openings"))
        assert sb.requests_to(r"^/recruit/v2/Job_Openings$")


def test_a_change_in_the_same_second_as_the_cursor_is_not_lost(sandbox: ZohoSandbox, zoho: Any) -> None:
    config = zoho.make_config(sandbox)
    first = zoho.read(config, ["zoho_Candidates"])
    state = zoho.last_state(first)
    cursor = at(state[0]["stream"]["stream_state"]["Modified_Time"])
    [newest] = list(state[0]["stream"]["stream_state"]["seen"])
    other = sorted(sandbox.ids("recruit", "Candidates") - {newest})[0]
    sandbox.update_record(
        "recruit", "Candidates", other, at=cursor, City="Raleigh"
    )  # committed after the read
    second = zoho.read(config, ["zoho_Candidates"], state=state)
    assert zoho.ids(second, "zoho_Candidates") == [
        other
    ]  # the newest record of the first run is not repeated
    assert zoho.records(second, "zoho_Candidates")[0]["City"] == "Raleigh"


def test_a_record_changed_during_a_full_read_shifts_nothing_out_of_it(zoho: Any) -> None:
    with ZohoSandbox(recruit_sizes={"Candidates": 12}) as sb:
        changed: list[str] = []

        def change_first_record_once(module: str, rows: list[dict[str, Any]]) -> None:
            if module == "Candidates" and not changed:
                changed.append(rows[0]["id"])
                sb.update_record("recruit", "Candidates", rows[0]["id"], City="Boise")

        sb.on_page = change_first_record_once
        result = zoho.read(zoho.make_config(sb, page_size=3), ["zoho_Candidates"], mode="full_refresh")
        got = zoho.ids(result, "zoho_Candidates")
        assert set(got) == sb.ids("recruit", "Candidates")  # page numbers would have lost the 4th record
        assert got.count(changed[0]) == 2 and len(got) == 13  # the old version, then the new one
        assert zoho.records(result, "zoho_Candidates")[-1] == sb.record("recruit", "Candidates", changed[0])
