"""The Zoho sandbox server: Recruit v2 and CRM (v2 to v8) records and metadata, plus the accounts server
(:mod:`source_zoho.sandbox.accounts`), on one loopback port.

* ``settings/modules`` and ``settings/fields`` (some modules answer 204, 401 or 403; some fields lack
  ``json_type``).
* records: ``page``/``per_page`` (max 200), ``more_records``, 204 for an empty page, ``If-Modified-Since`` with
  304 when nothing changed; CRM v3+ requires ``fields`` (at most 50), ``ids`` (at most 100), and refuses
  ``page`` beyond 2,000 records (400 ``DISCRETE_PAGINATION_LIMIT_EXCEEDED``) where ``page_token`` must be used.
* ``{module}/deleted?type=all|recycle|permanent``.
* fault switches from :mod:`staffwire.testing.sandbox` answer with Zoho's error shapes (credit-style 429s).
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

from staffwire.py310 import datetime_fromisoformat
from staffwire.testing.sandbox import (
    Request,
    Response,
    Sandbox,
    TokenBook,
    json_response,
    route,
)

from source_zoho.sandbox.accounts import ALL_SCOPES, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, AccountsServer
from source_zoho.sandbox.crm_data import crm_modules
from source_zoho.sandbox.recruit_data import recruit_modules
from source_zoho.sandbox.seed import CRM_ORG, RECRUIT_ORG, ModuleSeed, Seeder, name_of
from source_zoho.sandbox.store import (
    CREDITS_EXCEEDED,
    MAX_FIELDS,
    MAX_IDS,
    MAX_PER_PAGE,
    PAGE_LIMIT,
    ModuleStore,
    parse_offset,
    zoho_error,
)

__all__ = ["ZohoSandbox"]


class ZohoSandbox(AccountsServer, Sandbox):
    """Zoho accounts server + Recruit v2 + CRM on one loopback port.

    ``dc`` names the data center this instance plays: tokens it issues only work here, and a token issued by
    another instance (another data center) answers ``INVALID_OAUTHTOKEN``, as Zoho does.
    """

    name = "zoho"

    @classmethod
    def size_kwargs(cls, size: int) -> dict[str, Any]:
        """``staffwire sandbox run zoho --size N``: N candidates (Recruit) and N leads (CRM)."""
        return {"recruit_sizes": {"Candidates": size}, "crm_sizes": {"Leads": size}}

    def __init__(
        self,
        *,
        seed: int = 7,
        recruit_sizes: dict[str, int] | None = None,
        crm_sizes: dict[str, int] | None = None,
        dc: str = "us",
        recruit_offset: str = "+05:30",
        crm_offset: str = "-08:00",
        token_ttl: float = 3600.0,
        token_max_uses: int | None = None,
        refresh_limit: int = 10,
        refresh_window: float = 600.0,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(host=host, port=port)
        self.dc = dc
        # what a token from another data center gets: Zoho's notes say INVALID_OAUTHTOKEN, field reports
        # (multi-DC bugs in other integrations) show INVALID_TOKEN; the connector handles both
        self.cross_dc_code = "INVALID_OAUTHTOKEN"
        self.token_ttl = token_ttl
        self.token_max_uses = token_max_uses
        self.refresh_limit = refresh_limit
        self.refresh_window = refresh_window
        self.tokens = TokenBook(prefix=f"1000.{dc}")
        self.clients: dict[str, str] = {CLIENT_ID: CLIENT_SECRET}
        self.refresh_tokens: dict[str, frozenset[str]] = {REFRESH_TOKEN: ALL_SCOPES}
        self.refreshes: list[float] = []
        self.offsets = {"recruit": parse_offset(recruit_offset), "crm": parse_offset(crm_offset)}
        self.zulu = {p for p, text in (("recruit", recruit_offset), ("crm", crm_offset)) if text == "Z"}
        self.modules: dict[str, dict[str, ModuleStore]] = {"recruit": {}, "crm": {}}
        self._page_tokens: dict[str, tuple[tuple[Any, ...], int]] = {}
        self._data_lock = threading.RLock()
        self.clock = datetime(2024, 6, 1, tzinfo=timezone.utc)
        self._owners: dict[str, dict[str, str]] = {}
        # called with (module, rows) after a page of records is cut and before it is sent: tests change data
        # "while a read is in progress" through it
        self.on_page: Callable[[str, list[dict[str, Any]]], None] | None = None
        self._seed("recruit", recruit_modules(recruit_sizes or {}), Seeder(seed, RECRUIT_ORG))
        self._seed("crm", crm_modules(crm_sizes or {}), Seeder(seed + 1, CRM_ORG))

    def demo_config(self, url: str | None = None, **overrides: Any) -> dict[str, Any]:
        """A source-zoho config for this sandbox (its demo client and refresh token; Recruit by default)."""
        base = (url or self.url).rstrip("/")
        config: dict[str, Any] = {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "refresh_token": REFRESH_TOKEN,
            "data_center": self.dc,
            "product": "recruit",
            "accounts_url": base,
            "api_url": base,
        }
        config.update(overrides)
        return config

    # ------------------------------------------------------------------------------------------ seeding
    def _seed(self, product: str, seeds: list[ModuleSeed], seeder: Seeder) -> None:
        for index, seed in enumerate(seeds, start=1):
            store = ModuleStore(seed, index, product)
            for n in range(seed.count):
                assert seed.generate is not None
                rec = seed.generate(seeder, n)
                rid = seeder.record_id(index, n)
                rec["id"] = rid
                store.records[rid] = rec
                seeder.names[rid] = name_of(seed.api_name, rec)
                seeder.ids.setdefault(seed.api_name, []).append(rid)
                self.clock = max(self.clock, rec.get("Modified_Time") or self.clock)
            self.modules[product][seed.api_name] = store
        self._owners[product] = seeder.owners[0]

    # --------------------------------------------------------------------------------- test-facing API
    def touch_all(self, product: str, module: str, at: datetime) -> None:
        """Give every record of the module the same ``Modified_Time`` (as a bulk import or mass update does)."""
        with self._data_lock:
            store = self.store(product, module)
            for rec in store.records.values():
                rec["Modified_Time"] = at
            store.version += 1

    def rename_module(self, product: str, old: str, new: str) -> None:
        """Serve a module under another api_name (some orgs have ``Job_Openings`` for ``JobOpenings``)."""
        with self._data_lock:
            store = self.modules[product].pop(old)
            store.seed.api_name = new
            self.modules[product][new] = store

    def rename_field(
        self, product: str, module: str, old: str, new: str, *, label: str | None = None
    ) -> None:
        """Give a field another api_name (and optionally label), in the metadata and in every record: tenants
        name fields their own way (Interviews' From/To as ``Start_DateTime``/``End_DateTime``)."""
        with self._data_lock:
            store = self.store(product, module)
            store.seed.fields = [
                replace(
                    spec, api_name=new, label=label if label is not None else (spec.label or spec.api_name)
                )
                if spec.api_name == old
                else spec
                for spec in store.seed.fields
            ]
            for record in store.records.values():
                if old in record:
                    record[new] = record.pop(old)
            store.version += 1

    def drop_field(self, product: str, module: str, api_name: str) -> None:
        """A tenant without this field: gone from the metadata and from every record."""
        with self._data_lock:
            store = self.store(product, module)
            store.seed.fields = [spec for spec in store.seed.fields if spec.api_name != api_name]
            for record in store.records.values():
                record.pop(api_name, None)
            store.version += 1

    def tick(self) -> datetime:
        """Advance the sandbox clock (one minute per change, so cursors are deterministic)."""
        self.clock = self.clock + timedelta(minutes=1)
        return self.clock

    def store(self, product: str, module: str) -> ModuleStore:
        return self.modules[product][module]

    def ids(self, product: str, module: str) -> set[str]:
        return set(self.store(product, module).records)

    def record(self, product: str, module: str, rid: str) -> dict[str, Any]:
        store = self.store(product, module)
        return self._render(store, store.records[rid])

    def update_record(
        self, product: str, module: str, rid: str, *, at: datetime | None = None, **changes: Any
    ) -> dict[str, Any]:
        """Change a record; ``Modified_Time`` becomes the next clock minute, or ``at`` when given."""
        with self._data_lock:
            store = self.store(product, module)
            rec = store.records[rid]
            rec.update(changes)
            rec["Modified_Time"] = at if at is not None else self.tick()
            store.version += 1
            return self._render(store, rec)

    def create_record(self, product: str, module: str, **values: Any) -> str:
        with self._data_lock:
            store = self.store(product, module)
            rid = str(
                store.org * 1_000_000
                + store.index * 100_000
                + 90_000
                + len(store.records)
                + len(store.deleted)
            )
            now = self.tick()
            owner = dict(self._owners[product])
            store.records[rid] = {
                "id": rid,
                "Created_Time": now,
                "Modified_Time": now,
                "Created_By": owner,
                "Modified_By": owner,
                **values,
            }
            store.version += 1
            return rid

    def delete_record(self, product: str, module: str, rid: str, *, permanent: bool = False) -> None:
        with self._data_lock:
            store = self.store(product, module)
            rec = store.records.pop(rid)
            store.version += 1
            store.deleted.append(
                {
                    "deleted_by": dict(self._owners[product]),
                    "id": rid,
                    "display_name": name_of(module, rec),
                    "type": "permanent" if permanent else "recycle",
                    "created_by": rec.get("Created_By"),
                    "deleted_time": self.tick(),
                }
            )

    def deleted_records(self, product: str, module: str) -> list[dict[str, Any]]:
        """The module's deleted-records entries as the API renders them."""
        return [
            {**d, "deleted_time": self._fmt(d["deleted_time"], product)}
            for d in self.store(product, module).deleted
        ]

    def exhaust_credits(self, path: str = "", times: int = 1) -> None:
        """The next ``times`` API calls (matching ``path``) answer 429 as when the credit budget runs out."""
        self.faults.rate_limit(path or r"^/(recruit|crm)/", times=times, body=CREDITS_EXCEEDED)

    def fault_body(self, status: int) -> Any:
        if status == 429:
            return {
                "code": "TOO_MANY_REQUESTS",
                "details": {},
                "message": "The number of requests in the given time has exceeded the limit.",
                "status": "error",
            }
        if status >= 500:
            return {
                "code": "INTERNAL_ERROR",
                "details": {},
                "message": "Internal Server Error",
                "status": "error",
            }
        return {"code": "INVALID_REQUEST", "details": {}, "message": f"HTTP {status}", "status": "error"}

    def not_found(self, request: Request) -> Response:
        return json_response(
            {
                "code": "INVALID_URL_PATTERN",
                "details": {},
                "message": "Please check if the URL trying to access is a correct one",
                "status": "error",
            },
            404,
        )

    # ----------------------------------------------------------------------------------------- metadata
    def _modules(self, product: str, crm_v3: bool) -> Response:
        modules = []
        for store in self.modules[product].values():
            seed = store.seed
            modules.append(
                {
                    "id": str(store.org * 1_000_000 + store.index * 10 + 2),
                    "api_name": seed.api_name,
                    "module_name": seed.api_name,
                    "plural_label": re.sub(r"(?<=[a-z])(?=[A-Z])", " ", seed.api_name),
                    "singular_label": seed.singular.capitalize(),
                    "api_supported": seed.api_supported,
                    "generated_type": seed.generated_type,
                    "modified_time": "2023-11-02T10:15:00+05:30",
                    "creatable": seed.api_supported,
                    "editable": seed.api_supported,
                    "deletable": seed.api_supported,
                    "viewable": True,
                    "sequence_number": store.index,
                    "visibility": 1,
                }
            )
        return json_response({"modules": modules})

    def _fields(self, product: str, request: Request, crm_v3: bool) -> Response:
        module = request.arg("module")
        if not module:
            raise zoho_error(
                400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", param="module"
            )
        store = self.modules[product].get(module)
        if store is None or not store.seed.api_supported:
            raise zoho_error(400, "INVALID_MODULE", "the module name given seems to be invalid")
        if store.seed.metadata_status == 204:
            return Response(204)
        if store.seed.metadata_status == 403:
            raise zoho_error(403, "NO_PERMISSION", "permission denied to access the module")
        if store.seed.metadata_status == 401:
            raise zoho_error(401, "OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL")
        fields = [
            spec.metadata(str(store.org * 1_000_000 + store.index * 1000 + i), crm_v3)
            for i, spec in enumerate(store.seed.fields, start=1)
        ]
        return json_response({"fields": fields})

    @route("GET", "/recruit/v2/settings/modules")
    def recruit_modules(self, request: Request) -> Response:
        return self._modules("recruit", False)

    @route("GET", "/recruit/v2/settings/fields")
    def recruit_fields(self, request: Request) -> Response:
        return self._fields("recruit", request, False)

    @route("GET", "/crm/{version}/settings/modules")
    def crm_modules(self, request: Request) -> Response:
        return self._modules("crm", self._crm_version(request) >= 3)

    @route("GET", "/crm/{version}/settings/fields")
    def crm_fields(self, request: Request) -> Response:
        return self._fields("crm", request, self._crm_version(request) >= 3)

    # ------------------------------------------------------------------------------------------ records
    @route("GET", "/recruit/v2/{module}/deleted")
    def recruit_deleted(self, request: Request) -> Response:
        return self._deleted("recruit", request)

    @route("GET", "/recruit/v2/{module}")
    def recruit_records(self, request: Request) -> Response:
        return self._records("recruit", request, crm_version=None)

    @route("GET", "/crm/{version}/{module}/deleted")
    def crm_deleted(self, request: Request) -> Response:
        self._crm_version(request)
        return self._deleted("crm", request)

    @route("GET", "/crm/{version}/{module}")
    def crm_records(self, request: Request) -> Response:
        return self._records("crm", request, crm_version=self._crm_version(request))

    @staticmethod
    def _crm_version(request: Request) -> float:
        match = re.fullmatch(r"v(\d+(?:\.\d+)?)", request.params.get("version", ""))
        if not match or not 2 <= float(match.group(1)) <= 8:
            raise zoho_error(
                404, "INVALID_URL_PATTERN", "Please check if the URL trying to access is a correct one"
            )
        return float(match.group(1))

    def _module(self, product: str, request: Request) -> ModuleStore:
        store = self.modules[product].get(request.params["module"])
        if store is None or not store.seed.api_supported:
            raise zoho_error(400, "INVALID_MODULE", "the module name given seems to be invalid")
        return store

    def _since(self, request: Request) -> datetime | None:
        value = request.header("if-modified-since")
        if not value:
            return None
        try:
            moment = datetime_fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise zoho_error(
                400, "INVALID_DATA", "invalid If-Modified-Since header", header="If-Modified-Since"
            ) from None
        if moment.tzinfo is None:
            raise zoho_error(400, "INVALID_DATA", "If-Modified-Since needs a time zone offset")
        return moment

    def _paging(self, request: Request) -> tuple[int, int]:
        page = max(1, request.int_arg("page", 1))
        per_page = min(MAX_PER_PAGE, max(1, request.int_arg("per_page", MAX_PER_PAGE)))
        return page, per_page

    def _records(self, product: str, request: Request, crm_version: float | None) -> Response:
        store = self._module(product, request)
        known = {spec.api_name for spec in store.seed.fields} | {"id"}
        fields_arg = request.arg("fields")
        wanted: list[str] | None = None
        if fields_arg:
            wanted = [f.strip() for f in fields_arg.split(",") if f.strip()]
            if len(wanted) > MAX_FIELDS:
                raise zoho_error(
                    400,
                    "LIMIT_EXCEEDED",
                    "the given fields exceeds the maximum limit of 50",
                    limit=MAX_FIELDS,
                    param="fields",
                )
            for name in wanted:
                if name not in known:
                    raise zoho_error(
                        400, "INVALID_DATA", "the field name given seems to be invalid", api_name=name
                    )
        elif crm_version is not None and crm_version >= 3:
            raise zoho_error(
                400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", param="fields"
            )
        since = self._since(request)
        with self._data_lock:
            ids_arg = request.arg("ids")
            if ids_arg:
                ids = [i for i in ids_arg.split(",") if i]
                if len(ids) > MAX_IDS:
                    raise zoho_error(
                        400,
                        "LIMIT_EXCEEDED",
                        "the given ids exceeds the maximum limit of 100",
                        limit=MAX_IDS,
                        param="ids",
                    )
                rows = [self._render(store, store.records[i], wanted) for i in ids if i in store.records]
                if not rows:
                    return Response(204)
                return json_response(
                    {
                        "data": rows,
                        "info": {"per_page": len(rows), "count": len(rows), "page": 1, "more_records": False},
                    }
                )
            sort_by = request.arg("sort_by") or "id"
            if sort_by not in ("id", "Modified_Time", "Created_Time"):
                raise zoho_error(400, "INVALID_DATA", "the sort_by value given is invalid", param="sort_by")
            descending = (request.arg("sort_order") or "asc") == "desc"
            ordered = store.ordered(sort_by, descending)
            if since is not None:
                ordered = [i for i in ordered if store.records[i]["Modified_Time"] > since]
                if not ordered:
                    return Response(304)
            page, per_page = self._paging(request)
            query_key = (store.seed.api_name, sort_by, descending, since)
            token = request.arg("page_token")
            if token is not None and crm_version is not None and crm_version > 2:
                known_token = self._page_tokens.get(token)
                if known_token is None or known_token[0] != query_key:
                    raise zoho_error(
                        400, "INVALID_DATA", "the page_token given is invalid or expired", param="page_token"
                    )
                offset = known_token[1]
                page = offset // per_page + 1
            else:
                offset = (page - 1) * per_page
                if crm_version is not None and offset + per_page > PAGE_LIMIT:
                    raise zoho_error(
                        400,
                        "DISCRETE_PAGINATION_LIMIT_EXCEEDED",
                        "cannot get records beyond 2000 without page_token",
                        limit=PAGE_LIMIT,
                    )
            chunk = ordered[offset : offset + per_page]
            if not chunk:
                return Response(204)
            more = offset + per_page < len(ordered)
            info: dict[str, Any] = {
                "per_page": per_page,
                "count": len(chunk),
                "page": page,
                "more_records": more,
            }
            if crm_version is not None:
                info.update({"sort_by": sort_by, "sort_order": "desc" if descending else "asc"})
                if crm_version > 2:
                    next_token = None
                    if more:
                        next_token = secrets.token_hex(16)
                        self._page_tokens[next_token] = (query_key, offset + per_page)
                    info.update(
                        {
                            "next_page_token": next_token,
                            "previous_page_token": None,
                            "page_token_expiry": (self.clock + timedelta(days=1)).isoformat(),
                        }
                    )
            rows = [self._render(store, store.records[i], wanted) for i in chunk]
        if self.on_page is not None:
            self.on_page(store.seed.api_name, rows)
        return json_response({"data": rows, "info": info})

    def _deleted(self, product: str, request: Request) -> Response:
        store = self._module(product, request)
        kind = (request.arg("type") or "all").lower()
        if kind not in ("all", "recycle", "permanent"):
            raise zoho_error(400, "INVALID_DATA", "the type given is invalid", param="type")
        since = self._since(request)
        with self._data_lock:
            rows = [d for d in store.deleted if kind == "all" or d["type"] == kind]
            if since is not None:
                rows = [d for d in rows if d["deleted_time"] > since]
                if not rows:
                    return Response(304)
            page, per_page = self._paging(request)
            chunk = rows[(page - 1) * per_page : page * per_page]
            if not chunk:
                return Response(204)
            out = [{**d, "deleted_time": self._fmt(d["deleted_time"], product)} for d in chunk]
        return json_response(
            {
                "data": out,
                "info": {
                    "per_page": per_page,
                    "count": len(out),
                    "page": page,
                    "more_records": page * per_page < len(rows),
                },
            }
        )

    # --------------------------------------------------------------------------------------- rendering
    def _fmt(self, moment: datetime, product: str) -> str:
        """ISO 8601 in the org's offset; ``Z`` when the sandbox was told to answer like that."""
        text = moment.astimezone(self.offsets[product]).replace(microsecond=0).isoformat()
        return text[:-6] + "Z" if product in self.zulu else text

    def _render(
        self, store: ModuleStore, rec: dict[str, Any], wanted: list[str] | None = None
    ) -> dict[str, Any]:
        keys = ["id", *wanted] if wanted else list(rec)
        out: dict[str, Any] = {}
        for key in keys:
            value = rec.get(key)
            out[key] = self._fmt(value, store.product) if isinstance(value, datetime) else value
        if wanted is None and store.product == "recruit":
            out.update(SYSTEM_FIELDS)  # Recruit adds these to every full record; no field metadata names them
        return out


SYSTEM_FIELDS: dict[str, Any] = {
    "$currency_symbol": "$",
    "$process_flow": False,
    "$approved": True,
    "$approval": {"delegate": False, "approve": False, "reject": False, "resubmit": False},
    "$editable": True,
}
