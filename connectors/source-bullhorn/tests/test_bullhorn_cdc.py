"""Change data capture from Bullhorn event subscriptions: subscribe before the first read, changed rows by id,
hard deletes as tombstones, replay of an unacknowledged batch after a crash, fallback when the subscription is gone."""

from __future__ import annotations

from typing import Any

from source_bullhorn.sandbox import BullhornSandbox


def _config(bullhorn: Any) -> dict[str, Any]:
    return bullhorn.config(
        change_data_capture={"enabled": True, "entities": ["Candidate"], "subscription_prefix": "sw"}
    )


def test_first_read_subscribes_then_later_reads_use_the_events(
    bullhorn: Any, helpers: Any, sandbox: BullhornSandbox
) -> None:
    config = _config(bullhorn)
    first = bullhorn.read(config, ["Candidate", "candidates"], mode="incremental")
    assert helpers.ids(first, "Candidate") == sandbox.ids("Candidate")
    assert sorted(sandbox.subscriptions) == ["sw-Candidate", "sw-candidates"]
    sandbox.update("Candidate", 4, status="Placed")
    added = sandbox.add("Candidate", firstName="Lea", lastName="Novak", status="New")
    sandbox.soft_delete("Candidate", 8)
    sandbox.hard_delete("Candidate", 15)
    searches_before = len(sandbox.requests_to(r"/search/Candidate"))
    second = bullhorn.read(
        config, ["Candidate", "candidates"], mode="incremental", state=helpers.final_state(first)
    )
    assert len(sandbox.requests_to(r"/search/Candidate")) == searches_before  # no query: events only
    raw = {r["id"]: r for r in second.records("Candidate")}
    assert sorted(raw) == [4, 8, 15, added]
    assert raw[15] == {"id": 15, "isDeleted": True, "dateLastModified": raw[15]["dateLastModified"]}
    assert raw[8]["isDeleted"] is True and raw[4]["status"] == "Placed"
    standard = {r["id"]: r for r in second.records("candidates")}
    assert sorted(standard) == sorted(f"bullhorn:{i}" for i in (4, 8, 15, added))
    assert standard["bullhorn:15"]["remote_deleted_at"] is not None
    assert standard["bullhorn:4"]["status"] == "placed"
    state = helpers.final_state(second)
    third = bullhorn.read(config, ["Candidate"], mode="incremental", state=state)
    assert third.records("Candidate") == []


def test_a_batch_fetched_before_a_crash_is_replayed_by_request_id(
    bullhorn: Any, helpers: Any, sandbox: BullhornSandbox
) -> None:
    config = _config(bullhorn)
    first = bullhorn.read(config, ["Candidate"], mode="incremental")
    state = helpers.final_state(first)
    sandbox.update("Candidate", 6, status="Active")
    sandbox.update("Candidate", 7, status="Inactive")
    sandbox.faults.server_error(
        r"/entity/Candidate/", times=None
    )  # the rows cannot be fetched: the run fails
    crashed = bullhorn.read(config, ["Candidate"], mode="incremental", state=state, expect_exit=1)
    assert crashed.records("Candidate") == []
    assert sandbox.subscriptions["sw-Candidate"].pending == []  # Bullhorn purged the batch when it was read
    sandbox.faults.clear()
    resumed = bullhorn.read(config, ["Candidate"], mode="incremental", state=state)
    assert helpers.ids(resumed, "Candidate") == [6, 7]
    replays = [r for r in sandbox.requests_to(r"/event/subscription/sw-Candidate$") if r.arg("requestId")]
    assert len(replays) == 1


def test_a_lost_subscription_falls_back_to_the_cursor_and_subscribes_again(
    bullhorn: Any, helpers: Any, sandbox: BullhornSandbox
) -> None:
    import time

    config = _config(bullhorn)
    first = bullhorn.read(config, ["Candidate"], mode="incremental")
    del sandbox.subscriptions["sw-Candidate"]  # expired on Bullhorn's side
    sandbox.update("Candidate", 10, status="Placed")
    time.sleep(1.0 - time.time() % 1.0 + 0.01)
    second = bullhorn.read(config, ["Candidate"], mode="incremental", state=helpers.final_state(first))
    assert helpers.ids(second, "Candidate") == [10]
    assert "sw-Candidate" in sandbox.subscriptions


def test_an_interrupted_first_read_is_finished_before_events_are_used(
    bullhorn: Any, helpers: Any, sandbox: BullhornSandbox
) -> None:
    config = {**_config(bullhorn), "page_size": 10, "max_concurrency": 1}
    sandbox.faults.server_error(r"/search/Candidate", times=None, after=3)
    broken = bullhorn.read(config, ["Candidate"], mode="incremental", expect_exit=1)
    done = helpers.ids(broken, "Candidate")
    assert done == sandbox.ids("Candidate")[:30]
    sandbox.faults.clear()
    finished = bullhorn.read(config, ["Candidate"], mode="incremental", state=helpers.final_state(broken))
    assert helpers.ids(finished, "Candidate") == sandbox.ids("Candidate")[30:]
    sandbox.update("Candidate", 2, status="Placed")
    events = bullhorn.read(config, ["Candidate"], mode="incremental", state=helpers.final_state(finished))
    assert helpers.ids(events, "Candidate") == [2]
