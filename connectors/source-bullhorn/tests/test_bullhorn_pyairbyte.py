"""PyAirbyte as a real client: it runs the installed ``source-bullhorn`` executable (a subprocess speaking the
Airbyte protocol) against the sandbox and loads the records into a DuckDB cache.

PyAirbyte reads its directories (project, cache root, temp files, logs) from the environment once, when it is
imported, and falls back to the working directory (``.cache/``) and the system temp dir. So it runs in a child
Python process whose environment and working directory point into ``tmp_path``: nothing lands in the repository or
in /tmp, whatever else the test process has imported. The child prints what it read; the assertions are here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from source_bullhorn.sandbox import BullhornSandbox

EXECUTABLE = Path(sys.executable).parent / "source-bullhorn"

CLIENT = """
import json, sys
import airbyte as ab
from airbyte.caches import DuckDBCache

config, executable, home = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
source = ab.get_source("source-bullhorn", config=config, local_executable=executable, install_if_missing=False)
source.check()
source.select_streams(["Candidate", "candidates", "placements"])
cache = DuckDBCache(db_path=f"{home}/bullhorn.duckdb", cache_dir=f"{home}/cache")
result = source.read(cache=cache)
raw = result["Candidate"].to_pandas()
standard = result["candidates"].to_pandas()
placements = result["placements"].to_pandas()
print(json.dumps({
    "raw_ids": [int(i) for i in raw["id"]],
    "raw_deleted_ids": [int(i) for i in raw[raw["isdeleted"]]["id"]],
    "standard_ids": list(standard["id"]),
    "placed_remote_ids": [int(r) for r in standard[standard["status"] == "placed"]["remote_id"]],
    "placement_remote_ids": [int(r) for r in placements["remote_id"]],
    "currencies": sorted(set(placements["currency"])),
}))
"""


def _pyairbyte_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "AIRBYTE_OFFLINE_MODE": "1",
            "DO_NOT_TRACK": "1",
            "AIRBYTE_LOCAL_REGISTRY": str(home / "registry.json"),
            "AIRBYTE_PROJECT_DIR": str(home),
            "AIRBYTE_CACHE_ROOT": str(home / "cache"),
            "AIRBYTE_TEMP_DIR": str(home / "tmp"),
            "AIRBYTE_LOGGING_ROOT": str(home / "logs"),
            "TMPDIR": str(home / "tmp"),
        }
    )
    (home / "tmp").mkdir()
    (home / "registry.json").write_text('{"sources": [], "destinations": []}')
    return env


@pytest.mark.slow
@pytest.mark.skipif(not EXECUTABLE.exists(), reason="the source-bullhorn console script is not installed")
def test_pyairbyte_reads_raw_and_standard_streams_into_duckdb(tmp_path: Path) -> None:
    env = _pyairbyte_env(tmp_path)
    with BullhornSandbox(seed=4, candidates=30) as sandbox:
        config = sandbox.demo_config(entities=["Candidate", "Placement"], retry_base_seconds=0.001)
        child = subprocess.run(
            [sys.executable, "-c", CLIENT, json.dumps(config), str(EXECUTABLE), str(tmp_path)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert child.returncode == 0, child.stderr[-3000:]
        read: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])

        assert sorted(read["raw_ids"]) == sandbox.ids("Candidate")
        assert sorted(read["raw_deleted_ids"]) == sandbox.ids("Candidate", deleted=True)
        assert sorted(read["standard_ids"]) == sorted(f"bullhorn:{i}" for i in sandbox.ids("Candidate"))
        placed = sorted(read["placed_remote_ids"])
        assert placed == sorted(i for i, r in sandbox.rows["Candidate"].items() if r["status"] == "Placed")
        assert sorted(read["placement_remote_ids"]) == sandbox.ids("Placement")
        assert read["currencies"] == ["USD"]
    assert (tmp_path / "bullhorn.duckdb").is_file()
    assert not (tmp_path / ".cache").exists()  # the explicit cache was used, not PyAirbyte's default one
