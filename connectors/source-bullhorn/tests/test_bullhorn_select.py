"""A read builds only what its catalog selects: /meta of only the selected streams' entities, and only their
standard mappings compiled (plus any a status map names, so a wrong status map still fails every read).

The mapping compiler is observed, not replaced: the wrapper calls the real ``compile_standard`` and notes which
mappings it returned."""

from __future__ import annotations

from typing import Any

import pytest
import source_bullhorn.standard as standard
from source_bullhorn.sandbox import BullhornSandbox


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The standard mappings each call of the real ``compile_standard`` compiled, call by call."""
    seen: list[list[str]] = []
    real = standard.compile_standard

    def observe(*args: Any, **options: Any) -> Any:
        mappings = real(*args, **options)
        seen.append(list(mappings))
        return mappings

    monkeypatch.setattr(standard, "compile_standard", observe)
    return seen


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


def test_a_read_of_the_raw_candidate_stream_asks_only_its_meta_and_compiles_no_standard_mapping(
    bullhorn: Any, sandbox: BullhornSandbox, compiled: list[list[str]], helpers: Any
) -> None:
    config = bullhorn.config()
    catalog = bullhorn.catalog(config, ["Candidate"])
    assert compiled == [
        ["candidates", "jobs", "clients", "contacts", "submissions", "placements", "interviews"]
    ]
    compiled.clear()
    sandbox.clear_log()
    result = bullhorn.run("read", config, catalog=catalog)
    assert result.exit_code == 0, result.trace_errors
    assert _meta_paths(sandbox) == ["meta", "meta/Candidate"]
    assert compiled == []
    assert helpers.ids(result, "Candidate") == list(range(1, 61))
    assert result.stream_statuses() == {"Candidate": ["STARTED", "RUNNING", "COMPLETE"]}


def test_a_read_of_a_standard_stream_asks_only_its_entity_meta_and_compiles_only_its_mapping(
    bullhorn: Any, sandbox: BullhornSandbox, compiled: list[list[str]]
) -> None:
    result = _read(bullhorn, sandbox, bullhorn.config(), ["candidates", "JobOrder"])
    assert _meta_paths(sandbox) == ["meta", "meta/Candidate", "meta/JobOrder"]
    assert compiled[-1] == ["candidates"]
    assert len(result.records("candidates")) == 60
    assert sorted(result.stream_statuses()) == ["JobOrder", "candidates"]


def test_a_mapping_a_status_map_names_is_still_compiled_on_a_read_without_it(
    bullhorn: Any, sandbox: BullhornSandbox, compiled: list[list[str]]
) -> None:
    config = bullhorn.config(status_maps={"jobs": {"Open": "closed"}})
    _read(bullhorn, sandbox, config, ["Candidate"])
    assert _meta_paths(sandbox) == ["meta", "meta/Candidate"]
    assert compiled[-1] == ["jobs"]


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
