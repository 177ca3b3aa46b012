"""``staffwire sync``: run one connection from start to finish.

1. take the connection's lock, record the run (``running``);
2. find both connectors, read their specs, refuse literal secrets, resolve ``${VAR}`` references, apply a config a
   connector rotated in an earlier run;
3. discover the source's streams and build the configured catalog from the connection's stream list;
4. run ``read`` (with the committed states of incremental streams) piped into ``write``, committing every state
   the destination echoes (:mod:`staffwire.runner.relay`);
5. record the outcome: counts per stream, rejected records, errors with their failure type, duration.

Whatever fails, the run ends recorded as ``failed`` with a message a person can act on, and no state moves past
what the destination confirmed.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import traceback
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import orjson

from staffwire.errors import ConfigError, InternalError, StaffwireError, TransientError
from staffwire.runner.connection import Connection, ConnectorRef, check_no_literal_secrets
from staffwire.runner.executors import Executor, MemoryFile, Running, private_workdir
from staffwire.runner.heartbeat import DEFAULT_HEARTBEAT_TIMEOUT, Pulse, Watchdog, format_duration
from staffwire.runner.hub import Hub, warm_up_mirror
from staffwire.runner.logfile import RunLog, run_log_path
from staffwire.runner.messages import BadMessage, parse_message
from staffwire.runner.progress import NullProgress, Progress
from staffwire.runner.relay import Relay
from staffwire.runner.resolve import resolve_connector
from staffwire.runner.stats import RunError, RunResult, RunStats, StreamKey, stream_label
from staffwire.runner.store import OUTCOMES, DatabaseDamaged, StateStore, config_fingerprint
from staffwire.secrets import SecretMasker, secrets_in_config

__all__ = ["run_sync"]

_COMMAND_TIMEOUT = 300.0


class _Side:
    """One connector of the connection, prepared to run."""

    def __init__(self, role: str, ref: ConnectorRef, executor: Executor) -> None:
        self.role = role
        self.ref = ref
        self.executor = executor
        self.spec: dict[str, Any] = {}
        self.config: dict[str, Any] = {}
        self.fingerprint = ""
        self.catalog: dict[str, Any] = {}
        self.heartbeat_timeout = DEFAULT_HEARTBEAT_TIMEOUT

    @property
    def name(self) -> str:
        return self.ref.connector


def _sides(
    connection: Connection, pm: object | None, cache_dir: Path | None, prefer_subprocess: bool
) -> list[_Side]:
    """The connection's source and destination, each resolved to the executor that runs it."""
    sides = []
    for role, ref in (("source", connection.source), ("destination", connection.destination)):
        executor = resolve_connector(
            ref.connector,
            role=role,
            base_dir=connection.base_dir,
            pm=pm,
            cache_dir=cache_dir,
            prefer_subprocess=prefer_subprocess,
        )
        sides.append(_Side(role, ref, executor))
    return sides


def run_sync(
    connection: Connection,
    *,
    store: StateStore,
    env: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    pm: object | None = None,
    cache_dir: Path | None = None,
    prefer_subprocess: bool = False,
    reset: bool = False,
    heartbeat_timeout: float | None = None,
    mirror: Any = None,
) -> RunResult:
    """Run ``connection`` once; the outcome (also recorded in ``store``'s history). ``reset`` forgets the
    committed states first, so every stream is read from the start. ``heartbeat_timeout`` (seconds) overrides the
    connection's: a connector silent for longer is stopped and the run fails (docs/runner.md, Heartbeat).
    ``mirror`` (True, a path or a postgresql:// URL) overrides the connection's ``mirror`` (docs/mirror.md).

    Raises :class:`~staffwire.runner.store.ConnectionLocked` (a ConfigError) when the connection is already running;
    every other problem ends as a failed :class:`RunResult`.
    """
    env = os.environ if env is None else env
    progress = progress or NullProgress()
    with store.lock(connection.name):
        if reset:
            store.clear_states(connection.name)
        stats = RunStats(connection.name)
        stats.run_id = store.start_run(
            connection.name, connection.source.connector, connection.destination.connector
        )
        run_log = RunLog(run_log_path(store.path, stats.run_id), progress)
        progress = run_log
        masker = SecretMasker()
        started = time.monotonic()
        stats.started = started
        fatal: StaffwireError | None = None
        timeout = heartbeat_timeout or connection.heartbeat_timeout or DEFAULT_HEARTBEAT_TIMEOUT
        try:
            _run(
                connection,
                store,
                stats,
                masker,
                progress,
                env,
                pm,
                cache_dir,
                prefer_subprocess,
                timeout,
                mirror,
            )
        except StaffwireError as exc:
            fatal = exc
        except KeyboardInterrupt:
            stats.errors.append(
                RunError(
                    "runner",
                    "transient_error",
                    "interrupted (Ctrl-C); the next run resumes from the last committed state",
                )
            )
            _finish(store, stats, progress, started)
            raise
        except Exception as exc:
            # A bug in the runner: still recorded, never a traceback without a run record.
            fatal = InternalError(
                f"the runner failed unexpectedly: {type(exc).__name__}: {exc}. This is a bug; "
                "please report it with the run's details (staffwire runs show).",
                internal_message=traceback.format_exc(),
            )
        if fatal is not None:
            stats.errors.append(
                RunError("runner", fatal.failure_type.value, masker.mask(fatal.message), fatal.stream)
            )
        return _finish(store, stats, progress, started)


def _finish(store: StateStore, stats: RunStats, progress: Progress, started: float) -> RunResult:
    # A destination that reports rejections but no destinationStats: count the reports.
    reported: dict[StreamKey, int] = {}
    for entry in stats.rejected:
        if entry.get("origin") != "destination":
            continue
        for key in stats.streams:
            if key[1] == entry.get("stream"):
                reported[key] = reported.get(key, 0) + 1
    for key, count in reported.items():
        counts = stats.streams[key]
        counts.rejected = max(counts.rejected, min(count, counts.committed))
    failed = bool(stats.errors)
    first = stats.errors[0] if stats.errors else None
    status = "failed" if failed else "succeeded"
    # A failed run leaves every stream that did not finish INCOMPLETE (not STARTED / RUNNING forever).
    stream_status = {
        k: ("COMPLETE" if stats.status.get(k) == "COMPLETE" else "INCOMPLETE")
        if failed
        else stats.status.get(k, "COMPLETE")
        for k in stats.streams
    }
    try:
        for error in stats.errors:
            store.add_error(stats.run_id, error.origin, error.failure_type, error.message, error.stream)
        store.finish_run(
            stats.run_id,
            status,
            stream_counts=stats.streams,
            stream_status=stream_status,
            failure_type=first.failure_type if first else None,
            error=first.message if first else None,
            started=started,
        )
    except DatabaseDamaged as exc:
        # The history cannot take this run's record: the result below (printed, --json) is then the record of
        # what was committed to the destination, so it must still be produced.
        stats.errors.append(
            RunError(
                "runner",
                "config_error",
                f"this run's outcome could not be recorded: {exc.message} The counts of this run are in its "
                "output; states committed before the damage stay committed.",
            )
        )
        first = first or stats.errors[0]
        status = "failed"
    result = RunResult(
        run_id=stats.run_id,
        connection=stats.connection,
        status=status,
        duration_s=round(time.monotonic() - started, 3),
        streams={
            stream_label(k): {
                "records_read": c.read,
                "records_written": c.written,
                "records_rejected": c.all_rejected,
                "states_committed": c.states,
                "status": stream_status[k],
                # what the destination did per record, when it reports it
                **({f"records_{o}": c.outcomes.get(o) for o in OUTCOMES} if c.outcomes is not None else {}),
            }
            for k, c in stats.streams.items()
        },
        rejected_records=list(stats.rejected),
        errors=list(stats.errors),
        failure_type=first.failure_type if first else None,
        error=first.message if first else None,
        log=str(progress.path) if isinstance(progress, RunLog) else None,
    )
    progress.finished(stats, result)
    return result


def _run(
    connection: Connection,
    store: StateStore,
    stats: RunStats,
    masker: SecretMasker,
    progress: Progress,
    env: Mapping[str, str],
    pm: object | None,
    cache_dir: Path | None,
    prefer_subprocess: bool,
    heartbeat_timeout: float,
    mirror: Any = None,
) -> None:
    warm_up_mirror(mirror if mirror is not None else connection.mirror)
    sides = _sides(connection, pm, cache_dir, prefer_subprocess)
    for side in sides:
        side.heartbeat_timeout = heartbeat_timeout
    source, destination = sides
    store.set_run_connectors(stats.run_id, source.executor.describe(), destination.executor.describe())

    with (
        private_workdir() as workdir,
        contextlib.ExitStack() as in_memory,
        contextlib.ExitStack() as hub_guard,
    ):
        source_config = _prepare(connection, store, sides, env, masker, in_memory)
        catalog = source.catalog
        rejected_file = _ask_for_rejected_records(destination, workdir)
        destination_config = _secret_json(in_memory, "destination-config.json", destination.config, workdir)
        configured, selected = _configure(connection, catalog, source.name, stats.run_id)
        catalog_file = _write_json(workdir / "catalog.json", configured)
        # The hub's mapping step and mirror (staffwire.runner.hub); mapped streams reach the destination instead
        # of the raw streams they come from, so it gets a catalog of its own.
        hub, destination_catalog = Hub.build(
            connection, configured, store=store, stats=stats, masker=masker, env=env, on_log=progress.log,
            mirror_setting=mirror, pm=pm,
        )  # fmt: skip
        hub_guard.callback(hub.abandon)
        if hub.by_source:
            destination_catalog_file = _write_json(workdir / "destination-catalog.json", destination_catalog)
        else:
            destination_catalog_file = catalog_file
        committed = store.states(connection.name)
        states = [
            state for key, state in committed.items() if key == ("", "") or selected.get(key) == "incremental"
        ]
        state_file = _write_json(workdir / "state.json", states)

        store.add_streams(stats.run_id, selected)
        for key in selected:
            stats.counts(key)
        progress.started(stats, f"{source.name} -> {destination.name}")

        def on_control(origin: str, config: dict[str, Any]) -> None:
            side = source if origin == "source" else destination
            for value in secrets_in_config(side.spec, config):
                masker.add(value)
            if (
                side is destination
                and rejected_file is not None
                and config.get(_REJECTED_PATH) == str(rejected_file)
            ):
                # the runner's own per-run file (it is gone after this run): not part of the stored config
                config = {k: v for k, v in config.items() if k != _REJECTED_PATH}
            store.save_rotated_config(connection.name, side.role, config, side.fingerprint)
            progress.log(
                "runner",
                "INFO",
                f"{side.name} updated its config (e.g. a rotated token); saved for the next run",
            )

        def on_status(stream: str, status: str) -> None:
            progress.stream_status(stats, stream, status)

        pulses = {
            "source": Pulse("source", source.name, watched=True),
            "destination": Pulse("destination", destination.name, watched=False),
        }
        relay = Relay(
            names={"source": source.name, "destination": destination.name},
            pulses=pulses,
            store=store,
            stats=stats,
            masker=masker,
            selected=selected,
            on_log=progress.log,
            on_status=on_status,
            on_tick=lambda: progress.tick(stats),
            on_control=on_control,
            tap=hub.tap if hub.active else None,
        )
        write = destination.executor.start(
            ["write", "--config", str(destination_config), "--catalog", str(destination_catalog_file)],
            with_stdin=True,
        )
        try:
            read = source.executor.start(
                [
                    "read",
                    "--config",
                    str(source_config),
                    "--catalog",
                    str(catalog_file),
                    "--state",
                    str(state_file),
                ]
            )
        except BaseException:
            write.kill()
            raise
        assert write.stdin is not None
        processes = {"source": read, "destination": write}
        for role, process in processes.items():
            process.on_stderr(pulses[role].beat)

        def on_silent(pulse: Pulse, seconds: float) -> None:
            error = _silence_error(pulse, seconds, heartbeat_timeout, processes[pulse.role])
            stats.errors.append(error)
            progress.log("runner", "ERROR", error.message)
            processes[pulse.role].kill()

        watchdog = Watchdog(heartbeat_timeout, list(pulses.values()), on_silent)
        pump = threading.Thread(
            target=relay.pump_source, args=(read, write.stdin), name="staffwire-relay", daemon=True
        )
        with watchdog.running():
            pump.start()
            try:
                relay.read_destination(write)
            except BaseException:
                read.kill()
                write.kill()
                raise
            finally:
                pump.join()
            source_code = _wait(read)
            destination_code = _wait(write)
        hub.finish()
        if rejected_file is not None:
            _detailed_rejections(rejected_file, destination.name, store, stats, masker)

    _judge(stats, relay, source, destination, read, write, source_code, destination_code, masker)
    if isinstance(progress, RunLog):
        for side, process in ((source, read), (destination, write)):
            progress.stderr(side.role, side.name, masker.mask(process.stderr_tail()))


def _silence_error(pulse: Pulse, seconds: float, timeout: float, process: Running) -> RunError:
    """The run error for a connector that stopped showing signs of life (always transient: try again)."""
    doing = (
        "while the runner waited for its next message"
        if pulse.role == "source"
        else "while it should have been reading records or confirming what it wrote"
    )
    how = (
        "It ran in-process: its thread cannot be killed, so the runner stopped relaying and left it behind; "
        "run it with --subprocess to have it killed."
        if process.in_process
        else "Its process was killed."
    )
    return RunError(
        pulse.role,
        "transient_error",
        f"{pulse.role} {pulse.name} printed nothing for {format_duration(seconds)} {doing} (heartbeat_timeout "
        f"{format_duration(timeout)}), so it was stopped. {how} The run is failed; states committed before stay "
        "committed and the next run resumes from them. If it is stuck on its API, check that system; if it "
        "legitimately works this long without output, raise heartbeat_timeout in the connection file or "
        "with --heartbeat-timeout.",
    )


def _prepare(
    connection: Connection,
    store: StateStore,
    sides: list[_Side],
    env: Mapping[str, str],
    masker: SecretMasker,
    in_memory: contextlib.ExitStack,
) -> str:
    """Resolve both configs, read both specs (refusing literal secrets) and discover the source's streams
    (into ``source.catalog``); the path of the source's config (a memory file closed with ``in_memory``)."""
    source = sides[0]
    for side in sides:
        file_config = (
            connection.destination_config(env)
            if side.role == "destination"
            else side.ref.effective_config(env, side.role)
        )
        side.fingerprint = config_fingerprint(file_config)
        rotated = store.rotated_config(connection.name, side.role, side.fingerprint)
        side.config = rotated if rotated is not None else file_config
    source_config = _secret_json(in_memory, "source-config.json", source.config)
    # spec of both sides and the source's discover at once: each is a process start (seconds for a PyPI
    # connector). Error messages are masked when the run records them, after the specs are known.
    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="staffwire-prepare") as pool:
        specs = {side.role: pool.submit(_spec, side) for side in sides}
        controls: list[dict[str, Any]] = []
        discovered = pool.submit(_discover, source, source_config, controls)
        for side in sides:
            side.spec = specs[side.role].result()
            check_no_literal_secrets(side.ref, side.spec, side.role)
            for value in secrets_in_config(side.spec, side.config):
                masker.add(value)
        source.catalog = discovered.result()
    if controls:  # discover got a new token (CONTROL): keep it, and read with it
        source.config = controls[-1]
        for value in secrets_in_config(source.spec, source.config):
            masker.add(value)
        store.save_rotated_config(connection.name, source.role, source.config, source.fingerprint)
        source_config = _secret_json(in_memory, "source-config.json", source.config)
    return source_config


def _judge(
    stats: RunStats,
    relay: Relay,
    source: _Side,
    destination: _Side,
    read: Running,
    write: Running,
    source_code: int,
    destination_code: int,
    masker: SecretMasker,
) -> None:
    """Turn what happened into run errors (none = success)."""
    outcome = relay.outcome
    if outcome.pump_error:
        stats.errors.append(
            RunError(
                "runner",
                "system_error",
                f"the runner stopped relaying records: {masker.mask(outcome.pump_error)}. This is a bug; please "
                "report it. Nothing after the last committed state was stored.",
            )
        )
    # The runner stops the source itself when the destination is gone; its exit code then says nothing new.
    stopped = {"source"} if outcome.destination_gone and stats.errors else set()
    for side, code, process in ((source, source_code, read), (destination, destination_code, write)):
        if code != 0 and side.role not in stopped and not any(e.origin == side.role for e in stats.errors):
            tail = masker.mask(process.stderr_tail().strip())
            stats.errors.append(
                RunError(
                    side.role,
                    "system_error",
                    f"{side.role} {side.name} exited with code {code} without reporting an error"
                    + (f"; its last output on stderr: {tail[-600:]}" if tail else "")
                    + ". Run it on its own to see why, or report it to its maintainers.",
                )
            )
    for origin in ("source", "destination"):
        count = outcome.garbage[origin]
        if count:
            name = source.name if origin == "source" else destination.name
            example = next(e for e in outcome.garbage_examples if e.startswith(origin)).split(": ", 1)[1]
            stats.errors.append(
                RunError(
                    origin,
                    "system_error",
                    f"{origin} {name} printed {count} line(s) that are not Airbyte messages (first: {example}); a "
                    "connector must print only JSON protocol messages on stdout. The run is failed; states committed before "
                    "stay committed.",
                )
            )
    if outcome.unconfirmed_states and destination_code == 0 and not stats.errors:
        stats.errors.append(
            RunError(
                "destination",
                "system_error",
                f"destination {destination.name} ended without confirming {outcome.unconfirmed_states} state(s) it "
                "received, so those records are not known to be written; the next run will send them again.",
            )
        )
    for name, count in outcome.unselected_records.items():
        stats.errors.append(
            RunError(
                "source",
                "system_error",
                f"source {source.name} sent {count} record(s) for stream {name!r}, which the connection did not select; "
                "they were not forwarded.",
            )
        )
    for key, status in stats.status.items():
        if status == "INCOMPLETE" and not stats.errors:
            stats.errors.append(
                RunError(
                    "source",
                    "system_error",
                    f"stream {stream_label(key)} ended INCOMPLETE",
                    stream_label(key),
                )
            )


# ----------------------------------------------------------------------------------------------- helpers
_REJECTED_PATH = "rejected_records_path"


def _ask_for_rejected_records(destination: _Side, workdir: Path) -> Path | None:
    """Staffwire destinations can list rejected records with their structured reasons in a JSONL file
    (``rejected_records_path``); when the user did not set one, the runner asks for one in its work directory."""
    if _REJECTED_PATH not in (destination.spec.get("properties") or {}) or destination.config.get(
        _REJECTED_PATH
    ):
        return None
    path = workdir / "rejected.jsonl"
    destination.config = {**destination.config, _REJECTED_PATH: str(path)}
    return path


def _detailed_rejections(
    path: Path, name: str, store: StateStore, stats: RunStats, masker: SecretMasker
) -> None:
    """Replace the destination's one-line rejection reports with the file's structured reasons (rule, field,
    value, message); the rejected records' data is not kept."""
    if not path.exists():
        return
    entries: list[dict[str, Any]] = []
    for line in path.read_bytes().splitlines():
        try:
            item = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        if not isinstance(item, dict):
            continue
        raw_reasons = item.get("reasons")
        reasons: list[Any] = raw_reasons if isinstance(raw_reasons, list) else []
        why = "; ".join(str(r.get("message") or r.get("rule")) for r in reasons if isinstance(r, dict))
        record_id = item.get("record_id")
        entries.append(
            {
                "origin": "destination",
                "stream": item.get("stream"),
                "record_id": None if record_id is None else str(record_id),
                "message": masker.mask(
                    f"{name} stream '{item.get('stream')}': record {record_id or '(no id)'} rejected: "
                    f"{why or 'no reason given'}"
                ),
                "reasons": masker.mask_obj(reasons),
            }
        )
    stats.rejected[:] = [e for e in stats.rejected if e.get("origin") != "destination"] + entries
    store.replace_rejections(stats.run_id, "destination", entries)


def _secret_json(
    in_memory: contextlib.ExitStack, name: str, obj: Any, fallback_dir: Path | None = None
) -> str:
    """A resolved config (it holds secrets) as a memory file, never on disk; its path for ``--config``."""
    return in_memory.enter_context(MemoryFile(orjson.dumps(obj), name, fallback_dir)).path


def _write_json(path: Path, obj: Any) -> Path:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(orjson.dumps(obj))
    return path


def _wait(process: Running) -> int:
    try:
        return process.wait(_COMMAND_TIMEOUT)
    except (TimeoutError, Exception):
        process.kill()
        return -9


def _one_shot(
    side: _Side, argv: list[str], expected: str, controls: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Run spec/discover; the first message of type ``expected``; errors name the connector and command. The
    configs of CONTROL messages (e.g. a new access token) are appended to ``controls``."""
    process = side.executor.start(argv)
    found: dict[str, Any] | None = None
    errors: list[tuple[str, str]] = []
    garbage = 0
    pulse = Pulse(side.role, side.name, watched=True)
    process.on_stderr(pulse.beat)
    watchdog = Watchdog(side.heartbeat_timeout, [pulse], lambda _pulse, _seconds: process.kill())
    with watchdog.running():
        lines = list(_beating(process.stdout, pulse))
    if watchdog.fired is not None:
        _wait(process)
        raise TransientError(
            f"{side.role} {side.name} printed nothing for {format_duration(watchdog.fired[1])} during "
            f"`{argv[0]}` (heartbeat_timeout {format_duration(side.heartbeat_timeout)}), so it was stopped. If it "
            "is stuck on its API, check that system and run again; if it legitimately works this long without "
            "output, raise heartbeat_timeout in the connection file or with --heartbeat-timeout."
        )
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        try:
            message = parse_message(line)
        except BadMessage:
            garbage += 1
            continue
        if message["type"] == expected and found is None:
            found = message
        elif message["type"] == "CONTROL" and controls is not None:
            controls.append(message["control"]["connectorConfig"]["config"])
        elif message["type"] == "TRACE" and (message["trace"].get("type") == "ERROR"):
            error = message["trace"].get("error") or {}
            errors.append((str(error.get("failure_type") or "system_error"), str(error.get("message") or "")))
    code = _wait(process)
    command = argv[0]
    if errors:
        failure_type, text = errors[0]
        error_class = {"config_error": ConfigError, "transient_error": TransientError}.get(
            failure_type, InternalError
        )
        raise error_class(f"{side.role} {side.name} failed in {command}: {text}")
    if found is None:
        tail = process.stderr_tail().strip()[-600:]
        raise InternalError(
            f"{side.role} {side.name} printed no {expected} message for `{command}` (exit code {code}"
            + (f", {garbage} line(s) that are not Airbyte messages" if garbage else "")
            + (f"; stderr: {tail}" if tail else "")
            + "). Is it an Airbyte-protocol connector? Run it on its own to see why."
        )
    return found


def _beating(stdout: Iterable[bytes], pulse: Pulse) -> Iterator[bytes]:
    for line in stdout:
        pulse.beat()
        yield line


def _spec(side: _Side) -> dict[str, Any]:
    message = _one_shot(side, ["spec"], "SPEC")
    schema: dict[str, Any] = message["spec"]["connectionSpecification"]
    return schema


def _discover(side: _Side, config: str, controls: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    message = _one_shot(side, ["discover", "--config", str(config)], "CATALOG", controls)
    catalog: dict[str, Any] = message["catalog"]
    return catalog


def _configure(
    connection: Connection, catalog: Mapping[str, Any], source_name: str, run_id: int
) -> tuple[dict[str, Any], dict[StreamKey, str]]:
    """The configured catalog for the connection's streams, and ``(namespace, name) -> sync_mode``."""
    available = {
        (s.get("namespace") or "", s["name"]): s
        for s in catalog.get("streams", [])
        if isinstance(s, dict) and isinstance(s.get("name"), str)
    }
    configured: list[dict[str, Any]] = []
    selected: dict[StreamKey, str] = {}
    for choice in connection.streams:
        key = (choice.namespace or "", choice.name)
        stream = available.get(key)
        if stream is None:
            names = ", ".join(sorted(stream_label(k) for k in available)) or "none"
            raise ConfigError(
                f"stream {choice.name!r} is not offered by source {source_name} (its streams: {names}). "
                "Fix the streams list of the connection."
            )
        modes = stream.get("supported_sync_modes") or ["full_refresh"]
        if choice.sync_mode not in modes:
            raise ConfigError(
                f"stream {choice.name!r} of source {source_name} does not support sync_mode {choice.sync_mode!r} "
                f"(supported: {', '.join(modes)}). Fix its sync_mode in the connection."
            )
        cursor = choice.cursor_field or stream.get("default_cursor_field") or []
        if choice.sync_mode == "incremental" and not cursor and not stream.get("source_defined_cursor"):
            raise ConfigError(
                f"stream {choice.name!r} is incremental but has no cursor field; set cursor_field in the "
                "connection or use sync_mode full_refresh."
            )
        mode = choice.effective_destination_sync_mode
        if choice.destination_object:
            # the object's matching keys, not the source's primary key (the destination checks them)
            primary_key = choice.matching_keys or []
        else:
            primary_key = choice.primary_key or stream.get("source_defined_primary_key") or []
        if mode == "append_dedup" and not primary_key and not choice.destination_object:
            raise ConfigError(
                f"stream {choice.name!r} uses destination_sync_mode append_dedup but has no primary key; set "
                "primary_key in the connection or use append/overwrite."
            )
        entry: dict[str, Any] = {
            "stream": stream,
            "sync_mode": choice.sync_mode,
            "destination_sync_mode": mode,
            "cursor_field": cursor,
            "primary_key": primary_key,
            # Each run is a generation; overwrite means "keep only this generation" (protocol refreshes).
            "generation_id": run_id,
            "minimum_generation_id": run_id if mode == "overwrite" else 0,
            "sync_id": run_id,
        }
        if choice.destination_object:
            entry["destination_object_name"] = choice.destination_object
        configured.append(entry)
        selected[key] = choice.sync_mode
    return {"streams": configured}, selected
