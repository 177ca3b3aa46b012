"""``staffwire check CONNECTION``: both connectors' ``check`` with the configs a sync would use, plus the catalog
it would configure; and the printing of ``staffwire sync --dry-run`` (:mod:`staffwire.runner.preflight`)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

__all__ = ["print_dry_run", "register"]


def register(subparsers: Any) -> None:
    check = subparsers.add_parser(
        "check",
        help="check a connection: both connectors' check and the catalog a sync would use (nothing is written)",
        description="Run spec and check of the source and the destination with the configs a sync would use, "
        "discover the source, and print the configured catalog. Exit code 0 when both checks succeed, 1 otherwise.",
    )
    check.add_argument("connection", help="path to the connection YAML file")
    check.add_argument(
        "--db",
        type=Path,
        default=None,
        help="the runner database ($STAFFWIRE_DB, default .staffwire/staffwire.db)",
    )
    check.add_argument("--json", action="store_true", help="print the outcome as JSON")
    check.set_defaults(func=_check)


def _check(args: argparse.Namespace) -> int:
    from staffwire.runner.connection import load_connection
    from staffwire.runner.preflight import check_connection
    from staffwire.runner.store import StateStore, default_db_path

    connection = load_connection(args.connection)
    store = StateStore(args.db or default_db_path())
    try:
        report = check_connection(connection, store=store)
    finally:
        store.close()
    if args.json:
        body = {
            "connection": connection.name,
            "checks": {
                role: {"connector": n, "status": s, "message": m}
                for role, (n, s, m) in report.statuses.items()
            },
            "catalog": report.catalog,
        }
        sys.stdout.write(json.dumps(body, indent=2) + "\n")
        return 0 if report.ok else 1
    from staffwire.cli import print_table

    for role, (name, status, message) in report.statuses.items():
        print(f"{role} {name}: {status}" + (f" ({message})" if message else ""))
    print_table(
        f"Catalog the sync would use ({len(report.catalog['streams'])} streams)",
        ["Stream", "Sync mode", "Destination mode", "Cursor", "Primary key"],
        [
            (
                s["stream"]["name"],
                s["sync_mode"],
                s["destination_sync_mode"],
                ".".join(s.get("cursor_field") or []) or None,
                ", ".join(".".join(p) for p in s.get("primary_key") or []) or None,
            )
            for s in report.catalog["streams"]
        ],
    )
    return 0 if report.ok else 1


def print_dry_run(report: Any, as_json: bool) -> int:
    if as_json:
        body = {
            "source": report.source,
            "streams": report.streams,
            "samples": report.samples,
            "errors": report.errors,
        }
        sys.stdout.write(json.dumps(body, indent=2) + "\n")
        return 1 if report.errors else 0
    from staffwire.cli import print_table

    print(f"dry run: nothing was written and no state was committed; {report.source} would send:")
    print_table("Records per stream", ["Stream", "Records"], sorted(report.streams.items()))
    for stream, records in sorted(report.samples.items()):
        print(f"\nfirst {len(records)} record(s) of {stream}:")
        for record in records:
            print("  " + json.dumps(record, sort_keys=True, default=str))
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    return 1 if report.errors else 0
