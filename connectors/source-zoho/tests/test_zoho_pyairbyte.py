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


@pytest.fixture
def pyairbyte_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """PyAirbyte offline, with every file it writes under ``tmp_path``.

    By default it keeps caches in ``./.cache`` of the process (the repo root under pytest), connector configs in
    the system temp folder and logs in ``/tmp/airbyte/logs``. The environment variables cover a first import of
    PyAirbyte; the module-level copies of those settings are patched too, because another test in this process
    may have imported PyAirbyte already. The cwd moves to ``tmp_path`` for anything resolved against it.
    """
    registry = tmp_path / "registry.json"
    registry.write_text('{"sources": [], "destinations": []}')
    env = {
        "AIRBYTE_OFFLINE_MODE": "1",
        "DO_NOT_TRACK": "1",
        "AIRBYTE_LOCAL_REGISTRY": str(registry),
        "AIRBYTE_PROJECT_DIR": str(tmp_path),
        "AIRBYTE_INSTALL_DIR": str(tmp_path / "install"),
        "AIRBYTE_CACHE_ROOT": str(tmp_path / "cache"),
        "AIRBYTE_TEMP_DIR": str(tmp_path / "tmp"),
        "AIRBYTE_LOGGING_ROOT": str(tmp_path / "logs"),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "tmp").mkdir()
    monkeypatch.chdir(tmp_path)
    import airbyte._util.temp_files
    import airbyte.caches.util
    import airbyte.logs

    monkeypatch.setattr(airbyte.caches.util, "DEFAULT_CACHE_ROOT", tmp_path / "cache")
    monkeypatch.setattr(airbyte._util.temp_files, "TEMP_DIR_OVERRIDE", tmp_path / "tmp")
    monkeypatch.setattr(airbyte.logs, "AIRBYTE_LOGGING_ROOT", tmp_path / "logs")
    return tmp_path


@pytest.mark.slow
@pytest.mark.skipif(
    not EXECUTABLE.exists(), reason="the source-zoho console script is not installed in this venv"
)
def test_pyairbyte_reads_raw_and_standard_streams_into_duckdb(pyairbyte_home: Path, zoho: Any) -> None:
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
        cache = DuckDBCache(
            db_path=str(pyairbyte_home / "zoho.duckdb"), cache_dir=str(pyairbyte_home / "cache")
        )
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
