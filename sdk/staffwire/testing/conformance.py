"""Run a connector and check what it printed against the Airbyte protocol.

::

    from staffwire.testing.conformance import assert_conformant, run_connector

    result = run_connector(SourceBullhorn, "read", config=config, catalog=catalog)   # in-process
    result = run_connector("source-bullhorn", ["read", "--config", p, "--catalog", c])  # console script
    assert result.exit_code == 0
    assert [r["id"] for r in result.records("Candidate")] == [...]
    assert_conformant(result)

:func:`run_connector` runs the connector in-process through ``launch(argv, stdin=, stdout=)`` (a connector class)
or as a subprocess (a console-script name, a path, or an argv list), and validates EVERY stdout line against the
``AirbyteMessage`` definition of the vendored protocol schema (``staffwire/schemas/airbyte_protocol.yaml``);
a line that is not valid raises ``AssertionError`` at once. ``config=``, ``catalog=`` and ``state=`` take Python
objects, written to temporary files and passed as ``--config`` / ``--catalog`` / ``--state``.

:func:`assert_conformant` checks the rules the platform enforces: one SPEC / CATALOG (DESTINATION_CATALOG for a
destination, with each object and sync mode once and matching keys from the object's schema) / CONNECTION_STATUS
where due; per stream STARTED, RUNNING before the first record, COMPLETE or INCOMPLETE last and nothing of the stream
after it; at least one STATE per completed stream; ``sourceStats.recordCount`` equal to the records since the
stream's previous state; no identical state twice in a row with records between (except a stream's closing state,
see :mod:`staffwire.state`); a failure explained by a TRACE ERROR and a non-zero exit; records valid against their
stream's schema when a catalog is given; states echoed by a destination in input order with ``destinationStats``.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import orjson

__all__ = [
    "ConnectorResult",
    "assert_conformant",
    "assert_no_secrets",
    "case_folding_problems",
    "message_validator",
    "parse_output",
    "run_connector",
    "validate_line",
]

_SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "airbyte_protocol.yaml"


@cache
def message_validator() -> Any:
    """A jsonschema validator for one ``AirbyteMessage`` (protocol schema, refs resolved with ``referencing``)."""
    import jsonschema
    import yaml
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    document = yaml.safe_load(_SCHEMA.read_text())
    uri = document.get("$id", "urn:staffwire:airbyte_protocol")
    registry: Registry[Any] = Registry().with_resource(uri, Resource.from_contents(document, DRAFT7))
    return jsonschema.Draft7Validator({"$ref": f"{uri}#/definitions/AirbyteMessage"}, registry=registry)


def validate_line(line: bytes | str) -> dict[str, Any]:
    """Parse one stdout line and validate it as an AirbyteMessage; raise AssertionError if it is not one."""
    try:
        message = orjson.loads(line)
    except orjson.JSONDecodeError:
        raise AssertionError(f"stdout line is not JSON: {line!r}") from None
    if not isinstance(message, dict):
        raise AssertionError(f"stdout line is not a JSON object: {line!r}")
    errors = sorted(message_validator().iter_errors(message), key=lambda e: list(e.absolute_path))
    if errors:
        detail = "; ".join(
            f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors[:5]
        )
        raise AssertionError(f"stdout line is not a valid AirbyteMessage ({detail}): {line!r}")
    return message


@dataclass
class ConnectorResult:
    """What one connector run printed, parsed (and validated) line by line."""

    argv: list[str]
    exit_code: int
    messages: list[dict[str, Any]]
    lines: list[bytes]
    stderr: str = ""
    stdin_messages: list[dict[str, Any]] = field(default_factory=list)

    @property
    def command(self) -> str:
        return next((a for a in self.argv if not a.startswith("-")), "")

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["type"] == kind]

    def records(self, stream: str | None = None) -> list[dict[str, Any]]:
        """The ``data`` of every RECORD (of ``stream``), in order."""
        return [r["data"] for r in self.record_messages(stream)]

    def record_messages(self, stream: str | None = None) -> list[dict[str, Any]]:
        return [
            m["record"] for m in self.of_type("RECORD") if stream is None or m["record"]["stream"] == stream
        ]

    @property
    def states(self) -> list[dict[str, Any]]:
        """The body of every STATE message, in order."""
        return [m["state"] for m in self.of_type("STATE")]

    def stream_states(self, stream: str) -> list[dict[str, Any]]:
        """The ``stream_state`` blobs emitted for one stream, in order."""
        return [
            s["stream"]["stream_state"]
            for s in self.states
            if s.get("type") == "STREAM" and s["stream"]["stream_descriptor"]["name"] == stream
        ]

    @property
    def traces(self) -> list[dict[str, Any]]:
        return [m["trace"] for m in self.of_type("TRACE")]

    @property
    def trace_errors(self) -> list[dict[str, Any]]:
        """The ``error`` body of every TRACE ERROR."""
        return [t["error"] for t in self.traces if t["type"] == "ERROR"]

    def stream_statuses(self, stream: str | None = None) -> list[str] | dict[str, list[str]]:
        """STREAM_STATUS values of one stream in order, or of every stream (a dict) when ``stream`` is None."""
        by_stream: dict[str, list[str]] = {}
        for t in self.traces:
            if t["type"] == "STREAM_STATUS":
                name = t["stream_status"]["stream_descriptor"]["name"]
                by_stream.setdefault(name, []).append(t["stream_status"]["status"])
        return by_stream if stream is None else by_stream.get(stream, [])

    @property
    def logs(self) -> list[dict[str, Any]]:
        return [m["log"] for m in self.of_type("LOG")]

    def log_messages(self, level: str | None = None) -> list[str]:
        return [log["message"] for log in self.logs if level is None or log["level"] == level]

    @property
    def connection_status(self) -> dict[str, Any] | None:
        found = self.of_type("CONNECTION_STATUS")
        return found[-1]["connectionStatus"] if found else None

    @property
    def spec(self) -> dict[str, Any] | None:
        found = self.of_type("SPEC")
        return found[-1]["spec"] if found else None

    @property
    def catalog(self) -> dict[str, Any] | None:
        found = self.of_type("CATALOG")
        return found[-1]["catalog"] if found else None

    @property
    def destination_catalog(self) -> dict[str, Any] | None:
        found = self.of_type("DESTINATION_CATALOG")
        return found[-1]["destination_catalog"] if found else None

    @property
    def controls(self) -> list[dict[str, Any]]:
        return [m["control"] for m in self.of_type("CONTROL")]

    @property
    def output(self) -> str:
        """All stdout as text (for substring assertions, e.g. that no secret leaked)."""
        return b"".join(self.lines).decode("utf-8", "replace")


def run_connector(
    connector: Any,
    argv: Sequence[str] | str,
    *,
    config: Mapping[str, Any] | None = None,
    catalog: Mapping[str, Any] | None = None,
    state: Any = None,
    stdin: bytes | Iterable[Mapping[str, Any]] | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
    validate: bool = True,
) -> ConnectorResult:
    """Run ``connector`` with ``argv`` and return its parsed output.

    ``connector`` is a Staffwire connector class (run in-process), or a console-script name / executable path /
    argv list (run as a subprocess). ``argv`` may be just the command (``"read"``) when ``config``/``catalog``/
    ``state`` are given as objects. ``stdin`` is raw bytes or an iterable of message dicts (for ``write``).
    """
    args = [argv] if isinstance(argv, str) else list(argv)
    stdin_messages: list[dict[str, Any]] = []
    if stdin is not None and not isinstance(stdin, bytes | bytearray):
        stdin_messages = [dict(m) for m in stdin]
        stdin = b"".join(orjson.dumps(m) + b"\n" for m in stdin_messages)
    elif stdin is not None:
        stdin_messages = _json_objects(bytes(stdin).splitlines())
    with tempfile.TemporaryDirectory(prefix="staffwire-test-") as tmp:
        for flag, value in (("--config", config), ("--catalog", catalog), ("--state", state)):
            if value is not None:
                path = Path(tmp) / f"{flag[2:]}.json"
                path.write_bytes(orjson.dumps(value))
                args += [flag, str(path)]
        if isinstance(connector, type):
            out = io.BytesIO()
            launch: Any = getattr(connector, "launch")  # noqa: B009
            code = launch(args, stdin=io.BytesIO(bytes(stdin or b"")), stdout=out)
            raw_out, err = out.getvalue(), ""
        else:
            command = [connector] if isinstance(connector, str | os.PathLike) else list(connector)
            exe = shutil.which(str(command[0])) or str(command[0])
            if not os.path.exists(exe):
                candidate = Path(sys.executable).parent / str(command[0])
                exe = str(candidate) if candidate.exists() else exe
            proc = subprocess.run(
                [exe, *map(str, command[1:]), *args],
                input=bytes(stdin or b""),
                capture_output=True,
                timeout=timeout,
                env={**os.environ, **(env or {})},
                check=False,
            )
            code, raw_out, err = proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace")
    return parse_output(args, code, raw_out, stderr=err, stdin_messages=stdin_messages, validate=validate)


def parse_output(
    argv: Sequence[str],
    exit_code: int,
    stdout: bytes,
    *,
    stderr: str = "",
    stdin_messages: Sequence[Mapping[str, Any]] = (),
    validate: bool = True,
) -> ConnectorResult:
    """A :class:`ConnectorResult` from output captured elsewhere (every line validated unless ``validate=False``)."""
    lines = [line + b"\n" for line in stdout.splitlines() if line.strip()]
    messages = [validate_line(line) for line in lines] if validate else _json_objects(lines)
    return ConnectorResult(list(argv), exit_code, messages, lines, stderr, [dict(m) for m in stdin_messages])


def _json_objects(lines: Iterable[bytes]) -> list[dict[str, Any]]:
    """The lines that are JSON objects, parsed; anything else (blank, log noise, arrays) is skipped."""
    objects: list[dict[str, Any]] = []
    for line in lines:
        try:
            parsed = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        if isinstance(parsed, dict):
            objects.append(parsed)
    return objects


def assert_no_secrets(result: ConnectorResult, secrets: Iterable[str]) -> None:
    """No secret (nor its URL-encoded or JSON-escaped form) appears in any stdout line (CONTROL lines excepted:
    they carry the config for the platform to persist) nor on stderr."""
    from urllib.parse import quote, quote_plus

    forms = set()
    for secret in secrets:
        forms |= {secret, quote(secret, safe=""), quote_plus(secret), orjson.dumps(secret).decode()[1:-1]}
    for line in result.lines:
        if line.startswith(b'{"type":"CONTROL"'):
            continue
        text = line.decode("utf-8", "replace")
        leaked = [f for f in forms if f and f in text]
        assert not leaked, f"secret leaked in stdout line: {text[:300]!r}"
    leaked = [f for f in forms if f and f in result.stderr]
    assert not leaked, "secret leaked on stderr"


def assert_conformant(result: ConnectorResult, *, catalog: Mapping[str, Any] | None = None) -> None:
    """Assert the protocol's rules on ``result`` (see the module docstring). ``catalog`` (an AirbyteCatalog or a
    ConfiguredAirbyteCatalog dict) turns on record-schema validation; for ``discover`` runs it is taken from the
    output."""
    problems: list[str] = []
    command = result.command
    errors = result.trace_errors
    if result.exit_code != 0 and not errors:
        problems.append(f"exit code {result.exit_code} without a TRACE ERROR explaining it")
    if result.exit_code == 0 and errors:
        problems.append(f"exit code 0 but TRACE ERROR(s) emitted: {[e['message'] for e in errors]}")
    for error in errors:
        if "Traceback (most recent call last)" in error["message"]:
            problems.append(f"TRACE ERROR message carries a traceback: {error['message'][:200]!r}")
    if command == "spec" and result.exit_code == 0 and len(result.of_type("SPEC")) != 1:
        problems.append(f"spec printed {len(result.of_type('SPEC'))} SPEC messages, expected 1")
    if command == "discover" and result.exit_code == 0:
        problems += _discover_problems(result)
    for message in result.of_type("CATALOG"):
        problems += case_folding_problems(message["catalog"].get("streams") or [])
    if command == "check":
        statuses = result.of_type("CONNECTION_STATUS")
        if result.exit_code == 0 and len(statuses) != 1:
            problems.append(f"check printed {len(statuses)} CONNECTION_STATUS messages, expected 1")
        if result.exit_code != 0 and statuses:
            problems.append("check failed with a TRACE ERROR but also printed a CONNECTION_STATUS")
    if command == "read":
        problems += _read_problems(result, catalog)
    if command == "write":
        problems += _write_problems(result)
    assert not problems, "connector output is not conformant:\n- " + "\n- ".join(problems)


def _discover_problems(result: ConnectorResult) -> list[str]:
    """A source prints one CATALOG; a destination (data activation) one DESTINATION_CATALOG whose operations name
    each (object, sync mode) once and whose matching keys are properties of the object's schema."""
    catalogs, destination = result.of_type("CATALOG"), result.of_type("DESTINATION_CATALOG")
    if len(catalogs) + len(destination) != 1:
        return [
            f"discover printed {len(catalogs)} CATALOG and {len(destination)} DESTINATION_CATALOG messages, "
            "expected exactly one"
        ]
    if not destination:
        return []
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    for op in destination[0]["destination_catalog"]["operations"]:
        where = (op["object_name"], op["sync_mode"])
        if where in seen:
            problems.append(f"DESTINATION_CATALOG lists {where[0]} with sync mode {where[1]} twice")
        seen.add(where)
        properties = (op.get("json_schema") or {}).get("properties") or {}
        for key in op.get("matching_keys") or []:
            node: Any = {"properties": properties}
            for part in key:
                node = (node.get("properties") or {}).get(part) if isinstance(node, dict) else None
            if not isinstance(node, dict):
                problems.append(
                    f"DESTINATION_CATALOG object {where[0]}: matching key {'.'.join(key)} is not a property of its "
                    "json_schema"
                )
    return problems


def case_folding_problems(streams: list[Mapping[str, Any]]) -> list[str]:
    """Streams whose names differ only in case (``Candidates`` and ``candidates``): PyAirbyte's DuckDB cache,
    Postgres and Snowflake fold names to one case, so the two would land in one table."""
    seen: dict[tuple[str | None, str], str] = {}
    problems = []
    for stream in streams:
        name = str(stream.get("name"))
        key = (stream.get("namespace"), name.casefold())
        if key in seen and seen[key] != name:
            problems.append(
                f"streams '{seen[key]}' and '{name}' differ only in case; destinations that fold case "
                "(DuckDB, Postgres, Snowflake) would put them in one table"
            )
        seen.setdefault(key, name)
    return problems


def _descriptor_name(body: Mapping[str, Any]) -> str:
    return str(body.get("stream_descriptor", {}).get("name"))


def _read_problems(result: ConnectorResult, catalog: Mapping[str, Any] | None) -> list[str]:
    problems: list[str] = []
    status: dict[str, str] = {}  # last status per stream
    pending: dict[str, int] = {}  # records since the previous state
    history: dict[str, list[tuple[Any, int]]] = {}  # per stream: (state blob, records before it)
    state_counts: dict[str, int] = {}
    validators = _record_validators(catalog)
    failed_streams: set[str] = set()
    for message in result.messages:
        kind = message["type"]
        if kind == "TRACE" and message["trace"]["type"] == "STREAM_STATUS":
            body = message["trace"]["stream_status"]
            name, value = _descriptor_name(body), body["status"]
            previous = status.get(name)
            if value == "RUNNING" and body.get("reasons"):  # RATE_LIMITED: a note while running, not a step
                if previous not in ("STARTED", "RUNNING"):
                    problems.append(f"stream '{name}': rate-limited status after {previous or 'nothing'}")
                continue
            allowed = {
                None: {"STARTED"},
                "STARTED": {"RUNNING", "COMPLETE", "INCOMPLETE"},
                "RUNNING": {"COMPLETE", "INCOMPLETE"},
            }.get(previous, set())
            if value not in allowed:
                problems.append(f"stream '{name}': status {value} after {previous or 'nothing'}")
            if value == "RUNNING" and pending.get(name, 0) + state_counts.get(name, 0) > 0:
                problems.append(f"stream '{name}': RUNNING after its first record")
            if value == "COMPLETE" and pending.get(name, 0):
                problems.append(
                    f"stream '{name}': {pending[name]} records not covered by any STATE at COMPLETE"
                )
            if value == "INCOMPLETE":
                failed_streams.add(name)
            status[name] = value
        elif kind == "TRACE" and message["trace"]["type"] == "ERROR":
            name = _descriptor_name(message["trace"]["error"])
            if name != "None":
                failed_streams.add(name)
        elif kind == "RECORD":
            record = message["record"]
            name = record["stream"]
            if status.get(name) != "RUNNING":
                problems.append(
                    f"stream '{name}': RECORD while its status is {status.get(name) or 'not started'}"
                )
            pending[name] = pending.get(name, 0) + 1
            validator = validators.get(name)
            if validator is not None:
                for error in list(validator.iter_errors(record["data"]))[:1]:
                    problems.append(f"stream '{name}': record does not match its schema: {error.message}")
        elif kind == "STATE":
            state = message["state"]
            if state.get("type") != "STREAM":
                problems.append(
                    f"STATE of type {state.get('type')!r}; Staffwire sources emit per-stream states"
                )
                continue
            name = state["stream"]["stream_descriptor"]["name"]
            if status.get(name) not in ("STARTED", "RUNNING"):
                problems.append(
                    f"stream '{name}': STATE while its status is {status.get(name) or 'not started'}"
                )
            count = (state.get("sourceStats") or {}).get("recordCount")
            if count != float(pending.get(name, 0)):
                problems.append(
                    f"stream '{name}': sourceStats.recordCount {count} but {pending.get(name, 0)} records since "
                    "the previous state"
                )
            history.setdefault(name, []).append((state["stream"].get("stream_state"), pending.get(name, 0)))
            state_counts[name] = state_counts.get(name, 0) + 1
            pending[name] = 0
    for name, value in status.items():
        if value in ("STARTED", "RUNNING"):
            problems.append(f"stream '{name}': never reached COMPLETE or INCOMPLETE")
        if value == "COMPLETE" and not state_counts.get(name):
            problems.append(f"stream '{name}': COMPLETE without any STATE")
    for name, states in history.items():
        # a stream's closing state may repeat the previous one to count the records after it (staffwire.state)
        for i in range(1, len(states) - 1):
            if states[i][0] == states[i - 1][0] and states[i][1]:
                problems.append(f"stream '{name}': the same state twice in a row with records between")
    if failed_streams and result.exit_code == 0:
        problems.append(f"streams {sorted(failed_streams)} failed but the exit code is 0")
    return problems


def _record_validators(catalog: Mapping[str, Any] | None) -> dict[str, Any]:
    if not catalog:
        return {}
    import jsonschema

    validators: dict[str, Any] = {}
    for entry in catalog.get("streams", []):
        stream = entry.get("stream", entry)
        schema = stream.get("json_schema")
        if isinstance(schema, dict) and schema:
            validators[stream["name"]] = jsonschema.Draft7Validator(schema)
    return validators


def _write_problems(result: ConnectorResult) -> list[str]:
    problems: list[str] = []
    echoed = result.states
    for state in echoed:
        stats = state.get("destinationStats")
        if not isinstance(stats, dict) or "recordCount" not in stats:
            problems.append(f"echoed STATE without destinationStats.recordCount: {state}")
            continue
        outcomes = [stats.get(f"{o}RecordCount") for o in ("created", "updated", "unchanged", "ignored")]
        if any(v is not None for v in outcomes):
            told = sum(float(v or 0) for v in outcomes) + float(stats.get("rejectedRecordCount") or 0)
            if told > float(stats["recordCount"]):
                problems.append(
                    f"echoed STATE counts {told:g} record outcomes for {stats['recordCount']:g} records: {stats}"
                )
    sent = [m["state"] for m in result.stdin_messages if m.get("type") == "STATE"]
    if sent:

        def strip(s: Mapping[str, Any]) -> dict[str, Any]:
            return {k: v for k, v in s.items() if k not in ("destinationStats", "sourceStats")}

        if [strip(s) for s in echoed] != [strip(s) for s in sent[: len(echoed)]]:
            problems.append("echoed states differ from the input states (order or content)")
        if result.exit_code == 0 and len(echoed) != len(sent):
            problems.append(f"{len(sent)} states sent but {len(echoed)} echoed on a successful write")
    return problems
