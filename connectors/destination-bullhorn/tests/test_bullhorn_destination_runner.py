"""Through `staffwire sync`: a connection sends a source stream to a Bullhorn object (destination_object,
mapping, when, owned_fields), the run history keeps what the destination did per record, `staffwire runs show`
prints it, and a second run settles: it reads back the records the first one changed and writes nothing."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import yaml
from source_bullhorn.sandbox import BullhornSandbox
from staffwire.runner import StateStore, load_connection, run_sync
from staffwire.runner.cli import print_run

WHEN = {
    "all": [{"field": "status", "in": ["placed"]}, {"not": {"field": "remote_deleted_at", "exists": True}}]
}


def _connection(tmp_path: Path, sandbox: BullhornSandbox) -> tuple[Path, dict[str, str]]:
    source = sandbox.demo_config(page_size=50, lookback_seconds=0)
    destination = sandbox.demo_config(retry_base_seconds=0.001)
    env = {"BH_SECRET": source.pop("client_secret"), "BH_PASSWORD": source.pop("password")}
    for config in (destination,):
        config.pop("client_secret"), config.pop("password")
    secrets = {"client_secret": "${BH_SECRET}", "password": "${BH_PASSWORD}"}
    document = {
        "name": "bh-status",
        "source": {
            "connector": "source-bullhorn",
            "config": {**source, **secrets, "entities": ["Candidate"]},
        },
        "destination": {"connector": "destination-bullhorn", "config": {**destination, **secrets}},
        "streams": [
            {
                "name": "candidates",
                "sync_mode": "incremental",
                "destination_object": "Candidate",
                "matching_keys": [["id"]],
                "mapping": {
                    "id": "id",
                    "customText3": {"template": "placed via staffwire ({original_status})"},
                },
                "when": WHEN,
                "owned_fields": ["customText3"],
            }
        ],
    }
    path = tmp_path / "bh-status.yaml"
    path.write_text(yaml.safe_dump(document))
    return path, env


def test_a_connection_writes_a_stream_into_an_object_and_its_second_run_writes_nothing(
    tmp_path: Path,
) -> None:
    with BullhornSandbox(seed=7, candidates=30) as sandbox:
        path, env = _connection(tmp_path, sandbox)
        placed = [
            i
            for i, row in sandbox.rows["Candidate"].items()
            if row.get("status") == "Placed" and not row.get("isDeleted")
        ]
        every = list(sandbox.rows["Candidate"])  # soft-deleted ones too: the source emits them, deleted
        store = StateStore(tmp_path / "staffwire.db")
        try:
            first = run_sync(load_connection(path), store=store, env=env)
            assert first.succeeded, first.error
            assert first.streams["candidates"] | {"states_committed": 0} == {
                "records_read": len(every),
                "records_written": len(placed),
                "records_rejected": 0,
                "states_committed": 0,
                "status": "COMPLETE",
                "records_created": 0,
                "records_updated": len(placed),
                "records_unchanged": 0,
                "records_ignored": len(every) - len(placed),
            }
            assert {i: sandbox.rows["Candidate"][i]["customText3"] for i in placed} == {
                i: "placed via staffwire (Placed)" for i in placed
            }
            writes = len(sandbox.writes)
            time.sleep(
                1.1
            )  # the source reads up to the last whole second: let the first run's writes fall before it

            second = run_sync(load_connection(path), store=store, env=env)

            assert second.succeeded, second.error
            counts: dict[str, Any] = second.streams["candidates"]
            # it reads back the candidates the first run changed (dateLastModified moved) and leaves them be
            assert (counts["records_read"], counts["records_unchanged"], counts["records_updated"]) == (
                len(placed),
                len(placed),
                0,
            )
            assert len(sandbox.writes) == writes
            out = io.StringIO()
            print_run(store.run(second.run_id) or {}, out)
            table = out.getvalue()
            assert "Created" in table and "Unchanged" in table and "Ignored" in table
            row = next(line for line in table.splitlines() if line.lstrip().startswith("candidates"))
            assert row.split()[-4:] == ["0", "0", str(len(placed)), "0"]
        finally:
            store.close()
