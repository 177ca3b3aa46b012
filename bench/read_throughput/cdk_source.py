"""The same read as an airbyte-cdk source: ``HttpStream`` + ``AbstractSource`` run by airbyte-cdk's entrypoint,
written the way the CDK's tutorial writes one, except that each page's JSON is parsed once (the tutorial calls
``response.json()`` in both ``next_page_token`` and ``parse_response``): the anchor should not be handicapped."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from typing import Any

import requests
from airbyte_cdk.entrypoint import launch
from airbyte_cdk.models import ConnectorSpecification
from airbyte_cdk.sources import AbstractSource
from airbyte_cdk.sources.streams import Stream
from airbyte_cdk.sources.streams.http import HttpStream


class Candidates(HttpStream):
    primary_key = "id"

    def __init__(self, config: Mapping[str, Any]) -> None:
        super().__init__()
        self._url = config["url"].rstrip("/") + "/"
        self._size = int(config.get("page_size", 500))

    @property
    def url_base(self) -> str:
        return self._url

    @property
    def name(self) -> str:
        return "candidates"

    def path(self, **kwargs: Any) -> str:
        return "candidates"

    def _body(self, response: requests.Response) -> Any:
        cached = getattr(response, "_bench_body", None)
        if cached is None:
            cached = response.json()
            response._bench_body = cached  # type: ignore[attr-defined]
        return cached

    def next_page_token(self, response: requests.Response) -> Mapping[str, Any] | None:
        body = self._body(response)
        nxt = body["start"] + body["count"]
        return {"start": nxt} if body["count"] and nxt < body["total"] else None

    def request_params(
        self,
        stream_state: Any = None,
        stream_slice: Any = None,
        next_page_token: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        return {"start": (next_page_token or {}).get("start", 0), "count": self._size}

    def parse_response(self, response: requests.Response, **kwargs: Any) -> Iterable[Mapping[str, Any]]:
        yield from self._body(response)["data"]

    def get_json_schema(self) -> Mapping[str, Any]:
        return {"type": "object", "properties": {}, "additionalProperties": True}


class SourceBenchCdk(AbstractSource):
    def spec(self, logger: Any) -> ConnectorSpecification:
        return ConnectorSpecification(
            connectionSpecification={
                "type": "object",
                "properties": {"url": {"type": "string"}, "page_size": {"type": "integer"}},
            }
        )

    def check_connection(self, logger: Any, config: Mapping[str, Any]) -> tuple[bool, Any]:
        return True, None

    def streams(self, config: Mapping[str, Any]) -> list[Stream]:
        return [Candidates(config)]


if __name__ == "__main__":
    launch(SourceBenchCdk(), sys.argv[1:])
