"""Helpers for the hub's tests: connections from a replay source (recorded records of Airbyte's Lever and
Salesforce sources, run as a plain Airbyte-protocol subprocess) into the plain JSON-lines destination."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from staffwire.runner import RunResult, StateStore, load_connection, run_sync

HERE = Path(__file__).parent.parent
DATA = HERE / "data"
REPLAY_SOURCE = HERE / "connectors" / "replay_source.py"
PLAIN_DESTINATION = HERE.parent / "runner" / "connectors" / "plain_destination.py"
LEVER_RECORDS = DATA / "lever" / "expected_records.jsonl"
SALESFORCE_RECORDS = [DATA / "salesforce" / "accounts.jsonl", DATA / "salesforce" / "jobscience.jsonl"]
LEVER_STREAMS = {
    "opportunities": {"primary_key": "id", "cursor": "updatedAt"},
    "applications": {"primary_key": "id", "cursor": "createdAt"},
}
SALESFORCE_STREAMS = {
    name: {"primary_key": "Id", "cursor": "SystemModstamp"}
    for name in ("Account", "Contact", "ts2__Job__c", "ts2__Placement__c")
}
#: the Candidate record type of the test org, and the Hired archive reason of Airbyte's Lever test tenant
CANDIDATE_TYPE = "0124W000001CnDdQAK"
HIRED_REASON = "f3962b36-964b-48c8-b12a-904e6bd7059c"
SALESFORCE_PATCH = {
    "mappings": {
        "candidates": {"when": {"field": "RecordTypeId", "in": [CANDIDATE_TYPE]}},
        "contacts": {"when": {"not": {"field": "RecordTypeId", "in": [CANDIDATE_TYPE]}}},
    }
}
LEVER_PATCH = {"mappings": {"placements": {"when": {"field": "archived.reason", "in": [HIRED_REASON]}}}}
ENV = {"REPLAY_API_KEY": "replay-secret-3141"}


def recorded(path: Path | list[Path]) -> list[dict[str, Any]]:
    files = path if isinstance(path, list) else [path]
    return [json.loads(line) for f in files for line in f.read_text().splitlines() if line.strip()]


class Hub:
    """Writes connection files for replay_source -> plain_destination and runs them."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.db = tmp_path / "state" / "staffwire.db"
        self.out = tmp_path / "out.jsonl"

    def file(
        self,
        *,
        name: str = "replay",
        records: Path | list[Path] = LEVER_RECORDS,
        streams: dict[str, Any] | None = None,
        mapping: dict[str, Any] | None = None,
        mirror: Any = True,
        sync_mode: str = "incremental",
    ) -> Path:
        streams = streams or LEVER_STREAMS
        files = records if isinstance(records, list) else [records]
        document: dict[str, Any] = {
            "name": name,
            "source": {
                "connector": str(REPLAY_SOURCE),
                "config": {
                    "records": [str(f) for f in files],
                    "streams": streams,
                    "api_key": "${REPLAY_API_KEY}",
                },
            },
            "destination": {"connector": str(PLAIN_DESTINATION), "config": {"path": str(self.out)}},
            "streams": [{"name": s, "sync_mode": sync_mode} for s in streams],
        }
        if mapping is not None:
            document["mapping"] = mapping
        if mirror is not None:
            document["mirror"] = mirror
        path = self.tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump(document))
        return path

    def run(self, env: dict[str, str] | None = None, **kwargs: Any) -> RunResult:
        store = StateStore(self.db)
        try:
            return run_sync(load_connection(self.file(**kwargs)), store=store, env={**ENV, **(env or {})})
        finally:
            store.close()

    def written(self) -> list[dict[str, Any]]:
        if not self.out.exists():
            return []
        return [json.loads(line) for line in self.out.read_text().splitlines()]

    def store_dump(self) -> list[tuple[Any, ...]]:
        """Every row of the run history's tables, to check that a secret is nowhere in it."""
        import sqlite3

        db = sqlite3.connect(self.db)
        try:
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return [row for table in tables for row in db.execute(f"SELECT * FROM {table}")]
        finally:
            db.close()

    @property
    def mirror(self) -> Path:
        return self.db.with_name("mirror.duckdb")

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        from staffwire.mirror import open_warehouse

        db = open_warehouse(self.mirror, read_only=True)
        try:
            return db.query(sql, params or [])
        finally:
            db.close()


def advanced_lever_records(tmp_path: Path) -> Path:
    """Airbyte's Lever records after a recruiter moved Mark Smith's opportunity to offer (stage and updatedAt
    changed), with the Airbyte record meta the source would attach to a truncated field."""
    rows = recorded(LEVER_RECORDS)
    for row in rows:
        if row["data"]["id"] == "9ea413b6-432a-4806-a6cb-683e55dda4c2":
            row["data"] = {**row["data"], "stage": "offer", "updatedAt": 1628590000000}
            row["meta"] = {
                "changes": [
                    {"field": "headline", "change": "TRUNCATED", "reason": "SOURCE_RECORD_SIZE_LIMITATION"}
                ]
            }
    path = tmp_path / "lever-advanced.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path
