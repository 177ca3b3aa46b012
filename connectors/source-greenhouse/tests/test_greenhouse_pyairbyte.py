"""PyAirbyte as a real client: it runs the installed ``source-greenhouse`` executable (a subprocess speaking the
Airbyte protocol) against the sandbox and loads raw and standard streams into a DuckDB cache."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from source_greenhouse.sandbox import GreenhouseSandbox
from source_greenhouse.standard import DEFAULT_STATUS_MAPS
from staffwire.testing.pyairbyte import run_pyairbyte

EXECUTABLE = Path(sys.executable).parent / "source-greenhouse"

CLIENT = """
import airbyte as ab
from airbyte.caches import DuckDBCache

source = ab.get_source(
    "source-greenhouse", config=inputs["config"], local_executable=inputs["executable"], install_if_missing=False
)
source.check()
source.select_streams(["harvest_applications", "submissions", "placements"])
cache = DuckDBCache(db_path=f"{home}/greenhouse.duckdb", cache_dir=f"{home}/cache")
result = source.read(cache=cache)
raw = result["harvest_applications"].to_pandas()
submissions = result["submissions"].to_pandas()
placements = result["placements"].to_pandas()
report({
    "raw_ids": [int(i) for i in raw["id"]],
    "submission_ids": list(submissions["id"]),
    "stages": sorted(set(submissions["stage"])),
    "placement_ids": list(placements["id"]),
    "start_dates": sorted(str(d)[:10] for d in placements["start_date"]),
})
"""


@pytest.mark.slow
@pytest.mark.timeout(280)
@pytest.mark.skipif(not EXECUTABLE.exists(), reason="the source-greenhouse console script is not installed")
def test_pyairbyte_reads_raw_and_standard_streams_into_duckdb(tmp_path: Path) -> None:
    with GreenhouseSandbox(candidates=20) as sandbox:
        config = sandbox.demo_config(retry_base_delay=0.001)
        read: dict[str, Any] = run_pyairbyte(
            CLIENT, tmp_path, inputs={"config": config, "executable": str(EXECUTABLE)}, timeout=240
        )

        applications = sandbox.tables["applications"]
        assert sorted(read["raw_ids"]) == sorted(applications)
        assert sorted(read["submission_ids"]) == sorted(f"greenhouse:{i}" for i in applications)
        hired = sorted(f"greenhouse:{i}" for i, a in applications.items() if a["status"] == "hired")
        assert sorted(read["placement_ids"]) == hired
        words = DEFAULT_STATUS_MAPS["submissions"]
        stages = {
            words[a["status"] if a["status"] != "active" else a["current_stage"]["name"]]
            for a in applications.values()
        }
        assert read["stages"] == sorted(stages)
        offers = [o for o in sandbox.tables["offers"].values() if o["status"] == "accepted"]
        assert read["start_dates"] == sorted(o["start_on"] for o in offers)
    assert (tmp_path / "greenhouse.duckdb").is_file()
