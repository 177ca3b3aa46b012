"""Destinations: what consumes records.

A destination connector subclasses :class:`Destination` and returns a :class:`Writer` from :meth:`Destination.open`.
The framework reads stdin (RECORD and STATE messages), hands records to :meth:`Writer.write` (which buffers), and on
every STATE calls :meth:`Writer.flush` to commit everything buffered; only when flush returns does it echo that
state, in input order, with ``destinationStats.recordCount`` and ``rejectedRecordCount``. Rejected records (raised
from ``write`` or returned from ``flush``) are reported one by one and counted; they never stop the sync. An
exception other than :class:`~staffwire.errors.RecordRejected` fails the run after what was committed.

Counts in an echoed per-stream state: ``recordCount`` = records of that stream received since its previous state
(rejected ones included), ``rejectedRecordCount`` = those of them rejected; a GLOBAL state counts every stream.
Records of streams the catalog does not select are skipped (and reported once at the end), as are lines that are
not protocol messages; empty stdin is a config error (nothing was piped in).

A writer that has an ``outcomes`` attribute (:class:`~staffwire.activation.Outcomes`) reports what it did with each
record: every echoed state then also carries ``createdRecordCount``, ``updatedRecordCount``,
``unchangedRecordCount`` and ``ignoredRecordCount`` for the records since that stream's previous state.

Data activation: a destination that declares the objects it writes (:attr:`Destination.objects`, or
:meth:`Destination.destination_objects` when they depend on the config) also answers ``discover`` with a
DESTINATION_CATALOG, and ``write`` binds every configured stream to its object first
(:func:`~staffwire.activation.bind_streams`: ``destination_object_name``, ``destination_sync_mode``, matching
keys), failing with a config error before any record is read when the catalog asks for something it does not have.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from staffwire.activation.objects import DestinationObject, ObjectBinding, bind_streams, destination_catalog
from staffwire.activation.outcomes import OUTCOME_STATS, Outcomes
from staffwire.entrypoint import ConfigT, Connector, RunContext, exception_trace
from staffwire.errors import ConfigError, RecordRejected, Rejection
from staffwire.protocol import dumps, read_messages

if TYPE_CHECKING:
    from airbyte_protocol_dataclasses.models import ConfiguredAirbyteCatalog

    from staffwire.protocol import Output

__all__ = ["Destination", "Writer"]

_log = logging.getLogger("staffwire.destination")
_BAD_DATA = Rejection(rule="record_data", message="the RECORD message has no data object")


@runtime_checkable
class Writer(Protocol):
    def write(self, stream: str, record: Mapping[str, Any]) -> None:
        """Accept one record (buffer it). Raise RecordRejected for a record that can never be written."""

    def flush(self) -> Iterable[RecordRejected]:
        """Durably commit every buffered record; return the rejections found while committing."""
        ...

    def close(self) -> None:
        """Release resources (called once, after the last flush, also on failure)."""


class Destination(Connector[ConfigT]):
    """Base class of every destination connector (generic over its pydantic config model).

    A connector implements :meth:`check` and :meth:`open`. If its config model has a field
    ``rejected_records_path`` and the config sets it, every rejected record is also appended to that JSONL file
    (stream, record id, reasons, the record when known).
    """

    commands: ClassVar[tuple[str, ...]] = ("spec", "check", "write")
    supported_destination_sync_modes: ClassVar[list[str]] = ["append", "overwrite", "append_dedup"]
    #: The objects this destination writes (data activation); declaring any adds the ``discover`` command.
    objects: ClassVar[tuple[DestinationObject, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declares = cls.objects or cls.destination_objects is not Destination.destination_objects
        if declares and "discover" not in cls.commands:
            cls.commands = (*cls.commands[:2], "discover", *cls.commands[2:])

    def __init__(self) -> None:
        super().__init__()
        #: stream -> its object, for destinations that declare objects (set before :meth:`open`)
        self.bindings: dict[str, ObjectBinding] = {}

    def destination_objects(self, config: ConfigT) -> Sequence[DestinationObject]:
        """The objects this destination writes for ``config`` (default: :attr:`objects`)."""
        return self.objects

    def open(self, config: ConfigT, catalog: ConfiguredAirbyteCatalog) -> Writer:
        """Return the writer for this run (the framework closes it)."""
        raise NotImplementedError(f"{self.name} does not implement open()")

    def offered_sync_modes(self) -> list[str]:
        """The destination_sync_modes the spec lists: the class's own plus every declared object's."""
        modes = list(self.supported_destination_sync_modes)
        for obj in self.objects:
            modes += [mode for mode in obj.sync_modes if mode not in modes]
        return modes

    def _spec_extras(self) -> dict[str, Any]:
        return {"destination_sync_modes": self.offered_sync_modes()}

    def bind(self, config: ConfigT, catalog: ConfiguredAirbyteCatalog) -> dict[str, ObjectBinding]:
        """Bind the catalog's streams to this destination's objects (none when it declares none)."""
        if "discover" not in self.commands:
            return {}
        return bind_streams(catalog, self.destination_objects(config), connector=self.name)

    def preflight(self, config: ConfigT) -> None:
        path = getattr(config, "rejected_records_path", None)
        if path and not Path(str(path)).parent.is_dir():
            raise ConfigError(
                f"{self.name}: the folder of rejected_records_path {path} does not exist. "
                "Create it, or change rejected_records_path in the config."
            )

    def check_sync_modes(self, catalog: ConfiguredAirbyteCatalog) -> None:
        """Refuse a destination_sync_mode the spec does not offer, before anything is written (a silently
        ignored ``overwrite`` would leave old data a user expects gone)."""
        offered = self.offered_sync_modes()
        for configured in catalog.streams:
            mode = configured.destination_sync_mode.value
            if mode not in offered:
                raise ConfigError(
                    f"{self.name} does not support destination_sync_mode '{mode}' (stream "
                    f"'{configured.stream.name}'); it supports {', '.join(offered)}. "
                    "Change the stream's destination_sync_mode in the catalog."
                )

    def _dispatch(self, context: RunContext) -> int:
        if context.command == "write":
            config = self.load_config(context.args.config)
            self.preflight(config)
            catalog = self.load_catalog(context.args.catalog)
            if not self.objects:  # a destination of objects: binding checks each stream's mode on its object
                self.check_sync_modes(catalog)
            self.bindings = self.bind(config, catalog)
            stdin = context.stdin if context.stdin is not None else sys.stdin.buffer
            return _WriteLoop(self, config, catalog, context.output).run(stdin)
        if context.command == "discover":
            config = self.load_config(context.args.config)
            self.preflight(config)
            body = destination_catalog(self.destination_objects(config))
            context.output.message({"type": "DESTINATION_CATALOG", "destination_catalog": body})
            return 0
        return super()._dispatch(context)


class _WriteLoop:
    """Reads stdin, feeds the writer, flushes and echoes states (commit, then acknowledge)."""

    def __init__(
        self, destination: Destination[Any], config: Any, catalog: ConfiguredAirbyteCatalog, output: Output
    ):
        self.destination = destination
        self.name = destination.name
        self.config = config
        self.output = output
        self.catalog = catalog
        self.streams = {s.stream.name for s in catalog.streams}
        self.records: dict[str, int] = {}  # per stream, since its previous echoed state
        self.rejected: dict[str, int] = {}
        self.total_records = 0
        self.total_rejected = 0
        self.skipped: dict[str, int] = {}
        # the totals at the previous GLOBAL (or LEGACY) state: a global state counts everything since
        self.global_mark = (0, 0)
        path = getattr(config, "rejected_records_path", None)
        self.rejected_path = Path(str(path)) if path else None
        self.outcomes: Outcomes | None = None
        # outcome totals at each stream's previous echo ("" = at the previous GLOBAL state)
        self.outcome_marks: dict[str, dict[Any, int]] = {}

    def run(self, stdin: IO[bytes]) -> int:
        writer = self.destination.open(self.config, self.catalog)
        outcomes = getattr(writer, "outcomes", None)
        self.outcomes = outcomes if isinstance(outcomes, Outcomes) else None
        seen_any = False
        try:
            for message in read_messages(stdin, self._bad_line):
                seen_any = True
                kind = message["type"]
                if kind == "RECORD":
                    self._record(writer, message.get("record"))
                elif kind == "STATE":
                    self._flush(writer)
                    self._echo(message)
            self._flush(writer)
        except Exception as exc:
            self._close(writer)  # before the TRACE ERROR: it is the last word of a failed run
            self.output.message(exception_trace(exc, connector=self.name, command="write"))
            return 1
        self._close(writer)
        if not seen_any:
            raise ConfigError(
                f"{self.name} write received no messages on stdin. Pipe a source's output into it "
                "(e.g. 'source-x read ... | " + self.name + " write ...')."
            )
        for stream, count in self.skipped.items():
            _log.warning(
                "%s skipped %d records of stream '%s', which the catalog does not select",
                self.name,
                count,
                stream,
            )
        _log.info(
            "%s wrote %d records, %d rejected",
            self.name,
            self.total_records - self.total_rejected,
            self.total_rejected,
        )
        return 0

    def _close(self, writer: Writer) -> None:
        try:
            writer.close()
        except Exception:
            _log.warning("%s: closing the writer failed", self.name, exc_info=True)

    def _bad_line(self, number: int, reason: str) -> None:
        _log.warning("%s ignored input %s", self.name, reason)

    def _record(self, writer: Writer, record: Any) -> None:
        if not isinstance(record, dict) or not isinstance(record.get("stream"), str):
            _log.warning("%s ignored a RECORD message without a stream name", self.name)
            return
        stream = record["stream"]
        if stream not in self.streams:
            self.skipped[stream] = self.skipped.get(stream, 0) + 1
            return
        self.records[stream] = self.records.get(stream, 0) + 1
        self.total_records += 1
        data = record.get("data")
        if not isinstance(data, dict):
            self._reject(RecordRejected(stream=stream, record_id=None, reasons=[_BAD_DATA]), None)
            return
        try:
            writer.write(stream, data)
        except RecordRejected as rejection:
            if rejection.stream is None:
                rejection.stream = stream
            self._reject(rejection, data)

    def _flush(self, writer: Writer) -> None:
        for rejection in writer.flush() or ():
            self._reject(rejection, None)

    def _reject(self, rejection: RecordRejected, record: Mapping[str, Any] | None) -> None:
        stream = rejection.stream or "(unknown stream)"
        self.rejected[stream] = self.rejected.get(stream, 0) + 1
        self.total_rejected += 1
        _log.warning(
            "%s stream '%s': record %s rejected: %s",
            self.name,
            stream,
            rejection.record_id or "(no id)",
            rejection.reasons_text() or "no reason given",
        )
        if self.rejected_path is not None:
            line = {
                "stream": stream,
                "record_id": rejection.record_id,
                "reasons": [r.as_dict() for r in rejection.reasons],
                "rejected_at": datetime.now(timezone.utc).isoformat(),
                "record": dict(record) if record is not None else None,
            }
            try:
                with self.rejected_path.open("ab") as fh:
                    fh.write(dumps(line) + b"\n")
            except OSError as exc:
                raise ConfigError(
                    f"{self.name} cannot append to rejected_records_path {self.rejected_path}: "
                    f"{exc.strerror or exc}. Fix the path or its permissions."
                ) from None

    def _echo(self, message: dict[str, Any]) -> None:
        state = message.get("state")
        if not isinstance(state, dict):
            _log.warning("%s ignored a STATE message without a state body", self.name)
            return
        state = dict(state)
        kind = state.get("type")
        stream: str | None = None
        if kind == "STREAM" or (kind is None and isinstance(state.get("stream"), dict)):
            descriptor = (state.get("stream") or {}).get("stream_descriptor") or {}
            stream = str(descriptor.get("name"))
            count = self.records.pop(stream, 0)
            rejected = self.rejected.pop(stream, 0)
        else:  # GLOBAL (or LEGACY): it covers every stream
            count = self.total_records - self.global_mark[0]
            rejected = self.total_rejected - self.global_mark[1]
            self.records.clear()
            self.rejected.clear()
        if kind != "STREAM":
            self.global_mark = (self.total_records, self.total_rejected)
        stats = {"recordCount": float(count), "rejectedRecordCount": float(rejected)}
        if self.outcomes is not None:
            stats.update(self._outcome_stats(stream))
        state["destinationStats"] = stats
        self.output.message({"type": "STATE", "state": state})

    def _outcome_stats(self, stream: str | None) -> dict[str, float]:
        """The outcome counts since the previous echo of ``stream`` (every stream's since the previous GLOBAL
        state when None)."""
        assert self.outcomes is not None
        mark_key = stream if stream is not None else ""
        totals = self.outcomes.totals(stream)
        before = self.outcome_marks.get(mark_key, {})
        self.outcome_marks[mark_key] = totals
        return {OUTCOME_STATS[o]: float(totals.get(o, 0) - before.get(o, 0)) for o in self.outcomes.reported}
