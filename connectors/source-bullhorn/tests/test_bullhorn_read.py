"""Reading from the Bullhorn sandbox over real HTTP: exact id sets in full and incremental reads, explicit field
lists, key paging under the 200-row cap, soft deletes, and every fault switch."""

from __future__ import annotations

import time
from typing import Any

import pytest
from source_bullhorn.sandbox import BullhornSandbox
from source_bullhorn.source import CORE_ENTITIES


def next_second() -> None:
    """Incremental windows end at the whole second a read starts (Lucene dates have no milliseconds), so a change
    made in the same second as a read belongs to the read after the next second begins."""
    time.sleep(1.0 - time.time() % 1.0 + 0.01)


ENTITIES = list(CORE_ENTITIES)


def test_full_read_returns_every_row_of_every_entity_including_soft_deleted(
    bullhorn: Any, helpers: Any, sandbox: BullhornSandbox
) -> None:
    result = bullhorn.read(bullhorn.config(), ENTITIES)
    for entity in ENTITIES:
        assert helpers.ids(result, entity) == sandbox.ids(entity), entity
    deleted = sandbox.ids("Candidate", deleted=True)
    assert deleted, "the seed soft-deletes some candidates"
    assert sorted(r["id"] for r in result.records("Candidate") if r["isDeleted"]) == deleted


def test_reads_ask_explicit_fields_and_page_by_key_never_by_offset(
    bullhorn: Any, sandbox: BullhornSandbox
) -> None:
    bullhorn.read(bullhorn.config(max_concurrency=1), ["Candidate", "Sendout"])
    lists = sandbox.requests_to(r"/(search|query)/")
    assert lists
    for request in lists:
        assert request.arg("fields") not in (None, "*")
        assert request.arg("start") == "0"
    searches = sandbox.requests_to(r"/search/Candidate")
    assert all(r.arg("query").startswith("id:{") for r in searches)
    assert "(isDeleted:0 OR isDeleted:1)" in searches[0].arg("query")
    fields = searches[0].arg("fields").split(",")
    assert "owner(id" in searches[0].arg("fields") and "primarySkills[10](id" in searches[0].arg("fields")
    assert "bhTimeStamp" not in fields
    queries = sandbox.requests_to(r"/query/Sendout")
    assert queries[0].arg("where").startswith("id > 0")
    assert queries[0].arg("showTotalMatched") == "true"


def test_paging_follows_the_count_bullhorn_returns_when_it_caps_wide_pages_at_200(make_bullhorn: Any) -> None:
    with BullhornSandbox(seed=3, candidates=450) as sandbox:
        bullhorn = make_bullhorn(sandbox)
        result = bullhorn.read(bullhorn.config(max_concurrency=1), ["Candidate"])
        assert sorted(r["id"] for r in result.records("Candidate")) == sandbox.ids("Candidate")
        pages = sandbox.requests_to(r"/search/Candidate")
        assert [p.arg("count") for p in pages] == ["500", "500", "500"]  # asked 500, got 200, 200, 50
        assert len(result.records("Candidate")) == 450


def test_parallel_id_ranges_yield_every_row_once_in_id_order(make_bullhorn: Any) -> None:
    with BullhornSandbox(seed=5, candidates=600) as sandbox:
        bullhorn = make_bullhorn(sandbox)
        result = bullhorn.read(bullhorn.config(max_concurrency=3, page_size=50), ["Candidate"])
        got = [r["id"] for r in result.records("Candidate")]
        assert got == sandbox.ids("Candidate")


def test_incremental_reads_exactly_the_changed_rows(
    bullhorn: Any, helpers: Any, sandbox: BullhornSandbox
) -> None:
    config = bullhorn.config()
    first = bullhorn.read(config, ["Candidate", "JobSubmission"], mode="incremental")
    assert helpers.ids(first, "Candidate") == sandbox.ids("Candidate")
    state = helpers.final_state(first)
    sandbox.update("Candidate", 5, status="Placed")
    new_id = sandbox.add("Candidate", firstName="Nia", lastName="Okafor", status="New Lead")
    sandbox.soft_delete("Candidate", 9)
    sandbox.update("JobSubmission", 3, status="Client Rejected")
    next_second()
    second = bullhorn.read(config, ["Candidate", "JobSubmission"], mode="incremental", state=state)
    assert helpers.ids(second, "Candidate") == [5, 9, new_id]
    assert helpers.ids(second, "JobSubmission") == [3]
    by_id = {r["id"]: r for r in second.records("Candidate")}
    assert by_id[9]["isDeleted"] is True and by_id[5]["status"] == "Placed"
    next_second()
    third = bullhorn.read(config, ["Candidate"], mode="incremental", state=helpers.final_state(second))
    assert helpers.ids(third, "Candidate") == []


def test_rows_at_equal_timestamps_are_all_read_once(
    bullhorn: Any, helpers: Any, sandbox: BullhornSandbox
) -> None:
    config = bullhorn.config(page_size=2, max_concurrency=1)
    first = bullhorn.read(config, ["Candidate"], mode="incremental")
    now = sandbox.clock()
    for candidate in (41, 3, 20, 7, 11):
        sandbox.update("Candidate", candidate, dateLastModified=now, status="Active")
    next_second()
    second = bullhorn.read(config, ["Candidate"], mode="incremental", state=helpers.final_state(first))
    assert [r["id"] for r in second.records("Candidate")] == [3, 7, 11, 20, 41]


def test_lookback_rereads_recent_rows(bullhorn: Any, helpers: Any, sandbox: BullhornSandbox) -> None:
    config = bullhorn.config(lookback_seconds=3600)
    first = bullhorn.read(config, ["Candidate"], mode="incremental")
    sandbox.update("Candidate", 4, status="Active")
    state = helpers.final_state(first)
    cursor = state[0]["stream"]["stream_state"]["dateLastModified"]
    sandbox.update("Candidate", 6, dateLastModified=cursor - 60_000)  # committed late with an older timestamp
    next_second()
    second = bullhorn.read(config, ["Candidate"], mode="incremental", state=state)
    assert helpers.ids(second, "Candidate") == [4, 6]


def test_start_date_limits_what_is_read(bullhorn: Any, helpers: Any, sandbox: BullhornSandbox) -> None:
    start_ms = 1735689600000  # 2025-01-01T00:00:00Z
    result = bullhorn.read(
        bullhorn.config(start_date="2025-01-01T00:00:00Z"), ["Candidate"], mode="incremental"
    )
    expected = sorted(i for i, r in sandbox.rows["Candidate"].items() if r["dateLastModified"] >= start_ms)
    assert helpers.ids(result, "Candidate") == expected
    assert 0 < len(expected) < len(sandbox.ids("Candidate"))


FAULTS = {
    "429-retry-after": lambda sb: sb.faults.rate_limit(r"/search/Candidate", times=2, retry_after="0"),
    "429-no-retry-after": lambda sb: sb.faults.rate_limit(r"/search/Candidate", times=3, after=1),
    "500": lambda sb: sb.faults.server_error(r"/search/Candidate", times=2, after=1),
    "503-query": lambda sb: sb.faults.server_error(r"/query/JobSubmission", status=503, times=2),
    "drop-before": lambda sb: sb.faults.drop(r"/search/Candidate", times=2, after=1),
    "drop-after": lambda sb: sb.faults.drop(r"/query/JobSubmission", applied=True, times=1),
    "slow": lambda sb: sb.faults.slow(r"/search/Candidate", delay=0.2, times=1),
    "truncated-json": lambda sb: sb.faults.truncate(r"/search/Candidate", times=1, after=1),
    "html-page": lambda sb: sb.faults.html(r"/query/JobSubmission", times=1),
    "expired-session-401": lambda sb: sb.faults.add(_expire_after(sb, 2, 401)),
    "expired-session-403": lambda sb: sb.faults.add(_expire_after(sb, 2, 403)),
}


def _expire_after(sandbox: BullhornSandbox, calls: int, status: int) -> Any:
    """A fault that does nothing itself but times every session out after ``calls`` list requests."""
    from staffwire.testing.sandbox import Fault

    sandbox.session_status_on_expiry = status
    seen = {"n": 0}
    original = sandbox.before_request

    def before(request: Any) -> Any:
        if "/search/" in request.path or "/query/" in request.path:
            seen["n"] += 1
            if seen["n"] == calls:
                sandbox.expire_sessions()
        return original(request)

    sandbox.before_request = before  # type: ignore[method-assign]
    return Fault("slow", r"^$", times=0)


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("mode", ["full_refresh", "incremental"])
def test_reads_are_exact_under_every_fault(
    bullhorn: Any, helpers: Any, sandbox: BullhornSandbox, fault: str, mode: str
) -> None:
    FAULTS[fault](sandbox)
    config = bullhorn.config(page_size=20, max_concurrency=2)
    result = bullhorn.read(config, ["Candidate", "JobSubmission"], mode=mode)
    assert helpers.ids(result, "Candidate") == sandbox.ids("Candidate")
    assert helpers.ids(result, "JobSubmission") == sandbox.ids("JobSubmission")
    if fault.startswith("expired"):
        logins = sandbox.requests_to(r"/rest-services/login$")
        refreshes = [
            r for r in sandbox.requests_to(r"/oauth/token") if r.arg("grant_type") == "refresh_token"
        ]
        assert len(logins) >= 2 and len(refreshes) >= 1


def test_a_rate_limit_that_never_ends_fails_the_stream_as_transient(
    bullhorn: Any, sandbox: BullhornSandbox
) -> None:
    sandbox.faults.rate_limit(r"/search/Candidate", times=None, retry_after="0")
    result = bullhorn.read(bullhorn.config(), ["Candidate", "Sendout"], expect_exit=1)
    error = result.trace_errors[0]
    assert error["failure_type"] == "transient_error"
    assert error["stream_descriptor"] == {"name": "Candidate"}
    assert "429" in error["message"] and "/search/Candidate" in error["message"]
    assert result.stream_statuses("Sendout")[-1] == "COMPLETE"
    assert len(result.records("Sendout")) == len(sandbox.ids("Sendout"))
