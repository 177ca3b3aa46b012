"""The anchor of bench/bullhorn_latency.py: Bullhorn's ``search/Candidate`` read by an airbyte-cdk ``HttpStream`` with
the CDK's defaults (one request at a time, no API budget), run by airbyte-cdk's entrypoint.

    python bench/bullhorn_cdk_source.py read --config config.json --catalog catalog.json

The config is a source-bullhorn config (the sandbox's ``demo_config``) plus ``fields`` (the explicit field list
source-bullhorn asks for). Login is Bullhorn's four hops done by hand with ``requests`` (the CDK has no Bullhorn
authenticator); then the stream pages by key as source-bullhorn does (``id:{last TO *]``, ``sort=id``, ``start=0``,
``count=page_size``) and stops when a page held everything left (``count >= total``) or came back empty. Each
page's JSON is parsed once (cached on the response), so the anchor is not handicapped.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from airbyte_cdk.entrypoint import launch
from airbyte_cdk.models import ConnectorSpecification
from airbyte_cdk.sources import AbstractSource
from airbyte_cdk.sources.streams import Stream
from airbyte_cdk.sources.streams.http import HttpStream


def login(config: Mapping[str, Any]) -> tuple[str, str]:
    """(restUrl, BhRestToken) after Bullhorn's loginInfo -> authorize -> token -> login hops."""
    http = requests.Session()
    info = http.get(config["login_info_url"], params={"username": config["username"]}).json()
    oauth, rest = info["oauthUrl"], info["restUrl"]
    location = http.get(
        oauth + "authorize",
        params={
            "client_id": config["client_id"],
            "response_type": "code",
            "action": "Login",
            "username": config["username"],
            "password": config["password"],
        },
        allow_redirects=False,
    ).headers["Location"]
    code = parse_qs(urlsplit(location).query)["code"][0]
    token = http.post(
        oauth + "token",
        params={
            "grant_type": "authorization_code",
            "code": code,
            "client_id": config["client_id"],
            "client_secret": config["client_secret"],
        },
    ).json()["access_token"]
    session = http.get(rest + "login", params={"version": "*", "access_token": token}).json()
    return session["restUrl"], session["BhRestToken"]


class Candidate(HttpStream):
    primary_key = "id"

    def __init__(self, config: Mapping[str, Any]) -> None:
        super().__init__()
        self._rest, self._token = login(config)
        self._fields = config["fields"]
        self._size = int(config.get("page_size", 500))

    @property
    def url_base(self) -> str:
        return self._rest

    @property
    def name(self) -> str:
        return "Candidate"

    def path(self, **kwargs: Any) -> str:
        return "search/Candidate"

    def request_headers(self, **kwargs: Any) -> Mapping[str, Any]:
        return {"BhRestToken": self._token}

    def _body(self, response: requests.Response) -> Any:
        cached = getattr(response, "_bench_body", None)
        if cached is None:
            cached = response.json()
            response._bench_body = cached  # type: ignore[attr-defined]
        return cached

    def next_page_token(self, response: requests.Response) -> Mapping[str, Any] | None:
        body = self._body(response)
        rows = body["data"]
        if not rows or body["count"] >= body["total"]:
            return None
        return {"after": rows[-1]["id"]}

    def request_params(
        self,
        stream_state: Any = None,
        stream_slice: Any = None,
        next_page_token: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        after = (next_page_token or {}).get("after", 0)
        return {
            "query": f"id:{{{after} TO *] AND (isDeleted:0 OR isDeleted:1)",
            "fields": self._fields,
            "count": self._size,
            "start": 0,
            "sort": "id",
        }

    def parse_response(self, response: requests.Response, **kwargs: Any) -> Iterable[Mapping[str, Any]]:
        yield from self._body(response)["data"]

    def get_json_schema(self) -> Mapping[str, Any]:
        return {"type": "object", "properties": {}, "additionalProperties": True}


class SourceBullhornCdk(AbstractSource):
    def spec(self, logger: Any) -> ConnectorSpecification:
        return ConnectorSpecification(connectionSpecification={"type": "object", "properties": {}})

    def check_connection(self, logger: Any, config: Mapping[str, Any]) -> tuple[bool, Any]:
        return True, None

    def streams(self, config: Mapping[str, Any]) -> list[Stream]:
        return [Candidate(config)]


if __name__ == "__main__":
    launch(SourceBullhornCdk(), sys.argv[1:])
