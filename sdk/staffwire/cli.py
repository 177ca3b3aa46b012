"""The ``staffwire`` command.

Subcommands live in the modules listed in :data:`COMMAND_MODULES`; each exposes ``register(subparsers)`` which adds
its parsers and sets ``func`` (``(argparse.Namespace) -> int``, the exit code) as a default. Registration imports
only those small modules, so ``staffwire --help`` stays fast; a command imports what it needs when it runs.
A command module that is not installed (e.g. the runner in a slim install) is skipped.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

__all__ = ["COMMAND_MODULES", "build_parser", "main", "print_table"]

#: Modules that contribute subcommands, in help order.
COMMAND_MODULES: tuple[str, ...] = (
    "staffwire.plugins.cli",  # connectors, sandbox
    "staffwire.scaffold.cli",  # new
    "staffwire.catalog",  # catalog
    "staffwire.runner.cli",  # sync, runs, demo (the runner)
    "staffwire.runner.state_cli",  # state show|set|reset
    "staffwire.runner.check_cli",  # check CONNECTION
    "staffwire.audit",  # audit (the mirror against the source)
    "staffwire.report.cli",  # report (KPIs from the mirror and the run history)
)


def _load_command_module(name: str) -> Any | None:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        # Only "this optional part is absent" is skipped; a missing dependency *inside* it is a real error.
        if exc.name is not None and (name == exc.name or name.startswith(exc.name + ".")):
            return None
        raise


def build_parser(modules: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="staffwire",
        description="Staffwire: staffing and recruiting connectors that speak the Airbyte protocol.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    subparsers = parser.add_subparsers(dest="command", metavar="<command>")
    for name in modules:
        module = _load_command_module(name)
        register: Callable[[Any], None] | None = getattr(module, "register", None)
        if register is not None:
            register(subparsers)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("staffwire")
    except PackageNotFoundError:  # running from a source tree
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit code (the console script exits with it)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    from staffwire.errors import StaffwireError

    try:
        return int(func(args) or 0)
    except StaffwireError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


# ----------------------------------------------------------------------------------------------- output helpers
def print_table(
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    as_json: bool = False,
    file: TextIO | None = None,
) -> None:
    """Print rows as a rich table on a terminal, aligned plain text otherwise, or a JSON list of objects
    (keys: the lower-cased column names) with ``as_json``. ``None`` shows as ``-`` (``null`` in JSON)."""
    out = file or sys.stdout
    if as_json:
        keys = [c.lower() for c in columns]
        out.write(json.dumps([dict(zip(keys, row, strict=True)) for row in rows], indent=2) + "\n")
        return
    cells = [["-" if v is None else str(v) for v in row] for row in rows]
    if out.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title)
        for column in columns:
            table.add_column(column)
        for row in cells:
            table.add_row(*row)
        Console(file=out).print(table)
        return
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    for row in [list(columns), *cells]:
        out.write("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() + "\n")


def warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    run()
