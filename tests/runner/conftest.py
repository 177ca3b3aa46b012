"""Fixtures for the runner's tests: a state store in a temporary directory, and a plain (stdlib-only)
Airbyte-protocol source/destination pair run as subprocesses (tests/runner/connectors)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from staffwire.runner import Connection, RunResult, StateStore, load_connection, run_sync

HERE = Path(__file__).parent
PLAIN_SOURCE = HERE / "connectors" / "plain_source.py"
PLAIN_DESTINATION = HERE / "connectors" / "plain_destination.py"
API_KEY = "sk-live-abcdef123456"


class PlainPair:
    """Writes connection files for plain_source -> plain_destination and runs them."""

    env = {"PLAIN_API_KEY": API_KEY}
    source_path = PLAIN_SOURCE
    destination_path = PLAIN_DESTINATION

    def __init__(self, tmp_path: Path, store: StateStore) -> None:
        self.tmp_path = tmp_path
        self.store = store
        self.out = tmp_path / "out.jsonl"

    def file(
        self,
        *,
        name: str = "plain",
        source: dict[str, Any] | None = None,
        destination: dict[str, Any] | None = None,
        streams: list[dict[str, Any]] | None = None,
        dest_config: dict[str, Any] | None = None,
        counts: dict[str, int] | None = None,
        **source_config: Any,
    ) -> Path:
        document = {
            "name": name,
            "source": source
            or {
                "connector": str(PLAIN_SOURCE),
                "config": {
                    "api_key": "${PLAIN_API_KEY}",
                    "streams": counts or {"users": 5, "orders": 3},
                    **source_config,
                },
            },
            "destination": destination
            or {
                "connector": str(PLAIN_DESTINATION),
                "config": {"path": str(self.out), **(dest_config or {})},
            },
            "streams": streams
            or [
                {"name": "users", "sync_mode": "incremental"},
                {"name": "orders", "sync_mode": "incremental"},
            ],
        }
        path = self.tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump(document))
        return path

    def connection(self, **kwargs: Any) -> Connection:
        return load_connection(self.file(**kwargs))

    def run(self, **kwargs: Any) -> RunResult:
        env = kwargs.pop("env", self.env)
        return run_sync(self.connection(**kwargs), store=self.store, env=env)

    def written(self) -> list[tuple[str, int]]:
        """(stream, id) of every record the plain destination wrote, in order."""
        if not self.out.exists():
            return []
        return [(r["stream"], r["id"]) for r in map(json.loads, self.out.read_text().splitlines())]

    def cursors(self, connection: str = "plain") -> dict[str, int]:
        return {
            name: state["stream"]["stream_state"]["cursor"]
            for (_, name), state in self.store.states(connection).items()
        }


@pytest.fixture
def store(tmp_path: Path) -> Iterator[StateStore]:
    db = StateStore(tmp_path / "state" / "staffwire.db")
    yield db
    db.close()


@pytest.fixture
def plain(tmp_path: Path, store: StateStore) -> PlainPair:
    return PlainPair(tmp_path, store)
