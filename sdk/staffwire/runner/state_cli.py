"""``staffwire state show|set|reset CONNECTION [--stream S]``: see and change a connection's committed state.

``CONNECTION`` is a connection file or a connection's name. ``show`` prints each stream's state (the
``stream_state`` of the STATE message the destination echoed); ``set`` replaces one stream's ``stream_state``
(JSON, ``--value`` or ``--file``); ``reset`` forgets one stream's state (``--stream``) or all of them, so the
next sync reads it from the start. Changes hold the connection's lock, so they never race a running sync.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from staffwire.errors import ConfigError

__all__ = ["register", "stream_key"]


def register(subparsers: Any) -> None:
    state = subparsers.add_parser(
        "state",
        help="show, set or reset a connection's committed state (per stream)",
        description="See and change the state a connection resumes from. CONNECTION is a connection file or a "
        "connection name.",
    )
    actions = state.add_subparsers(dest="state_command", metavar="<action>", required=True)
    for action, func, text in (
        ("show", _show, "print the committed state of every stream (or one)"),
        ("set", _set, "replace one stream's state (its stream_state, as JSON)"),
        ("reset", _reset, "forget one stream's state (--stream) or every stream's: read from the start"),
    ):
        sub = actions.add_parser(action, help=text, description=text[0].upper() + text[1:] + ".")
        sub.add_argument("connection", help="connection file or connection name")
        sub.add_argument("--stream", "-s", help="the stream ([namespace.]name)", required=action == "set")
        sub.add_argument(
            "--db",
            type=Path,
            default=None,
            help="the runner database ($STAFFWIRE_DB, default .staffwire/staffwire.db)",
        )
        if action == "show":
            sub.add_argument("--json", action="store_true", help="print JSON")
        if action == "set":
            sub.add_argument(
                "--value", dest="state", help='the stream_state as JSON, e.g. {"cursor": "2024-01-01"}'
            )
            sub.add_argument("--file", type=Path, help="read the stream_state JSON from this file")
        sub.set_defaults(func=func)


def connection_name(text: str) -> str:
    """The connection a CONNECTION argument names: a file's ``name``, else the text itself."""
    path = Path(text)
    if path.suffix in (".yaml", ".yml", ".json") or path.is_file():
        from staffwire.runner.connection import load_connection

        return load_connection(path).name
    return text


def stream_key(text: str) -> tuple[str, str]:
    """``namespace.name`` or ``name`` as the store's ``(namespace, name)`` key."""
    namespace, _, name = text.rpartition(".")
    return namespace, name


def _open(args: argparse.Namespace, must_exist: bool = True) -> Any:
    from staffwire.runner.store import StateStore, default_db_path

    path: Path = args.db or default_db_path()
    if must_exist and not path.exists():
        raise ConfigError(
            f"no runner database at {path}: no connection has run with it yet (use --db or $STAFFWIRE_DB)."
        )
    return StateStore(path)


def _label(key: tuple[str, str]) -> str:
    if key == ("", ""):
        return "(global)"
    return f"{key[0]}.{key[1]}" if key[0] else key[1]


def _stream_state(message: dict[str, Any]) -> Any:
    if message.get("type") == "GLOBAL":
        return message.get("global")
    stream = message.get("stream")
    return stream.get("stream_state") if isinstance(stream, dict) else message.get("data")


def _show(args: argparse.Namespace) -> int:
    name = connection_name(args.connection)
    store = _open(args)
    try:
        states = store.states(name)
    finally:
        store.close()
    if args.stream:
        key = stream_key(args.stream)
        if key not in states:
            known = ", ".join(sorted(_label(k) for k in states)) or "none"
            raise ConfigError(
                f"connection {name!r} has no state for stream {args.stream!r} (streams with state: {known})."
            )
        states = {key: states[key]}
    shown = {_label(k): _stream_state(v) for k, v in sorted(states.items())}
    if args.json:
        sys.stdout.write(json.dumps(shown, indent=2, sort_keys=True) + "\n")
    elif not shown:
        print(f"connection {name!r} has no committed state: its next sync reads every stream from the start.")
    else:
        for label, value in shown.items():
            print(f"{label}: {json.dumps(value, sort_keys=True)}")
    return 0


def _set(args: argparse.Namespace) -> int:
    name = connection_name(args.connection)
    if (args.state is None) == (args.file is None):
        raise ConfigError("give the new stream_state with --value JSON or --file PATH (one of them).")
    text = args.file.read_text() if args.file is not None else args.state
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"the new state for stream {args.stream!r} is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ConfigError(
            f"the new state for stream {args.stream!r} must be a JSON object, got {text.strip()!r}"
        )
    namespace, stream = stream_key(args.stream)
    descriptor: dict[str, Any] = {"name": stream}
    if namespace:
        descriptor["namespace"] = namespace
    message = {"type": "STREAM", "stream": {"stream_descriptor": descriptor, "stream_state": value}}
    store = _open(args, must_exist=False)
    try:
        with store.lock(name):
            store.set_state(name, (namespace, stream), message)
    finally:
        store.close()
    print(f"set the state of {args.stream} in connection {name!r}: {json.dumps(value, sort_keys=True)}")
    return 0


def _reset(args: argparse.Namespace) -> int:
    name = connection_name(args.connection)
    store = _open(args)
    try:
        with store.lock(name):
            if args.stream:
                found = store.set_state(name, stream_key(args.stream), None)
                text = (
                    f"reset stream {args.stream} of connection {name!r}: its next sync reads it from the start"
                    if found
                    else f"stream {args.stream} of connection {name!r} had no state; nothing to reset"
                )
            else:
                count = len(store.states(name))
                store.clear_states(name)
                text = f"reset {count} stream state(s) of connection {name!r}: its next sync reads every stream from the start"
    finally:
        store.close()
    print(text)
    return 0
