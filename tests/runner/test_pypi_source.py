"""An Airbyte connector from PyPI (airbyte-source-faker: offline, deterministic with a seed), installed by the
runner into its cached venv on first use and run as a subprocess."""

from __future__ import annotations

from typing import Any

import pytest
from staffwire.errors import TransientError
from staffwire.runner import StateStore, run_sync
from staffwire.runner.executors import SubprocessExecutor
from staffwire.runner.pypi import default_cache_dir
from staffwire.runner.resolve import resolve_connector

FAKER = "airbyte-source-faker==6.2.38"


@pytest.fixture(scope="module")
def faker_installed(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Install once per machine (the cache is shared), so later test runs start at once."""
    try:
        executor = resolve_connector(FAKER, role="source", base_dir=tmp_path_factory.mktemp("faker"))
    except TransientError as exc:  # pragma: no cover - only without access to PyPI
        pytest.skip(f"cannot install {FAKER} from PyPI: {exc}")
    assert isinstance(executor, SubprocessExecutor)
    assert executor.command == [str(default_cache_dir() / FAKER.replace("==", "_") / "bin" / "source-faker")]


@pytest.mark.timeout(180)
def test_an_airbyte_pypi_source_runs_through_the_runner(
    faker_installed: None, plain: Any, store: StateStore
) -> None:
    source = {
        "connector": FAKER,
        "config": {"count": 12, "seed": 7, "parallelism": 1, "always_updated": False},
    }
    streams = [{"name": "users", "sync_mode": "incremental", "destination_sync_mode": "append"}]

    first = run_sync(plain.connection(name="faker", source=source, streams=streams), store=store)

    assert first.status == "succeeded", first.errors
    assert first.streams["users"]["records_read"] == 12
    assert first.streams["users"]["records_written"] == 12
    assert [n for _, n in plain.written()] == list(range(1, 13))
    committed = store.states("faker")[("", "users")]
    assert committed["stream"]["stream_descriptor"] == {"name": "users"}

    assert committed["stream"]["stream_state"]  # the cursor the next run resumes from
    detail = store.run(first.run_id)
    assert detail is not None and detail["source"].startswith(f"{FAKER} (PyPI package ")
