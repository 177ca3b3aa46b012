"""A read builds only what its catalog selects: /meta of only the selected streams' entities (seen in the sandbox's
request log), and a wrong status map still fails every read (the mappings a status map names are still compiled)."""

from __future__ import annotations

from typing import Any

from source_bullhorn.sandbox import BullhornSandbox


def _meta_paths(sandbox: BullhornSandbox) -> list[str]:
    return sorted(
        r.path.rsplit("/rest-services/", 1)[1].split("/", 1)[1] for r in sandbox.requests_to(r"/meta")
    )


def _read(bullhorn: Any, sandbox: BullhornSandbox, config: dict[str, Any], streams: list[str]) -> Any:
    catalog = bullhorn.catalog(config, streams)  # discover: every entity's meta
    sandbox.clear_log()
    result = bullhorn.run("read", config, catalog=catalog)
    assert result.exit_code == 0, result.trace_errors
    return result


def test_a_read_of_the_raw_candidate_stream_asks_only_its_meta(
    bullhorn: Any, sandbox: BullhornSandbox, helpers: Any
) -> None:
    config = bullhorn.config()
    catalog = bullhorn.catalog(config, ["Candidate"])
    sandbox.clear_log()
    result = bullhorn.run("read", config, catalog=catalog)
    assert result.exit_code == 0, result.trace_errors
    assert _meta_paths(sandbox) == ["meta", "meta/Candidate"]
    assert helpers.ids(result, "Candidate") == list(range(1, 61))
    assert result.stream_statuses() == {"Candidate": ["STARTED", "RUNNING", "COMPLETE"]}


def test_a_read_of_a_standard_stream_asks_only_its_entity_meta(
    bullhorn: Any, sandbox: BullhornSandbox
) -> None:
    result = _read(bullhorn, sandbox, bullhorn.config(), ["candidates", "JobOrder"])
    assert _meta_paths(sandbox) == ["meta", "meta/Candidate", "meta/JobOrder"]
    assert len(result.records("candidates")) == 60
    assert sorted(result.stream_statuses()) == ["JobOrder", "candidates"]


def test_a_status_map_on_another_stream_adds_no_meta_request_to_a_raw_read(
    bullhorn: Any, sandbox: BullhornSandbox
) -> None:
    config = bullhorn.config(status_maps={"jobs": {"Open": "closed"}})
    _read(bullhorn, sandbox, config, ["Candidate"])
    assert _meta_paths(sandbox) == ["meta", "meta/Candidate"]


def test_a_wrong_status_map_still_fails_a_read_of_a_raw_stream(bullhorn: Any) -> None:
    good = bullhorn.config()
    catalog = bullhorn.catalog(good, ["Candidate"])
    result = bullhorn.run(
        "read", bullhorn.config(status_maps={"candidate": {"Hired": "placed"}}), catalog=catalog
    )
    assert result.exit_code == 1
    assert [e["failure_type"] for e in result.trace_errors] == ["config_error"]
    assert result.trace_errors[0]["message"] == (
        "value_map_overrides.candidate_status: unknown value map (did you mean 'candidates_status'?)"
    )
