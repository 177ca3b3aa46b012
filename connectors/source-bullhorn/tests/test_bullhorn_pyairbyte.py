"""PyAirbyte as a real client: it runs the installed ``source-bullhorn`` executable (a subprocess speaking the
Airbyte protocol) against the sandbox and loads the records into a DuckDB cache."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from source_bullhorn.sandbox import BullhornSandbox

EXECUTABLE = Path(sys.executable).parent / "source-bullhorn"


@pytest.mark.slow
@pytest.mark.skipif(not EXECUTABLE.exists(), reason="the source-bullhorn console script is not installed")
def test_pyairbyte_reads_raw_and_standard_streams_into_duckdb(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("AIRBYTE_OFFLINE_MODE", "1")
    monkeypatch.setenv("DO_NOT_TRACK", "1")
    monkeypatch.setenv("AIRBYTE_LOCAL_REGISTRY", str(tmp_path / "registry.json"))
    (tmp_path / "registry.json").write_text('{"sources": [], "destinations": []}')
    import airbyte as ab
    from airbyte.caches import DuckDBCache

    with BullhornSandbox(seed=4, candidates=30) as sandbox:
        config = sandbox.demo_config(entities=["Candidate", "Placement"], retry_base_seconds=0.001)
        source = ab.get_source(
            "source-bullhorn", config=config, local_executable=str(EXECUTABLE), install_if_missing=False
        )
        source.check()
        source.select_streams(["Candidate", "candidates", "placements"])
        cache = DuckDBCache(db_path=str(tmp_path / "bullhorn.duckdb"), cache_dir=str(tmp_path / "cache"))
        result = source.read(cache=cache)

        raw = result["Candidate"].to_pandas()
        assert sorted(raw["id"]) == sandbox.ids("Candidate")
        assert sorted(raw[raw["isdeleted"]]["id"]) == sandbox.ids("Candidate", deleted=True)
        standard = result["candidates"].to_pandas()
        assert sorted(standard["id"]) == sorted(f"bullhorn:{i}" for i in sandbox.ids("Candidate"))
        placed = sorted(int(r) for r in standard[standard["status"] == "placed"]["remote_id"])
        assert placed == sorted(i for i, r in sandbox.rows["Candidate"].items() if r["status"] == "Placed")
        placements = result["placements"].to_pandas()
        assert sorted(int(r) for r in placements["remote_id"]) == sandbox.ids("Placement")
        assert set(placements["currency"]) == {"USD"}
