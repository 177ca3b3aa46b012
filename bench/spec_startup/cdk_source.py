"""A minimal airbyte-cdk source (AbstractSource, the same config fields) for the spec start-up benchmark."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from typing import Any

from airbyte_cdk.entrypoint import launch
from airbyte_cdk.models import ConnectorSpecification, SyncMode
from airbyte_cdk.sources import AbstractSource
from airbyte_cdk.sources.streams import Stream

SPEC = {
    "documentationUrl": "https://example.com/docs/source-bench",
    "connectionSpecification": {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "required": ["client_id", "client_secret", "username", "password"],
        "properties": {
            "client_id": {"type": "string", "title": "Client ID", "order": 0},
            "client_secret": {"type": "string", "airbyte_secret": True, "order": 1},
            "username": {"type": "string", "order": 2},
            "password": {"type": "string", "airbyte_secret": True, "order": 3},
            "data_center": {"type": "string", "enum": ["us", "eu", "au"], "default": "us", "order": 4},
            "start_date": {"type": "string", "order": 5},
            "page_size": {"type": "integer", "default": 500, "minimum": 1, "maximum": 500, "order": 6},
        },
    },
}


class Items(Stream):
    primary_key = "id"

    def read_records(self, sync_mode: SyncMode, **kwargs: Any) -> Iterable[Mapping[str, Any]]:
        return []


class SourceBenchCdk(AbstractSource):
    def spec(self, logger: Any) -> ConnectorSpecification:
        return (
            ConnectorSpecification.from_dict(SPEC)
            if hasattr(ConnectorSpecification, "from_dict")
            else _load()
        )

    def check_connection(self, logger: Any, config: Mapping[str, Any]) -> tuple[bool, Any]:
        return True, None

    def streams(self, config: Mapping[str, Any]) -> list[Stream]:
        return [Items()]


def _load() -> ConnectorSpecification:
    from airbyte_cdk.models import ConnectorSpecificationSerializer

    return ConnectorSpecificationSerializer.load(SPEC)


if __name__ == "__main__":
    launch(SourceBenchCdk(), sys.argv[1:])
