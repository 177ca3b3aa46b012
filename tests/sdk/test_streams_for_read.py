"""``Source.streams_for_read``: ``read`` builds only the streams its catalog selects when a source says how;
discover builds everything, and a name the hook does not know falls back to every stream for the error."""

from __future__ import annotations

from typing import Any, ClassVar

from sdk_support import SCRIPT_CONFIG, ScriptConfig, ScriptedStream, configured_catalog
from staffwire.source import Source
from staffwire.streams import Stream
from staffwire.testing.conformance import ConnectorResult, assert_conformant, run_connector

NAMES = ("a", "b", "c")


class SourceCounting(Source[ScriptConfig]):
    """Builds a stream per name and notes every build: (how, the names built)."""

    name: ClassVar[str] = "source-counting"
    config_model = ScriptConfig
    builds: ClassVar[list[tuple[str, list[str]]]] = []

    def _build(self, how: str, names: list[str]) -> list[Stream]:
        self.builds.append((how, names))
        return [ScriptedStream(n, [{"id": i, "from": n} for i in (1, 2)]) for n in names]

    def streams(self, config: ScriptConfig) -> list[Stream]:
        return self._build("all", list(NAMES))

    def streams_for_read(self, config: ScriptConfig, selected: set[str]) -> list[Stream]:
        return self._build("selected", sorted(selected & set(NAMES)))


class SourcePlain(SourceCounting):
    """No hook of its own: the base class's streams_for_read."""

    name: ClassVar[str] = "source-plain"
    streams_for_read = Source.streams_for_read


def _run(source: type[Source[Any]], command: str, *names: str) -> ConnectorResult:
    SourceCounting.builds.clear()
    catalog = configured_catalog(*names) if command == "read" else None
    result = run_connector(source, command, config=SCRIPT_CONFIG, catalog=catalog)
    assert_conformant(result)
    return result


def test_read_builds_only_the_selected_streams_through_the_hook() -> None:
    result = _run(SourceCounting, "read", "c", "a")
    assert result.exit_code == 0
    assert SourceCounting.builds == [("selected", ["a", "c"])]
    assert [(r["from"], r["id"]) for r in result.records()] == [("c", 1), ("c", 2), ("a", 1), ("a", 2)]
    assert result.stream_statuses() == {
        "c": ["STARTED", "RUNNING", "COMPLETE"],
        "a": ["STARTED", "RUNNING", "COMPLETE"],
    }


def test_discover_builds_every_stream_without_the_hook() -> None:
    result = _run(SourceCounting, "discover")
    assert [s["name"] for s in result.catalog["streams"]] == ["a", "b", "c"]
    assert SourceCounting.builds == [("all", ["a", "b", "c"])]


def test_an_unknown_selected_stream_falls_back_to_every_stream_and_the_error_lists_them_all() -> None:
    result = _run(SourceCounting, "read", "a", "nope")
    assert result.exit_code == 1
    assert SourceCounting.builds == [("selected", ["a"]), ("all", ["a", "b", "c"])]
    assert result.records() == []
    assert [(e["failure_type"], e["message"]) for e in result.trace_errors] == [
        (
            "config_error",
            "the catalog selects stream 'nope', which source-counting does not have (its streams: a, b, c). "
            "Run discover and select streams from its catalog.",
        )
    ]


def test_by_default_read_builds_every_stream_once() -> None:
    result = _run(SourcePlain, "read", "b")
    assert result.exit_code == 0
    assert SourceCounting.builds == [("all", ["a", "b", "c"])]
    assert [(r["from"], r["id"]) for r in result.records()] == [("b", 1), ("b", 2)]
