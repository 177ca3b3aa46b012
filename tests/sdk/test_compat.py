"""The airbyte-cdk adapters drive Staffwire connectors with airbyte-cdk models in and out."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from airbyte_cdk.models import (
    AirbyteMessage,
    AirbyteMessageSerializer,
    AirbyteStateMessageSerializer,
    ConfiguredAirbyteCatalogSerializer,
    FailureType,
    Status,
    Type,
)
from airbyte_cdk.utils.traced_exception import AirbyteTracedException
from destination_example import DestinationExample
from sdk_support import configured_catalog
from source_example import SourceExample
from staffwire.compat import as_cdk_destination, as_cdk_source

LOGGER = logging.getLogger("test")


def test_the_source_adapter_reads_with_state_and_yields_cdk_messages(config: dict[str, Any]) -> None:
    source = as_cdk_source(SourceExample)()
    catalog = ConfiguredAirbyteCatalogSerializer.load(configured_catalog("items", mode="incremental"))
    state = [
        AirbyteStateMessageSerializer.load(
            {
                "type": "STREAM",
                "stream": {"stream_descriptor": {"name": "items"}, "stream_state": {"updated_at": 1003}},
            }
        )
    ]
    messages = list(source.read(LOGGER, config, catalog, state))
    assert [m.record.data["id"] for m in messages if m.type == Type.RECORD and m.record] == [4, 5]
    assert all(isinstance(m, AirbyteMessage) for m in messages)


def test_the_source_adapter_raises_the_connectors_trace_error(config: dict[str, Any]) -> None:
    source = as_cdk_source(SourceExample)()
    catalog = ConfiguredAirbyteCatalogSerializer.load(configured_catalog("nope"))
    with pytest.raises(AirbyteTracedException) as caught:
        list(source.read(LOGGER, config, catalog, []))
    assert caught.value.failure_type == FailureType.config_error
    assert caught.value.message is not None and caught.value.message.startswith(
        "the catalog selects stream 'nope'"
    )


def test_the_source_adapter_applies_prepare_config(sandbox: Any) -> None:
    source = as_cdk_source(SourceExample, lambda c: {**c, "api_url": sandbox.url})()
    status = source.check(LOGGER, {"api_key": "example-key-0123456789", "api_url": "http://127.0.0.1:9"})
    assert status.status == Status.SUCCEEDED


def test_the_destination_adapter_writes_and_echoes_states(tmp_path: Path) -> None:
    destination = as_cdk_destination(DestinationExample)()
    config = {"path": str(tmp_path / "out.jsonl"), "api_token": "dest-token-0123456789"}
    catalog = ConfiguredAirbyteCatalogSerializer.load(configured_catalog("a"))
    messages = [
        AirbyteMessageSerializer.load(
            {"type": "RECORD", "record": {"stream": "a", "data": {"id": 1}, "emitted_at": 1}}
        ),
        AirbyteMessageSerializer.load(
            {
                "type": "STATE",
                "state": {
                    "type": "STREAM",
                    "stream": {"stream_descriptor": {"name": "a"}, "stream_state": {"c": 1}},
                },
            }
        ),
    ]
    out = list(destination.write(config, catalog, messages))
    states = [m.state for m in out if m.type == Type.STATE and m.state]
    assert len(states) == 1
    assert states[0].destinationStats is not None and states[0].destinationStats.recordCount == 1.0
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 1
