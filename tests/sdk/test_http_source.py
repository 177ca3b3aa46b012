"""HttpSource over real HTTP on loopback: the spec of its config, the default check (first page of the first
stream) and its failures, streams built with the client and start_date, and an authenticator override."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, ClassVar

import pytest
from pydantic import Field
from staffwire.auth import ApiKeyAuth, Auth
from staffwire.errors import ConfigError, TransientError
from staffwire.http import AuthenticationError, HttpStream, RetryPolicy, ServerError
from staffwire.http_source import ApiUrl, HttpSource, HttpSourceConfig
from staffwire.paginate import OffsetPaginator
from staffwire.state import to_iso
from staffwire.testing.conformance import ConnectorResult, assert_conformant, assert_no_secrets, run_connector
from staffwire.testing.sandbox import Request, Response, Sandbox, json_response, route

TOKEN = "tok-3f9a7c1e5b"
WRONG = "wrong-token-8d2e"
STAMPS = [f"2024-03-0{day}T09:00:00Z" for day in range(1, 6)]


class ShopSandbox(Sandbox):
    """Five people (offset paging, oldest change first) and two teams (one page), behind a bearer token."""

    name = "shop"

    def __init__(self) -> None:
        super().__init__()
        self.people = [{"id": n, "updated_at": STAMPS[n - 1]} for n in range(1, 6)]

    def before_request(self, request: Request) -> Response | None:
        if request.header("authorization") != f"Bearer {TOKEN}" and request.header("x-shop-key") != TOKEN:
            return json_response({"error": "invalid token"}, 401)
        return None

    @route("GET", "/v2/people")
    def people_page(self, request: Request) -> Response:
        offset, limit = request.int_arg("offset", 0), request.int_arg("limit", 100)
        since = request.arg("since")
        rows = [p for p in self.people if since is None or p["updated_at"] >= since]
        return json_response({"items": rows[offset : offset + limit], "total": len(rows)})

    @route("GET", "/v2/teams")
    def teams(self, request: Request) -> Response:
        return json_response([{"id": "t1"}, {"id": "t2"}])


class People(HttpStream):
    name = "people"
    cursor_field: ClassVar[list[str]] = ["updated_at"]
    records_path = "items"
    json_schema: ClassVar[dict[str, Any]] = {"type": "object", "properties": {"id": {"type": "integer"}}}

    def path(self, state: Mapping[str, Any] | None) -> str:
        return "/v2/people"

    def params(self, state: Mapping[str, Any] | None, query_from: datetime | None) -> dict[str, Any]:
        return {"since": to_iso(query_from)} if query_from else {}

    def paginator(self) -> OffsetPaginator:
        return OffsetPaginator(2, total_path="total")


class Teams(HttpStream):
    name = "teams"
    json_schema: ClassVar[dict[str, Any]] = {"type": "object", "properties": {"id": {"type": "string"}}}

    def path(self, state: Mapping[str, Any] | None) -> str:
        return "/v2/teams"


class ShopConfig(HttpSourceConfig):
    """Config of the shop source."""

    api_url: ApiUrl = "https://api.shop.example.com"
    region: str = Field(default="eu", title="Region", description="Which region's shop to read.")


class SourceShop(HttpSource[ShopConfig]):
    name = "source-shop"
    config_model = ShopConfig
    system = "Shop"
    stream_classes = (People, Teams)
    retry = RetryPolicy(max_attempts=2, base_delay=0.001, jitter=0.0)


class SourceShopKey(SourceShop):
    """The same API signed with a key header: only the authenticator differs."""

    def authenticator(self, config: ShopConfig) -> Auth:
        return ApiKeyAuth(config.api_token.get_secret_value(), name="X-Shop-Key")


class SourceNothing(SourceShop):
    stream_classes = ()


@pytest.fixture
def sandbox() -> Iterator[ShopSandbox]:
    with ShopSandbox() as running:
        yield running


def config(sandbox: ShopSandbox, **overrides: Any) -> dict[str, Any]:
    return {"api_token": TOKEN, "api_url": sandbox.url, **overrides}


def catalog(mode: str) -> dict[str, Any]:
    streams = [("people", ["full_refresh", "incremental"]), ("teams", ["full_refresh"])]
    return {
        "streams": [
            {
                "stream": {"name": name, "json_schema": {}, "supported_sync_modes": modes},
                "sync_mode": mode if mode in modes else "full_refresh",
                "destination_sync_mode": "append",
                **({"cursor_field": ["updated_at"]} if mode in modes and mode == "incremental" else {}),
            }
            for name, modes in streams
        ]
    }


def checked(result: ConnectorResult) -> ConnectorResult:
    assert_conformant(result)
    assert_no_secrets(result, [TOKEN, WRONG])
    return result


def test_the_spec_lists_token_url_start_date_then_the_connectors_own_fields() -> None:
    spec = checked(run_connector(SourceShop, "spec")).spec
    assert spec is not None
    schema = spec["connectionSpecification"]
    assert schema["required"] == ["api_token"]
    assert schema["description"] == "Config of the shop source."
    assert {name: (p["order"], p["title"]) for name, p in schema["properties"].items()} == {
        "api_token": (0, "API token"),
        "api_url": (1, "API URL"),
        "start_date": (2, "Start date"),
        "region": (3, "Region"),
    }
    assert [n for n, p in schema["properties"].items() if p.get("airbyte_secret")] == ["api_token"]
    assert schema["properties"]["api_url"] == {
        "type": "string",
        "format": "uri",
        "title": "API URL",
        "description": "Base URL of the API. Plain http:// is accepted only for a loopback host (a local sandbox).",
        "default": "https://api.shop.example.com",
        "order": 1,
    }
    assert schema["properties"]["start_date"]["examples"] == ["2024-01-01T00:00:00Z"]


def test_the_base_config_asks_for_the_url_when_the_connector_gives_no_default() -> None:
    class BareSource(SourceShop):
        config_model = HttpSourceConfig

    spec = checked(run_connector(BareSource, "spec")).spec
    assert spec is not None
    assert spec["connectionSpecification"]["required"] == ["api_token", "api_url"]


def test_check_fetches_the_first_page_of_the_first_stream(sandbox: ShopSandbox) -> None:
    result = checked(run_connector(SourceShop, "check", config=config(sandbox)))
    assert (result.exit_code, result.connection_status) == (0, {"status": "SUCCEEDED"})
    assert [(r.method, r.path, r.arg("offset"), r.arg("limit"), r.status) for r in sandbox.log] == [
        ("GET", "/v2/people", "0", "2", 200)
    ]
    assert sandbox.log[0].headers["authorization"] == f"Bearer {TOKEN}"


def test_a_refused_token_fails_the_check_naming_the_system_and_request(sandbox: ShopSandbox) -> None:
    result = checked(run_connector(SourceShop, "check", config=config(sandbox, api_token=WRONG)))
    assert (result.exit_code, result.connection_status) == (
        0,
        {
            "status": "FAILED",
            "message": 'Stream people: Shop rejected the credentials for GET /v2/people (HTTP 401): "invalid '
            'token". Check the credentials in the connector config (they may be wrong, expired or revoked).',
        },
    )


def test_a_server_error_fails_the_check_as_transient(sandbox: ShopSandbox) -> None:
    sandbox.faults.server_error("/v2/people", status=503, times=None)
    result = checked(run_connector(SourceShop, "check", config=config(sandbox)))
    assert result.connection_status == {
        "status": "FAILED",
        "message": "Stream people: Shop failed with a server error for GET /v2/people (HTTP 503) after 2 attempts: "
        '"sandbox fault: HTTP 503". The API is failing: this is usually temporary, try again later.',
    }
    assert [r.status for r in sandbox.log] == [503, 503]  # RetryPolicy(max_attempts=2)


def test_the_check_raises_the_typed_http_error_of_the_failure(sandbox: ShopSandbox) -> None:
    """What makes the FAILED status: a refused token is a config error, a failing API a transient one."""
    source = SourceShop()
    with pytest.raises(AuthenticationError) as refused:
        source.check(source.config_from_dict(config(sandbox, api_token=WRONG)))
    assert (isinstance(refused.value, ConfigError), refused.value.status, refused.value.path) == (
        True,
        401,
        "/v2/people",
    )
    sandbox.faults.server_error("/v2/people", status=500, times=None)
    with pytest.raises(ServerError) as failing:
        source.check(source.config_from_dict(config(sandbox)))
    assert (isinstance(failing.value, TransientError), failing.value.status) == (True, 500)


def test_plain_http_to_another_host_is_refused_before_any_request() -> None:
    result = checked(
        run_connector(SourceShop, "check", config={"api_token": TOKEN, "api_url": "http://shop.test"})
    )
    status = result.connection_status
    assert status is not None and status["status"] == "FAILED"
    assert "config field 'api_url' must use https://" in status["message"]


def test_a_source_without_streams_is_a_connector_bug(sandbox: ShopSandbox) -> None:
    result = checked(run_connector(SourceNothing, "check", config=config(sandbox)))
    assert result.exit_code == 1
    assert [e["message"] for e in result.trace_errors] == [
        "source-shop: stream_classes is empty; list the source's HttpStream classes"
    ]
    assert sandbox.log == []


def test_read_builds_each_stream_with_the_client_and_start_date(sandbox: ShopSandbox) -> None:
    cfg = config(sandbox, start_date="2024-03-03T00:00:00Z")
    result = checked(run_connector(SourceShop, "read", config=cfg, catalog=catalog("incremental")))
    assert result.exit_code == 0
    assert ([r["id"] for r in result.records("people")], [r["id"] for r in result.records("teams")]) == (
        [3, 4, 5],
        ["t1", "t2"],
    )
    assert result.stream_states("people")[-1] == {"updated_at": STAMPS[4], "seen": {"5": STAMPS[4]}}
    people = [(r.arg("since"), r.arg("offset")) for r in sandbox.requests_to("/v2/people")]
    assert people == [("2024-03-03T00:00:00Z", "0"), ("2024-03-03T00:00:00Z", "2")]


def test_a_full_refresh_reads_everything(sandbox: ShopSandbox) -> None:
    result = checked(
        run_connector(SourceShop, "read", config=config(sandbox), catalog=catalog("full_refresh"))
    )
    assert result.exit_code == 0
    assert [r["id"] for r in result.records("people")] == [1, 2, 3, 4, 5]
    assert [r.arg("offset") for r in sandbox.requests_to("/v2/people")] == ["0", "2", "4"]


def test_an_overridden_authenticator_signs_every_request(sandbox: ShopSandbox) -> None:
    result = checked(run_connector(SourceShopKey, "check", config=config(sandbox)))
    assert result.connection_status == {"status": "SUCCEEDED"}
    assert (sandbox.log[0].headers["x-shop-key"], "authorization" in sandbox.log[0].headers) == (TOKEN, False)


def test_importing_the_module_loads_no_http_library() -> None:
    """A connector's ``spec`` imports its source module: the client and authenticator load when a command needs
    them."""
    program = "import sys, staffwire.http_source; print(sorted({'requests', 'urllib3'} & set(sys.modules)))"
    proc = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=60
    )
    assert proc.stdout.strip() == "[]"
