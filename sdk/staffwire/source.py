"""Sources: the base class a source connector subclasses, and the read loop.

A connector sets ``name``, ``config_model`` (a pydantic model) and ``documentation_url`` and implements
:meth:`Source.check` and :meth:`Source.streams`; ``spec``, ``discover`` and ``read`` come from here::

    class SourceFoo(Source[FooConfig]):
        name = "source-foo"
        config_model = FooConfig
        def check(self, config: FooConfig) -> None: ...
        def streams(self, config: FooConfig) -> list[Stream]: ...

The read loop, per configured stream and in catalog order: STREAM_STATUS STARTED; RUNNING at the first record;
records (dicts or pydantic models, or pages of them as lists); STATE per checkpoint under the rules of :mod:`staffwire.state`; yielded
:class:`~staffwire.errors.RecordRejected` logged as WARN and counted; a yielded :class:`~staffwire.streams.Estimate`
as a TRACE ESTIMATE (type STREAM) for the stream; COMPLETE. A stream that raises gets
INCOMPLETE and a TRACE ERROR naming it, the other streams still run, and the process exits 1 at the end.

What a source gets from the base class while it runs: ``self.secrets`` (the run's
:class:`~staffwire.secrets.SecretMasker`: register tokens obtained at run time with ``self.secrets.add(token)``),
``self.emit_config(new_config)`` (a CONTROL connectorConfig message -- the one message written unmasked, since the
platform must store the real values, e.g. a rotated refresh token), and logging through the standard ``logging``
module (``logging.getLogger(__name__)``; records become masked LOG messages, see :mod:`staffwire.logs`). An HTTP
client waiting on a rate limit is reported as STREAM_STATUS RUNNING with the RATE_LIMITED reason.

Sync modes: ``incremental`` asked of a stream without a cursor is read as ``full_refresh`` with a WARN (PyAirbyte
asks ``incremental`` of every stream); ``full_refresh`` asked of a stream that does not support it, and unknown
streams, are config errors answered before anything is read.

``read`` builds its streams through :meth:`Source.streams_for_read` with the names the catalog selects (by default
all of :meth:`Source.streams`): a source whose streams are costly to build (metadata requests, compiled mappings)
builds only those. discover and check build everything.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from staffwire.entrypoint import ConfigT, Connector, RunContext, exception_trace, read_state_file
from staffwire.errors import ConfigError, InternalError, RecordRejected
from staffwire.state import Checkpoint, InvalidStateError, StateTracker, parse_state
from staffwire.streams import Estimate, Record, Stream, SyncMode

if TYPE_CHECKING:
    from airbyte_protocol_dataclasses.models import ConfiguredAirbyteCatalog

    from staffwire.protocol import Output

__all__ = ["Source", "estimate_trace", "stream_status"]


def stream_status(
    name: str, namespace: str | None, status: str, *, rate_limited_until: float | None = None
) -> dict[str, Any]:
    """A STREAM_STATUS trace message as a wire dict; ``rate_limited_until`` (epoch seconds) adds the
    RATE_LIMITED reason with its ``quota_reset`` (ms)."""
    descriptor: dict[str, Any] = {"name": name}
    if namespace is not None:
        descriptor["namespace"] = namespace
    body: dict[str, Any] = {"stream_descriptor": descriptor, "status": status}
    if rate_limited_until is not None:
        body["reasons"] = [
            {"type": "RATE_LIMITED", "rate_limited": {"quota_reset": int(rate_limited_until * 1000)}}
        ]
    return {
        "type": "TRACE",
        "trace": {"type": "STREAM_STATUS", "emitted_at": time.time() * 1000, "stream_status": body},
    }


def estimate_trace(name: str, namespace: str | None, estimate: Estimate) -> dict[str, Any]:
    """A TRACE ESTIMATE (type STREAM) message as a wire dict; unknown figures are left out."""
    body: dict[str, Any] = {"name": name, "type": "STREAM"}
    if namespace is not None:
        body["namespace"] = namespace
    if estimate.rows is not None:
        body["row_estimate"] = estimate.rows
    if estimate.bytes is not None:
        body["byte_estimate"] = estimate.bytes
    return {
        "type": "TRACE",
        "trace": {"type": "ESTIMATE", "emitted_at": time.time() * 1000, "estimate": body},
    }


@contextlib.contextmanager
def _rate_limit_reports(output: Output, name: str, namespace: str | None) -> Iterator[None]:
    """While the stream reads, an HTTP client waiting on a rate limit reports it as RUNNING + RATE_LIMITED."""
    from staffwire.http.hooks import rate_limit_listener  # here: staffwire.http loads requests, spec need not

    def report(wait_seconds: float) -> None:
        output.message(
            stream_status(name, namespace, "RUNNING", rate_limited_until=time.time() + wait_seconds)
        )

    with rate_limit_listener(report):
        yield


@dataclass
class _Selected:
    stream: Stream
    name: str
    namespace: str | None
    incremental: bool
    state: dict[str, Any] | None


class Source(Connector[ConfigT]):
    """Base class of every source connector (generic over its pydantic config model)."""

    commands: ClassVar[tuple[str, ...]] = ("spec", "check", "discover", "read")

    def streams(self, config: ConfigT) -> list[Stream]:
        """The streams this source offers for ``config``."""
        raise NotImplementedError(f"{self.name} does not implement streams()")

    # ------------------------------------------------------------------ discover
    def discover(self, config: ConfigT) -> dict[str, Any]:
        """The AirbyteCatalog as a wire dict."""
        return {"streams": [stream_entry(s) for s in self._streams(config)]}

    def streams_for_read(self, config: ConfigT, selected: set[str]) -> list[Stream]:
        """The streams ``read`` may need when the configured catalog names ``selected``: by default all of
        :meth:`streams`. A source whose streams cost requests or work to build (metadata per entity, compiled
        mappings) overrides this to build only those; it may return more. A name it does not return makes
        ``read`` fall back to :meth:`streams`, so unknown-stream errors still list every stream."""
        return self.streams(config)

    def _streams(self, config: ConfigT, selected: set[str] | None = None) -> list[Stream]:
        built = self.streams(config) if selected is None else self.streams_for_read(config, selected)
        streams = list(built)
        seen: set[tuple[str, str | None]] = set()
        for stream in streams:
            key = (stream.get_name(), stream.namespace)
            if not key[0]:
                raise InternalError(f"{self.name}: {type(stream).__name__} has no name")
            if key in seen:
                raise InternalError(f"{self.name}: two streams are named '{key[0]}'")
            seen.add(key)
        return streams

    # ------------------------------------------------------------------ read
    def select(
        self,
        config: ConfigT,
        catalog: ConfiguredAirbyteCatalog,
        state: Mapping[tuple[str, str | None], dict[str, Any]],
    ) -> list[_Selected]:
        """Match the configured catalog to this source's streams; unknown streams and modes are ConfigErrors."""
        wanted = {configured.stream.name for configured in catalog.streams}
        available = {(s.get_name(), s.namespace): s for s in self._streams(config, wanted)}
        if not wanted <= {name for name, _ in available}:  # unknown to the hook: build all, for the error
            available = {(s.get_name(), s.namespace): s for s in self._streams(config)}
        selected: list[_Selected] = []
        listed: set[tuple[str, str | None]] = set()
        for configured in catalog.streams:
            name = configured.stream.name
            namespace = configured.stream.namespace
            if (name, namespace) in listed:
                raise ConfigError(
                    f"the catalog lists stream '{name}' twice; each stream may be selected once (reading it "
                    "twice would send every record twice). Remove the duplicate from the catalog."
                )
            listed.add((name, namespace))
            stream = available.get((name, namespace)) or (available.get((name, None)) if namespace else None)
            if stream is None:
                names = ", ".join(sorted(n for n, _ in available)) or "none"
                raise ConfigError(
                    f"the catalog selects stream '{name}', which {self.name} does not have "
                    f"(its streams: {names}). Run discover and select streams from its catalog."
                )
            mode = configured.sync_mode.value
            supported = list(stream.supported_sync_modes)
            incremental = mode == "incremental"
            if mode not in supported:
                if incremental and "full_refresh" in supported:
                    self.logger.warning(
                        "stream '%s' does not support incremental sync: reading it in full refresh", name
                    )
                    incremental = False
                else:
                    raise ConfigError(
                        f"the catalog asks sync mode '{mode}' for stream '{name}', which supports only "
                        f"{', '.join(supported)}. Change the stream's sync mode in the catalog."
                    )
            stream_state = state.get((name, namespace)) if incremental else None
            if stream_state is None and incremental and namespace:
                stream_state = state.get((name, None))
            selected.append(_Selected(stream, name, stream.namespace, incremental, stream_state))
        return selected

    def _dispatch(self, context: RunContext) -> int:
        if context.command == "discover":
            config = self.load_config(context.args.config)
            context.output.message({"type": "CATALOG", "catalog": self.discover(config)})
            return 0
        if context.command == "read":
            config = self.load_config(context.args.config)
            catalog = self.load_catalog(context.args.catalog)
            state = parse_state(read_state_file(context.args.state), f"the state file {context.args.state}")
            selected = self.select(config, catalog, state)
            failed = [s.name for s in selected if not self._read_stream(context.output, s)]
            if failed:
                self.logger.error("%s read finished with failed streams: %s", self.name, ", ".join(failed))
                return 1
            return 0
        return super()._dispatch(context)

    def _read_stream(self, output: Output, selected: _Selected) -> bool:
        """Read one stream to the output; False if it failed (already reported)."""
        name, namespace = selected.name, selected.namespace
        tracker = StateTracker(name, namespace, incremental=selected.incremental, input_state=selected.state)
        output.message(stream_status(name, namespace, "STARTED"))
        try:
            changes: Counter[tuple[str, str, str]] = Counter()
            with _rate_limit_reports(output, name, namespace):
                rejected = self._pump(output, selected, tracker, changes)
            final = tracker.finish()
            if final is not None:
                output.message(final)
        except Exception as exc:
            if isinstance(exc, InvalidStateError) and exc.stream is None:
                exc = exc.for_stream(name)
            output.message(stream_status(name, namespace, "INCOMPLETE"))
            output.message(
                exception_trace(exc, connector=self.name, command="read", stream=name, namespace=namespace)
            )
            return False
        output.message(stream_status(name, namespace, "COMPLETE"))
        self.logger.info(
            "stream '%s': %d records read%s%s",
            name,
            tracker.total,
            f", {rejected} rejected" if rejected else "",
            _changes_text(changes),
        )
        return True

    def _pump(
        self,
        output: Output,
        selected: _Selected,
        tracker: StateTracker,
        changes: Counter[tuple[str, str, str]] | None = None,
    ) -> int:
        """Move one stream's items to the output (RUNNING before the first record); returns the rejections and
        counts the record meta changes (field, change, reason) into ``changes``."""
        name, namespace = selected.name, selected.namespace
        mode: SyncMode = "incremental" if selected.incremental else "full_refresh"
        running = False
        rejected = 0
        write = output.record
        # records yielded one by one since the last checkpoint: handed to the tracker per checkpoint, not per record
        single = 0
        for item in selected.stream.read(mode, selected.state):
            if (
                type(item) is dict or isinstance(item, Mapping) or hasattr(item, "model_dump")
            ):  # dict first: hot path
                if not running:
                    output.message(stream_status(name, namespace, "RUNNING"))
                    running = True
                write(name, item, namespace)
                single += 1
            elif isinstance(item, list):
                if not item:
                    continue
                if not running:
                    output.message(stream_status(name, namespace, "RUNNING"))
                    running = True
                tracker.records(output.records(name, item, namespace))
            elif isinstance(item, Record):
                if not running:
                    output.message(stream_status(name, namespace, "RUNNING"))
                    running = True
                output.record_with_meta(name, item.data, item.meta, namespace)
                single += 1
                if changes is not None:
                    for change in item.meta.get("changes") or ():
                        changes[(change.get("field"), change.get("change"), change.get("reason"))] += 1
            elif isinstance(item, Checkpoint):
                tracker.records(single)
                single = 0
                message = tracker.checkpoint(item.state)
                if message is not None:
                    output.message(message)
            elif isinstance(item, RecordRejected):
                rejected += 1
                self._report_rejection(name, item)
            elif isinstance(item, Estimate):
                if item.rows is not None or item.bytes is not None:
                    output.message(estimate_trace(name, namespace, item))
            else:
                raise InternalError(
                    f"{self.name}: stream '{name}' yielded a {type(item).__name__}; a stream yields records "
                    "(dict), pages (list of dict), Record, Checkpoint, Estimate or RecordRejected"
                )
        tracker.records(single)
        return rejected

    def _report_rejection(self, stream: str, rejection: RecordRejected) -> None:
        self.logger.warning(
            "stream '%s': record %s rejected: %s",
            rejection.stream or stream,
            rejection.record_id or "(no id)",
            rejection.reasons_text() or "no reason given",
        )


def _changes_text(changes: Counter[tuple[str, str, str]]) -> str:
    """``; record meta changes: phone NULLED (SOURCE_SERIALIZATION_ERROR) 12, ...`` (most frequent first)."""
    if not changes:
        return ""
    parts = [f"{f} {c} ({r}) {n}" for (f, c, r), n in sorted(changes.items(), key=lambda kv: (-kv[1], kv[0]))]
    return "; record meta changes: " + ", ".join(parts)


def stream_entry(stream: Stream) -> dict[str, Any]:
    """The AirbyteStream (catalog entry) of a stream as a wire dict."""
    cursor = stream.get_cursor_field()
    modes = list(stream.supported_sync_modes)
    entry: dict[str, Any] = {
        "name": stream.get_name(),
        "json_schema": stream.get_json_schema(),
        "supported_sync_modes": modes,
        "source_defined_cursor": bool(cursor),
        "is_resumable": "incremental" in modes,
    }
    if cursor:
        entry["default_cursor_field"] = list(cursor)
    primary_key = stream.get_primary_key()
    if primary_key:
        entry["source_defined_primary_key"] = [list(p) for p in primary_key]
    if stream.namespace is not None:
        entry["namespace"] = stream.namespace
    return entry
