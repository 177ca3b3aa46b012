"""The command line of every connector, and what each failure becomes on the wire.

``spec`` / ``check --config`` / ``discover --config`` / ``read --config --catalog [--state]`` (sources) /
``write --config --catalog`` (destinations, messages on stdin). :class:`Connector` is the part that
:class:`~staffwire.source.Source` and :class:`~staffwire.destination.Destination` share: the config model, the
spec, config/catalog loading with messages a person can act on, per-run secrets and logging, and :meth:`launch`.

Failure mapping (the protocol's rules):

* ``check``: a config problem (unreadable or invalid config, :class:`ConfigError` or :class:`TransientError`
  from ``check``) -> one CONNECTION_STATUS FAILED with the message, exit 0. A connector bug -> TRACE ERROR, exit 1.
* every other command: :class:`StaffwireError` -> TRACE ERROR with its ``failure_type``; any other exception ->
  ``system_error`` naming the connector and command; exit 1. The stack goes in ``stack_trace``, never in
  ``message``; everything is masked.

A run keeps no process-global state: the secret masker, the output and the log routing belong to the run, so the
runner may drive several connectors in one process (threads and pipes) through ``launch(argv, stdin=, stdout=)``.
"""

from __future__ import annotations

import argparse
import gc
import logging
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, ClassVar, Generic, NoReturn, TypeVar

import orjson

from staffwire import logs
from staffwire.errors import ConfigError, InternalError, StaffwireError, TransientError
from staffwire.protocol import Output, ProtocolError, dumps, from_dict, json_type
from staffwire.secrets import SecretMasker, secrets_in_config

if TYPE_CHECKING:
    from airbyte_protocol_dataclasses.models import ConfiguredAirbyteCatalog
    from pydantic import BaseModel

__all__ = ["Connector", "RunContext", "error_trace"]

ConfigT = TypeVar("ConfigT", bound="BaseModel")


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as ConfigError instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise ConfigError(
            f"{self.prog}: {message}. Run '{self.prog} --help' for the commands and their options."
        )


class RunContext:
    """What belongs to one run: the output, the parsed arguments, the command."""

    def __init__(self, output: Output, args: argparse.Namespace, stdin: IO[bytes] | None) -> None:
        self.output = output
        self.args = args
        self.command: str = args.command
        self.stdin = stdin


def error_trace(
    message: str,
    *,
    failure_type: str,
    internal_message: str | None = None,
    stack_trace: str | None = None,
    stream: str | None = None,
    namespace: str | None = None,
) -> dict[str, Any]:
    """A TRACE ERROR message as a wire dict."""
    error: dict[str, Any] = {"message": message, "failure_type": failure_type}
    if internal_message:
        error["internal_message"] = internal_message
    if stack_trace:
        error["stack_trace"] = stack_trace
    if stream:
        descriptor: dict[str, Any] = {"name": stream}
        if namespace is not None:
            descriptor["namespace"] = namespace
        error["stream_descriptor"] = descriptor
    return {"type": "TRACE", "trace": {"type": "ERROR", "emitted_at": time.time() * 1000, "error": error}}


def exception_trace(
    exc: BaseException,
    *,
    connector: str,
    command: str,
    stream: str | None = None,
    namespace: str | None = None,
) -> dict[str, Any]:
    """The TRACE ERROR for an exception: typed errors keep their message and failure type; anything else is a
    ``system_error`` whose message names the connector, the command and the stream."""
    stack = logs.format_stack(exc)
    if isinstance(exc, StaffwireError):
        return error_trace(
            exc.message,
            failure_type=exc.failure_type.value,
            internal_message=exc.internal_message or (f"{exc.request}" if exc.request else None),
            stack_trace=stack,
            stream=stream or exc.stream,
            namespace=namespace,
        )
    where = f"{connector} {command}" + (f" of stream '{stream}'" if stream else "")
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return error_trace(
        f"{where} failed with an unexpected error ({detail}). This is a bug in {connector}: "
        "report it with the logs of this run.",
        failure_type="system_error",
        internal_message=repr(exc),
        stack_trace=stack,
        stream=stream,
        namespace=namespace,
    )


class Connector(Generic[ConfigT]):
    """What sources and destinations share. Subclasses set ``name``, ``config_model`` and
    ``documentation_url`` and implement :meth:`check`."""

    name: ClassVar[str] = ""
    config_model: ClassVar[type[Any]]
    documentation_url: ClassVar[str | None] = None
    commands: ClassVar[tuple[str, ...]] = ("spec", "check")

    def __init__(self) -> None:
        self.secrets = SecretMasker()
        self._long_fields: list[tuple[str, int]] = []
        self.logger = logging.getLogger(f"staffwire.connector.{self.name or type(self).__name__}")
        self._output: Output | None = None

    # ------------------------------------------------------------------ what connectors implement
    def check(self, config: ConfigT) -> None:
        """Verify the config works (credentials, reachability). Raise ConfigError / TransientError to fail."""

    def preflight(self, config: ConfigT) -> None:
        """Checks the framework makes before ``check`` and before running (e.g. that files it writes can be
        written). Raise ConfigError."""

    # ------------------------------------------------------------------ spec
    def spec(self) -> dict[str, Any]:
        """The ConnectorSpecification as a wire dict."""
        from staffwire.spec import specification

        return specification(
            self.config_model, documentation_url=self.documentation_url, **self._spec_extras()
        )

    def _spec_extras(self) -> dict[str, Any]:
        return {}

    # ------------------------------------------------------------------ config and catalog
    def config_from_dict(self, raw: Mapping[str, Any]) -> ConfigT:
        """Validate a config dict against the config model; registers its secrets first."""
        self._register_spec_secrets(raw)
        self._long_fields = _long_strings(raw)
        from pydantic import ValidationError

        try:
            config = self.config_model.model_validate(dict(raw))
        except ValidationError as exc:
            raise ConfigError(_describe_validation_error(exc)) from None
        self._register_model_secrets(config)
        return config  # type: ignore[no-any-return,unused-ignore]

    def load_config(self, path: str | None) -> ConfigT:
        if not path:
            raise ConfigError(
                f"{self.name}: this command needs --config PATH (a JSON file with the connector's config)."
            )
        raw = _read_json(path, "config file")
        if not isinstance(raw, dict):
            raise ConfigError(
                f"the config file {path} must hold a JSON object; found a JSON {json_type(raw)}."
            )
        return self.config_from_dict(raw)

    def load_catalog(self, path: str | None) -> ConfiguredAirbyteCatalog:
        from airbyte_protocol_dataclasses.models import ConfiguredAirbyteCatalog

        if not path:
            raise ConfigError(
                f"{self.name}: this command needs --catalog PATH (a configured catalog JSON file)."
            )
        raw = _read_json(path, "catalog file")
        try:
            return from_dict(ConfiguredAirbyteCatalog, raw, "catalog")
        except ProtocolError as exc:
            raise ConfigError(f"the catalog file {path} is not a valid configured catalog: {exc}.") from None

    def _register_spec_secrets(self, config: Mapping[str, Any]) -> None:
        """Register the values of ``config`` at the spec's airbyte_secret paths with :attr:`secrets`."""
        try:
            schema = self.spec()["connectionSpecification"]
            for value in secrets_in_config(schema, config):
                self.secrets.add(value)
        except Exception:  # a broken spec is reported by `spec`; the caller goes on
            self.logger.debug("could not derive secret paths from the spec", exc_info=True)

    def _register_model_secrets(self, model: Any) -> None:
        from pydantic import BaseModel, SecretBytes, SecretStr

        if isinstance(model, SecretStr | SecretBytes):
            self.secrets.add(
                str(model.get_secret_value())
                if isinstance(model, SecretStr)
                else model.get_secret_value().decode("utf-8", "replace")
            )
        elif isinstance(model, BaseModel):
            for name in type(model).model_fields:
                self._register_model_secrets(getattr(model, name, None))
        elif isinstance(model, list | tuple):
            for item in model:
                self._register_model_secrets(item)
        elif isinstance(model, dict):
            for item in model.values():
                self._register_model_secrets(item)

    # ------------------------------------------------------------------ output helpers
    @property
    def output(self) -> Output:
        if self._output is None:
            raise InternalError(f"{self.name}: no run is active (call launch())")
        return self._output

    def emit_config(self, new_config: Any) -> None:
        """Emit a CONTROL connectorConfig message so the platform persists ``new_config`` (e.g. a rotated refresh
        token). This is the one message written unmasked: the platform needs the real secret values to store them.
        Its secret values are registered with :attr:`secrets`, so they stay masked everywhere else."""
        config = _reveal(new_config)
        self._register_model_secrets(new_config)
        self._register_spec_secrets(config)
        self.output.unmasked_message(
            {
                "type": "CONTROL",
                "control": {
                    "type": "CONNECTOR_CONFIG",
                    "emitted_at": time.time() * 1000,
                    "connectorConfig": {"config": config},
                },
            }
        )

    # ------------------------------------------------------------------ running
    @classmethod
    def launch(
        cls,
        argv: Sequence[str] | None = None,
        *,
        stdin: IO[bytes] | None = None,
        stdout: IO[bytes] | None = None,
    ) -> int:
        """Run one command and return its exit code. ``argv`` excludes the program name.

        Called with no ``argv`` (a console script), it reads ``sys.argv`` and exits the process with the code.
        ``stdin``/``stdout`` are binary streams (default: the process's own).
        """
        if argv is not None:
            return cls().run(list(argv), stdin=stdin, stdout=stdout)
        # The process is this one run. Everything built so far (the imported modules, their classes and
        # constants: hundreds of thousands of objects) lives until exit, yet every full garbage collection
        # during a read would walk it again; a read allocates a container per record and field, so those
        # collections come often. Freezing moves these objects out of the collector's view (objects made
        # during the run are collected as before; cyclic garbage made before it waits until the run ends).
        gc.freeze()
        try:
            code = cls().run(sys.argv[1:], stdin=stdin, stdout=stdout)
        finally:
            gc.unfreeze()
        sys.exit(code)

    def run(
        self, argv: Sequence[str], *, stdin: IO[bytes] | None = None, stdout: IO[bytes] | None = None
    ) -> int:
        # self.secrets is kept (not replaced): objects built in __init__ may already hold it. A connector object
        # serves one run; launch() makes a new one each time.
        output = Output(stdout, self.secrets)
        self._output = output
        debug = "--debug" in argv
        try:
            with logs.capture(output, logging.DEBUG if debug else logging.INFO):
                try:
                    args = self._parser().parse_args(list(argv))
                except SystemExit as exc:  # --help / --version
                    return int(exc.code or 0) if not isinstance(exc.code, str) else 1
                except ConfigError as exc:  # a usage error: the message says it all, no stack needed
                    output.message(error_trace(exc.message, failure_type=exc.failure_type.value))
                    return 1
                context = RunContext(output, args, stdin)
                if args.command == "check":
                    return self._check(context)
                try:
                    return self._dispatch(context)
                except Exception as exc:
                    try:
                        output.message(exception_trace(exc, connector=self.name, command=args.command))
                    except BrokenPipeError:
                        pass  # the reader hung up (the runner stopped reading after the other side failed)
                    except Exception as broken:  # stdout is gone otherwise: nowhere else to say it
                        logs.stderr(
                            self.secrets.mask(f"{self.name}: {exc!r}; could not write to stdout: {broken!r}")
                        )
                    return 1
        finally:
            try:
                output.flush()
            except BrokenPipeError:
                pass  # the reader hung up: it knows, and nobody else is listening
            except Exception as exc:  # stdout closed under us: nothing left to tell anyone
                logs.stderr(self.secrets.mask(f"{self.name}: could not write to stdout: {exc}"))
            self._output = None

    def _parser(self) -> argparse.ArgumentParser:
        parser = _Parser(
            prog=self.name or type(self).__name__, description=f"{self.name}: an Airbyte-protocol connector"
        )
        parser.add_argument("--debug", action="store_true", help="log at DEBUG level")
        sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
        sub.required = True
        for command in self.commands:
            p = sub.add_parser(command, help=_HELP.get(command, command))
            p.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
            if command != "spec":
                p.add_argument("--config", required=True, metavar="PATH", help="JSON config file")
            if command in ("read", "write"):
                p.add_argument(
                    "--catalog", required=True, metavar="PATH", help="configured catalog JSON file"
                )
            if command == "read":
                p.add_argument("--state", metavar="PATH", help="JSON list of per-stream state messages")
        return parser

    def _check(self, context: RunContext) -> int:
        output = context.output
        try:
            config = self.load_config(context.args.config)
            self.preflight(config)
            self.check(config)
        except (ConfigError, TransientError) as exc:
            output.message(_status("FAILED", self._with_long_fields(exc)))
            return 0
        except Exception as exc:
            output.message(exception_trace(exc, connector=self.name, command="check"))
            return 1
        output.message(_status("SUCCEEDED"))
        return 0

    def _with_long_fields(self, exc: StaffwireError) -> str:
        """A request refused as too large (HTTP 414/431) names the config fields that are far too long."""
        if exc.status not in (414, 431) or not self._long_fields:
            return exc.message
        named = ", ".join(f"'{path}' ({length:,} characters)" for path, length in self._long_fields)
        return f"{exc.message} Far too long for any API: config field {named}."

    def _dispatch(self, context: RunContext) -> int:
        if context.command == "spec":
            context.output.message({"type": "SPEC", "spec": self.spec()})
            return 0
        raise InternalError(f"{self.name}: command {context.command!r} is not implemented")


_HELP = {
    "spec": "print the connector specification",
    "check": "check the config can connect",
    "discover": "print the catalog of streams",
    "read": "read the selected streams",
    "write": "write the messages on stdin",
}


def _status(status: str, message: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"status": status}
    if message:
        body["message"] = message
    return {"type": "CONNECTION_STATUS", "connectionStatus": body}


def _read_json(path: str, what: str) -> Any:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            f"cannot read the {what} {path}: no such file. Check the path and run again."
        ) from None
    except IsADirectoryError:
        raise ConfigError(
            f"cannot read the {what} {path}: it is a directory. Pass the path of a JSON file."
        ) from None
    except OSError as exc:
        raise ConfigError(
            f"cannot read the {what} {path}: {exc.strerror or exc}. Check the path and its permissions."
        ) from None
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise ConfigError(
            f"the {what} {path} is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}). "
            "Fix the file and run again."
        ) from None


def read_state_file(path: str | None) -> Any:
    """The decoded ``--state`` file; ``None`` when no path was given or the file does not exist (a first run)."""
    if not path:
        return None
    if not Path(path).exists():
        logging.getLogger("staffwire.state").warning(
            "state file %s does not exist: starting without state", path
        )
        return None
    if not Path(path).read_bytes().strip():
        return None
    return _read_json(path, "state file")


def _describe_validation_error(exc: Any) -> str:
    parts: list[str] = []
    for error in exc.errors(include_url=False, include_input=False):
        loc = ".".join(str(p) for p in error.get("loc", ())) or "(root)"
        kind = error.get("type")
        if kind == "missing":
            parts.append(f"config field '{loc}' is required")
        elif kind == "extra_forbidden":
            parts.append(f"config field '{loc}' is not a field of this connector")
        else:
            message = str(error.get("msg", ""))
            if kind == "value_error":  # our own validators already say which field and what to do
                message = message.removeprefix("Value error, ")
                if message.startswith(f"config field '{loc}'"):
                    parts.append(message)
                    continue
            parts.append(f"config field '{loc}' is invalid: {message}")
    return "; ".join(parts)


_LONG = 4096  # characters: longer than any token, id or name an API takes in a URL or a header


def _long_strings(node: Any, path: str = "") -> list[tuple[str, int]]:
    """The config's string values longer than :data:`_LONG`, as (dotted path, length)."""
    if isinstance(node, str):
        return [(path, len(node))] if len(node) > _LONG else []
    if isinstance(node, Mapping):
        return [f for k, v in node.items() for f in _long_strings(v, f"{path}.{k}" if path else str(k))]
    if isinstance(node, list | tuple):
        return [f for i, v in enumerate(node) for f in _long_strings(v, f"{path}[{i}]")]
    return []


def _reveal(value: Any) -> Any:
    """A config (model or dict) as plain JSON data with secret values in clear."""
    if hasattr(value, "get_secret_value"):
        secret = value.get_secret_value()
        return secret.decode("utf-8", "replace") if isinstance(secret, bytes) else secret
    if hasattr(value, "model_dump"):
        return _reveal(value.model_dump(by_alias=True))
    if isinstance(value, Mapping):
        return {k: _reveal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_reveal(v) for v in value]
    return (
        orjson.loads(dumps(value)) if not isinstance(value, str | int | float | bool | type(None)) else value
    )
