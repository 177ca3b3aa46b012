"""Helpers shared by the SDK tests: catalogs, and in-memory streams that yield exactly what a test scripts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, ClassVar

from pydantic import BaseModel, Field, SecretStr
from staffwire.errors import RecordRejected
from staffwire.source import Source
from staffwire.streams import Stream, SyncMode


def configured_catalog(*streams: str, mode: str = "full_refresh", **modes: str) -> dict[str, Any]:
    """A configured catalog selecting ``streams`` (sync mode ``mode``, or per stream through ``modes``)."""
    return {
        "streams": [
            {
                "stream": {
                    "name": name,
                    "json_schema": {},
                    "supported_sync_modes": ["full_refresh", "incremental"],
                },
                "sync_mode": modes.get(name, mode),
                "destination_sync_mode": "append",
            }
            for name in streams
        ]
    }


class ScriptConfig(BaseModel):
    token: SecretStr = Field(description="A secret the scripted streams may leak on purpose.")


class ScriptedStream(Stream):
    """Yields ``script`` items as they are; an Exception instance is raised and a callable is called at that point."""

    def __init__(
        self,
        name: str,
        script: Sequence[Any],
        *,
        cursor: list[str] | None = None,
        modes: list[SyncMode] | None = None,
    ) -> None:
        self._name = name
        self.script = list(script)
        self._cursor = cursor
        self._modes = modes
        self.seen_state: Mapping[str, Any] | None = None
        self.seen_mode: str | None = None

    def get_name(self) -> str:
        return self._name

    def get_cursor_field(self) -> list[str] | None:
        return self._cursor

    @property
    def supported_sync_modes(self) -> list[SyncMode]:
        return self._modes or super().supported_sync_modes

    def read(self, sync_mode: SyncMode, state: Mapping[str, Any] | None) -> Iterator[Any]:
        self.seen_mode, self.seen_state = sync_mode, state
        for item in self.script:
            if isinstance(item, BaseException) and not isinstance(item, RecordRejected):
                raise item
            if callable(item):  # a step with a side effect (log, register a token); yields nothing
                item()
                continue
            yield item


def scripted_source(*streams: ScriptedStream) -> type[Source[ScriptConfig]]:
    """A source class whose streams are ``streams`` (the same objects, so tests can inspect them)."""

    class SourceScripted(Source[ScriptConfig]):
        name: ClassVar[str] = "source-scripted"
        config_model = ScriptConfig

        def streams(self, config: ScriptConfig) -> list[Stream]:
            return list(streams)

    return SourceScripted


SCRIPT_CONFIG = {"token": "tok-SECRET-4242"}
