"""A tiny example source (and its API emulator) that the SDK tests and airbyte-cdk's standard suite run against.

The "Example API" pages ``GET /items`` (incremental on ``updated_at``) and ``GET /people`` (full refresh) with
``?page=&per_page=``, behind ``Authorization: Bearer <api_key>``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import requests
from pydantic import BaseModel, Field, SecretStr
from staffwire.errors import ConfigError, TransientError
from staffwire.source import Source
from staffwire.state import Checkpoint
from staffwire.streams import Stream, SyncMode
from staffwire.testing.sandbox import HttpError, Request, Response, Sandbox, json_response, route

API_KEY = "example-key-0123456789"


class ExampleSandbox(Sandbox):
    name = "example"

    def __init__(self, *, items: int = 5, people: int = 3, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.api_key = API_KEY
        self.items = [{"id": i, "name": f"item {i}", "updated_at": 1000 + i} for i in range(1, items + 1)]
        self.people = [{"id": f"p{i}", "email": f"p{i}@example.com"} for i in range(1, people + 1)]

    def before_request(self, request: Request) -> Response | None:
        if request.header("authorization") != f"Bearer {self.api_key}":
            return json_response({"error": "invalid api key"}, 401)
        return None

    def _page(self, request: Request, rows: list[dict[str, Any]]) -> Response:
        page = request.int_arg("page", 1)
        per_page = request.int_arg("per_page", 2)
        if per_page < 1:
            raise HttpError(400, {"error": "per_page must be positive"})
        chunk = rows[(page - 1) * per_page : page * per_page]
        more = page * per_page < len(rows)
        return json_response({"data": chunk, "next_page": page + 1 if more else None})

    @route("GET", "/items")
    def list_items(self, request: Request) -> Response:
        since = request.int_arg("since", 0)
        return self._page(request, [r for r in self.items if r["updated_at"] > since])

    @route("GET", "/people")
    def list_people(self, request: Request) -> Response:
        return self._page(request, self.people)


class ExampleConfig(BaseModel):
    api_key: SecretStr = Field(title="API key", description="Key of the Example API account.")
    api_url: str = Field(
        "https://api.example.com", title="API URL", description="Base URL of the Example API."
    )
    page_size: int = Field(2, title="Page size", description="Records per page.", ge=1)


class _ExampleStream(Stream):
    path = ""

    def __init__(self, config: ExampleConfig) -> None:
        self.config = config
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {config.api_key.get_secret_value()}"

    def get(self, params: Mapping[str, Any]) -> dict[str, Any]:
        url = self.config.api_url.rstrip("/") + self.path
        try:
            response = self.session.get(url, params=dict(params), timeout=5)
        except requests.RequestException as exc:
            raise TransientError(
                f"Example API could not be reached for stream '{self.name}' (GET {self.path}): {exc}",
                stream=self.name,
                request=f"GET {self.path}",
            ) from None
        if response.status_code == 401:
            raise ConfigError(
                f"Example API rejected the api_key (401 on GET {self.path}); check the api_key in the config.",
                stream=self.name,
            )
        if response.status_code >= 400:
            raise TransientError(
                f"Example API answered {response.status_code} on GET {self.path} for stream '{self.name}': "
                f"{response.text[:200]}",
                stream=self.name,
            )
        data: dict[str, Any] = response.json()
        return data

    def pages(self, params: Mapping[str, Any]) -> Iterator[list[dict[str, Any]]]:
        page: int | None = 1
        while page:
            body = self.get({**params, "page": page, "per_page": self.config.page_size})
            yield body["data"]
            page = body["next_page"]


class Items(_ExampleStream):
    name = "items"
    path = "/items"
    cursor_field = ["updated_at"]

    def get_json_schema(self) -> dict[str, Any]:
        return {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "updated_at": {"type": "integer"},
            },
        }

    def read(self, sync_mode: SyncMode, state: Mapping[str, Any] | None) -> Iterator[Any]:
        cursor = int((state or {}).get("updated_at", 0))
        for page in self.pages({"since": cursor}):
            yield page
            cursor = max([cursor, *(r["updated_at"] for r in page)])
            yield Checkpoint({"updated_at": cursor})


class People(_ExampleStream):
    name = "people"
    path = "/people"

    def get_json_schema(self) -> dict[str, Any]:
        return {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "type": "object",
            "properties": {"id": {"type": "string"}, "email": {"type": "string"}},
        }

    def read(self, sync_mode: SyncMode, state: Mapping[str, Any] | None) -> Iterator[Any]:
        yield from self.pages({})


class SourceExample(Source[ExampleConfig]):
    name = "source-example"
    config_model = ExampleConfig
    documentation_url = "https://example.com/docs/source-example"

    def check(self, config: ExampleConfig) -> None:
        Items(config).get({"per_page": 1})

    def streams(self, config: ExampleConfig) -> list[Stream]:
        return [Items(config), People(config)]
