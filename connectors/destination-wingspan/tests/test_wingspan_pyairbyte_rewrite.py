"""PyAirbyte's ``destination.write(source)`` called a second time (issue: an IntegrityError on
``_airbyte_destination_state``). On the pinned PyAirbyte and DuckDB both writes go through, and PyAirbyte keeps one
destination-state row per stream: it replaces a stream's row by a delete and an insert in two commits, and
Staffwire's destinations echo one STREAM state per stream and checkpoint, which never collide. The collision was
PyAirbyte's: earlier releases deleted and inserted in one transaction, which DuckDB's eager unique-key check
refuses. This test pins the working behaviour (test_wingspan_pyairbyte.py the ``cache=False, state_cache=`` one).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from destination_wingspan.sandbox import WingspanSandbox
from staffwire.testing.pyairbyte import run_pyairbyte

BIN = Path(sys.executable).parent
source_bullhorn_sandbox = pytest.importorskip("source_bullhorn.sandbox")

CLIENT = """
import airbyte as ab
from airbyte.caches import DuckDBCache

source = ab.get_source("source-bullhorn", config=inputs["source"], streams=["candidates"],
                       local_executable=inputs["source_exe"])
destination = ab.get_destination("destination-wingspan", config=inputs["destination"],
                                 local_executable=inputs["destination_exe"])
cache = DuckDBCache(db_path=f"{home}/cache.duckdb", cache_dir=f"{home}/cache")
destination.write(source, cache=cache)            # read into the cache, then write
destination.write(source, cache=cache)            # the second write: the one that crashed
rows = cache.get_sql_engine().connect().exec_driver_sql(
    "SELECT destination_name, source_name, stream_name FROM _airbyte_destination_state"
).fetchall()
report({"state_rows": [list(r) for r in rows]})
"""


@pytest.mark.timeout(240)
def test_a_second_pyairbyte_write_keeps_one_destination_state_row_per_stream(tmp_path: Path) -> None:
    with (
        source_bullhorn_sandbox.BullhornSandbox(seed=3, candidates=12, log_requests=False) as bullhorn,
        WingspanSandbox(process_delay=0.01) as wingspan,
    ):
        inputs = {
            "source": bullhorn.demo_config(entities=["Candidate"]),
            "source_exe": str(BIN / "source-bullhorn"),
            "destination": wingspan.demo_config(poll_interval_s=0.02),
            "destination_exe": str(BIN / "destination-wingspan"),
        }
        result: dict[str, Any] = run_pyairbyte(CLIENT, tmp_path, inputs=inputs, timeout=230)
        contractors = [c["externalId"] for c in wingspan.contractors()]
    assert result["state_rows"] == [["destination-wingspan", "source-bullhorn", "candidates"]]
    assert len(contractors) == len(set(contractors))  # two writes, each contractor once
