"""Stream state on the wire: the ``--state`` file read in, the checkpoints a stream yields, the STATE messages out.

Input. The state file is a JSON list of per-stream ``AirbyteStateMessage`` (what the platform and PyAirbyte
pass); ``[]`` and an absent file mean "first run". GLOBAL states are accepted (their per-stream parts are used).
A LEGACY state (a bare object) or anything else is a :class:`~staffwire.errors.ConfigError` that says what to do.

Output. :class:`StateTracker` applies the platform's rules for one stream: it counts records since the previous
emitted state (``sourceStats.recordCount``, a float), never emits the same state twice in a row with records in
between (an unchanged checkpoint is held back and its records are counted into the next emitted state), and
:meth:`StateTracker.finish` always yields the stream's last state: the latest checkpoint, or the input state /
``{}`` (incremental) / ``{"__ab_no_cursor_state_message": true}`` (full refresh) when it had none. If records
arrived after the last emitted state and the stream produced no newer checkpoint, the final state repeats the last
one so that every record is counted; that is the one case where two equal states follow each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from staffwire.errors import ConfigError
from staffwire.protocol import json_type

__all__ = [
    "NO_CURSOR_STATE",
    "Checkpoint",
    "InvalidStateError",
    "StateTracker",
    "StreamKey",
    "parse_state",
    "state_message",
]

StreamKey = tuple[str, "str | None"]
#: the state a full-refresh stream closes with (the platform's marker for "no cursor")
NO_CURSOR_STATE: dict[str, Any] = {"__ab_no_cursor_state_message": True}


@dataclass(frozen=True)
class Checkpoint:
    """The stream state to resume from, valid for every record yielded before it."""

    state: Mapping[str, Any]


def parse_state(data: Any, where: str = "the state file") -> dict[StreamKey, dict[str, Any]]:
    """Per-stream states from the decoded ``--state`` JSON, keyed by ``(name, namespace)``."""
    if data is None:
        return {}
    if isinstance(data, dict):
        raise ConfigError(
            f"{where} holds a single JSON object (the LEGACY state format), which Staffwire does not read. {_FIX}"
        )
    if not isinstance(data, list):
        raise ConfigError(
            f"{where} must hold a JSON list of per-stream state messages (or []); "
            f"found a JSON {json_type(data)}."
        )
    states: dict[StreamKey, dict[str, Any]] = {}
    for index, message in enumerate(data):
        if (
            isinstance(message, dict)
            and message.get("type") == "STATE"
            and isinstance(message.get("state"), dict)
        ):
            message = message["state"]  # a whole AirbyteMessage: unwrap it
        if not isinstance(message, dict):
            raise ConfigError(f"{where}: entry {index} is not a state message object. {_FIX}")
        kind = message.get("type", "STREAM" if "stream" in message else "LEGACY")
        if kind == "STREAM":
            _add_stream_state(states, message.get("stream"), f"{where}: entry {index}")
        elif kind == "GLOBAL":
            glob = message.get("global")
            if not isinstance(glob, dict) or not isinstance(glob.get("stream_states"), list):
                raise ConfigError(f"{where}: entry {index} is a GLOBAL state without stream_states. {_FIX}")
            for sub in glob["stream_states"]:
                _add_stream_state(states, sub, f"{where}: entry {index}")
        else:
            raise ConfigError(
                f"{where}: entry {index} has state type {kind!r}; only STREAM and GLOBAL are read. {_FIX}"
            )
    return states


_FIX = "Pass a JSON list of per-stream state messages, or [] to start from scratch."


class InvalidStateError(ConfigError):
    """A saved state holds a value the stream cannot resume from (a cursor of ``"banana"``, a window without an
    end). Never ignored (that would silently read everything again) and never a crash: a config error naming the
    stream, the key and how to reset. Raised without a stream, the read loop fills in the stream it was reading."""

    def __init__(self, key: str, value: Any, expected: str, *, stream: str | None = None) -> None:
        self.key = key
        self.value = value
        self.expected = expected
        super().__init__(self._text(stream), stream=stream)

    def _text(self, stream: str | None) -> str:
        shown = repr(self.value)
        shown = shown if len(shown) <= 80 else shown[:77] + "..."
        where = f"stream '{stream}'" if stream else "the stream"
        return (
            f"The saved state of {where} is invalid: its {self.key!r} is {shown}, not {self.expected}. Nothing "
            f"was read. Reset {where} to read it again from the start: remove its entry from the state file (or "
            "pass [] as the state); under the runner, `staffwire sync CONNECTION_FILE --reset`."
        )

    def for_stream(self, stream: str) -> InvalidStateError:
        """The same error naming ``stream``."""
        return InvalidStateError(self.key, self.value, self.expected, stream=stream)


def _add_stream_state(states: dict[StreamKey, dict[str, Any]], stream: Any, where: str) -> None:
    descriptor = stream.get("stream_descriptor") if isinstance(stream, dict) else None
    name = descriptor.get("name") if isinstance(descriptor, dict) else None
    if not isinstance(name, str) or not name:
        raise ConfigError(f"{where} has no stream.stream_descriptor.name. {_FIX}")
    namespace = descriptor.get("namespace") if isinstance(descriptor, dict) else None
    blob = stream.get("stream_state")
    if blob is not None and not isinstance(blob, dict):
        raise ConfigError(f"{where}: the stream_state of stream '{name}' must be a JSON object. {_FIX}")
    states[(name, namespace)] = dict(blob or {})


def state_message(
    name: str,
    namespace: str | None,
    stream_state: Mapping[str, Any],
    *,
    source_count: float | None = None,
    destination_count: float | None = None,
    rejected_count: float | None = None,
) -> dict[str, Any]:
    """A per-stream STATE message as a wire dict."""
    descriptor: dict[str, Any] = {"name": name}
    if namespace is not None:
        descriptor["namespace"] = namespace
    state: dict[str, Any] = {
        "type": "STREAM",
        "stream": {"stream_descriptor": descriptor, "stream_state": dict(stream_state)},
    }
    if source_count is not None:
        state["sourceStats"] = {"recordCount": float(source_count)}
    if destination_count is not None:
        stats: dict[str, Any] = {"recordCount": float(destination_count)}
        if rejected_count is not None:
            stats["rejectedRecordCount"] = float(rejected_count)
        state["destinationStats"] = stats
    return {"type": "STATE", "state": state}


class StateTracker:
    """When to emit a STATE for one stream, and with which ``recordCount``."""

    def __init__(
        self, name: str, namespace: str | None, *, incremental: bool, input_state: Mapping[str, Any] | None
    ):
        self.name = name
        self.namespace = namespace
        self.incremental = incremental
        self._default: dict[str, Any] = dict(input_state or {}) if incremental else dict(NO_CURSOR_STATE)
        self._last_emitted: dict[str, Any] | None = None
        self._latest: dict[str, Any] | None = None
        self.pending = 0  # records since the last emitted state
        self.total = 0

    def records(self, count: int = 1) -> None:
        self.pending += count
        self.total += count

    def checkpoint(self, state: Mapping[str, Any]) -> dict[str, Any] | None:
        """The STATE message to emit for this checkpoint, or ``None`` to hold it back (unchanged)."""
        current = dict(state)
        self._latest = current
        if current == self._last_emitted:
            return None
        return self._emit(current)

    def finish(self) -> dict[str, Any] | None:
        """The stream's closing STATE (see the module docstring), or ``None`` if nothing is left to say."""
        if self._last_emitted is not None and self.pending == 0:
            return None
        final = self._latest if self._latest is not None else (self._last_emitted or self._default)
        return self._emit(final)

    def _emit(self, state: dict[str, Any]) -> dict[str, Any]:
        message = state_message(self.name, self.namespace, state, source_count=self.pending)
        self._last_emitted = state
        self.pending = 0
        return message
