"""``staffwire new``: scaffold a connector package."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

__all__ = ["register"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "new",
        help="create a connector package (source-<name> or destination-<name>)",
        description="Create a complete connector package with a sample stream, an API sandbox and tests.",
    )
    parser.add_argument("name", help="the connector's name, e.g. source-acme or destination-acme")
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="folder to create the package in (default: connectors/ of the repository you are in, else here)",
    )
    parser.set_defaults(func=_new)


def _new(args: argparse.Namespace) -> int:
    from staffwire.errors import ConfigError
    from staffwire.scaffold import generate

    directory = args.dir
    if directory is None:
        from staffwire.catalog import find_root

        try:
            directory = find_root() / "connectors"
        except ConfigError:
            directory = Path.cwd()
    path = generate(args.name, directory)
    package, kind = args.name.replace("-", "_"), args.name.split("-", 1)[0]
    print(f"created {path}")
    print(f"next: adapt {package}/{kind}.py and {package}/sandbox.py to the real API; run its tests with")
    print(f"  pytest {path}/tests")
    if "workspace = true" in (path / "pyproject.toml").read_text():
        print(
            "it is a workspace member: `uv sync --all-packages` installs it (console script, plugin entry point)"
        )
    return 0
