"""Airbyte protocol I/O: the message writer (:class:`Output`) and the stdin reader for destinations.

Writing. RECORD lines are the hot path: they are encoded straight from the record ``dict`` with orjson behind a
pre-encoded per-stream prefix, with no model object per record. Lines collect in a buffer that goes to the
binary stdout in blocks (``block_size`` bytes, or a whole page); every block passes through
:meth:`SecretMasker.mask_bytes` (one SIMD scan for the secrets' needles; a clean block is written as is). Blocks
always end at a line end, so a secret is never split between two scans.
Every other message (STATE, TRACE, LOG, CONTROL, ...) flushes the buffer right after it is written: the platform
must see it without delay, in order with the records before it.

Reading. :func:`read_messages` parses one JSON message per line, keeps unknown fields, and reports (without
raising) lines that are not JSON objects or whose ``type`` is unknown, so a destination survives a noisy pipe.

Protocol models. The typed models come from ``airbyte-protocol-models-dataclasses``; :func:`from_dict` and
:func:`to_dict` convert between them and wire dicts (``global_`` <-> ``global``, ``None`` fields dropped).
Release 0.17.1 of that package lacks ``destinationStats.rejectedRecordCount`` (protocol 0.18.0), so STATE
messages are built and echoed as plain dicts.
"""

from __future__ import annotations

import dataclasses
import sys
import threading
import time
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from enum import Enum
from typing import IO, Any, TypeVar

import orjson

from staffwire.secrets import SecretMasker

__all__ = [
    "MESSAGE_TYPES",
    "Output",
    "ProtocolError",
    "from_dict",
    "json_type",
    "now_ms",
    "read_messages",
    "to_dict",
]

T = TypeVar("T")

MESSAGE_TYPES = frozenset(
    {
        "RECORD",
        "STATE",
        "LOG",
        "SPEC",
        "CONNECTION_STATUS",
        "CATALOG",
        "TRACE",
        "CONTROL",
        "DESTINATION_CATALOG",
    }
)
_BLOCK_SIZE = 64 * 1024


def now_ms() -> int:
    """Milliseconds since the epoch (RECORD ``emitted_at``)."""
    return int(time.time() * 1000)


def json_type(value: Any) -> str:
    """The JSON name of a decoded value's type, for messages ("found a JSON string")."""
    return {dict: "object", list: "list", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number"
    )


def _default(obj: Any) -> Any:
    """orjson fallback for values a record may legitimately carry."""
    if isinstance(obj, Decimal):
        return float(obj)
    if isinstance(obj, set | frozenset | tuple):
        return list(obj)
    if isinstance(obj, Enum):
        return obj.value
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return to_dict(obj)
    if hasattr(obj, "model_dump"):  # a pydantic model
        return obj.model_dump(mode="json")
    if hasattr(obj, "get_secret_value"):  # never print a SecretStr, not even by accident
        return "**********"
    raise TypeError(f"cannot encode {type(obj).__name__} as JSON")


_OPTS = orjson.OPT_NON_STR_KEYS


def dumps(obj: Any) -> bytes:
    """Encode one JSON value the way every Staffwire output line is encoded.

    Non-string dict keys (``{1: "a"}``) are written as strings, but ``OPT_NON_STR_KEYS`` takes orjson off its fast
    path for every key (about 1.5x the encoding time of a wide row), so the plain encoding is tried first and the
    option only used when it refuses a key; for string keys both give the same bytes."""
    try:
        return orjson.dumps(obj, default=_default)
    except TypeError:  # orjson.JSONEncodeError: a non-string key (or a value _default refuses: raised again)
        return orjson.dumps(obj, default=_default, option=_OPTS)


class _TextSink:
    """Bytes onto a text stream that has no binary buffer (a notebook's or a test harness's stdout)."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, data: bytes | bytearray) -> int:
        return self._stream.write(data.decode("utf-8"))

    def flush(self) -> None:
        self._stream.flush()


def _stdout() -> IO[bytes] | _TextSink:
    buffer = getattr(sys.stdout, "buffer", None)
    return buffer if buffer is not None else _TextSink(sys.stdout)


class Output:
    """Writes Airbyte messages to a binary stream, masked and block-buffered. Thread-safe.

    ``masker`` is consulted on every block, so secrets registered after the Output was created are masked too.
    """

    def __init__(
        self,
        stream: IO[bytes] | None = None,
        masker: SecretMasker | None = None,
        *,
        block_size: int = _BLOCK_SIZE,
    ) -> None:
        self._stream: IO[bytes] | _TextSink = stream if stream is not None else _stdout()
        self.masker = masker if masker is not None else SecretMasker()
        self._block_size = block_size
        self._buffer = bytearray()
        self._lock = threading.RLock()
        self._prefixes: dict[tuple[str, str | None], bytes] = {}

    # ------------------------------------------------------------------ records (hot path)
    def _prefix(self, stream: str, namespace: str | None) -> bytes:
        key = (stream, namespace)
        prefix = self._prefixes.get(key)
        if prefix is None:
            head = {"stream": stream} if namespace is None else {"stream": stream, "namespace": namespace}
            prefix = b'{"type":"RECORD","record":' + dumps(head)[:-1] + b',"emitted_at":'
            self._prefixes[key] = prefix
        return prefix

    def record(self, stream: str, data: Mapping[str, Any] | Any, namespace: str | None = None) -> None:
        """Write one RECORD line."""
        # Called once per record: the prefix lookup, clock read and encode are inlined (no helper calls).
        prefix = self._prefixes.get((stream, namespace)) or self._prefix(stream, namespace)
        try:
            data_json = orjson.dumps(data, default=_default)
        except TypeError:  # a non-string key: see dumps()
            data_json = dumps(data)
        line = b'%s%d,"data":%s}}\n' % (prefix, int(time.time() * 1000), data_json)
        with self._lock:
            self._buffer += line
            if len(self._buffer) >= self._block_size:
                self._flush_locked()

    def record_with_meta(
        self, stream: str, data: Mapping[str, Any], meta: Mapping[str, Any], namespace: str | None = None
    ) -> None:
        """Write one RECORD line that carries ``meta`` (AirbyteRecordMessageMeta: ``{"changes": [...]}``)."""
        prefix = self._prefixes.get((stream, namespace)) or self._prefix(stream, namespace)
        line = b'%s%d,"data":%s,"meta":%s}}\n' % (prefix, now_ms(), dumps(data), dumps(meta))
        with self._lock:
            self._buffer += line
            if len(self._buffer) >= self._block_size:
                self._flush_locked()

    def records(self, stream: str, page: Iterable[Mapping[str, Any]], namespace: str | None = None) -> int:
        """Write a page of RECORD lines in one go; returns how many were written."""
        head = b'%s%d,"data":' % (self._prefix(stream, namespace), now_ms())
        count = 0
        chunk = bytearray()
        encode = orjson.dumps
        for data in page:
            chunk += head
            try:  # dumps() inlined: this loop runs once per record
                chunk += encode(data, default=_default)
            except TypeError:
                chunk += dumps(data)
            chunk += b"}}\n"
            count += 1
        with self._lock:
            if self._buffer:
                self._buffer += chunk
            else:  # a wide page is a block of its own: no copy into the buffer
                self._buffer = chunk
            if len(self._buffer) >= self._block_size:
                self._flush_locked()
        return count

    # ------------------------------------------------------------------ every other message
    def message(self, message: Mapping[str, Any] | Any) -> None:
        """Write one non-record message (a wire dict or a protocol model) and flush at once."""
        if not isinstance(message, Mapping):
            message = to_dict(message)
        line = dumps(message) + b"\n"
        with self._lock:
            self._buffer += line
            self._flush_locked()

    def unmasked_message(self, message: Mapping[str, Any]) -> None:
        """Write one message without masking: only for CONTROL connectorConfig, which must carry the real
        secrets so the platform can persist them (a rotated refresh token)."""
        line = dumps(message) + b"\n"
        with self._lock:
            self._flush_locked()
            self._write(line)

    def flush(self) -> None:
        with self._lock:
            self._flush_locked()

    def _flush_locked(self) -> None:
        if self._buffer:
            # the buffer itself is scanned and written (no copy); a fresh one takes its place first, so a write
            # that fails never leaves these lines to be written again
            buffer, self._buffer = self._buffer, bytearray()
            self._write(self.masker.mask_bytes(buffer))

    def _write(self, data: bytes | bytearray) -> None:
        self._stream.write(data)
        flush = getattr(self._stream, "flush", None)
        if flush is not None:
            flush()


# ---------------------------------------------------------------------------------------------------- reading
class ProtocolError(ValueError):
    """A line on stdin that is not a protocol message (reported, not raised, by :func:`read_messages`)."""


def read_messages(
    stream: IO[bytes] | Iterable[bytes],
    on_bad_line: Callable[[int, str], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield each message on ``stream`` as a wire dict (unknown fields kept).

    Blank lines are skipped. A line that is not a JSON object, or whose ``type`` is missing or unknown, is
    reported to ``on_bad_line(line_number, reason)`` and skipped.
    """
    for number, raw in enumerate(stream, start=1):
        line = raw.strip()
        if not line:
            continue
        try:
            message = orjson.loads(line)
        except orjson.JSONDecodeError:
            if on_bad_line:
                on_bad_line(number, f"line {number} is not JSON: {_preview(line)}")
            continue
        if not isinstance(message, dict):
            if on_bad_line:
                on_bad_line(number, f"line {number} is not a JSON object: {_preview(line)}")
            continue
        kind = message.get("type")
        if kind not in MESSAGE_TYPES:
            if on_bad_line:
                on_bad_line(number, f"line {number} has an unknown message type {kind!r}")
            continue
        yield message


def _preview(line: bytes, limit: int = 80) -> str:
    text = line.decode("utf-8", "replace")
    return text if len(text) <= limit else text[:limit] + "..."


# ---------------------------------------------------------------------------------------------------- models
def to_dict(model: Any) -> Any:
    """A protocol dataclass (or a structure of them) as a wire dict: ``None`` dropped, enums as values."""
    if dataclasses.is_dataclass(model) and not isinstance(model, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(model):
            value = getattr(model, f.name)
            if value is None:
                continue
            key = "global" if f.name == "global_" else f.name
            out[key] = to_dict(value)
        extra = getattr(model, "additional_properties", None)
        if isinstance(extra, Mapping):
            out.update(extra)
        return out
    if isinstance(model, Enum):
        return model.value
    if isinstance(model, list | tuple):
        return [to_dict(v) for v in model]
    if isinstance(model, Mapping):
        return {k: to_dict(v) for k, v in model.items()}
    return model


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    return hints


def from_dict(cls: type[T], data: Any, path: str = "") -> T:
    """Build a protocol dataclass from a wire dict, checking required fields, types and enum values.

    Unknown fields are ignored (the protocol allows them). Raises :class:`ProtocolError` naming the path of the
    first offending field, e.g. ``streams[0].sync_mode``.
    """
    return typing.cast(T, _convert(cls, data, path or cls.__name__))


def _convert(tp: Any, value: Any, path: str) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if value is None:
            return None
        return _convert(args[0], value, path) if len(args) == 1 else value
    if value is None:
        raise ProtocolError(f"{path} is required")
    if origin in (list, typing.List):  # noqa: UP006
        if not isinstance(value, list):
            raise ProtocolError(f"{path} must be a list")
        (item,) = typing.get_args(tp) or (Any,)
        return [_convert(item, v, f"{path}[{i}]") for i, v in enumerate(value)]
    if origin in (dict, typing.Dict):  # noqa: UP006
        if not isinstance(value, dict):
            raise ProtocolError(f"{path} must be an object")
        return value
    if tp is Any:
        return value
    if isinstance(tp, type) and issubclass(tp, Enum):
        try:
            return tp(value)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in tp)
            raise ProtocolError(f"{path} is {value!r}; expected one of: {allowed}") from None
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise ProtocolError(f"{path} must be an object")
        hints = _hints(tp)  # type: ignore[arg-type]
        kwargs: dict[str, Any] = {}
        for f in dataclasses.fields(tp):
            key = "global" if f.name == "global_" else f.name
            if key in value:
                kwargs[f.name] = _convert(hints[f.name], value[key], f"{path}.{key}")
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise ProtocolError(f"{path}.{key} is required")
        return typing.cast(Any, tp)(**kwargs)
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ProtocolError(f"{path} must be a number")
        return value
    if tp in (str, int, bool):
        if not isinstance(value, tp) or (tp is int and isinstance(value, bool)):
            raise ProtocolError(f"{path} must be a {tp.__name__}")
        return value
    return value
