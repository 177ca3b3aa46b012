"""The runner's commands: ``staffwire sync``, ``staffwire runs`` (``runs show ID``) and ``staffwire demo``.

Registered by :mod:`staffwire.cli` through :func:`register`; heavy imports happen when a command runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from staffwire.errors import ConfigError

__all__ = ["register"]


def register(subparsers: Any) -> None:
    sync = subparsers.add_parser(
        "sync",
        help="run a connection (source -> destination) with resumable state and a run history",
        description="Run the connection described in a YAML file. State and run history are kept in an embedded "
        "SQLite file (--db, $STAFFWIRE_DB, default .staffwire/staffwire.db).",
    )
    sync.add_argument("connection", help="path to the connection YAML file")
    _db_option(sync)
    sync.add_argument("--json", action="store_true", help="print the run's outcome as JSON on stdout")
    sync.add_argument("--quiet", "-q", action="store_true", help="no progress display, only the outcome")
    sync.add_argument(
        "--reset",
        action="store_true",
        help="forget the committed states first: read every stream from the start",
    )
    sync.add_argument(
        "--dry-run",
        action="store_true",
        help="read the source from the committed state and show what would be sent per stream; write nothing",
    )
    sync.add_argument(
        "--subprocess",
        action="store_true",
        help="run installed plugin connectors as subprocesses instead of in-process",
    )
    sync.add_argument(
        "--heartbeat-timeout",
        type=_duration,
        default=None,
        metavar="DURATION",
        help="stop a connector that shows no sign of life (no line on stdout or stderr) for this long, e.g. 3h, "
        "45m, 90s (default: the connection file's heartbeat_timeout, else 3h)",
    )
    sync.add_argument(
        "--mirror",
        nargs="?",
        const=True,
        default=None,
        metavar="PATH_OR_URL",
        help="also land every record in the mirror: alone, the DuckDB file next to the run history; or a DuckDB "
        "path or a postgresql:// URL (overrides the connection file's mirror; see docs/mirror.md)",
    )
    sync.add_argument(
        "--connector-cache",
        type=Path,
        default=None,
        help="where PyPI connectors are installed ($STAFFWIRE_CONNECTOR_CACHE, "
        "default ~/.cache/staffwire/connectors)",
    )
    sync.set_defaults(func=_sync)

    runs = subparsers.add_parser(
        "runs",
        help="list past runs (staffwire runs show ID for one run's details)",
        description="The run history: status, duration, counts, errors.",
    )
    _db_option(runs)
    runs.add_argument("--json", action="store_true", help="print JSON")
    runs.add_argument("--connection", help="only runs of this connection")
    runs.add_argument("--limit", type=int, default=20, help="how many runs, newest first (default 20)")
    runs.set_defaults(func=_runs)
    runs_sub = runs.add_subparsers(dest="runs_command", metavar="[show ID]")
    show = runs_sub.add_parser("show", help="details of one run: streams, rejected records, errors")
    show.add_argument("run_id", type=int)
    _db_option(show)
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(func=_show)

    demo = subparsers.add_parser(
        "demo",
        help="Bullhorn -> Wingspan end to end against local sandboxes (no credentials, no network)",
        description="Start the Bullhorn and Wingspan sandboxes on loopback, sync placed candidates and "
        "placements into Wingspan, change a few Bullhorn records and sync again incrementally.",
    )
    demo.add_argument(
        "--db",
        type=Path,
        default=None,
        help="the runner database for the demo's state and history (default: where `staffwire runs` looks, "
        "$STAFFWIRE_DB or .staffwire/staffwire.db; the connection file goes to a demo/ folder beside it)",
    )
    demo.add_argument("--json", action="store_true", help="print the demo's outcome as JSON")
    demo.add_argument(
        "--recipe",
        choices=["client-staffing"],
        default=None,
        help="run a recipe instead: client-staffing (Greenhouse requisitions -> Bullhorn JobOrders, stages -> "
        "JobSubmission status; docs/recipes/client-staffing.md)",
    )
    demo.set_defaults(func=_demo)


def _duration(text: str) -> float:
    from staffwire.runner.heartbeat import parse_duration

    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        default=argparse.SUPPRESS,
        help="the runner database ($STAFFWIRE_DB, default .staffwire/staffwire.db)",
    )


def _db(args: argparse.Namespace) -> Path:
    from staffwire.runner.store import default_db_path

    db: Path | None = getattr(args, "db", None)
    return db or default_db_path()


def _sync(args: argparse.Namespace) -> int:
    from staffwire.runner.connection import load_connection
    from staffwire.runner.progress import make_progress
    from staffwire.runner.store import StateStore
    from staffwire.runner.sync import run_sync

    connection = load_connection(args.connection)
    store = StateStore(_db(args))
    if args.dry_run:
        from staffwire.runner.check_cli import print_dry_run
        from staffwire.runner.preflight import dry_run

        try:
            report = dry_run(
                connection, store=store, cache_dir=args.connector_cache, prefer_subprocess=args.subprocess
            )
        finally:
            store.close()
        return print_dry_run(report, args.json)
    try:
        _sigterm_interrupts()
        progress_out = sys.stderr if args.json else sys.stdout
        result = run_sync(
            connection,
            store=store,
            progress=make_progress(progress_out, quiet=args.quiet),
            cache_dir=args.connector_cache,
            prefer_subprocess=args.subprocess,
            reset=args.reset,
            heartbeat_timeout=args.heartbeat_timeout,
            mirror=args.mirror,
        )
    finally:
        store.close()
    if args.json:
        sys.stdout.write(json.dumps(result.as_dict(), indent=2) + "\n")
    elif args.quiet:
        from staffwire.runner.progress import format_summary

        sys.stdout.write("\n".join(format_summary(result)) + "\n")
    return result.exit_code


def _sigterm_interrupts() -> None:
    """SIGTERM (``kill``, a container stop) ends a sync like Ctrl-C: the run is recorded as interrupted and its work
    folder removed, instead of the process vanishing mid-write."""
    import signal
    import threading

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)


def _runs(args: argparse.Namespace) -> int:
    from staffwire.cli import print_table
    from staffwire.runner.store import StateStore

    path = _db(args)
    if not path.exists():
        raise ConfigError(
            f"no run history at {path}: no connection has run with this database yet "
            "(use --db or $STAFFWIRE_DB to point at another)."
        )
    store = StateStore(path)
    try:
        runs = store.runs(args.connection, args.limit)
    finally:
        store.close()
    if args.json:
        sys.stdout.write(json.dumps(runs, indent=2) + "\n")
        return 0
    rows = [
        (
            r["id"],
            r["connection"],
            r["status"],
            r["started_at"],
            f"{r['duration_s']:.2f}s" if r["duration_s"] is not None else None,
            r["records_read"],
            r["records_written"],
            r["records_rejected"],
            _short(r["error"]),
        )
        for r in runs
    ]
    print_table(
        "Runs",
        ["ID", "Connection", "Status", "Started", "Duration", "Read", "Written", "Rejected", "Error"],
        rows,
    )
    return 0


def _short(text: str | None, limit: int = 80) -> str | None:
    if text is None:
        return None
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _show(args: argparse.Namespace) -> int:
    from staffwire.runner.store import StateStore

    path = _db(args)
    if not path.exists():
        raise ConfigError(f"no run history at {path} (use --db or $STAFFWIRE_DB to point at another).")
    store = StateStore(path)
    try:
        detail = store.run(args.run_id)
    finally:
        store.close()
    if detail is None:
        raise ConfigError(f"there is no run {args.run_id} in {path}; `staffwire runs` lists the runs.")
    from staffwire.runner.logfile import run_log_path

    log = run_log_path(path, args.run_id)
    detail["log"] = str(log) if log.is_file() else None
    if args.json:
        sys.stdout.write(json.dumps(detail, indent=2) + "\n")
        return 0
    print_run(detail, sys.stdout, width=_terminal_width())
    return 0


def _terminal_width() -> int | None:
    import shutil

    return shutil.get_terminal_size().columns - 1 if sys.stdout.isatty() else None


def print_run(detail: dict[str, Any], out: TextIO, width: int | None = None) -> None:
    """One run's details as plain text; ``width`` (a terminal's) wraps long lines under their indentation."""
    from staffwire.cli import print_table
    from staffwire.runner.progress import wrap_lines
    from staffwire.runner.store import OUTCOMES

    def line(text: str) -> None:
        out.write((wrap_lines(text, width) if width else text) + "\n")

    duration = f"{detail['duration_s']:.2f}s" if detail.get("duration_s") is not None else "-"
    line(f"run {detail['id']} of {detail['connection']}: {detail['status']}")
    line(f"  source:      {detail['source']}\n  destination: {detail['destination']}")
    line(f"  started {detail['started_at']}, ended {detail.get('ended_at') or '-'}, took {duration}")
    if detail.get("error"):
        cause = ", ".join(p for p in (detail.get("failure_origin"), detail.get("failure_type")) if p)
        line(f"  error ({cause}): {detail['error']}")
    if detail.get("log"):
        line(f"  log: {detail['log']}")
    line("")
    # destinations that report what they did per record get its columns (records_written then excludes ignored)
    outcomes = [o for o in OUTCOMES if any(s.get(f"records_{o}") is not None for s in detail["streams"])]
    print_table(
        "Streams",
        ["Stream", "Mode", "Status", "Read", "Written", "Rejected", "States"]
        + [o.capitalize() for o in outcomes],
        [
            (
                s["stream"],
                s["sync_mode"],
                s["status"],
                s["records_read"],
                s["records_written"],
                s["records_rejected"],
                s["states_committed"],
                *("-" if s.get(f"records_{o}") is None else s[f"records_{o}"] for o in outcomes),
            )
            for s in detail["streams"]
        ],
        file=out,
    )
    changes = detail.get("record_changes") or []
    if changes:
        line(
            "\nrecord meta changes (values the source could not normalise and nulled; its raw stream keeps them):"
        )
        print_table(
            "Record meta changes",
            ["Stream", "Field", "Change", "Reason", "Records"],
            [(c["stream"], c["field"], c["change"], c["reason"], c["records"]) for c in changes],
            file=out,
        )
    rejected = detail["rejected_records"]
    if rejected:
        line(f"\nrejected records ({len(rejected)}):")
        for r in rejected[:_SHOWN_REJECTIONS]:
            line(f"  {r['stream'] or '-'} {r['record_id'] or '(no id)'}, rejected by the {r['origin']}:")
            for reason in _reasons(r):
                line(f"    - {reason}")
        if len(rejected) > _SHOWN_REJECTIONS:
            line(f"  ... and {len(rejected) - _SHOWN_REJECTIONS} more (--json lists them all)")
    if detail["errors"]:
        line("\nerrors:")
        for e in detail["errors"]:
            where = f", stream {e['stream']}" if e.get("stream") else ""
            line(f"  [{e['origin']}, {e['failure_type']}{where}] {e['message']}")


_SHOWN_REJECTIONS = 50


def _reasons(rejection: dict[str, Any]) -> list[str]:
    """One line per structured reason: its message, then rule / field / value when known; the message of the
    whole report when it has no structured reasons."""
    lines = []
    for reason in rejection.get("reasons") or []:
        if not isinstance(reason, dict):
            continue
        details = [
            f"{label} {reason[key]!r}" if key == "value" else f"{label} {reason[key]}"
            for key, label in (("rule", "rule"), ("field", "field"), ("value", "value"))
            if reason.get(key) is not None
        ]
        text = str(reason.get("message") or reason.get("rule") or "no reason given")
        lines.append(text + (f" ({', '.join(details)})" if details else ""))
    return lines or [str(rejection.get("message") or "no reason given")]


def _demo(args: argparse.Namespace) -> int:
    if args.recipe is not None:
        from staffwire.runner.demo_recipe import main as recipe_main

        return recipe_main(args.recipe, db=args.db, as_json=args.json)
    from staffwire.runner.demo import main as demo_main

    return demo_main(db=args.db, as_json=args.json)
