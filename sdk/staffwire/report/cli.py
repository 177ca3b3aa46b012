"""``staffwire report``: write the KPI page (HTML) and its figures (JSON)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from staffwire.errors import ConfigError

__all__ = ["register"]


def register(subparsers: Any) -> None:
    report = subparsers.add_parser(
        "report",
        help="the KPIs (duplicates, stage reconciliation, error resolution, funnel) as an HTML page and JSON",
        description="Compute the KPIs from the mirror and the run history and write a self-contained HTML page "
        "with charts and the same figures as JSON.",
    )
    report.add_argument(
        "--connection",
        action="append",
        default=None,
        help="a connection to report on (repeatable; default: every connection in the mirror)",
    )
    report.add_argument("--against", default=None, metavar="CONNECTION", help="the client's mirrored system")
    report.add_argument("--db", type=Path, default=None, help="the runner database ($STAFFWIRE_DB)")
    report.add_argument(
        "--mirror", default=None, metavar="PATH_OR_URL", help="the mirror (default: next to --db)"
    )
    report.add_argument(
        "--out", type=Path, default=Path("staffwire-report.html"), help="the HTML page to write"
    )
    report.add_argument(
        "--json", type=Path, default=None, metavar="PATH", help="also write the figures as JSON"
    )
    report.set_defaults(func=_command)


def _command(args: argparse.Namespace) -> int:

    from staffwire.mirror import open_warehouse
    from staffwire.mirror.schema import create_tables
    from staffwire.report import build_report, render_html
    from staffwire.runner.hub import mirror_target
    from staffwire.runner.store import StateStore, default_db_path, utc_now

    db = args.db or default_db_path()
    if not db.exists():
        raise ConfigError(
            f"no run history at {db}: run `staffwire sync CONNECTION --mirror` first (or use --db)."
        )
    target = mirror_target(args.mirror or True, db, os.environ)
    assert target is not None
    if "://" not in target and not Path(target).exists():
        raise ConfigError(
            f"no mirror at {target}: run `staffwire sync CONNECTION --mirror` first (or use --mirror)."
        )
    warehouse = open_warehouse(target)
    store = StateStore(db)
    try:
        create_tables(warehouse)
        names = args.connection or [
            r[0] for r in warehouse.query("SELECT DISTINCT connection FROM mirror_runs ORDER BY 1")
        ]
        runs = [run for name in names for run in store.runs(name, 100_000)]
        report = build_report(warehouse, runs, names, against=args.against, generated_at=utc_now())
    finally:
        store.close()
        warehouse.close()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render_html(report), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    sys.stdout.write(f"report on {', '.join(names) or 'no connection'} written to {args.out}\n")
    return 0
