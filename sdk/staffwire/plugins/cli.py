"""``staffwire connectors`` and ``staffwire sandbox list|run``: what the installed plugins provide."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["register"]


def register(subparsers: Any) -> None:
    connectors = subparsers.add_parser(
        "connectors", help="list the installed connectors", description="List the installed connectors."
    )
    connectors.add_argument("--json", action="store_true", help="print JSON instead of a table")
    connectors.set_defaults(func=_connectors)

    sandbox = subparsers.add_parser(
        "sandbox", help="list or run the API emulators (sandboxes) of the plugins"
    )
    actions = sandbox.add_subparsers(dest="sandbox_command", metavar="<action>", required=True)
    listing = actions.add_parser("list", help="list the available sandboxes")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(func=_sandbox_list)
    run = actions.add_parser(
        "run", help="serve a sandbox in the foreground", description="Serve a system's emulator until Ctrl-C."
    )
    run.add_argument("system", help="the system name, e.g. bullhorn (see `staffwire sandbox list`)")
    run.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: %(default)s)")
    run.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    run.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="KIND[@PATH][,OPTION=VALUE...]",
        help="switch on a fault (repeatable), e.g. rate-limit@/oauth,times=2,retry-after=1 or "
        "truncate@/token,times=forever or expire-tokens,uses=2; kinds: rate-limit, server-error, drop, "
        "drop-after-write, slow, truncate, html, short-pages, expire-tokens (docs/testing.md)",
    )
    run.add_argument("--size", type=int, metavar="N", help="seed N main records (e.g. candidates)")
    run.set_defaults(func=_sandbox_run)


def _report_problems(pm: Any) -> None:
    from staffwire.cli import warn

    for problem in pm.problems:
        warn(problem)


def _connectors(args: argparse.Namespace) -> int:
    from staffwire.cli import print_table
    from staffwire.plugins import get_plugin_manager

    pm = get_plugin_manager()
    infos = pm.connectors()
    rows = [(i.name, i.type, i.version, i.package) for i in infos]
    print_table("Installed connectors", ("NAME", "TYPE", "VERSION", "PACKAGE"), rows, as_json=args.json)
    _report_problems(pm)
    return 0


def _sandbox_list(args: argparse.Namespace) -> int:
    from staffwire.cli import print_table
    from staffwire.plugins import get_plugin_manager

    pm = get_plugin_manager()
    rows = [(system, f"{cls.__module__}.{cls.__qualname__}") for system, cls in pm.sandboxes().items()]
    print_table("Sandboxes", ("SYSTEM", "CLASS"), rows, as_json=args.json)
    _report_problems(pm)
    return 0


def _sandbox_run(args: argparse.Namespace) -> int:
    from staffwire.plugins import find_sandbox, get_plugin_manager

    pm = get_plugin_manager()
    cls = find_sandbox(args.system, pm)
    _report_problems(pm)
    from staffwire.errors import ConfigError
    from staffwire.testing.faults import FaultSpecError

    sized: dict[str, Any] = {}
    if args.size is not None:
        if args.size < 0:
            raise ConfigError(f"--size must be 0 or more, not {args.size}.")
        found = getattr(cls, "size_kwargs", lambda _size: None)(args.size)
        if found is None:
            raise ConfigError(f"the {args.system} sandbox has no size option; run it without --size.")
        sized = found
    try:
        cls(host=args.host, port=args.port, **sized).serve_forever(faults=args.fault)
    except FaultSpecError as exc:
        raise ConfigError(f"--fault: {exc}.") from None
    return 0
