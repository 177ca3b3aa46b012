"""PyAirbyte as a real client: it runs the installed ``source-zoho`` executable (a subprocess speaking the
Airbyte protocol) against the sandbox and loads the records into a DuckDB cache."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest
from source_zoho.sandbox import ZohoSandbox

EXECUTABLE = Path(sys.executable).parent / "source-zoho"


@pytest.mark.slow
@pytest.mark.skipif(
    not EXECUTABLE.exists(), reason="the source-zoho console script is not installed in this venv"
)
def test_pyairbyte_reads_raw_and_standard_streams_into_duckdb(
    tmp_path: Path, monkeypatch: Any, zoho: Any
) -> None:
    monkeypatch.setenv("AIRBYTE_OFFLINE_MODE", "1")
    monkeypatch.setenv("DO_NOT_TRACK", "1")
    monkeypatch.setenv("AIRBYTE_LOCAL_REGISTRY", str(tmp_path / "registry.json"))
    (tmp_path / "registry.json").write_text('{"sources": [], "destinations": []}')
    import airbyte as ab
    from airbyte.caches import DuckDBCache

    with ZohoSandbox(recruit_sizes={"Candidates": 9, "Clients": 3}) as sb:
        # DuckDB (like most SQL destinations) folds table names to lower case: Candidates would land in the
        # standard candidates table, so the raw streams get a prefix.
        config = zoho.make_config(sb, raw_stream_prefix="zoho_")
        source = ab.get_source(
            "source-zoho", config=config, local_executable=str(EXECUTABLE), install_if_missing=False
        )
        source.check()
        source.select_streams(["zoho_Candidates", "candidates", "zoho_Clients"])
        cache = DuckDBCache(db_path=str(tmp_path / "zoho.duckdb"), cache_dir=str(tmp_path / "cache"))
        result = source.read(cache=cache)

        candidates = result["zoho_Candidates"].to_pandas()
        assert sorted(candidates["id"]) == sorted(sb.ids("recruit", "Candidates"))
        assert len(candidates) == 9
        standard = result["candidates"].to_pandas()
        assert sorted(standard["id"]) == sorted(f"zoho_recruit:{i}" for i in sb.ids("recruit", "Candidates"))
        hired = standard[standard["original_status"] == "Hired"]
        assert list(hired["status"]) == ["placed"]
        assert sorted(result["zoho_Clients"].to_pandas()["id"]) == sorted(sb.ids("recruit", "Clients"))
        assert os.environ["AIRBYTE_OFFLINE_MODE"] == "1"
