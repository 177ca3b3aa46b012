"""``staffwire catalog build|check|pyairbyte``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from staffwire.errors import ConfigError

__all__ = ["find_root", "register"]


def find_root(start: Path | None = None) -> Path:
    """The repository root: the nearest directory (from ``start``, default the working directory, upwards)
    with a ``connectors/`` folder and a ``pyproject.toml``."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "connectors").is_dir() and (candidate / "pyproject.toml").is_file():
            return candidate
    raise ConfigError(
        f"No Staffwire repository found at or above {here} (looked for a connectors/ folder next to a "
        "pyproject.toml). Run the command inside the repository or pass --root."
    )


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "catalog", help="build or check catalog.json (an Airbyte registry) from the connectors' metadata"
    )
    actions = parser.add_subparsers(dest="catalog_command", metavar="<action>", required=True)
    for action, func, text in (
        ("build", _cli_build, "validate every connectors/*/metadata.yaml and write catalog.json"),
        ("check", _cli_check, "fail if catalog.json is stale or any metadata.yaml is invalid"),
        (
            "pyairbyte",
            _cli_pyairbyte,
            "write the registry in the form PyAirbyte's AIRBYTE_LOCAL_REGISTRY reads",
        ),
    ):
        sub = actions.add_parser(action, help=text, description=text[0].upper() + text[1:] + ".")
        sub.add_argument("--root", type=Path, default=None, help="repository root (default: found from here)")
        if action == "pyairbyte":
            sub.add_argument(
                "--output", "-o", type=Path, default=None, help="file to write (default: stdout)"
            )
        sub.set_defaults(func=func)


def _cli_build(args: argparse.Namespace) -> int:
    from staffwire.catalog.registry import write_catalog

    root = args.root or find_root()
    path = write_catalog(root)
    registry = json.loads(path.read_text())
    print(f"wrote {path} ({len(registry['sources'])} sources, {len(registry['destinations'])} destinations)")
    return 0


def _cli_check(args: argparse.Namespace) -> int:
    from staffwire.catalog.registry import CATALOG_FILE, check_catalog

    root = args.root or find_root()
    diff = check_catalog(root)
    if not diff:
        print(f"{root / CATALOG_FILE} is up to date")
        return 0
    sys.stdout.writelines(diff)
    print(
        f"error: {CATALOG_FILE} is stale (diff above); run `staffwire catalog build` and commit it.",
        file=sys.stderr,
    )
    return 1


def _cli_pyairbyte(args: argparse.Namespace) -> int:
    from staffwire.catalog.registry import build_catalog, pyairbyte_registry, render_catalog

    text = render_catalog(pyairbyte_registry(build_catalog(args.root or find_root())))
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text)
        print(f"wrote {args.output}")
    return 0
