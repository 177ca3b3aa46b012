"""A Staffwire Source + Destination pair built on the SDK base classes, registered as a plugin, so the runner
runs them in-process. The source counts; the destination appends to a JSON-lines file and rejects odd ids when
asked to."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, SecretStr
from staffwire.destination import Destination, Writer
from staffwire.errors import ConfigError, RecordRejected, Rejection
from staffwire.plugins import hookimpl
from staffwire.source import Source
from staffwire.state import Checkpoint
from staffwire.streams import Stream, SyncMode


class CounterConfig(BaseModel):
    token: SecretStr
    count: int = 10
    page: int = 3
    delay: float = 0.0
    fail_at: int | None = None
    hang_at: int | None = None  # block before this record until RELEASE is set (a hung in-process source)


#: set by tests to let a source hung with ``hang_at`` finish (its thread cannot be killed)
RELEASE = threading.Event()


class Numbers(Stream):
    name = "numbers"
    primary_key = [["id"]]
    cursor_field = ["id"]

    def __init__(self, config: CounterConfig) -> None:
        self.config = config

    def get_json_schema(self) -> dict[str, Any]:
        return {"type": "object", "properties": {"id": {"type": "integer"}, "square": {"type": "integer"}}}

    def read(self, sync_mode: SyncMode, state: Mapping[str, Any] | None) -> Iterable[Any]:
        start = int((state or {}).get("id", 0)) if sync_mode == "incremental" else 0
        page: list[dict[str, Any]] = []
        for n in range(start + 1, self.config.count + 1):
            if self.config.hang_at == n:
                RELEASE.wait()
            if self.config.fail_at == n:
                raise ConfigError(f"numbers API refused record {n}: check token")
            page.append({"id": n, "square": n * n})
            if self.config.delay:
                time.sleep(self.config.delay)
            if len(page) == self.config.page:
                yield page
                yield Checkpoint({"id": n})
                page = []
        if page:
            yield page
        yield Checkpoint({"id": max(start, self.config.count)})


class SourceCounter(Source[CounterConfig]):
    name = "source-counter"
    config_model = CounterConfig

    def check(self, config: CounterConfig) -> None:
        pass

    def streams(self, config: CounterConfig) -> list[Stream]:
        return [Numbers(config)]


class FileConfig(BaseModel):
    path: str
    reject_odd: bool = False
    rejected_records_path: str | None = None
    hang_on_flush: bool = False  # block in flush until RELEASE is set (a hung in-process destination)


class _FileWriter:
    def __init__(self, config: FileConfig) -> None:
        self.config = config
        self.buffer: list[dict[str, Any]] = []

    def write(self, stream: str, record: Mapping[str, Any]) -> None:
        if self.config.reject_odd and record["id"] % 2:
            raise RecordRejected(
                [Rejection("even", "id", record["id"], "id must be even")], stream, str(record["id"])
            )
        self.buffer.append({"stream": stream, **record})

    def flush(self) -> Iterable[RecordRejected]:
        if self.config.hang_on_flush:
            RELEASE.wait()
        with open(self.config.path, "a") as out:
            for record in self.buffer:
                out.write(json.dumps(record) + "\n")
        self.buffer = []
        return []

    def close(self) -> None:
        pass


class DestinationFile(Destination[FileConfig]):
    name = "destination-file"
    config_model = FileConfig

    def check(self, config: FileConfig) -> None:
        pass

    def open(self, config: FileConfig, catalog: Any) -> Writer:
        return _FileWriter(config)


@hookimpl
def staffwire_connectors() -> list[type]:
    return [SourceCounter, DestinationFile]


def written(path: Path) -> list[int]:
    return [json.loads(line)["id"] for line in path.read_text().splitlines()] if path.exists() else []
