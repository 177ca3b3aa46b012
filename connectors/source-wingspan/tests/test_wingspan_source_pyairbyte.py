"""PyAirbyte as a real client: it runs the installed ``source-wingspan`` executable (a subprocess speaking the
Airbyte protocol) against the seeded sandbox and loads raw and standard streams into a DuckDB cache.

PyAirbyte runs through :func:`staffwire.testing.pyairbyte.run_pyairbyte` (a child interpreter that writes only under
``tmp_path``); the child reports what it read, the assertions are here.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from destination_wingspan.sandbox import WingspanSandbox
from staffwire.testing.pyairbyte import run_pyairbyte

EXECUTABLE = Path(sys.executable).parent / "source-wingspan"

CLIENT = """
import airbyte as ab
from airbyte.caches import DuckDBCache

source = ab.get_source(
    "source-wingspan", config=inputs["config"], local_executable=inputs["executable"], install_if_missing=False
)
source.check()
source.select_streams(["Payee", "workers", "payables"])
cache = DuckDBCache(db_path=f"{home}/wingspan.duckdb", cache_dir=f"{home}/cache")
result = source.read(cache=cache)
payees = result["Payee"].to_pandas()
workers = result["workers"].to_pandas()
payables = result["payables"].to_pandas()
report({
    "payee_ids": [str(i) for i in payees["payeeid"]],
    "ready": sorted(str(c) for c in workers[workers["onboarding_status"] == "ready"]["candidate_id"]),
    "paid": [str(r) for r in payables[payables["status"] == "paid"]["reference"]],
})
"""


@pytest.mark.slow
@pytest.mark.skipif(not EXECUTABLE.exists(), reason="the source-wingspan console script is not installed")
def test_pyairbyte_reads_raw_and_standard_streams_into_duckdb(tmp_path: Path, ws: Any) -> None:
    with WingspanSandbox(seed=True, rate_limit_per_s=None) as sandbox:
        read: dict[str, Any] = run_pyairbyte(
            CLIENT, tmp_path, inputs={"config": ws.config(sandbox), "executable": str(EXECUTABLE)}
        )
        assert sorted(read["payee_ids"]) == sorted(c["payeeId"] for c in sandbox.contractors())
        assert read["ready"] == ["bullhorn:101", "zoho_recruit:5531000000123456"]
        assert read["paid"] == ["ts-101-w45"]
    assert (tmp_path / "wingspan.duckdb").is_file()
