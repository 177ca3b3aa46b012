"""Two connections in opposite directions settle instead of echoing: Bullhorn -> Wingspan (candidates become
contractors) and Wingspan -> Bullhorn (the workers' onboarding status into ``customText3``, plus a Note for each
ready worker), run as the demo builds them, round after round.

Every connector runs through the conformance kit (every protocol line checked against the Airbyte schema), source
``read`` piped into destination ``write`` over real HTTP against the sandboxes. The Wingspan -> Bullhorn streams
are full refresh, so each round re-reads every worker and destination-bullhorn compares before it writes: the
first round writes, and every later round writes nothing in either direction, although the Bullhorn ->
Wingspan connection reads back the candidates the write-back touched."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from destination_bullhorn.destination import DestinationBullhorn
from destination_wingspan.destination import DestinationWingspan
from destination_wingspan.sandbox import WingspanSandbox
from source_bullhorn.sandbox import BullhornSandbox
from source_bullhorn.source import SourceBullhorn
from source_wingspan.source import SourceWingspan
from staffwire.runner import Connection, load_connection
from staffwire.runner.demo import DEMO_PAYABLES_MAPPING
from staffwire.runner.demo_loop import onboard_some, return_connection_files
from staffwire.testing.conformance import ConnectorResult, assert_conformant, assert_no_secrets, run_connector

CONNECTORS: dict[str, type] = {
    "source-bullhorn": SourceBullhorn,
    "destination-wingspan": DestinationWingspan,
    "source-wingspan": SourceWingspan,
    "destination-bullhorn": DestinationBullhorn,
}


@pytest.fixture
def sandboxes() -> Iterator[tuple[BullhornSandbox, WingspanSandbox]]:
    with BullhornSandbox(seed=7, candidates=60) as bullhorn, WingspanSandbox() as wingspan:
        yield bullhorn, wingspan


def _forward_file(folder: Path, bullhorn: BullhornSandbox, wingspan: WingspanSandbox) -> Path:
    source = {
        **bullhorn.demo_config(),
        "client_secret": "${BULLHORN_CLIENT_SECRET}",
        "password": "${BULLHORN_PASSWORD}",
    }
    destination = {
        **wingspan.demo_config(stream_mappings=[DEMO_PAYABLES_MAPPING]),
        "api_token": "${WINGSPAN_API_TOKEN}",
    }
    document = {
        "name": "bullhorn-to-wingspan",
        "source": {"connector": "source-bullhorn", "config": source},
        "destination": {"connector": "destination-wingspan", "config": destination},
        "streams": [
            {"name": name, "sync_mode": "incremental", "destination_sync_mode": "append_dedup"}
            for name in ("candidates", "placements")
        ],
    }
    path = folder / "bullhorn-to-wingspan.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def _full_refresh(path: Path) -> Path:
    """The demo's Wingspan -> Bullhorn file with its stream in full refresh: every round re-sends every worker."""
    document = yaml.safe_load(path.read_text())
    document["streams"][0]["sync_mode"] = "full_refresh"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def _configured(connection: Connection, catalog: Mapping[str, Any]) -> dict[str, Any]:
    """The configured catalog `staffwire sync` builds for the connection's streams."""
    offered = {s["name"]: s for s in catalog["streams"]}
    streams = []
    for choice in connection.streams:
        stream = offered[choice.name]
        entry: dict[str, Any] = {
            "stream": stream,
            "sync_mode": choice.sync_mode,
            "destination_sync_mode": choice.effective_destination_sync_mode,
            "cursor_field": stream.get("default_cursor_field") or [],
            "primary_key": choice.matching_keys or stream.get("source_defined_primary_key") or [],
        }
        if choice.destination_object:
            entry["destination_object_name"] = choice.destination_object
        streams.append(entry)
    return {"streams": streams}


class Pipe:
    """Runs a connection's source ``read`` into its destination ``write``, both checked by the conformance kit,
    and keeps the states the destination echoed for the next read (as the runner does)."""

    def __init__(self, path: Path, env: Mapping[str, str]) -> None:
        self.connection = load_connection(path)
        self.env = env
        self.state: list[dict[str, Any]] | None = None

    def run(self) -> tuple[ConnectorResult, ConnectorResult]:
        source = CONNECTORS[self.connection.source.connector]
        destination = CONNECTORS[self.connection.destination.connector]
        config = self.connection.source.effective_config(self.env, "source")
        discover = run_connector(source, "discover", config=config)
        assert_conformant(discover)
        assert discover.catalog is not None
        catalog = _configured(self.connection, discover.catalog)
        read = run_connector(source, "read", config=config, catalog=catalog, state=self.state)
        assert read.exit_code == 0, read.output
        assert_conformant(read, catalog=catalog)
        write = run_connector(
            destination,
            "write",
            config=self.connection.destination_config(self.env),
            catalog=catalog,
            stdin=[m for m in read.messages if m["type"] in ("RECORD", "STATE")],
        )
        assert write.exit_code == 0, write.output
        assert_conformant(write)
        for result in (
            discover,
            read,
            write,
        ):  # the env holds the secrets: the token, password, client secret
            assert_no_secrets(result, self.env.values())
        echoed = {}
        for state in write.states:
            echoed[state["stream"]["stream_descriptor"]["name"]] = {
                k: v for k, v in state.items() if k not in ("sourceStats", "destinationStats")
            }
        self.state = list(echoed.values()) or self.state
        return read, write


def _outcomes(write: ConnectorResult) -> dict[str, int]:
    """The destination's outcome counts in its last echoed state (created, updated, unchanged, ...)."""
    stats = write.states[-1]["destinationStats"]
    names = {"recordCount": "records", "createdRecordCount": "created", "updatedRecordCount": "updated"}
    names |= {
        "unchangedRecordCount": "unchanged",
        "ignoredRecordCount": "ignored",
        "rejectedRecordCount": "rejected",
    }
    return {names.get(k, k): int(v) for k, v in stats.items() if v}


def _next_whole_second() -> None:
    """source-bullhorn reads up to the last whole second: the write-back's changes become visible after it."""
    time.sleep(1.02 - time.time() % 1)


def test_the_two_opposite_connections_write_once_then_nothing_round_after_round(
    sandboxes: tuple[BullhornSandbox, WingspanSandbox], tmp_path: Path
) -> None:
    bullhorn, wingspan = sandboxes
    (status_file, notes_file), env = return_connection_files(tmp_path, bullhorn, wingspan)
    forward = Pipe(_forward_file(tmp_path, bullhorn, wingspan), env)
    status, notes = Pipe(_full_refresh(status_file), env), Pipe(_full_refresh(notes_file), env)

    rounds = []
    for number in range(3):
        if number:
            _next_whole_second()
        wingspan_writes, bullhorn_writes = wingspan.writes_accepted, len(bullhorn.writes)
        forward_read, _ = forward.run()
        if number == 0:
            assert onboard_some(wingspan, 2) == ["bullhorn:8", "bullhorn:19"]
        status_read, status_write = status.run()
        notes_read, notes_write = notes.run()
        rounds.append(
            {
                "candidates read": len(forward_read.records("candidates")),
                "contractors": len(wingspan.contractors()),
                "Wingspan writes": wingspan.writes_accepted - wingspan_writes,
                "workers read": (len(status_read.records("workers")), len(notes_read.records("workers"))),
                "status": _outcomes(status_write),
                "notes": _outcomes(notes_write),
                "Bullhorn writes": len(bullhorn.writes) - bullhorn_writes,
            }
        )

    first, second, third = rounds
    assert first == {
        "candidates read": 60,
        "contractors": 9,
        "Wingspan writes": 31,
        "workers read": (9, 9),
        "status": {"records": 9, "updated": 9},
        "notes": {"records": 9, "created": 2, "ignored": 7},
        "Bullhorn writes": 11,
    }
    # the second round reads back the candidates the write-back touched, and every worker, and writes nothing
    assert second == {
        "candidates read": 9,
        "contractors": 9,
        "Wingspan writes": 0,
        "workers read": (9, 9),
        "status": {"records": 9, "unchanged": 9},
        "notes": {"records": 9, "unchanged": 2, "ignored": 7},
        "Bullhorn writes": 0,
    }
    # and so does every round after (source-bullhorn's 5-minute lookback reads the same 9 candidates again)
    assert third == second
    ready = {i for i, row in bullhorn.rows["Candidate"].items() if row.get("customText3") == "ready"}
    assert ready == {8, 19}
    notes_written = [
        n for n in bullhorn.rows["Note"].values() if str(n.get("externalID")).startswith("onboarded:")
    ]
    assert sorted(n["personReference"] for n in notes_written) == [8, 19]
