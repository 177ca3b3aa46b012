"""The conformance kit refuses a catalog with two streams whose names differ only in case."""

from __future__ import annotations

from staffwire.testing.conformance import case_folding_problems


def test_two_streams_differing_only_in_case_are_a_conformance_problem() -> None:
    streams = [{"name": "Candidates"}, {"name": "candidates"}, {"name": "jobs"}, {"name": "zoho_Interviews"}]
    assert case_folding_problems(streams) == [
        "streams 'Candidates' and 'candidates' differ only in case; destinations that fold case (DuckDB, "
        "Postgres, Snowflake) would put them in one table"
    ]


def test_the_same_name_in_other_namespaces_is_no_problem() -> None:
    assert (
        case_folding_problems([{"name": "Jobs", "namespace": "a"}, {"name": "jobs", "namespace": "b"}]) == []
    )
