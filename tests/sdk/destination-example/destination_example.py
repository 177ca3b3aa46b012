"""A tiny example destination: appends records to a JSONL file, one committed batch per flush.

``write`` rejects a record without ``id``; ``flush`` rejects a record whose ``id`` was already committed (the file
is the idempotency key store), commits the rest (fsync) and records the flush in ``flushes``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from airbyte_protocol_dataclasses.models import ConfiguredAirbyteCatalog
from pydantic import BaseModel, Field, SecretStr
from staffwire.destination import Destination, Writer
from staffwire.errors import ConfigError, RecordRejected, Rejection


class ExampleDestinationConfig(BaseModel):
    path: str = Field(title="Output file", description="JSONL file the records are appended to.")
    api_token: SecretStr = Field(title="API token", description="Token of the (pretend) target account.")
    rejected_records_path: str | None = Field(None, description="JSONL file that collects rejected records.")


class FileWriter:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.buffer: list[tuple[str, dict[str, Any]]] = []
        self.committed_ids = (
            {json.loads(line)["id"] for line in path.read_text().splitlines()} if path.exists() else set()
        )
        self.flushes = 0
        self.closed = False

    def write(self, stream: str, record: Mapping[str, Any]) -> None:
        if "id" not in record:
            raise RecordRejected(
                reasons=[Rejection("required", "id", message="id is required")], stream=stream
            )
        self.buffer.append((stream, dict(record)))

    def flush(self) -> Iterable[RecordRejected]:
        rejected: list[RecordRejected] = []
        with self.path.open("a") as fh:
            for stream, record in self.buffer:
                key = f"{stream}:{record['id']}"
                if key in self.committed_ids:
                    reason = Rejection("duplicate", "id", record["id"], f"{key} was already written")
                    rejected.append(
                        RecordRejected(reasons=[reason], stream=stream, record_id=str(record["id"]))
                    )
                    continue
                self.committed_ids.add(key)
                fh.write(json.dumps({"id": key, "stream": stream, "data": record}) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        self.buffer.clear()
        self.flushes += 1
        return rejected

    def close(self) -> None:
        self.closed = True


class DestinationExample(Destination[ExampleDestinationConfig]):
    name = "destination-example"
    config_model = ExampleDestinationConfig
    documentation_url = "https://example.com/docs/destination-example"
    writers: list[FileWriter] = []

    def check(self, config: ExampleDestinationConfig) -> None:
        folder = Path(config.path).parent
        if not folder.is_dir():
            raise ConfigError(
                f"destination-example cannot write to {config.path}: folder {folder} does not exist."
            )

    def open(self, config: ExampleDestinationConfig, catalog: ConfiguredAirbyteCatalog) -> Writer:
        writer = FileWriter(Path(config.path))
        self.writers.append(writer)
        return writer
