"""Piping a source's messages into a destination, and committing the states the destination echoes.

Two loops run at once: the *source pump* (a thread) reads the source's stdout, checks every line, counts records,
and forwards RECORD and STATE lines to the destination's stdin unchanged; the *destination loop* (the caller's
thread) reads what the destination prints and, for every echoed STATE, commits it to the store in one transaction.
A state the source emitted but the destination never echoed is never stored, so a crash anywhere resumes from
what was really written.

Each forwarded STATE is remembered with the number of records of its stream sent before it; when the destination
echoes it, those records count as committed (``destinationStats.rejectedRecordCount`` of them rejected).
"""

from __future__ import annotations

import collections
import contextlib
import io
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

import orjson

from staffwire.runner.executors import Running
from staffwire.runner.heartbeat import Pulse
from staffwire.runner.messages import BadMessage, parse_message, state_key
from staffwire.runner.stats import RunError, RunStats, StreamKey, stream_label
from staffwire.runner.store import OUTCOMES, StateStore, StreamCounts
from staffwire.secrets import SecretMasker

__all__ = ["Relay", "RelayOutcome"]

_REJECTED_TEXT = re.compile(
    r"^(?:\S+ )?stream '(?P<stream>[^']*)': record (?P<record>.+?) rejected: (?P<why>.*)$"  # the SDK's form
    r"|^record (?P<stream2>\S+) (?P<record2>\S+) rejected: (?P<why2>.*)$",  # RecordRejected's str()
    re.S,
)
_GARBAGE_EXAMPLES = 3
#: Records are handed to the destination in blocks of about this many bytes, and with every STATE (flushed): the
#: size of its stdin's buffer, so records reach it when they did when each was written on its own; the heartbeat's
#: bookkeeping around a write that may block is per block instead of per record.
_BLOCK = io.DEFAULT_BUFFER_SIZE


@dataclass
class _Pending:
    key: StreamKey
    state: dict[str, Any]
    sent: dict[StreamKey, int]  # records sent per stream before this state


@dataclass
class RelayOutcome:
    garbage: dict[str, int] = field(default_factory=lambda: {"source": 0, "destination": 0})
    garbage_examples: list[str] = field(default_factory=list)
    unconfirmed_states: int = 0
    destination_gone: bool = False
    pump_error: str | None = None
    unselected_records: dict[str, int] = field(default_factory=dict)


class Relay:
    def __init__(
        self,
        *,
        store: StateStore,
        stats: RunStats,
        masker: SecretMasker,
        selected: Mapping[StreamKey, str],
        on_log: Callable[[str, str, str], None],
        on_status: Callable[[str, str], None],
        on_tick: Callable[[], None],
        on_control: Callable[[str, dict[str, Any]], None],
        names: Mapping[str, str] | None = None,
        pulses: Mapping[str, Pulse] | None = None,
        tap: Callable[[bytes, dict[str, Any]], list[bytes]] | None = None,
    ) -> None:
        #: the hub's per-record step (mapping, mirror; :mod:`staffwire.runner.hub`): the lines to forward instead
        self.tap = tap
        self.names = dict(names or {})
        #: signs of life per origin (:mod:`staffwire.runner.heartbeat`); unwatched stand-ins without a watchdog
        self.pulses = {
            origin: (pulses or {}).get(origin) or Pulse(origin, self.names.get(origin, origin), watched=False)
            for origin in ("source", "destination")
        }
        self.store = store
        self.stats = stats
        self.masker = masker
        self.selected = selected
        self.on_log = on_log
        self.on_status = on_status
        self.on_tick = on_tick
        self.on_control = on_control
        self.outcome = RelayOutcome()
        self._pending: collections.deque[_Pending] = collections.deque()
        #: the selected streams' counts; ``read`` is the number of records sent to the destination
        self._counts = {key: stats.counts(key) for key in selected}
        self._lock = threading.Lock()

    # ----------------------------------------------------------------------------------------------- shared
    def _garbage(self, origin: str, line: bytes, why: str) -> None:
        with self._lock:
            self.outcome.garbage[origin] += 1
            count = self.outcome.garbage[origin]
        preview = self.masker.mask(line[:120].decode("utf-8", "replace")).strip()
        if count == 1:
            self.outcome.garbage_examples.append(f"{origin}: {why}: {preview!r}")
        if count <= _GARBAGE_EXAMPLES:
            self.on_log(
                "runner",
                "ERROR",
                f"{origin} printed a line that is not an Airbyte message ({why}): {preview!r}",
            )

    def _common(self, origin: str, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == "LOG":
            log = message["log"]
            text = self.masker.mask(str(log.get("message", "")))
            if self._rejection(origin, log, text):
                return
            self.on_log(origin, str(log.get("level", "INFO")), text)
        elif kind == "TRACE":
            trace = message["trace"]
            if trace.get("type") == "ERROR" and isinstance(trace.get("error"), dict):
                error = trace["error"]
                descriptor = error.get("stream_descriptor") or {}
                text = str(error.get("message") or "failed without a message")
                who = f"{origin} {self.names[origin]}" if self.names.get(origin) else origin
                self.stats.errors.append(
                    RunError(
                        origin,
                        str(error.get("failure_type") or "system_error"),
                        self.masker.mask(f"{who} failed: {text}"),
                        descriptor.get("name") if isinstance(descriptor, dict) else None,
                    )
                )
            elif trace.get("type") == "ESTIMATE" and origin == "source":
                estimate = trace.get("estimate") or {}
                key = (estimate.get("namespace") or "", str(estimate.get("name")))
                rows = estimate.get("row_estimate")
                if estimate.get("type") == "STREAM" and key in self.selected and isinstance(rows, int):
                    self.stats.estimates[key] = rows
            elif trace.get("type") == "STREAM_STATUS" and origin == "source":
                status = trace.get("stream_status") or {}
                descriptor = status.get("stream_descriptor") or {}
                key = (descriptor.get("namespace") or "", str(descriptor.get("name")))
                if key in self.selected and isinstance(status.get("status"), str):
                    self.stats.status[key] = status["status"]
                    self.on_status(stream_label(key), status["status"])
        elif kind == "CONTROL":
            self.on_control(origin, message["control"]["connectorConfig"]["config"])

    def _rejection(self, origin: str, log: Mapping[str, Any], text: str) -> bool:
        """A connector's report of one rejected record: a LOG with a ``rejection`` object
        (``{stream, record_id, reasons}``), or a WARN line as the SDK writes it
        (``[<connector> ]stream '<stream>': record <id> rejected: <why>``)."""
        structured = log.get("rejection")
        match = None if isinstance(structured, dict) else _REJECTED_TEXT.match(text)
        if not isinstance(structured, dict) and match is None:
            return False
        entry: dict[str, Any]
        if isinstance(structured, dict):
            entry = {
                "origin": origin,
                "stream": structured.get("stream"),
                "record_id": structured.get("record_id"),
                "message": text,
                "reasons": self.masker.mask_obj(structured.get("reasons") or []),
            }
        else:
            assert match is not None
            record_id = match["record"] or match["record2"]
            entry = {
                "origin": origin,
                "stream": match["stream"] or match["stream2"],
                "record_id": None if record_id == "(no id)" else record_id,
                "message": text,
                "reasons": [
                    {"rule": None, "field": None, "value": None, "message": why}
                    for why in (match["why"] or match["why2"]).split("; ")
                ],
            }
        self.stats.rejected.append(entry)
        if origin == "source":
            for key in self.selected:
                if key[1] == entry["stream"]:
                    self.stats.counts(key).source_rejected += 1
        self.store.add_rejection(
            self.stats.run_id, origin, entry["stream"], entry["record_id"], text, entry["reasons"]
        )
        self.on_log(origin, "WARN", text)
        return True

    def _messages(self, origin: str, stdout: Iterable[bytes]) -> Iterator[tuple[bytes, dict[str, Any]]]:
        """The stripped non-empty lines of a connector's stdout with their parsed messages; lines that are not
        usable messages are reported (:meth:`_garbage`) and skipped."""
        pulse = self.pulses[origin]
        for raw in stdout:
            pulse.last = time.monotonic()  # any line is a sign of life (Pulse.beat, inlined: once per line)
            line = raw.strip()
            if not line:
                continue
            try:
                message = parse_message(line)
            except BadMessage as exc:
                self._garbage(origin, line, str(exc))
                continue
            yield line, message

    @staticmethod
    def _count_changes(counts: StreamCounts, meta: Any) -> None:
        changes = meta.get("changes") if isinstance(meta, dict) else None
        for change in changes if isinstance(changes, list) else ():
            if isinstance(change, dict):
                key = (str(change.get("field")), str(change.get("change")), str(change.get("reason")))
                counts.changes[key] += 1

    # ---------------------------------------------------------------------------------------- source pump
    def pump_source(self, source: Running, destination_in: IO[bytes]) -> None:
        """Forward the source's records and states; always closes the destination's stdin at the end.

        While a write to the destination is blocked, the destination's silence is judged and the source's is not
        (it waits for us); see :mod:`staffwire.runner.heartbeat`."""
        src, dst = self.pulses["source"], self.pulses["destination"]
        block: list[bytes] = []  # forwarded lines not yet handed to the destination, and their size
        size = 0

        def hand_over(flush: bool) -> None:
            # The only place the pump can block on the destination; its pulses change here, once per block.
            nonlocal size
            src.watched = False
            dst.last = src.last  # the previous write went through: it is reading
            dst.watched = True
            block.append(b"")
            destination_in.write(b"\n".join(block))
            if flush:
                destination_in.flush()
            dst.watched = False
            block.clear()
            size = 0
            src.last = time.monotonic()
            src.watched = True

        try:
            for line, message in self._messages("source", source.stdout):
                kind = message["type"]
                if kind == "RECORD":
                    record = message["record"]
                    key = (record.get("namespace") or "", record["stream"])
                    counts = self._counts.get(key)
                    if counts is None:
                        name = stream_label(key)
                        self.outcome.unselected_records[name] = (
                            self.outcome.unselected_records.get(name, 0) + 1
                        )
                        continue
                    counts.read += 1
                    meta = record.get("meta")
                    if meta:  # Airbyte record meta: values the source changed (e.g. nulled) on the way
                        self._count_changes(counts, meta)
                    if self.tap is None:
                        block.append(line)
                        size += len(line)
                    else:
                        for out in self.tap(line, message):
                            block.append(out)
                            size += len(out)
                    if size >= _BLOCK:
                        hand_over(flush=False)
                    if counts.read % 1000 == 0:
                        self.on_tick()
                elif kind == "STATE":
                    state = message["state"]
                    key = state_key(state)
                    if key != ("", "") and key not in self._counts:
                        continue  # a state for a stream this connection does not sync
                    with self._lock:  # the destination loop searches the queue concurrently
                        sent = {k: c.read for k, c in self._counts.items()}
                        self._pending.append(_Pending(key, _without_stats(state), sent))
                    block.append(line)
                    hand_over(flush=True)
                    self.on_tick()
                else:
                    self._common("source", message)
            if block:
                hand_over(flush=False)
        except (BrokenPipeError, ValueError, OSError):
            # The destination closed its stdin (it died or stopped reading): stop feeding it.
            self.outcome.destination_gone = True
            source.kill()
        except Exception as exc:  # a runner bug: the run must fail, never look complete with records missing
            self.outcome.pump_error = f"{type(exc).__name__}: {exc}"
            source.kill()
        finally:
            src.watched = False  # it has ended (or was stopped); from now on the destination is finishing
            dst.resume()
            with contextlib.suppress(BrokenPipeError, ValueError, OSError):
                destination_in.close()
            # Drain what is left so the source is not blocked on a full pipe after an early stop.
            with contextlib.suppress(ValueError, OSError):
                for _ in source.stdout:
                    pass

    # ----------------------------------------------------------------------------------- destination loop
    def read_destination(self, destination: Running) -> None:
        for _line, message in self._messages("destination", destination.stdout):
            if message["type"] == "STATE":
                self._commit(message["state"])
            else:
                self._common("destination", message)
        self.outcome.unconfirmed_states = len(self._pending)

    def _commit(self, state: dict[str, Any]) -> None:
        key = state_key(state)
        clean = _without_stats(state)
        popped: list[_Pending] = []
        with self._lock:
            for index, candidate in enumerate(self._pending):
                if candidate.key == key and candidate.state == clean:
                    popped = [self._pending.popleft() for _ in range(index + 1)]
                    break
        if not popped:
            self.on_log(
                "runner",
                "WARN",
                f"the destination echoed a state for {stream_label(key) or 'GLOBAL'} "
                "that the source never sent; it was not stored",
            )
            return
        # A destination may echo only some states; echoing this one means everything before it is written, so
        # the latest skipped state of every other stream is committed too.
        skipped = {entry.key: entry for entry in popped[:-1] if entry.key != key}
        for entry in skipped.values():
            self._store(entry, None)
        stats = state.get("destinationStats") or {}
        stats = stats if isinstance(stats, dict) else {}
        rejected = stats.get("rejectedRecordCount")
        outcomes = {
            o: int(stats[f"{o}RecordCount"])
            for o in OUTCOMES
            if isinstance(stats.get(f"{o}RecordCount"), int | float)
        }
        self._store(popped[-1], rejected if isinstance(rejected, int | float) else None, outcomes)
        self.on_tick()

    def _store(
        self, pending: _Pending, rejected: float | None, outcomes: Mapping[str, int] | None = None
    ) -> None:
        keys = [pending.key] if pending.key != ("", "") else list(pending.sent)
        for k in keys:
            counts = self.stats.counts(k)
            counts.committed = max(counts.committed, pending.sent.get(k, 0))
            counts.states += 1
        if pending.key != ("", "") and rejected is not None:
            self.stats.counts(pending.key).rejected += int(rejected)
        if pending.key != ("", "") and outcomes:
            self.stats.counts(pending.key).add_outcomes(outcomes)
        self.store.commit_state(
            self.stats.connection,
            self.stats.run_id,
            pending.key,
            pending.state,
            {k: self.stats.counts(k) for k in keys},
        )


def _without_stats(state: Mapping[str, Any]) -> dict[str, Any]:
    clean = {k: v for k, v in state.items() if k not in ("sourceStats", "destinationStats")}
    # Compare and store a canonical form: key order may differ between what was sent and what is echoed.
    loaded: dict[str, Any] = orjson.loads(orjson.dumps(clean, option=orjson.OPT_SORT_KEYS))
    return loaded
