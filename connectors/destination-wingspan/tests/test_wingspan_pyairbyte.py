"""PyAirbyte as a real client: source-bullhorn -> DuckDB cache -> destination-wingspan, both as local executables.

PyAirbyte runs through :func:`staffwire.testing.pyairbyte.run_pyairbyte` (a child interpreter that writes only under
``tmp_path``); both sandboxes run here, the child reports what it read, and the assertions compare it with what
Wingspan received.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from destination_wingspan.examples import PLACEMENTS_TO_PAYABLES
from destination_wingspan.sandbox import WingspanSandbox
from staffwire.testing.pyairbyte import run_pyairbyte

BIN = Path(sys.executable).parent
source_bullhorn_sandbox = pytest.importorskip("source_bullhorn.sandbox")

CLIENT = """
import airbyte as ab
import pandas as pd
from airbyte.caches import DuckDBCache

source = ab.get_source(
    "source-bullhorn",
    config=inputs["source_config"],
    streams=["candidates", "placements"],
    local_executable=inputs["source_executable"],
)
cache = DuckDBCache(db_path=f"{home}/cache.duckdb", cache_dir=f"{home}/cache")
read = source.read(cache=cache)
destination = ab.get_destination(
    "destination-wingspan",
    local_executable=inputs["destination_executable"],
    config=inputs["destination_config"],
)
# cache=False: write straight from the read result. PyAirbyte keeps the destination's state in `state_cache`,
# which would otherwise default to get_default_cache().
destination.write(read, cache=False, state_cache=cache)

candidates = read["candidates"].to_pandas()
placements = read["placements"].to_pandas()
report({
    "candidates": [
        {"id": r.id, "status": r.status, "email": r.email if pd.notna(r.email) else None}
        for r in candidates.itertuples()
    ],
    "placements": [
        {"id": r.id, "pay_unit": r.pay_unit, "candidate_id": r.candidate_id, "pay_rate": float(r.pay_rate)}
        for r in placements.itertuples()
    ],
})
"""


@pytest.mark.timeout(300)  # importing PyAirbyte alone takes 30 s on a loaded 2-core machine
def test_pyairbyte_writes_bullhorn_placements_into_wingspan_exactly(tmp_path: Path) -> None:
    with (
        source_bullhorn_sandbox.BullhornSandbox(seed=3, candidates=30, log_requests=False) as bullhorn,
        WingspanSandbox(process_delay=0.01) as wingspan,
    ):
        inputs = {
            "source_config": bullhorn.demo_config(),
            "source_executable": str(BIN / "source-bullhorn"),
            "destination_config": wingspan.demo_config(
                poll_interval_s=0.02, stream_mappings=[PLACEMENTS_TO_PAYABLES]
            ),
            "destination_executable": str(BIN / "destination-wingspan"),
        }
        read: dict[str, Any] = run_pyairbyte(CLIENT, tmp_path, inputs=inputs, timeout=290)

        placed = [c for c in read["candidates"] if c["status"] == "placed" and c["email"] is not None]
        expected_contractors = sorted((c["id"], c["email"]) for c in placed)
        assert len(expected_contractors) > 0
        assert sorted((c["externalId"], c["email"]) for c in wingspan.contractors()) == expected_contractors
        placed_ids = {c["id"] for c in placed}
        hourly = [
            p for p in read["placements"] if p["pay_unit"] == "hour" and p["candidate_id"] in placed_ids
        ]
        expected_payables = sorted(
            (f"placement:{p['id']}:week1", round(p["pay_rate"] * 40, 2)) for p in hourly
        )
        assert len(expected_payables) > 0
        assert (
            sorted((p["labels"]["staffwireReference"], p["amount"]) for p in wingspan.payables())
            == expected_payables
        )
