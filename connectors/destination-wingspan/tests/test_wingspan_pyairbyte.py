"""PyAirbyte as a real client: source-bullhorn -> DuckDB cache -> destination-wingspan, both as local executables."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from destination_wingspan.examples import PLACEMENTS_TO_PAYABLES
from destination_wingspan.sandbox import WingspanSandbox

BIN = Path(sys.executable).parent
source_bullhorn_sandbox = pytest.importorskip("source_bullhorn.sandbox")


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    monkeypatch.setenv("AIRBYTE_OFFLINE_MODE", "1")
    monkeypatch.setenv("DO_NOT_TRACK", "1")
    monkeypatch.setenv("AIRBYTE_LOGGING_ROOT", str(tmp_path / "logs"))
    # PyAirbyte's default cache lives in ./.cache of the process (the repo root under pytest); every cache this
    # test uses is passed explicitly, and this keeps anything PyAirbyte still defaults under tmp_path.
    monkeypatch.setenv("AIRBYTE_CACHE_ROOT", str(tmp_path / "airbyte-cache"))
    yield tmp_path


@pytest.mark.timeout(120)
def test_pyairbyte_writes_bullhorn_placements_into_wingspan_exactly(offline: Path) -> None:
    import airbyte as ab
    from airbyte.caches import DuckDBCache

    with (
        source_bullhorn_sandbox.BullhornSandbox(seed=3, candidates=30, log_requests=False) as bullhorn,
        WingspanSandbox(process_delay=0.01) as wingspan,
    ):
        source = ab.get_source(
            "source-bullhorn",
            config=bullhorn.demo_config(),
            streams=["candidates", "placements"],
            local_executable=str(BIN / "source-bullhorn"),
        )
        cache = DuckDBCache(db_path=str(offline / "cache.duckdb"), cache_dir=str(offline / "cache"))
        read = source.read(cache=cache)
        destination = ab.get_destination(
            "destination-wingspan",
            local_executable=str(BIN / "destination-wingspan"),
            config=wingspan.demo_config(poll_interval_s=0.02, stream_mappings=[PLACEMENTS_TO_PAYABLES]),
        )

        # cache=False: write straight from the read result. PyAirbyte keeps the destination's state in
        # `state_cache`, which defaults to get_default_cache() (./.cache/default_cache/default_cache.duckdb).
        destination.write(read, cache=False, state_cache=cache)

        candidates = read["candidates"].to_pandas()
        placements = read["placements"].to_pandas()
        placed = candidates[(candidates["status"] == "placed") & candidates["email"].notna()]
        expected_contractors = sorted(zip(placed["id"], placed["email"], strict=True))
        assert len(expected_contractors) > 0
        assert sorted((c["externalId"], c["email"]) for c in wingspan.contractors()) == expected_contractors
        hourly = placements[
            (placements["pay_unit"] == "hour") & placements["candidate_id"].isin(set(placed["id"]))
        ]
        expected_payables = sorted(
            (f"placement:{row.id}:week1", round(float(row.pay_rate) * 40, 2)) for row in hourly.itertuples()
        )
        assert len(expected_payables) > 0
        assert (
            sorted((p["labels"]["staffwireReference"], p["amount"]) for p in wingspan.payables())
            == expected_payables
        )
