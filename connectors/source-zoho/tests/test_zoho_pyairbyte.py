"""PyAirbyte as a real client: it runs the installed ``source-zoho`` executable (a subprocess speaking the
Airbyte protocol) against the sandbox and loads the records into a DuckDB cache.

PyAirbyte runs through :func:`staffwire.testing.pyairbyte.run_pyairbyte` (a child interpreter that writes only under
``tmp_path``); the child reports what it read, the assertions are here.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from source_zoho.sandbox import ZohoSandbox
from staffwire.testing.pyairbyte import run_pyairbyte

EXECUTABLE = Path(sys.executable).parent / "source-zoho"

CLIENT = """
import os
import airbyte as ab
from airbyte.caches import DuckDBCache

source = ab.get_source(
    "source-zoho", config=inputs["config"], local_executable=inputs["executable"], install_if_missing=False
)
source.check()
source.select_all_streams()  # raw and standard streams side by side: no two names fold to one table
cache = DuckDBCache(db_path=f"{home}/zoho.duckdb", cache_dir=f"{home}/cache")
result = source.read(cache=cache)
candidates = result["zoho_Candidates"].to_pandas()
standard = result["candidates"].to_pandas()
report({
    "raw_candidate_ids": [str(i) for i in candidates["id"]],
    "standard_ids": [str(i) for i in standard["id"]],
    "hired_statuses": list(standard[standard["original_status"] == "Hired"]["status"]),
    "client_ids": [str(i) for i in result["zoho_Clients"].to_pandas()["id"]],
    "offline": os.environ["AIRBYTE_OFFLINE_MODE"],
})
"""


@pytest.mark.slow
@pytest.mark.skipif(
    not EXECUTABLE.exists(), reason="the source-zoho console script is not installed in this venv"
)
def test_pyairbyte_reads_raw_and_standard_streams_into_duckdb(tmp_path: Path, zoho: Any) -> None:
    with ZohoSandbox(recruit_sizes={"Candidates": 9, "Clients": 3}) as sb:
        # DuckDB (like most SQL destinations) folds table names to lower case: the raw streams' default prefix
        # (zoho_Candidates) keeps them apart from the standard candidates, so every stream can be selected.
        config = zoho.make_config(sb)
        read: dict[str, Any] = run_pyairbyte(
            CLIENT, tmp_path, inputs={"config": config, "executable": str(EXECUTABLE)}
        )

        assert sorted(read["raw_candidate_ids"]) == sorted(sb.ids("recruit", "Candidates"))
        assert len(read["raw_candidate_ids"]) == 9
        assert sorted(read["standard_ids"]) == sorted(
            f"zoho_recruit:{i}" for i in sb.ids("recruit", "Candidates")
        )
        assert read["hired_statuses"] == ["placed"]
        assert sorted(read["client_ids"]) == sorted(sb.ids("recruit", "Clients"))
        assert read["offline"] == "1"
    assert (tmp_path / "zoho.duckdb").is_file()
