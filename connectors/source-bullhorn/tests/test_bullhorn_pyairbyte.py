"""PyAirbyte as a real client: it runs the installed ``source-bullhorn`` executable (a subprocess speaking the
Airbyte protocol) against the sandbox and loads the records into a DuckDB cache.

PyAirbyte runs through :func:`staffwire.testing.pyairbyte.run_pyairbyte`: a child interpreter whose environment and
working directory point into ``tmp_path``, so nothing lands in the repository or in /tmp. The child reports what it
read; the assertions are here.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from source_bullhorn.sandbox import BullhornSandbox
from staffwire.testing.pyairbyte import run_pyairbyte

EXECUTABLE = Path(sys.executable).parent / "source-bullhorn"

CLIENT = """
import airbyte as ab
from airbyte.caches import DuckDBCache

source = ab.get_source(
    "source-bullhorn", config=inputs["config"], local_executable=inputs["executable"], install_if_missing=False
)
source.check()
source.select_streams(["Candidate", "candidates", "placements"])
cache = DuckDBCache(db_path=f"{home}/bullhorn.duckdb", cache_dir=f"{home}/cache")
result = source.read(cache=cache)
raw = result["Candidate"].to_pandas()
standard = result["candidates"].to_pandas()
placements = result["placements"].to_pandas()
report({
    "raw_ids": [int(i) for i in raw["id"]],
    "raw_deleted_ids": [int(i) for i in raw[raw["isdeleted"]]["id"]],
    "standard_ids": list(standard["id"]),
    "placed_remote_ids": [int(r) for r in standard[standard["status"] == "placed"]["remote_id"]],
    "placement_remote_ids": [int(r) for r in placements["remote_id"]],
    "currencies": sorted(set(placements["currency"])),
})
"""


@pytest.mark.slow
@pytest.mark.skipif(not EXECUTABLE.exists(), reason="the source-bullhorn console script is not installed")
def test_pyairbyte_reads_raw_and_standard_streams_into_duckdb(tmp_path: Path) -> None:
    with BullhornSandbox(seed=4, candidates=30) as sandbox:
        config = sandbox.demo_config(entities=["Candidate", "Placement"], retry_base_seconds=0.001)
        read: dict[str, Any] = run_pyairbyte(
            CLIENT, tmp_path, inputs={"config": config, "executable": str(EXECUTABLE)}, timeout=280
        )  # importing PyAirbyte alone takes 30 s on a loaded 2-core machine

        assert sorted(read["raw_ids"]) == sandbox.ids("Candidate")
        assert sorted(read["raw_deleted_ids"]) == sandbox.ids("Candidate", deleted=True)
        assert sorted(read["standard_ids"]) == sorted(f"bullhorn:{i}" for i in sandbox.ids("Candidate"))
        placed = sorted(read["placed_remote_ids"])
        assert placed == sorted(i for i, r in sandbox.rows["Candidate"].items() if r["status"] == "Placed")
        assert sorted(read["placement_remote_ids"]) == sandbox.ids("Placement")
        assert read["currencies"] == ["USD"]
    assert (tmp_path / "bullhorn.duckdb").is_file()
    assert not (tmp_path / ".cache").exists()  # the explicit cache was used, not PyAirbyte's default one
