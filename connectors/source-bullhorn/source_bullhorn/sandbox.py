"""A Bullhorn REST API emulator on loopback, faithful to Bullhorn's documented and observed behaviour.

* The four auth hops: ``GET /rest-services/loginInfo`` answers 307 to a data-center path on the same server, whose
  loginInfo names ``oauthUrl`` and ``restUrl``; ``GET {oauthUrl}/authorize`` answers 302 with the URL-encoded code
  in ``Location`` (or 200 with an HTML page and no Location for a wrong password or a user who has not accepted
  the terms of service in a browser); ``POST {oauthUrl}/token`` (authorization_code, and single-use rotating
  refresh tokens); ``GET {restUrl}/login?version=*&access_token=..&ttl=..`` -> ``BhRestToken`` and a ``restUrl``
  with the corp token path. Missing BhRestToken: 412; bad or timed-out: 401 with Bullhorn's exact body.
* ``meta``, ``meta/{Entity}?fields=*&meta=full`` from Bullhorn's real metas (custom fields with tenant labels);
  ``search/{Entity}`` (Lucene subset) for searchable entities and ``query/{Entity}`` (where subset) for every
  entity, both answering 400 on invalid syntax and on ``fields=*``; ``entity/{Entity}/{ids}``; ``start``/``count``/
  ``sort``/``orderBy``; count capped at 500, and at 200 for wide field lists; to-many values as ``{total, data}``.
* Soft deletes: ``isDeleted`` rows are hidden unless the query constrains ``isDeleted``.
* Event subscriptions: ``PUT/GET/DELETE event/subscription/{id}``, ``requestId`` replay, purge on read.
* Writes: ``PUT entity/{Entity}``, ``POST entity/{Entity}/{id}``, ``DELETE entity/{Entity}/{id}``.
* A Python mutation API (:meth:`BullhornSandbox.add`, ``update``, ``soft_delete``, ``hard_delete``) that also
  produces events; the toolkit's fault switches (``sandbox.faults``).

Run it: ``python -m source_bullhorn.sandbox --candidates 1000`` prints a config the connector can use.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import orjson
from staffwire.testing.sandbox import HttpError, Request, Response, Sandbox, TokenBook, json_response, route

from source_bullhorn.reference_data import DISPLAY_FIELDS, SEARCHABLE, entity_metas
from source_bullhorn.sandbox_query import (
    FieldSpec,
    QuerySyntaxError,
    mentions,
    parse_fields,
    parse_lucene,
    parse_sort,
    parse_where,
)
from source_bullhorn.sandbox_seed import Sizes, seed_rows

__all__ = ["BullhornSandbox"]

Row = dict[str, Any]
MAX_COUNT = 500
WIDE_COUNT = 200
WIDE_FIELDS = 40  # more top-level fields than this (or any to-many) and Bullhorn answers at most 200 rows
TO_MANY_DEFAULT, TO_MANY_MAX = 5, 10
DATA_CENTER = "east"
CORP_TOKEN = "8ffx2"


def bullhorn_error(status: int, message: str, key: str) -> HttpError:
    return HttpError(status, {"errorMessage": message, "errorMessageKey": key, "errorCode": status})


@dataclass
class Subscription:
    id: str
    names: set[str]
    types: set[str]
    created: int
    pending: list[dict[str, Any]] = field(default_factory=list)
    last_request_id: int = 0
    last_batch: list[dict[str, Any]] = field(default_factory=list)


class _Entity:
    """One entity's meta, indexed for projection and query resolution."""

    def __init__(self, meta: dict[str, Any]) -> None:
        self.name: str = meta["entity"]
        self.meta = meta
        self.fields: dict[str, dict[str, Any]] = {f["name"]: f for f in meta["fields"]}
        self.to_one = {
            n: f.get("associatedEntity", {}).get("entity", "")
            for n, f in self.fields.items()
            if f["type"] == "TO_ONE"
        }
        self.to_many = {
            n: f.get("associatedEntity", {}).get("entity", "")
            for n, f in self.fields.items()
            if f["type"] == "TO_MANY"
        }
        self.searchable = self.name in SEARCHABLE

    def knows(self, path: str) -> bool:
        return path.split(".", 1)[0] in self.fields


class BullhornSandbox(Sandbox):
    """Bullhorn emulator. ``BullhornSandbox(seed=7, candidates=200)`` seeds realistic data of that size."""

    name = "bullhorn"
    # demo credentials (also what tests use)
    CLIENT_ID = "staffwire-demo-client"
    CLIENT_SECRET = "demo-client-secret-7f3a"
    USERNAME = "staffwire.api"
    PASSWORD = "Demo-Passw0rd!"
    NEW_USERNAME = "new.api.user"  # has never logged in in a browser: terms of service not accepted

    def __init__(
        self,
        *,
        seed: int = 7,
        candidates: int = 200,
        sizes: Sizes | None = None,
        access_token_ttl: float = 600.0,
        session_status_on_expiry: int = 401,
        event_retention: int = 10_000,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.seed = seed
        self.sizes = sizes or Sizes(candidates=candidates)
        self.access_token_ttl = access_token_ttl
        self.session_status_on_expiry = session_status_on_expiry
        self.event_retention = event_retention
        self.users = {
            self.USERNAME: {"password": self.PASSWORD, "terms": True},
            self.NEW_USERNAME: {"password": self.PASSWORD, "terms": False},
        }
        self.clients = {self.CLIENT_ID: self.CLIENT_SECRET}
        self.codes = TokenBook("60:")
        self.access_tokens = TokenBook("at")
        self.refresh_tokens = TokenBook("rt")
        self.sessions = TokenBook("bh")
        self.entities = {name: _Entity(meta) for name, meta in entity_metas().items()}
        self.rows: dict[str, dict[int, Row]] = {name: {} for name in self.entities}
        self.rows.update(seed_rows(seed, self.sizes))
        self.next_ids = {name: (max(rows) if rows else 0) + 1 for name, rows in self.rows.items()}
        self.subscriptions: dict[str, Subscription] = {}
        self._event_ids = itertools.count(1)
        self._request_ids = itertools.count(1)
        self._version = 0
        self._cache: dict[tuple[Any, ...], list[Row]] = {}
        self._ids_cache: dict[tuple[Any, ...], list[int]] = {}
        self._projections: dict[tuple[str, str], Callable[[Row], dict[str, Any]]] = {}
        self._encoders: dict[tuple[str, str], Callable[[Row], bytes]] = {}
        self._cache_lock = threading.Lock()
        self.clock: Callable[[], int] = lambda: int(time.time() * 1000)

    # ---------------------------------------------------------------------------------------- config helpers
    @property
    def login_info_url(self) -> str:
        return f"{self.url}/rest-services/loginInfo"

    @property
    def rest_url(self) -> str:
        return f"{self.url}/dc/{DATA_CENTER}/rest-services/{CORP_TOKEN}/"

    def demo_config(self, url: str | None = None, **overrides: Any) -> dict[str, Any]:
        """A source-bullhorn config for this sandbox (``url`` defaults to where it listens)."""
        base = (url or self.url).rstrip("/")
        config: dict[str, Any] = {
            "client_id": self.CLIENT_ID,
            "client_secret": self.CLIENT_SECRET,
            "username": self.USERNAME,
            "password": self.PASSWORD,
            "login_info_url": f"{base}/rest-services/loginInfo",
        }
        config.update(overrides)
        return config

    def fault_body(self, status: int) -> Any:
        if status == 429:
            return {
                "errorMessage": "Too many requests. Please try again later.",
                "errorMessageKey": "errors.tooManyRequests",
                "errorCode": 429,
            }
        return {
            "errorMessage": f"An unexpected error has occurred (HTTP {status}).",
            "errorMessageKey": "errors.internal",
            "errorCode": status,
        }

    def not_found(self, request: Request) -> Response:
        return json_response(
            {
                "errorMessage": f"No resource found at {request.path}",
                "errorMessageKey": "errors.notFound",
                "errorCode": 404,
            },
            404,
        )

    # ------------------------------------------------------------------------------------------ auth hops
    @route("GET", "/rest-services/loginInfo")
    def login_info_root(self, request: Request) -> Response:
        """The global entry point sends every user to their data center."""
        query = urlencode({k: v[0] for k, v in request.query.items()})
        return Response(
            307, b"", {"Location": f"{self.url}/dc/{DATA_CENTER}/rest-services/loginInfo?{query}"}
        )

    @route("GET", "/dc/{dc}/rest-services/loginInfo")
    def login_info(self, request: Request) -> Response:
        if not request.arg("username"):
            raise bullhorn_error(400, "Missing required parameter: username", "errors.missingParameter")
        base = f"{self.url}/dc/{request.params['dc']}"
        return json_response(
            {
                "atsUrl": "https://cls.example.bullhornstaffing.com",
                "billingSyncUrl": "",
                "coreUrl": "",
                "dataCenterId": 2,
                "superDataCenterId": 1,
                "novoUrl": "",
                "oauthUrl": f"{base}/oauth/",
                "restUrl": f"{base}/rest-services/",
                "samlUrl": "",
                "documentEditorUrl": "",
                "mobileBackendUrl": "",
                "ulUrl": "",
                "dataCenter": "USEAST",
            }
        )

    @route("GET", "/dc/{dc}/oauth/authorize")
    def authorize(self, request: Request) -> Response:
        client_id = request.arg("client_id")
        if request.arg("response_type") != "code":
            raise HttpError(
                400,
                {
                    "error": "unsupported_response_type",
                    "error_description": "Only response_type=code is supported",
                },
            )
        if client_id not in self.clients:
            raise HttpError(400, {"error": "invalid_client", "error_description": "Invalid client id"})
        user = self.users.get(request.arg("username") or "")
        if user is None or user["password"] != request.arg("password"):
            page = (
                "<!DOCTYPE html><html><head><title>Bullhorn Login</title></head><body><form id='login'>"
                "<p class='error'>Invalid credentials. Please check your username and password.</p>"
                "</form></body></html>"
            )
            return Response(200, page.encode(), {}, "text/html; charset=utf-8")
        if not user["terms"]:
            page = (
                "<!DOCTYPE html><html><head><title>Bullhorn Terms of Service</title></head><body>"
                "<h1>Terms of Service</h1><p>Please read and accept the terms of service.</p>"
                "<button>Agree</button></body></html>"
            )
            return Response(200, page.encode(), {}, "text/html; charset=utf-8")
        # real codes look like "60:5a2d..." and travel URL-encoded in the Location header
        code = self.codes.issue(ttl=120, max_uses=1, client_id=client_id, username=request.arg("username"))
        redirect = request.arg("redirect_uri") or "https://www.bullhorn.com"
        location = f"{redirect}?code={quote(code, safe='')}"
        if request.arg("state"):
            location += f"&state={quote(request.arg('state') or '', safe='')}"
        return Response(302, b"", {"Location": location})

    @route("POST", "/dc/{dc}/oauth/token")
    def token(self, request: Request) -> Response:
        args = {k: v[0] for k, v in request.query.items()}
        if request.body:
            args.update({k: v[0] for k, v in _form(request.body).items()})
        client_id, secret = args.get("client_id"), args.get("client_secret")
        if client_id not in self.clients or self.clients[client_id] != secret:
            raise HttpError(
                400, {"error": "invalid_client", "error_description": "Invalid client credentials"}
            )
        grant = args.get("grant_type")
        if grant == "authorization_code":
            data = self.codes.use(args.get("code"))
            if data is None or data["client_id"] != client_id:
                raise HttpError(
                    400,
                    {
                        "error": "invalid_grant",
                        "error_description": "Invalid, expired, or revoked authorization code.",
                    },
                )
        elif grant == "refresh_token":
            data = self.refresh_tokens.use(args.get("refresh_token"))
            if data is None or data["client_id"] != client_id:
                raise HttpError(400, {"error": "invalid_grant", "error_description": "Invalid refresh token"})
        else:
            raise HttpError(
                400,
                {"error": "unsupported_grant_type", "error_description": f"Unsupported grant type: {grant}"},
            )
        access = self.access_tokens.issue(
            ttl=self.access_token_ttl, client_id=client_id, username=data["username"]
        )
        refresh = self.refresh_tokens.issue(max_uses=1, client_id=client_id, username=data["username"])
        return json_response(
            {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": int(self.access_token_ttl),
                "refresh_token": refresh,
            }
        )

    @route("GET", "/dc/{dc}/rest-services/login")
    def rest_login(self, request: Request) -> Response:
        if request.arg("version") is None:
            raise bullhorn_error(400, "Missing required parameter: version", "errors.missingParameter")
        data = self.access_tokens.use(request.arg("access_token"))
        if data is None:
            raise bullhorn_error(
                401, "Invalid or expired OAuth access token.", "errors.authentication.invalidOAuthToken"
            )
        ttl = request.int_arg("ttl", 10)
        token = self.sessions.issue(ttl=ttl * 60.0, username=data["username"])
        return json_response({"BhRestToken": token, "restUrl": self.rest_url})

    def before_request(self, request: Request) -> Response | None:
        prefix = f"/dc/{DATA_CENTER}/rest-services/"
        if not request.path.startswith(prefix):
            return None
        rest = request.path[len(prefix) :]
        if rest.split("/", 1)[0] in ("login", "loginInfo"):
            return None
        token = request.header("bhresttoken") or request.arg("BhRestToken")
        if not token:
            raise bullhorn_error(
                412,
                "Missing required BhRestToken: pass it as a header or query parameter.",
                "errors.preconditionFailed",
            )
        if not rest.startswith(f"{CORP_TOKEN}/") or self.sessions.use(token) is None:
            raise bullhorn_error(
                self.session_status_on_expiry,
                "Bad 'BhRestToken' or timed-out.",
                "errors.authentication.invalidRestToken",
            )
        return None

    def expire_sessions(self) -> None:
        """Every BhRestToken times out now (the next call answers 401, or 403 if so configured)."""
        self.sessions.expire_all()

    def expire_access_tokens(self) -> None:
        self.access_tokens.expire_all()

    # ----------------------------------------------------------------------------------------------- REST
    def _entity(self, name: str) -> _Entity:
        entity = self.entities.get(name)
        if entity is None:
            raise bullhorn_error(400, f"Invalid entity type: {name}", "errors.invalidEntityType")
        return entity

    @route("GET", "/dc/{dc}/rest-services/{corp}/ping")
    def ping(self, request: Request) -> Response:
        return json_response({"sessionExpires": self.clock() + 10 * 60_000})

    @route("GET", "/dc/{dc}/rest-services/{corp}/settings/{names}")
    def settings(self, request: Request) -> Response:
        return json_response({"corporationId": 1234, "corporationName": "Staffwire Sandbox Staffing"})

    @route("GET", "/dc/{dc}/rest-services/{corp}/meta")
    def meta_list(self, request: Request) -> Response:
        return json_response(
            [
                {"entity": name, "metaUrl": f"{self.rest_url}meta/{name}?fields=*"}
                for name in sorted(self.entities)
            ]
        )

    @route("GET", "/dc/{dc}/rest-services/{corp}/meta/{entity}")
    def meta(self, request: Request) -> Response:
        entity = self._entity(request.params["entity"])
        fields_arg = request.arg("fields") or "id"
        meta = dict(entity.meta)
        meta["entityMetaUrl"] = f"{self.rest_url}meta/{entity.name}?fields=*"
        if fields_arg != "*":
            wanted = {s.name for s in parse_fields(fields_arg) or []}
            meta["fields"] = [f for f in entity.meta["fields"] if f["name"] in wanted]
        if request.arg("meta", "basic") != "full":
            keep = (
                "name",
                "type",
                "dataType",
                "dataSpecialization",
                "optional",
                "label",
                "associatedEntity",
                "fields",
                "maxLength",
                "multiValue",
            )
            meta["fields"] = [{k: v for k, v in f.items() if k in keep} for f in meta["fields"]]
        return json_response(meta)

    @route("GET", "/dc/{dc}/rest-services/{corp}/entity/{entity}/{ids}")
    def get_entities(self, request: Request) -> Response:
        entity = self._entity(request.params["entity"])
        try:
            ids = [int(x) for x in request.params["ids"].split(",")]
            project = self._projection(entity, request.arg("fields") or "id", allow_star=True)
        except (ValueError, QuerySyntaxError) as exc:
            raise bullhorn_error(400, f"Bad request: {exc}", "errors.badRequest") from None
        table = self.rows[entity.name]
        found = [project(table[i]) for i in ids if i in table]
        if len(ids) == 1:
            if not found:
                raise bullhorn_error(
                    404,
                    f"Cannot find entity of type '{entity.name}' with id: {ids[0]}",
                    "errors.cannotFindEntity",
                )
            return json_response({"data": found[0]})
        return json_response({"data": found})

    @route("PUT", "/dc/{dc}/rest-services/{corp}/entity/{entity}")
    def create_entity(self, request: Request) -> Response:
        """``PUT entity/{Entity}`` with the new row's fields; to-one values as ``{"id": n}``."""
        entity = self._entity(request.params["entity"])
        values = self._writable(entity, request.json())
        new_id = self.add(entity.name, **values)
        return json_response(
            {
                "changedEntityType": entity.name,
                "changedEntityId": new_id,
                "changeType": "INSERT",
                "data": {k: request.json()[k] for k in values},
            }
        )

    @route("POST", "/dc/{dc}/rest-services/{corp}/entity/{entity}/{entity_id}")
    def update_entity(self, request: Request) -> Response:
        """``POST entity/{Entity}/{id}`` with only the changed fields."""
        entity = self._entity(request.params["entity"])
        entity_id = self._existing(entity, request.params["entity_id"])
        values = self._writable(entity, request.json())
        self.update(entity.name, entity_id, **values)
        return json_response(
            {
                "changedEntityType": entity.name,
                "changedEntityId": entity_id,
                "changeType": "UPDATE",
                "data": {k: request.json()[k] for k in values},
            }
        )

    @route("DELETE", "/dc/{dc}/rest-services/{corp}/entity/{entity}/{entity_id}")
    def delete_entity(self, request: Request) -> Response:
        """Soft delete where the entity has ``isDeleted``, else a hard delete."""
        entity = self._entity(request.params["entity"])
        entity_id = self._existing(entity, request.params["entity_id"])
        if "isDeleted" in entity.fields:
            self.soft_delete(entity.name, entity_id)
        else:
            self.hard_delete(entity.name, entity_id)
        return json_response(
            {"changedEntityType": entity.name, "changedEntityId": entity_id, "changeType": "DELETE"}
        )

    def _existing(self, entity: _Entity, raw_id: str) -> int:
        if not raw_id.isdigit() or int(raw_id) not in self.rows[entity.name]:
            raise bullhorn_error(
                404,
                f"Cannot find entity of type '{entity.name}' with id: {raw_id}",
                "errors.cannotFindEntity",
            )
        return int(raw_id)

    def _writable(self, entity: _Entity, body: Any) -> dict[str, Any]:
        """The stored form of a write body; 400 with Bullhorn's ``messages`` for unknown or read-only fields."""
        if not isinstance(body, dict) or not body:
            raise bullhorn_error(
                400, "The request body must be a JSON object of fields.", "errors.badRequest"
            )
        problems: list[dict[str, Any]] = []
        values: dict[str, Any] = {}
        for name, value in body.items():
            meta = entity.fields.get(name)
            if meta is None or meta["type"] == "ID":
                problems.append(
                    {
                        "detailMessage": f"'{name}' is not a writable field of {entity.name}",
                        "propertyName": name,
                        "severity": "ERROR",
                        "type": "INVALID_FIELD",
                    }
                )
            elif name in entity.to_one:
                values[name] = value.get("id") if isinstance(value, dict) else value
            elif name in entity.to_many:
                problems.append(
                    {
                        "detailMessage": f"to-many '{name}' is changed through entity/{entity.name}/id/"
                        f"{name}/ids",
                        "propertyName": name,
                        "severity": "ERROR",
                        "type": "INVALID_FIELD",
                    }
                )
            else:
                values[name] = value
        if problems:
            raise HttpError(
                400,
                {
                    "errorMessage": f"error persisting an entity of type: {entity.name}",
                    "errorMessageKey": "errors.cannotPersistEntity",
                    "errorCode": 400,
                    "messages": problems,
                    "entityName": entity.name,
                },
            )
        return values

    @route("GET", "/dc/{dc}/rest-services/{corp}/search/{entity}")
    def search(self, request: Request) -> Response:
        return self._list(request, search=True, text=request.arg("query") or "")

    @route("POST", "/dc/{dc}/rest-services/{corp}/search/{entity}")
    def search_post(self, request: Request) -> Response:
        body = request.json() or {}
        return self._list(request, search=True, text=str(body.get("query") or ""))

    @route("GET", "/dc/{dc}/rest-services/{corp}/query/{entity}")
    def query(self, request: Request) -> Response:
        return self._list(request, search=False, text=request.arg("where") or "")

    @route("POST", "/dc/{dc}/rest-services/{corp}/query/{entity}")
    def query_post(self, request: Request) -> Response:
        body = request.json() or {}
        return self._list(request, search=False, text=str(body.get("where") or ""))

    def _list(self, request: Request, *, search: bool, text: str) -> Response:
        entity = self._entity(request.params["entity"])
        if not search and entity.searchable:  # indexed entities are search-only, as Bullhorn answers for Note
            raise bullhorn_error(400, f"Query operation not supported for {entity.name}", "errors.badRequest")
        if search and not entity.searchable:
            raise bullhorn_error(
                400,
                f"Entity {entity.name} is not searchable; use /query/{entity.name}.",
                "errors.entityNotSearchable",
            )
        fields_arg = request.arg("fields") or ""
        try:
            encode = self._encoder(entity, fields_arg)
            order = parse_sort(request.arg("sort") if search else request.arg("orderBy"))
            start = max(0, request.int_arg("start", 0))
            wide = fields_arg.count(",") + 1 > WIDE_FIELDS or "[" in fields_arg
            count = max(0, min(request.int_arg("count", 20), WIDE_COUNT if wide else MAX_COUNT))
            matched = self._matching(entity, text, order, search)
        except QuerySyntaxError as exc:
            kind = "search query" if search else "where clause"
            raise bullhorn_error(400, f"Invalid {kind} {text!r}: {exc}", "errors.badRequest") from None
        page = matched[start : start + count]
        head = b'{"start":%d,"count":%d,"data":[' % (start, len(page))
        if search or request.arg("showTotalMatched") == "true":
            head = b'{"total":%d,' % len(matched) + head[1:]
        return Response(200, head + b",".join(map(encode, page)) + b"]}")

    # ------------------------------------------------------------------------------------ query machinery
    def _resolver(self, entity: _Entity) -> Callable[[Mapping[str, Any], str], Any]:
        def resolve(row: Mapping[str, Any], path: str) -> Any:
            head, _, rest = path.partition(".")
            value = row.get(head)
            if not rest:
                return value
            if head in entity.to_one:
                if value is None:
                    return None
                if rest == "id":
                    return value
                target = self.rows.get(entity.to_one[head], {}).get(value)
                return target.get(rest) if target else None
            if head in entity.to_many:
                return list(value or []) if rest == "id" else None
            if isinstance(value, dict):
                return value.get(rest)
            return None

        return resolve

    def _matching(self, entity: _Entity, text: str, order: list[tuple[str, bool]], search: bool) -> list[Row]:
        """Rows matching ``text`` in ``order``; cached per data version (key-paged reads reuse the same list)."""
        base, id_range = _split_id_range(text, search)
        key = (entity.name, base, tuple(order), search, self._version)
        with self._cache_lock:
            cached = self._cache.get(key)
        if cached is None:
            resolver = self._resolver(entity)
            if base.strip():
                parse = parse_lucene if search else parse_where
                predicate = parse(base, resolver, known=entity.knows)
            else:
                predicate = None
            show_deleted = "isDeleted" in entity.fields and mentions(base, "isDeleted")
            hide_deleted = "isDeleted" in entity.fields and not show_deleted
            with self.lock:
                rows = list(self.rows[entity.name].values())
            cached = [
                r
                for r in rows
                if (not hide_deleted or not r.get("isDeleted")) and (predicate is None or predicate(r))
            ]
            for name, descending in reversed(order or [("id", False)]):
                if not entity.knows(name):
                    raise QuerySyntaxError(f"unknown sort field {name!r}")
                cached.sort(key=_sort_by(resolver, name), reverse=descending)
            with self._cache_lock:
                if len(self._cache) > 64:
                    self._cache.clear()
                    self._ids_cache.clear()
                self._cache[key] = cached
        if id_range is None:
            return cached
        ids: list[int] | None = None
        if order and order[0] == ("id", False):
            with self._cache_lock:
                ids = self._ids_cache.get(key)
                if ids is None:
                    ids = self._ids_cache[key] = [r["id"] for r in cached]
        elif order and order[0] == ("id", True):
            return [r for r in cached if id_range.contains(r["id"])]
        return id_range.slice(cached, ids)

    def _encoder(self, entity: _Entity, fields_arg: str) -> Callable[[Row], bytes]:
        """A row's JSON for a search/query field list, encoded once per data version: a page is assembled from
        cached row bytes, so the sandbox serves far faster than a connector reads (and benchmarks measure the
        connector). Byte-for-byte what ``orjson.dumps`` of the projected row gives."""
        key = (entity.name, fields_arg)
        encoder = self._encoders.get(key)
        if encoder is not None:
            return encoder
        version = self._version
        project = self._projection(entity, fields_arg, allow_star=False)
        encoded: dict[int, bytes] = {}  # row id -> JSON; dropped with the encoder by _touch

        def encode(row: Row) -> bytes:
            data = encoded.get(row["id"])
            if data is None:
                data = encoded[row["id"]] = orjson.dumps(project(row))
            return data

        if version == self._version:  # a change landed meanwhile: use this one once, keep none
            self._encoders[key] = encode
        return encode

    def preload(self, entity: str, fields: str) -> int:
        """Encode every row of ``entity`` for the field list ``fields`` now (as search/query would), so the first
        read is served as fast as the next; returns the number of rows. For benchmarks."""
        encode = self._encoder(self._entity(entity), fields)
        with self.lock:
            rows = list(self.rows[entity].values())
        for row in rows:
            encode(row)
        return len(rows)

    def _projection(
        self, entity: _Entity, fields_arg: str, *, allow_star: bool
    ) -> Callable[[Row], dict[str, Any]]:
        key = (entity.name, fields_arg)
        cached = self._projections.get(key)
        if cached is not None:
            return cached
        specs = parse_fields(fields_arg)
        if specs is None:
            if not allow_star:
                raise QuerySyntaxError(
                    "fields=* is no longer supported on search and query: list the fields "
                    "you need (see /meta)"
                )
            specs = [FieldSpec(n) for n in entity.fields]
        project = self._compile(entity, specs)
        self._projections[key] = project
        return project

    def _compile(self, entity: _Entity, specs: list[FieldSpec]) -> Callable[[Row], dict[str, Any]]:
        """One generated function per (entity, field list): a dict display of ``row.get`` calls, so projecting
        a 150-field row costs a few microseconds instead of a Python call per field."""
        env: dict[str, Any] = {}
        parts: list[str] = []
        for index, spec in enumerate(specs):
            if spec.name not in entity.fields:
                raise QuerySyntaxError(f"invalid field '{spec.name}' for entity {entity.name}")
            convert = self._value_fn(entity, spec)
            if convert is None:
                parts.append(f"{spec.name!r}: get({spec.name!r})")
            else:
                env[f"f{index}"] = convert
                parts.append(f"{spec.name!r}: f{index}(get({spec.name!r}))")
        source = "def project(row):\n    get = row.get\n    return {" + ", ".join(parts) + "}\n"
        exec(source, env)  # names are validated identifiers (parse_fields), values never reach the source
        project: Callable[[Row], dict[str, Any]] = env["project"]
        return project

    def _value_fn(self, entity: _Entity, spec: FieldSpec) -> Callable[[Any], Any] | None:
        """How a stored value becomes its wire form (None: as stored)."""
        name = spec.name
        if name in entity.to_one:
            sub = self._sub_projection(entity.to_one[name], spec.sub)
            return lambda ref: None if ref is None else sub(ref)
        if name in entity.to_many:
            sub = self._sub_projection(entity.to_many[name], spec.sub)
            limit = min(spec.limit if spec.limit is not None else TO_MANY_DEFAULT, TO_MANY_MAX)

            def to_many(refs: Any) -> Any:
                if not refs:
                    return {"total": 0, "data": []}
                return {"total": len(refs), "data": [sub(r) for r in refs[:limit]]}

            return to_many
        if spec.sub and entity.fields[name]["type"] == "COMPOSITE":
            subs = [s.name for s in spec.sub]
            return lambda value: None if value is None else {s: value.get(s) for s in subs}
        return None

    def _getter(self, entity: _Entity, spec: FieldSpec) -> Callable[[Row], Any]:
        convert = self._value_fn(entity, spec)
        name = spec.name
        if convert is None:
            return lambda row: row.get(name)
        return lambda row: convert(row.get(name))

    def _sub_projection(self, target: str, subs: list[FieldSpec]) -> Callable[[int], dict[str, Any]]:
        table = self.rows.get(target, {})
        target_entity = self.entities.get(target)
        names = [s.name for s in subs] if subs else ["id", *DISPLAY_FIELDS.get(target, ())]
        nested: dict[str, Callable[[Row], Any]] = {}
        if target_entity is not None:
            for s in subs:
                nests = s.sub or s.name in target_entity.to_one or s.name in target_entity.to_many
                if nests and s.name in target_entity.fields:
                    nested[s.name] = self._getter(target_entity, s)

        memo: dict[int, dict[str, Any]] = {}  # few distinct targets (owners, skills): project each once

        def project(ref: int) -> dict[str, Any]:
            done = memo.get(ref)
            if done is not None:
                return done
            row = table.get(ref)
            if row is None:
                out = {n: (ref if n == "id" else None) for n in names}
            else:
                out = {n: (nested[n](row) if n in nested else row.get(n)) for n in names}
            if len(memo) < 100_000:
                memo[ref] = out
            return out

        return project

    # ------------------------------------------------------------------------------------ events (CDC)
    @route("PUT", "/dc/{dc}/rest-services/{corp}/event/subscription/{sub_id}")
    def subscribe(self, request: Request) -> Response:
        sub_id = request.params["sub_id"]
        if request.arg("type", "entity") != "entity":
            raise bullhorn_error(400, "Only type=entity subscriptions are supported", "errors.badRequest")
        names = {n for n in (request.arg("names") or "").split(",") if n}
        unknown = sorted(n for n in names if n not in self.entities)
        if not names or unknown:
            raise bullhorn_error(
                400,
                f"Invalid entity names for subscription: {', '.join(unknown) or '(none)'}",
                "errors.badRequest",
            )
        types = {t for t in (request.arg("eventTypes") or "INSERTED,UPDATED,DELETED").split(",") if t}
        with self.lock:
            if sub_id in self.subscriptions:
                raise bullhorn_error(
                    400, f"A subscription with id '{sub_id}' already exists.", "errors.subscriptionExists"
                )
            sub = Subscription(sub_id, names, types, self.clock())
            self.subscriptions[sub_id] = sub
        return json_response(
            {
                "subscriptionId": sub_id,
                "createdOn": sub.created,
                "jmsSelector": f"JMSType='ENTITY' AND BhCorpId=1234 AND BhEntityName IN "
                f"({', '.join(repr(n) for n in sorted(names))})",
            }
        )

    @route("GET", "/dc/{dc}/rest-services/{corp}/event/subscription/{sub_id}")
    def events(self, request: Request) -> Response:
        sub = self._subscription(request.params["sub_id"])
        max_events = max(1, min(request.int_arg("maxEvents", 100), 500))
        replay = request.arg("requestId")
        with self.lock:
            if (
                replay is not None
                and replay.isdigit()
                and int(replay) == sub.last_request_id
                and sub.last_batch
            ):
                batch = sub.last_batch
                request_id = sub.last_request_id
            else:
                batch = sub.pending[:max_events]
                del sub.pending[:max_events]
                if not batch:
                    return Response(200, b"", {}, "application/json")  # no events: an empty body
                request_id = next(self._request_ids)
                sub.last_request_id, sub.last_batch = request_id, batch
        return json_response({"requestId": request_id, "events": batch})

    @route("GET", "/dc/{dc}/rest-services/{corp}/event/subscription/{sub_id}/lastRequestId")
    def last_request_id(self, request: Request) -> Response:
        sub = self._subscription(request.params["sub_id"])
        return json_response({"result": sub.last_request_id})

    @route("DELETE", "/dc/{dc}/rest-services/{corp}/event/subscription/{sub_id}")
    def unsubscribe(self, request: Request) -> Response:
        with self.lock:
            found = self.subscriptions.pop(request.params["sub_id"], None)
        if found is None:
            raise bullhorn_error(404, f"No subscription '{request.params['sub_id']}'", "errors.notFound")
        return json_response({"result": True})

    def _subscription(self, sub_id: str) -> Subscription:
        sub = self.subscriptions.get(sub_id)
        if sub is None:
            raise bullhorn_error(404, f"No subscription with id '{sub_id}'", "errors.notFound")
        return sub

    def _emit(self, entity: str, entity_id: int, kind: str, props: Iterable[str]) -> None:
        event = {
            "eventId": f"ID:JBM-{40_000_000 + next(self._event_ids)}",
            "eventType": "ENTITY",
            "eventTimestamp": self.clock(),
            "eventMetadata": {"PERSON_ID": "1", "TRANSACTION_ID": "sandbox"},
            "entityName": entity,
            "entityId": entity_id,
            "entityEventType": kind,
        }
        if kind == "UPDATED":
            event["updatedProperties"] = sorted(props)
        for sub in self.subscriptions.values():
            if entity in sub.names and kind in sub.types:
                sub.pending.append(dict(event))
                if len(sub.pending) > self.event_retention:
                    del sub.pending[: len(sub.pending) - self.event_retention]

    def purge_events(self) -> None:
        """Events older than the retention are gone (as after 7 days in Bullhorn)."""
        with self.lock:
            for sub in self.subscriptions.values():
                sub.pending.clear()
                sub.last_batch = []

    # -------------------------------------------------------------------------------------- mutation API
    def _touch(self) -> None:
        self._version += 1
        with self._cache_lock:
            self._cache.clear()
            self._ids_cache.clear()
        self._projections.clear()  # their memos of associated rows may be stale
        self._encoders.clear()  # and so may the rows they encoded

    def add(self, entity: str, **values: Any) -> int:
        """Create a row (as ``PUT entity/{Entity}`` would); returns its id. Emits INSERTED."""
        self._entity(entity)
        with self.lock:
            new_id = int(values.pop("id", 0)) or self.next_ids[entity]
            self.next_ids[entity] = max(self.next_ids[entity], new_id + 1)
            now = self.clock()
            row: Row = {"id": new_id}
            if "dateAdded" in self.entities[entity].fields:
                row["dateAdded"] = now
            if "dateLastModified" in self.entities[entity].fields:
                row["dateLastModified"] = now
            if "isDeleted" in self.entities[entity].fields:
                row["isDeleted"] = False
            row.update(values)
            self.rows[entity][new_id] = row
            self._touch()
            self._emit(entity, new_id, "INSERTED", ())
        return new_id

    def update(self, entity: str, entity_id: int, **values: Any) -> Row:
        """Change fields of a row (``POST entity/{Entity}/{id}``); bumps dateLastModified. Emits UPDATED."""
        self._entity(entity)
        with self.lock:
            row = self.rows[entity].get(entity_id)
            if row is None:
                raise KeyError(f"{entity} {entity_id} does not exist")
            row.update(values)
            if "dateLastModified" in self.entities[entity].fields and "dateLastModified" not in values:
                row["dateLastModified"] = self.clock()
            self._touch()
            self._emit(entity, entity_id, "UPDATED", values)
        return row

    def soft_delete(self, entity: str, entity_id: int) -> Row:
        """``isDeleted = true`` (the row stays, hidden from queries that do not ask for deleted rows)."""
        if "isDeleted" not in self._entity(entity).fields:
            raise ValueError(
                f"{entity} has no isDeleted flag; Bullhorn deletes it for good (use hard_delete)"
            )
        return self.update(entity, entity_id, isDeleted=True)

    def hard_delete(self, entity: str, entity_id: int) -> None:
        """Remove the row for good: only an event subscription sees it (DELETED)."""
        self._entity(entity)
        with self.lock:
            if self.rows[entity].pop(entity_id, None) is None:
                raise KeyError(f"{entity} {entity_id} does not exist")
            self._touch()
            self._emit(entity, entity_id, "DELETED", ())

    def place_candidate(self, candidate_id: int, *, pay_rate: float = 42.5, bill_rate: float = 61.0) -> int:
        """Demo helper: the candidate becomes Placed and gets an active placement; returns the placement id."""
        cand = self.rows["Candidate"][candidate_id]
        job = next(iter(self.rows["JobOrder"].values()))
        self.update("Candidate", candidate_id, status="Placed")
        day = self.clock() - self.clock() % 86_400_000
        return (
            self.add(
                "Placement",
                candidate=candidate_id,
                jobOrder=job["id"],
                status="Active",
                dateBegin=day + 7 * 86_400_000,
                dateEnd=day + 187 * 86_400_000,
                payRate=pay_rate,
                clientBillRate=bill_rate,
                salaryUnit="Per Hour",
                employmentType=job.get("employmentType") or "Contract",
                salary=0,
                fee=0,
                customText1=f"PO-{candidate_id}",
                overtimeRate=round(pay_rate * 1.5, 2),
            )
            if cand
            else 0
        )

    def ids(self, entity: str, *, deleted: bool | None = None) -> list[int]:
        """The ids of ``entity`` (optionally only soft-deleted or only live rows), ascending."""
        with self.lock:
            return sorted(
                i
                for i, r in self.rows[entity].items()
                if deleted is None or bool(r.get("isDeleted")) == deleted
            )


def _sort_by(resolver: Callable[[Row, str], Any], name: str) -> Callable[[Row], tuple[int, Any]]:
    return lambda row: _sort_key(resolver(row, name))


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, 0)
    if isinstance(value, str):
        return (2, value.lower())
    if isinstance(value, list):
        return (1, len(value))
    return (1, value)


@dataclass(frozen=True)
class _IdRange:
    floor: int | None = None
    floor_inclusive: bool = False
    ceiling: int | None = None
    ceiling_inclusive: bool = True

    def slice(self, rows: list[Row], ids: list[int] | None) -> list[Row]:
        """The rows inside the range: bisect when ``ids`` (ascending) is given, else a scan."""
        if ids is not None:
            lo = 0
            if self.floor is not None:
                lo = (bisect.bisect_left if self.floor_inclusive else bisect.bisect_right)(ids, self.floor)
            hi = len(ids)
            if self.ceiling is not None:
                hi = (bisect.bisect_right if self.ceiling_inclusive else bisect.bisect_left)(
                    ids, self.ceiling
                )
            return rows[lo:hi]
        return [r for r in rows if self.contains(r["id"])]

    def contains(self, value: int) -> bool:
        if self.floor is not None and (
            value < self.floor or (value == self.floor and not self.floor_inclusive)
        ):
            return False
        return not (
            self.ceiling is not None
            and (value > self.ceiling or (value == self.ceiling and not self.ceiling_inclusive))
        )


_LUCENE_FLOOR = re.compile(r"id\s*:\s*([\[{])\s*(\d+)\s+TO\s+\*\s*[\]}]")
_LUCENE_CEILING = re.compile(r"id\s*:\s*[\[{]\s*\*\s+TO\s+(\d+)\s*([\]}])")
_WHERE_BOUND = re.compile(r"id\s*(>=|>|<=|<)\s*(\d+)")


def _split_id_range(text: str, search: bool) -> tuple[str, _IdRange | None]:
    """Pull top-level id bounds (``id:{N TO *]``, ``id:[* TO M]``; ``id > N``, ``id <= M``) out of a query, so
    key-paged reads of any id range share one cached result list; returns (rest of the query, the range)."""
    parts = _top_level_and(text)
    if parts is None:
        return text, None
    found = _IdRange()
    rest: list[str] = []
    for part in parts:
        p = part.strip()
        if search:
            floor, ceiling = _LUCENE_FLOOR.fullmatch(p), _LUCENE_CEILING.fullmatch(p)
            if floor and found.floor is None:
                found = _IdRange(
                    int(floor.group(2)), floor.group(1) == "[", found.ceiling, found.ceiling_inclusive
                )
                continue
            if ceiling and found.ceiling is None:
                found = _IdRange(
                    found.floor, found.floor_inclusive, int(ceiling.group(1)), ceiling.group(2) == "]"
                )
                continue
        else:
            bound = _WHERE_BOUND.fullmatch(p)
            if bound and bound.group(1).startswith(">") and found.floor is None:
                found = _IdRange(
                    int(bound.group(2)), bound.group(1) == ">=", found.ceiling, found.ceiling_inclusive
                )
                continue
            if bound and bound.group(1).startswith("<") and found.ceiling is None:
                found = _IdRange(
                    found.floor, found.floor_inclusive, int(bound.group(2)), bound.group(1) == "<="
                )
                continue
        rest.append(p)
    if found == _IdRange():
        return text, None
    return " AND ".join(f"({p})" if len(rest) > 1 else p for p in rest), found


def _top_level_and(text: str) -> list[str] | None:
    """Split on top-level AND; None when a top-level OR makes that unsafe."""
    depth, quote_char, start, parts = 0, "", 0, []
    i = 0
    upper = text.upper()
    while i < len(text):
        ch = text[i]
        if quote_char:
            if ch == quote_char:
                quote_char = ""
        elif ch in "\"'":
            quote_char = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and upper.startswith(" OR ", i):
            return None
        elif depth == 0 and upper.startswith(" AND ", i):
            parts.append(text[start:i])
            start = i + 5
            i += 5
            continue
        i += 1
    parts.append(text[start:])
    return parts


def _form(body: bytes) -> dict[str, list[str]]:
    from urllib.parse import parse_qs

    return parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m source_bullhorn.sandbox", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--candidates", type=int, default=200)
    args = parser.parse_args(argv)
    sandbox = BullhornSandbox(seed=args.seed, candidates=args.candidates, port=args.port, log_requests=False)
    sandbox.start()
    print(f"Bullhorn sandbox listening on {sandbox.url}; source-bullhorn config:", flush=True)
    print(json.dumps(sandbox.demo_config(), indent=2), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        sandbox.stop()


if __name__ == "__main__":
    main()
