"""The Bullhorn sandbox server: seeded rows, meta, entity reads and writes, search/query with Bullhorn's paging
rules, and the Python mutation API; the login hops (:mod:`.auth`), event subscriptions (:mod:`.events`), row
projection (:mod:`.projection`) and cached result lists (:mod:`.ranges`) live beside it."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from staffwire.testing.sandbox import Request, Response, Sandbox, TokenBook, json_response, route

from source_bullhorn.reference_data import entity_metas
from source_bullhorn.sandbox.auth import AuthHops
from source_bullhorn.sandbox.common import Entity, Row, bullhorn_error
from source_bullhorn.sandbox.events import EventSubscriptions, Subscription
from source_bullhorn.sandbox.projection import Projector
from source_bullhorn.sandbox.query import (
    QuerySyntaxError,
    mentions,
    parse_fields,
    parse_lucene,
    parse_sort,
    parse_where,
)
from source_bullhorn.sandbox.ranges import sort_by, split_id_range
from source_bullhorn.sandbox.seed import Sizes, seed_rows
from source_bullhorn.sandbox.writes import EntityWrites, WriteLog

__all__ = ["BullhornSandbox"]

MAX_COUNT = 500
WIDE_COUNT = 200
WIDE_FIELDS = 40  # more top-level fields than this (or any to-many) and Bullhorn answers at most 200 rows


class BullhornSandbox(AuthHops, EventSubscriptions, EntityWrites, Sandbox):
    """Bullhorn emulator. ``BullhornSandbox(seed=7, candidates=200)`` seeds realistic data of that size."""

    name = "bullhorn"
    size_option = "candidates"  # staffwire sandbox run bullhorn --size N
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
        self.entities = {name: Entity(meta) for name, meta in entity_metas().items()}
        self.rows: dict[str, dict[int, Row]] = {name: {} for name in self.entities}
        self.rows.update(seed_rows(seed, self.sizes))
        self.next_ids = {name: (max(rows) if rows else 0) + 1 for name, rows in self.rows.items()}
        self.subscriptions: dict[str, Subscription] = {}
        self.writes: list[WriteLog] = []  # every accepted PUT/POST/DELETE entity write
        self._event_ids = itertools.count(1)
        self._request_ids = itertools.count(1)
        self._version = 0
        self._cache: dict[tuple[Any, ...], list[Row]] = {}
        self._ids_cache: dict[tuple[Any, ...], list[int]] = {}
        self.projector = Projector(self.rows, self.entities)
        self._cache_lock = threading.Lock()
        self.clock: Callable[[], int] = lambda: int(time.time() * 1000)

    # ---------------------------------------------------------------------------------------- config helpers
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

    # ----------------------------------------------------------------------------------------------- REST
    def _entity(self, name: str) -> Entity:
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
            project = self.projector.projection(entity, request.arg("fields") or "id", allow_star=True)
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
            encode = self.projector.encoder(entity, fields_arg)
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
    def _resolver(self, entity: Entity) -> Callable[[Mapping[str, Any], str], Any]:
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

    def _matching(self, entity: Entity, text: str, order: list[tuple[str, bool]], search: bool) -> list[Row]:
        """Rows matching ``text`` in ``order``; cached per data version (key-paged reads reuse the same list)."""
        base, id_range = split_id_range(text, search)
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
                cached.sort(key=sort_by(resolver, name), reverse=descending)
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

    def preload(self, entity: str, fields: str) -> int:
        """Encode every row of ``entity`` for the field list ``fields`` now (as search/query would), so the first
        read is served as fast as the next; returns the number of rows. For benchmarks."""
        encode = self.projector.encoder(self._entity(entity), fields)
        with self.lock:
            rows = list(self.rows[entity].values())
        for row in rows:
            encode(row)
        return len(rows)

    # -------------------------------------------------------------------------------------- mutation API
    def _touch(self) -> None:
        self._version += 1
        with self._cache_lock:
            self._cache.clear()
            self._ids_cache.clear()
        self.projector.clear()

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
