"""Issue 16 minor cases: a quiet sync (`-q`: no progress) prints nothing on stderr -- not the retry lines of
connector worker threads, not a "BrokenPipeError" line when the destination fails."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from destination_wingspan.sandbox import DEMO_TOKEN, WingspanSandbox
from source_bullhorn.sandbox import BullhornSandbox
from staffwire.runner import StateStore, load_connection, run_sync
from staffwire.runner.progress import NullProgress


@pytest.fixture
def sandboxes() -> Iterator[tuple[BullhornSandbox, WingspanSandbox]]:
    with BullhornSandbox(seed=7, candidates=30) as bullhorn, WingspanSandbox() as wingspan:
        yield bullhorn, wingspan


def _sync(tmp_path: Path, bullhorn: BullhornSandbox, wingspan: WingspanSandbox, token: str) -> Any:
    source = bullhorn.demo_config(page_size=10, retry_base_seconds=0.001)
    destination = wingspan.demo_config(poll_interval_s=0.01, backoff_base_s=0.001)
    env = {"BH_SECRET": source.pop("client_secret"), "BH_PASSWORD": source.pop("password"), "WS_TOKEN": token}
    destination.pop("api_token")
    document = {
        "name": "quiet",
        "source": {
            "connector": "source-bullhorn",
            "config": {**source, "client_secret": "${BH_SECRET}", "password": "${BH_PASSWORD}"},
        },
        "destination": {
            "connector": "destination-wingspan",
            "config": {**destination, "api_token": "${WS_TOKEN}"},
        },
        "streams": [{"name": "candidates"}],
    }
    path = tmp_path / "quiet.yaml"
    path.write_text(yaml.safe_dump(document))
    store = StateStore(tmp_path / "staffwire.db")
    try:
        return run_sync(load_connection(path), store=store, env=env, progress=NullProgress())
    finally:
        store.close()


def test_retry_lines_of_connector_worker_threads_stay_off_stderr(
    sandboxes: tuple[BullhornSandbox, WingspanSandbox], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    bullhorn, wingspan = sandboxes
    bullhorn.faults.server_error(r"/search/Candidate", status=503, times=2)
    wingspan.faults.server_error(r"/bulk/collaborator/batch", status=503, times=2)
    result = _sync(tmp_path, bullhorn, wingspan, DEMO_TOKEN)
    assert result.status == "succeeded", result.errors
    assert sum(f["fired"] for f in [*bullhorn.faults.listing(), *wingspan.faults.listing()]) == 4
    assert capfd.readouterr().err == ""


def test_a_failing_destination_leaves_no_broken_pipe_line_on_stderr(
    sandboxes: tuple[BullhornSandbox, WingspanSandbox], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    bullhorn, wingspan = sandboxes
    result = _sync(tmp_path, bullhorn, wingspan, "wrong-token-0123456789")
    assert result.status == "failed"
    assert result.errors[0].origin == "destination"
    assert capfd.readouterr().err == ""
