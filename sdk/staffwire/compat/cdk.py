"""airbyte-cdk ``Source`` / ``Destination`` objects that run a Staffwire connector in-process.

Each call (``spec``, ``check``, ``discover``, ``read``, ``write``) writes its inputs to temporary files, runs the
Staffwire connector's own entrypoint (``launch(argv, stdin=, stdout=)``) through
:func:`staffwire.testing.conformance.run_connector` (so every line is validated against the protocol schema), and
turns the messages into airbyte-cdk models. Failures come back the airbyte-cdk way: a TRACE ERROR becomes an
``AirbyteTracedException`` with the same message and failure type.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, ClassVar

from airbyte_cdk.destinations import Destination as _CdkDestination
from airbyte_cdk.models import (
    AirbyteCatalog,
    AirbyteConnectionStatus,
    AirbyteMessage,
    AirbyteMessageSerializer,
    AirbyteStateMessage,
    AirbyteStateMessageSerializer,
    ConfiguredAirbyteCatalog,
    ConfiguredAirbyteCatalogSerializer,
    ConnectorSpecification,
    ConnectorSpecificationSerializer,
    FailureType,
    Status,
    Type,
)
from airbyte_cdk.sources import Source as _CdkSource
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from staffwire.testing.conformance import ConnectorResult, run_connector

__all__ = ["CdkDestination", "CdkSource", "as_cdk_destination", "as_cdk_source"]

ConfigHook = Callable[[dict[str, Any]], dict[str, Any]]


def _raise_for(result: ConnectorResult) -> None:
    """Raise the connector's TRACE ERROR (the last one) as an AirbyteTracedException."""
    errors = result.trace_errors
    if not errors:
        raise AirbyteTracedException(
            message=f"{result.command} exited with code {result.exit_code} without a TRACE ERROR",
            failure_type=FailureType.system_error,
        )
    error = errors[-1]
    raise AirbyteTracedException(
        message=error["message"],
        internal_message=error.get("internal_message"),
        failure_type=FailureType(error.get("failure_type") or "system_error"),
    )


class _Runner:
    staffwire_connector: ClassVar[type[Any]]
    prepare_config: ClassVar[ConfigHook | None] = None

    def _run(
        self,
        command: str,
        config: Mapping[str, Any] | None = None,
        catalog: Mapping[str, Any] | None = None,
        state: Any = None,
        stdin: bytes | None = None,
    ) -> ConnectorResult:
        if config is not None:
            hook = type(self).prepare_config
            config = hook(dict(config)) if hook else dict(config)
        return run_connector(
            self.staffwire_connector, command, config=config, catalog=catalog, state=state, stdin=stdin
        )

    def _spec(self) -> ConnectorSpecification:
        result = self._run("spec")
        if result.spec is None:
            _raise_for(result)
        return ConnectorSpecificationSerializer.load(result.spec)

    def _check(self, config: Mapping[str, Any]) -> AirbyteConnectionStatus:
        result = self._run("check", config)
        status = result.connection_status
        if status is None:
            _raise_for(result)
            raise AssertionError("unreachable")
        return AirbyteConnectionStatus(status=Status(status["status"]), message=status.get("message"))


class CdkSource(_Runner, _CdkSource):
    """An airbyte-cdk Source driving the Staffwire source class ``staffwire_connector``."""

    def spec(self, logger: logging.Logger) -> ConnectorSpecification:
        return self._spec()

    def check(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteConnectionStatus:
        return self._check(config)

    def discover(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteCatalog:
        result = self._run("discover", config)
        if result.catalog is None:
            _raise_for(result)
        message = AirbyteMessageSerializer.load({"type": "CATALOG", "catalog": result.catalog})
        assert message.catalog is not None
        return message.catalog

    def read(
        self,
        logger: logging.Logger,
        config: Mapping[str, Any],
        catalog: ConfiguredAirbyteCatalog,
        state: list[AirbyteStateMessage] | None = None,
    ) -> Iterator[AirbyteMessage]:
        state_list = [AirbyteStateMessageSerializer.dump(s) for s in state or []]
        result = self._run("read", config, ConfiguredAirbyteCatalogSerializer.dump(catalog), state_list)
        for message in result.messages:
            yield AirbyteMessageSerializer.load(message)
        if result.exit_code != 0:
            _raise_for(result)


class CdkDestination(_Runner, _CdkDestination):
    """An airbyte-cdk Destination driving the Staffwire destination class ``staffwire_connector``."""

    def spec(self, logger: logging.Logger) -> ConnectorSpecification:
        return self._spec()

    def check(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteConnectionStatus:
        return self._check(config)

    def write(
        self,
        config: Mapping[str, Any],
        configured_catalog: ConfiguredAirbyteCatalog,
        input_messages: Iterable[AirbyteMessage],
    ) -> Iterable[AirbyteMessage]:
        import orjson

        stdin = b"".join(orjson.dumps(AirbyteMessageSerializer.dump(m)) + b"\n" for m in input_messages)
        result = self._run(
            "write", config, ConfiguredAirbyteCatalogSerializer.dump(configured_catalog), stdin=stdin
        )
        for message in result.messages:
            loaded = AirbyteMessageSerializer.load(message)
            if loaded.type in (Type.STATE, Type.TRACE, Type.LOG):
                yield loaded
        if result.exit_code != 0:
            _raise_for(result)


def as_cdk_source(source: type[Any], prepare_config: ConfigHook | None = None) -> type[CdkSource]:
    """An airbyte-cdk Source class (no-argument constructor) for the Staffwire source class ``source``."""
    attrs = {
        "staffwire_connector": source,
        "prepare_config": staticmethod(prepare_config) if prepare_config else None,
    }
    return type(f"{source.__name__}Cdk", (CdkSource,), attrs)


def as_cdk_destination(
    destination: type[Any], prepare_config: ConfigHook | None = None
) -> type[CdkDestination]:
    """An airbyte-cdk Destination class (no-argument constructor) for the Staffwire destination ``destination``."""
    attrs = {
        "staffwire_connector": destination,
        "prepare_config": staticmethod(prepare_config) if prepare_config else None,
    }
    return type(f"{destination.__name__}Cdk", (CdkDestination,), attrs)
