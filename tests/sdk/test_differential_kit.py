"""The differential kit (staffwire.testing.differential) on real runs of tiny sources: the catalog it builds from
discover, what it summarises of a read, the state it resumes from, the requests it lists, and the record.py
command line and golden comparison every connector's differential test relies on."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from sdk_support import SCRIPT_CONFIG, ScriptedStream, scripted_source
from source_example import API_KEY, ExampleSandbox, SourceExample
from staffwire.state import Checkpoint
from staffwire.streams import Estimate
from staffwire.testing import differential

#: the state the SDK checkpoints a full-refresh stream with (Airbyte's marker for a stream without a cursor)
NO_CURSOR = {"__ab_no_cursor_state_message": True}


def _people() -> ScriptedStream:
    """Three people (one a deletion marker) read out of id order, with an estimate and two checkpoints."""
    script = [
        Estimate(rows=3),
        {"id": 3, "updated": 1},
        {"id": 1, "updated": 1},
        Checkpoint({"updated": 1}),
        {"id": 2, "updated": 2, "gone": True},
        Checkpoint({"updated": 2}),
    ]
    return ScriptedStream("people", script, cursor=["updated"])


def test_the_catalog_comes_from_discover_in_the_asked_order_and_modes() -> None:
    source = scripted_source(_people(), ScriptedStream("teams", [{"id": "b"}]))
    catalog = differential.catalog(source, SCRIPT_CONFIG, "incremental", ["teams", "people"])
    assert [(s["stream"]["name"], s["sync_mode"], s.get("cursor_field")) for s in catalog["streams"]] == [
        ("teams", "full_refresh", None),  # teams has no cursor: full refresh, as the SDK would read it anyway
        ("people", "incremental", ["updated"]),
    ]
    assert {s["destination_sync_mode"] for s in catalog["streams"]} == {"append"}
    everything = differential.catalog(source, SCRIPT_CONFIG, "full_refresh")
    assert [s["stream"]["name"] for s in everything["streams"]] == ["people", "teams"]
    with pytest.raises(AssertionError, match=r"discover has no stream crews \(its streams: people, teams\)"):
        differential.catalog(source, SCRIPT_CONFIG, "full_refresh", ["crews"])


def test_the_summary_of_a_read_is_sorted_ids_estimates_and_final_state_per_stream() -> None:
    source = scripted_source(_people(), ScriptedStream("teams", [{"id": "b"}, {"id": "a"}]))
    catalog = differential.catalog(source, SCRIPT_CONFIG, "incremental")
    result = differential.read(source, SCRIPT_CONFIG, catalog)
    people_estimate = {"name": "people", "type": "STREAM", "row_estimate": 3}
    assert differential.summary(result, ["people", "teams"], deleted=lambda r: bool(r.get("gone"))) == {
        "people": {
            "ids": ["1", "3"],
            "deleted": ["2"],
            "estimates": [people_estimate],
            "state": {"updated": 2},
        },
        "teams": {"ids": ["a", "b"], "deleted": [], "estimates": [], "state": NO_CURSOR},
    }
    # the defaults: every stream that gave a record or a state, by name; keys and id lists as the recorder wants
    assert differential.summary(result, key=lambda stream, r: r["id"], ids=list, estimates=False) == {
        "people": {"ids": [3, 1, 2], "state": {"updated": 2}},
        "teams": {"ids": ["b", "a"], "state": NO_CURSOR},
    }
    assert differential.summary(result, ["people"], state=False) == {
        "people": {"ids": ["1", "2", "3"], "estimates": [people_estimate]}
    }


def test_the_next_state_resumes_the_next_read_from_the_last_or_the_first_checkpoint() -> None:
    people = _people()
    source = scripted_source(people)
    catalog = differential.catalog(source, SCRIPT_CONFIG, "incremental")
    first = differential.read(source, SCRIPT_CONFIG, catalog)
    for resume, expected in (
        (differential.next_state(first), 2),
        (differential.next_state(first, first=True), 1),
    ):
        assert resume == [
            {
                "type": "STREAM",
                "stream": {"stream_descriptor": {"name": "people"}, "stream_state": {"updated": expected}},
            }
        ]
        differential.read(source, SCRIPT_CONFIG, catalog, resume)
        assert people.seen_state == {"updated": expected}


def test_sent_requests_lists_what_one_read_asked_of_the_sandbox() -> None:
    with ExampleSandbox(people=3) as sandbox:
        config = {"api_key": API_KEY, "api_url": sandbox.url, "page_size": 2}
        catalog = differential.catalog(SourceExample, config, "full_refresh", ["people"])
        for _ in range(2):  # the log is cleared before each read: the second lists only its own requests
            result = differential.read(SourceExample, config, catalog, sandbox=sandbox)
            assert differential.sent_requests(sandbox) == [
                "GET /people?page=1&per_page=2 200",
                "GET /people?page=2&per_page=2 200",
            ]
    assert differential.summary(result, estimates=False, state=False) == {
        "people": {"ids": ["p1", "p2", "p3"]}
    }


def test_a_scenario_reads_in_turn_each_incremental_read_from_the_one_before() -> None:
    people = _people()
    seen: list[tuple[str | None, Any]] = []
    people.script.insert(0, lambda: seen.append((people.seen_mode, people.seen_state)))
    source = scripted_source(people)

    def a_new_person() -> None:
        people.script += [{"id": 4, "updated": 3}, Checkpoint({"updated": 3})]

    recorded = differential.in_turn(
        differential.read_step(source, SCRIPT_CONFIG, estimates=False, full_refresh_state=False),
        ("full_refresh", "full_refresh"),
        ("incremental_first", "incremental"),
        a_new_person,
        ("incremental_after_a_change", "incremental"),
        ("full_refresh_after", "full_refresh"),
    )
    assert recorded == {
        "full_refresh": {"people": {"ids": ["1", "2", "3"]}},
        "incremental_first": {"people": {"ids": ["1", "2", "3"], "state": {"updated": 2}}},
        "incremental_after_a_change": {"people": {"ids": ["1", "2", "3", "4"], "state": {"updated": 3}}},
        "full_refresh_after": {"people": {"ids": ["1", "2", "3", "4"]}},
    }
    assert seen == [
        ("full_refresh", None),
        ("incremental", None),
        ("incremental", {"updated": 2}),  # resumed from the read before, the change in between
        ("full_refresh", None),
    ]
    with pytest.raises(AssertionError, match="two reads of the scenario are called 'again'"):
        differential.in_turn(
            differential.read_step(source, SCRIPT_CONFIG), ("again", "incremental"), ("again", "incremental")
        )


def test_the_usual_plan_reads_full_then_incremental_unchanged_then_after_the_change() -> None:
    people = _people()
    source = scripted_source(people)

    def a_new_person() -> None:
        people.script += [{"id": 4, "updated": 3}, Checkpoint({"updated": 3})]

    step = differential.read_step(source, SCRIPT_CONFIG, ids=len, estimates=False, full_refresh_state=False)
    assert differential.in_turn(
        step, *differential.around_a_change(a_new_person, "incremental_after_one_more")
    ) == {
        "full_refresh": {"people": {"ids": 3}},
        "incremental_first": {"people": {"ids": 3, "state": {"updated": 2}}},
        "incremental_unchanged": {"people": {"ids": 3, "state": {"updated": 2}}},
        "incremental_after_one_more": {"people": {"ids": 4, "state": {"updated": 3}}},
    }
    assert people.seen_state == {"updated": 2}  # the read after the change resumed from the unchanged one


RECORDER = """
from sdk_support import SCRIPT_CONFIG, ScriptedStream, scripted_source
from staffwire.testing import differential


def record():
    source = scripted_source(ScriptedStream("a", [{"id": 2}, {"id": 1}]))
    result = differential.read(source, SCRIPT_CONFIG, differential.catalog(source, SCRIPT_CONFIG, "full_refresh"))
    return {"full_refresh": differential.summary(result, estimates=False, state=False)}
"""


def test_record_py_prints_writes_and_checks_its_golden_file(tmp_path: Path, capsys: Any) -> None:
    script = tmp_path / "differential" / "record.py"
    script.parent.mkdir()
    script.write_text(textwrap.dedent(RECORDER))
    record = differential.load_recorder(script).record
    text = '{\n "full_refresh": {\n  "a": {\n   "ids": [\n    "1",\n    "2"\n   ]\n  }\n }\n}\n'

    assert differential.main(script, record, argv=[]) == 0
    assert capsys.readouterr().out == text
    assert differential.main(script, record, argv=["--write"]) == 0
    assert (tmp_path / "differential" / "golden.json").read_text() == text
    assert differential.main(script, record, argv=["--check"]) == 0
    differential.assert_matches_golden(script)
    assert differential.main(script, record, argv=["--wirte"]) == 2
    assert "usage: record.py [--write | --check] (unknown: --wirte)" in capsys.readouterr().err


def test_a_reader_that_reads_differently_fails_with_the_diff(tmp_path: Path, capsys: Any) -> None:
    script = tmp_path / "record.py"
    script.write_text(textwrap.dedent(RECORDER))
    golden = tmp_path / "golden.json"
    golden.write_text(differential.dump_json({"full_refresh": {"a": {"ids": ["1", "3"]}}}))

    with pytest.raises(AssertionError) as failure:
        differential.assert_matches_golden(script)
    diff = str(failure.value).splitlines()
    assert diff[0] == "the reader no longer reads what was recorded:"
    assert diff[1:3] == [f"--- {golden} (old reader)", "+++ recorded now"]
    assert [line for line in diff if line[:1] in "+-" and line[:3] not in ("---", "+++")] == [
        '-    "3"',
        '+    "2"',
    ]
    assert differential.main(script, differential.load_recorder(script).record, argv=["--check"]) == 1
    assert '-    "3"\n+    "2"' in capsys.readouterr().err
