"""``staffwire audit CONNECTION``: is the mirror still a faithful copy of the source system?

The audit reads the connection's streams from the source *now* (a full-refresh read, whatever the connection's
sync modes; the connection's mapping step makes its standard streams too), keeps only each record's id, cursor
and content hash (the mirror's own :func:`~staffwire.mirror.writer.fingerprint`), and compares them with the
mirror's current records, per stream:

- **missing**: ids the source has that the mirror does not;
- **extra**: ids the mirror has (not soft-deleted) that the source no longer has;
- **changed**: ids in both whose cursor or content hash differs.

With ``--against OTHER``, it also lists the *stage drift* between two mirrored systems (the internal ATS and a
client's ATS): submissions matched by their candidate's normalised email and their job's normalised title whose
standard ``stage`` differs.

Exit codes for schedulers: 0 consistent, 1 drift found, 2 the audit could not run (with the reason).
Memory stays flat: fingerprints are spooled to the warehouse and compared there, never held in Python.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from staffwire.errors import ConfigError, InternalError, StaffwireError

__all__ = ["AuditReport", "StreamDrift", "register", "run_audit"]

EXIT_CONSISTENT, EXIT_DRIFT, EXIT_FAILED = 0, 1, 2
_SPOOL_BATCH = 50_000


@dataclass
class StreamDrift:
    stream: str
    in_source: int = 0
    in_mirror: int = 0
    missing: int = 0
    extra: int = 0
    changed: int = 0
    examples: dict[str, list[str]] = field(default_factory=dict)

    @property
    def drift(self) -> int:
        return self.missing + self.extra + self.changed

    def as_dict(self) -> dict[str, Any]:
        return {
            "stream": self.stream,
            "in_source": self.in_source,
            "in_mirror": self.in_mirror,
            "missing": self.missing,
            "extra": self.extra,
            "changed": self.changed,
            "examples": self.examples,
        }


@dataclass
class AuditReport:
    connection: str
    mirror: str
    audited_at: str
    streams: list[StreamDrift]
    stage_drift: list[dict[str, Any]] = field(default_factory=list)
    against: str | None = None

    @property
    def consistent(self) -> bool:
        return not any(s.drift for s in self.streams) and not self.stage_drift

    def as_dict(self) -> dict[str, Any]:
        return {
            "connection": self.connection,
            "mirror": self.mirror,
            "audited_at": self.audited_at,
            "consistent": self.consistent,
            "streams": [s.as_dict() for s in self.streams],
            "against": self.against,
            "stage_drift": self.stage_drift,
        }


# ------------------------------------------------------------------------------------------------- the audit
def run_audit(
    connection_path: str | os.PathLike[str],
    *,
    db: Path,
    mirror: Any = None,
    against: str | None = None,
    examples: int = 5,
    env: Mapping[str, str] | None = None,
    pm: object | None = None,
) -> AuditReport:
    """Audit one connection's mirror against its source; raises a StaffwireError when it cannot run."""
    from staffwire.mirror import open_warehouse
    from staffwire.runner.connection import load_connection
    from staffwire.runner.hub import masker_values, mirror_target
    from staffwire.runner.store import StateStore, utc_now

    env = os.environ if env is None else env
    connection = load_connection(connection_path)
    if not db.exists():
        raise ConfigError(
            f"connection {connection.name} has never run: there is no run history at {db}. Run `staffwire sync "
            f"{connection_path} --mirror` first (or point --db / $STAFFWIRE_DB at its history)."
        )
    target = mirror_target(mirror if mirror is not None else (connection.mirror or True), db, env)
    assert target is not None
    where = target if "://" not in target else _describe(target)
    if "://" not in target and not Path(target).exists():
        raise ConfigError(
            f"connection {connection.name} has never landed a run in the mirror at {target}: run `staffwire sync "
            f"{connection_path} --mirror` first (or give the mirror's place with --mirror)."
        )
    warehouse = open_warehouse(target)
    try:
        from staffwire.mirror.schema import create_tables

        create_tables(warehouse)
        runs = warehouse.query("SELECT count(*) FROM mirror_runs WHERE connection = ?", [connection.name])[0][
            0
        ]
        if not runs:
            raise ConfigError(
                f"connection {connection.name} has never landed a run in the mirror ({where}): run `staffwire "
                f"sync {connection_path} --mirror` first."
            )
        store = StateStore(db)
        try:
            scanned = _scan_source(connection, store, warehouse, env, pm, masker_values(target))
        finally:
            store.close()
        streams = _compare(warehouse, connection.name, scanned, examples)
        stage_drift = _stage_drift(warehouse, connection.name, against, examples) if against else []
        audited_at = utc_now()
        for drift in streams:
            warehouse.execute(
                "INSERT INTO mirror_audits (connection, audited_at, stream, in_source, in_mirror, missing, extra, "
                "changed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    connection.name,
                    audited_at,
                    drift.stream,
                    drift.in_source,
                    drift.in_mirror,
                    drift.missing,
                    drift.extra,
                    drift.changed,
                ],
            )
        warehouse.commit()
    finally:
        warehouse.close()
    return AuditReport(connection.name, where, audited_at, streams, stage_drift, against)


def _describe(url: str) -> str:
    from staffwire.mirror import describe_url

    return f"PostgreSQL {describe_url(url)}"


def _scan_source(
    connection: Any, store: Any, warehouse: Any, env: Mapping[str, str], pm: object | None, secrets: list[str]
) -> list[str]:
    """Read the source now (full refresh) and spool every record's fingerprint into ``audit_scan``; the streams
    scanned (raw and mapped)."""
    from staffwire.mirror.writer import StreamIdentity
    from staffwire.runner.executors import private_workdir
    from staffwire.runner.hub import Hub, standard_line
    from staffwire.runner.messages import BadMessage, parse_message
    from staffwire.runner.resolve import resolve_connector
    from staffwire.runner.stats import RunStats
    from staffwire.runner.sync import _configure, _prepare, _Side, _wait
    from staffwire.secrets import SecretMasker

    masker = SecretMasker()
    for value in secrets:
        masker.add(value)
    sides = [
        _Side(role, ref, resolve_connector(ref.connector, role=role, base_dir=connection.base_dir, pm=pm))
        for role, ref in (("source", connection.source), ("destination", connection.destination))
    ]
    source = sides[0]
    full = connection.model_copy(
        update={"streams": [s.model_copy(update={"sync_mode": "full_refresh"}) for s in connection.streams]}
    )
    from staffwire.mirror.warehouse import STAGE_COLUMNS

    columns = ", ".join(
        f"{name} {warehouse.json_type if kind == 'JSON' else kind}" for name, kind in STAGE_COLUMNS
    )
    warehouse.execute(f"CREATE TEMP TABLE audit_scan ({columns})")
    with private_workdir() as workdir, contextlib.ExitStack() as in_memory:
        try:
            config = _prepare(full, store, sides, env, masker, in_memory)
        except StaffwireError as exc:
            raise type(exc)(masker.mask(exc.message)) from None
        configured, _ = _configure(full, source.catalog, source.name, 0)
        hub, destination_catalog = Hub.build(
            full, configured, store=store, stats=RunStats(full.name), masker=masker, env=env,
            on_log=lambda *_: None, mirror_setting=False, pm=pm,
        )  # fmt: skip
        identities = {e["stream"]["name"]: StreamIdentity.from_configured(e) for e in configured["streams"]}
        for entry in destination_catalog["streams"]:
            identities.setdefault(entry["stream"]["name"], StreamIdentity.from_configured(entry))
        import orjson

        catalog_file = workdir / "catalog.json"
        catalog_file.write_bytes(orjson.dumps(configured))
        process = source.executor.start(["read", "--config", str(config), "--catalog", str(catalog_file)])
        spool = _Spool(warehouse, workdir, identities)
        errors: list[str] = []
        try:
            for raw in process.stdout:
                line = raw.strip()
                if not line:
                    continue
                try:
                    message = parse_message(line)
                except BadMessage:
                    continue
                if message["type"] == "RECORD":
                    record = message["record"]
                    spool.add(line)
                    for mapped in hub.by_source.get(record["stream"], ()):
                        out = _map_quietly(mapped, record.get("data"))
                        if out is not None:
                            spool.add(standard_line(mapped.name, out, record))
                elif message["type"] == "TRACE" and message["trace"].get("type") == "ERROR":
                    error = message["trace"].get("error") or {}
                    errors.append(str(error.get("message") or "failed without a message"))
        finally:
            code = _wait(process)
            spool.close()
        if errors or code != 0:
            why = (
                errors[0] if errors else f"it exited with code {code}: {process.stderr_tail().strip()[-400:]}"
            )
            raise InternalError(
                masker.mask(
                    f"source {source.name} could not be read for the audit: {why}. Fix the source (staffwire sync "
                    "shows the same error) and audit again."
                )
            )
    return sorted(identities)


def _map_quietly(mapped: Any, data: Any) -> dict[str, Any] | None:
    from staffwire.errors import RecordRejected

    try:
        result: dict[str, Any] | None = mapped.compiled(data)
    except RecordRejected:
        return None  # rejected in the sync too: never in the mirror, so not drift
    return result


class _Spool:
    """The source's RECORD lines, spooled and loaded into ``audit_scan`` :data:`_SPOOL_BATCH` at a time with the
    mirror's own extraction (:mod:`staffwire.mirror.extract`): the same ids, cursors and content hashes."""

    def __init__(self, warehouse: Any, workdir: Path, identities: Mapping[str, Any]) -> None:
        from staffwire.mirror.extract import select_columns

        self.warehouse = warehouse
        self.columns, self.select = select_columns(warehouse.kind, identities, keep_data=False)
        self.path = workdir / "scan.jsonl"
        self.out: IO[bytes] = self.path.open("wb")
        self.count = 0

    def add(self, line: bytes) -> None:
        from staffwire.mirror.writer import spool_line

        self.count += 1
        self.out.write(spool_line(self.count, line))
        if self.count % _SPOOL_BATCH == 0:
            self._load()

    def _load(self) -> None:
        self.out.close()
        self.warehouse.load_lines(self.path, "audit_scan", self.columns, self.select)
        self.out = self.path.open("wb")

    def close(self) -> None:
        self._load()
        self.out.close()


def _compare(warehouse: Any, connection: str, streams: list[str], examples: int) -> list[StreamDrift]:
    mirror = "(SELECT * FROM mirror_records WHERE connection = ? AND stream = ?)"
    # a record read twice in one pass (Lever's candidate behind each of its opportunities) counts as its last
    # version, as the mirror keeps it (the highest seq)
    scan = (
        "(SELECT stream, record_id, cursor_value, content_hash FROM audit_scan a WHERE stream = ? AND seq = "
        "(SELECT max(seq) FROM audit_scan b WHERE b.stream = a.stream AND b.record_id = a.record_id))"
    )
    kinds = {
        "missing": f"SELECT s.record_id FROM {scan} s LEFT JOIN {mirror} m ON m.record_id = s.record_id "
        "WHERE m.record_id IS NULL",
        "extra": f"SELECT m.record_id FROM {mirror} m LEFT JOIN {scan} s ON s.record_id = m.record_id "
        "WHERE s.record_id IS NULL AND m.deleted_at IS NULL",
        "changed": f"SELECT s.record_id FROM {scan} s JOIN {mirror} m ON m.record_id = s.record_id "
        "WHERE m.content_hash <> s.content_hash OR m.cursor_value IS DISTINCT FROM s.cursor_value",
    }
    params = {"missing": "sm", "extra": "ms", "changed": "sm"}
    result = []
    for stream in streams:
        drift = StreamDrift(stream)
        drift.in_source = warehouse.query(
            "SELECT count(DISTINCT record_id) FROM audit_scan WHERE stream = ?", [stream]
        )[0][0]
        drift.in_mirror = warehouse.query(
            "SELECT count(*) FROM mirror_records WHERE connection = ? AND stream = ? AND deleted_at IS NULL",
            [connection, stream],
        )[0][0]
        for kind, sql in kinds.items():
            args: list[Any] = []
            for part in params[kind]:
                args += [stream] if part == "s" else [connection, stream]
            count = warehouse.query(f"SELECT count(*) FROM ({sql}) t", args)[0][0]
            setattr(drift, kind, int(count))
            if count:
                rows = warehouse.query(
                    f"SELECT record_id FROM ({sql}) t ORDER BY record_id LIMIT {int(examples)}", args
                )
                drift.examples[kind] = [str(r[0]) for r in rows]
        if drift.in_source or drift.in_mirror:
            result.append(drift)
    return result


def _stage_drift(warehouse: Any, connection: str, other: str, examples: int) -> list[dict[str, Any]]:
    """Submissions of both connections matched by candidate email and job title whose stage differs."""
    keyed = (
        "SELECT s.record_id, s.data->>'stage' AS stage, lower(trim(c.data->>'email')) AS email, "
        "lower(trim(j.data->>'title')) AS title FROM mirror_current s "
        "JOIN mirror_current c ON c.connection = s.connection AND c.stream = 'candidates' "
        "AND c.record_id = (s.data->>'candidate_id') "
        "JOIN mirror_current j ON j.connection = s.connection AND j.stream = 'jobs' AND j.record_id = (s.data->>'job_id') "
        "WHERE s.connection = ? AND s.stream = 'submissions' AND s.deleted_at IS NULL"
    )
    rows = warehouse.query(
        f"SELECT a.record_id, a.stage, b.record_id, b.stage, a.email, a.title FROM ({keyed}) a JOIN ({keyed}) b "
        "ON a.email = b.email AND a.title = b.title WHERE a.stage IS DISTINCT FROM b.stage ORDER BY a.record_id",
        [connection, other],
    )
    return [
        {
            "submission": r[0],
            "stage": r[1],
            "other_submission": r[2],
            "other_stage": r[3],
            "candidate_email": r[4],
            "job_title": r[5],
        }
        for r in rows
    ]


def stage_reconciliation(warehouse: Any, connection: str, other: str) -> tuple[int, int]:
    """(matched submissions, of which the stages agree) between two mirrored connections."""
    keyed = (
        "SELECT s.data->>'stage' AS stage, lower(trim(c.data->>'email')) AS email, "
        "lower(trim(j.data->>'title')) AS title FROM mirror_current s "
        "JOIN mirror_current c ON c.connection = s.connection AND c.stream = 'candidates' "
        "AND c.record_id = (s.data->>'candidate_id') "
        "JOIN mirror_current j ON j.connection = s.connection AND j.stream = 'jobs' AND j.record_id = (s.data->>'job_id') "
        "WHERE s.connection = ? AND s.stream = 'submissions' AND s.deleted_at IS NULL"
    )
    [(matched, agreeing)] = warehouse.query(
        f"SELECT count(*), count(*) FILTER (WHERE a.stage = b.stage) FROM ({keyed}) a JOIN ({keyed}) b "
        "ON a.email = b.email AND a.title = b.title",
        [connection, other],
    )
    return int(matched), int(agreeing or 0)


# ------------------------------------------------------------------------------------------------- the command
def register(subparsers: Any) -> None:
    audit = subparsers.add_parser(
        "audit",
        help="check the mirror against the source system now (exit 0 consistent, 1 drift, 2 could not run)",
        description="Read the connection's streams from the source now and compare ids, cursors and content "
        "hashes with the mirror: missing, extra and changed records per stream. Exit code 0: consistent; 1: drift "
        "found; 2: the audit could not run.",
    )
    audit.add_argument("connection", help="path to the connection YAML file")
    audit.add_argument("--db", type=Path, default=None, help="the runner database ($STAFFWIRE_DB)")
    audit.add_argument(
        "--mirror", default=None, metavar="PATH_OR_URL", help="the mirror (default: the connection's)"
    )
    audit.add_argument(
        "--against",
        default=None,
        metavar="CONNECTION",
        help="also list stage drift against this mirrored connection",
    )
    audit.add_argument("--examples", type=int, default=5, help="example ids per kind of drift (default 5)")
    audit.add_argument("--json", action="store_true", help="print the audit as JSON")
    audit.set_defaults(func=_command)


def _command(args: argparse.Namespace) -> int:
    from staffwire.runner.store import default_db_path

    try:
        report = run_audit(
            args.connection,
            db=args.db or default_db_path(),
            mirror=args.mirror,
            against=args.against,
            examples=args.examples,
        )
    except StaffwireError as exc:
        if args.json:
            sys.stdout.write(json.dumps({"consistent": None, "error": exc.message}) + "\n")
        print(f"error: {exc.message}", file=sys.stderr)
        return EXIT_FAILED
    if args.json:
        sys.stdout.write(json.dumps(report.as_dict(), indent=2) + "\n")
    else:
        sys.stdout.write("\n".join(_lines(report)) + "\n")
    return EXIT_CONSISTENT if report.consistent else EXIT_DRIFT


def _lines(report: AuditReport) -> Iterator[str]:
    state = "consistent" if report.consistent else "DRIFT"
    yield f"audit of {report.connection} against {report.mirror} at {report.audited_at}: {state}"
    for s in report.streams:
        yield (
            f"  {s.stream}: {s.in_source} in the source, {s.in_mirror} in the mirror; missing {s.missing}, "
            f"extra {s.extra}, changed {s.changed}"
        )
        for kind, ids in s.examples.items():
            yield f"    {kind}: {', '.join(ids)}"
    if report.against:
        yield f"  stage drift against {report.against}: {len(report.stage_drift)} submission(s)"
        for d in report.stage_drift:
            yield (
                f"    {d['submission']} ({d['stage']}) vs {d['other_submission']} ({d['other_stage']}): "
                f"{d['candidate_email']}, {d['job_title']}"
            )
