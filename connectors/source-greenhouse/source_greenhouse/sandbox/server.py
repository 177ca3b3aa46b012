"""The Greenhouse sandbox: an emulator of Greenhouse's token endpoint and Harvest v3 on loopback.

What it does as Greenhouse does (harvestdocs.greenhouse.io; see the connector README, "Sandbox"):

* ``POST /token``: OAuth 2.0 client credentials with HTTP basic client auth, ``grant_type=client_credentials``
  and an optional ``sub`` (the user to act as); answers ``{"access_token", "token_type": "Bearer",
  "expires_at"}``; tokens expire (``token_ttl``, an hour by default). ``POST /introspect`` tells a token's scopes.
* Scopes per credential (``harvest:<resource>:list|create|update``): a call outside them is refused with 403.
  A revoked credential gets no token (401 ``invalid_client``).
* ``/v3/<resource>`` lists with cursor paging: filters and ``per_page`` (1..500, default 100) on the first
  request only, then a ``Link: <...?cursor=...>; rel="next"`` header whose cursor must be sent alone; no Link on
  the last page. Filters: ``ids`` and parent ids (at most 50 each), ``created_at`` / ``updated_at`` (and
  ``last_activity_at`` on candidates and applications) as ``gte|<ISO time>`` (also gt, lte, lt), ``status``,
  ``email`` on candidates (case-insensitive, any of their addresses).
* ``X-RateLimit-Limit`` / ``X-RateLimit-Remaining`` on every answer, per 10-second window; over the limit a 429
  with ``X-RateLimit-Reset`` and ``Retry-After``.
* Writes: ``POST /v3/candidates``, ``/v3/applications`` (refused for a missing or closed job, a missing required
  custom field, a candidate already on the job), ``/v3/attachments`` (one of ``content`` or ``url``),
  ``/v3/notes``; ``PATCH /v3/candidates/{id}`` (tags). Validation errors are Greenhouse's 422
  ``{"message": "Validation error", "errors": [{"message", "field"}]}``.
"""

from __future__ import annotations

import base64
import copy
import itertools
import math
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qs

import orjson
from staffwire.py310 import datetime_fromisoformat
from staffwire.testing.sandbox import HttpError, Request, Response, Sandbox, TokenBook, json_response, route

from source_greenhouse.sandbox.seed import iso, seed_data

__all__ = [
    "ALL_SCOPES",
    "CLIENT_ID",
    "CLIENT_SECRET",
    "NO_OFFERS_CLIENT",
    "READ_ONLY_CLIENT",
    "REVOKED_CLIENT",
    "GreenhouseSandbox",
]

CLIENT_ID = "9f1c2e7a-sandbox-harvest-v3"
CLIENT_SECRET = "gh-sandbox-secret-5b8d0f3a91"
READ_ONLY_CLIENT = ("4ad0c1de-sandbox-read-only", "gh-read-only-secret-77e1c0")
NO_OFFERS_CLIENT = ("c3b9f0aa-sandbox-no-offers", "gh-no-offers-secret-1d2e3f")
REVOKED_CLIENT = ("0e6a7b2c-sandbox-revoked", "gh-revoked-secret-8a9b0c")
SERVICE_USER = 1001  # the credential's service user when no sub is given

LISTED = (
    "jobs",
    "job_posts",
    "openings",
    "candidates",
    "applications",
    "offers",
    "scheduled_interviews",
    "attachments",
    "users",
    "departments",
    "offices",
    "notes",
    "sources",
)
ALL_SCOPES = frozenset(
    [f"harvest:{r}:list" for r in LISTED]
    + [f"harvest:{r}:create" for r in ("candidates", "applications", "attachments", "notes")]
    + ["harvest:candidates:update"]
)
PARENTS = {"candidate_ids": "candidate_id", "job_ids": "job_id", "application_ids": "application_id"}
TIME_FILTERS = {"created_at", "updated_at", "last_activity_at"}
MAX_IDS = 50
WINDOW = 10.0
ATTACHMENT_TYPES = ("resume", "cover_letter", "admin_only", "offer_packet", "offer_letter", "take_home_test")


def _validation(*errors: tuple[str, str]) -> HttpError:
    return HttpError(
        422, {"message": "Validation error", "errors": [{"message": m, "field": f} for f, m in errors]}
    )


class GreenhouseSandbox(Sandbox):
    """See the module docstring. ``rate_limit`` requests per ``window`` seconds (Greenhouse: 10; None: unlimited);
    ``token_ttl`` seconds."""

    name = "greenhouse"

    def __init__(
        self,
        *,
        seed: int = 17,
        candidates: int = 36,
        rate_limit: int | None = 50,
        token_ttl: float = 3600.0,
        window: float = WINDOW,
        host: str = "127.0.0.1",
        port: int = 0,
        log_requests: bool = True,
    ) -> None:
        super().__init__(host=host, port=port, log_requests=log_requests)
        data = seed_data(seed, candidates=candidates)
        self.tables = data.tables
        self.tables["sources"] = data.sources
        self.tables.setdefault("notes", {})
        self.required_fields = data.required_fields
        self.clients: dict[str, dict[str, Any]] = {
            CLIENT_ID: {"secret": CLIENT_SECRET, "scopes": set(ALL_SCOPES), "revoked": False},
            READ_ONLY_CLIENT[0]: {
                "secret": READ_ONLY_CLIENT[1],
                "scopes": {s for s in ALL_SCOPES if s.endswith(":list")},
                "revoked": False,
            },
            NO_OFFERS_CLIENT[0]: {
                "secret": NO_OFFERS_CLIENT[1],
                "scopes": set(ALL_SCOPES) - {"harvest:offers:list"},
                "revoked": False,
            },
            REVOKED_CLIENT[0]: {"secret": REVOKED_CLIENT[1], "scopes": set(ALL_SCOPES), "revoked": True},
        }
        self.tokens = TokenBook("ghv3", ttl=token_ttl)
        self.token_ttl = token_ttl
        self.rate_limit = rate_limit
        self.window = window
        self._window: list[float] = []
        self._ids = itertools.count(100001)
        self._clock_lock = threading.Lock()
        self._acting = threading.local()
        self.clock: Callable[[], float] = time.time

    # ------------------------------------------------------------------------------------------- helpers
    @property
    def api_url(self) -> str:
        return f"{self.url}/v3"

    @property
    def token_url(self) -> str:
        return f"{self.url}/token"

    def demo_config(self, url: str | None = None, **overrides: Any) -> dict[str, Any]:
        base = url or self.url
        return {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "api_url": f"{base}/v3",
            "token_url": f"{base}/token",
            **overrides,
        }

    def now(self) -> str:
        return iso(datetime.fromtimestamp(self.clock(), tz=timezone.utc))

    def revoke(self, client_id: str) -> None:
        """Revoke a credential: no new tokens, and the tokens it holds stop working."""
        self.clients[client_id]["revoked"] = True
        self.tokens.expire_all()

    def ids(self, resource: str) -> list[int]:
        return sorted(self.tables[resource])

    def fault_body(self, status: int) -> Any:
        return (
            {"message": f"Internal server error ({status})"}
            if status >= 500
            else {"message": f"HTTP {status}"}
        )

    # --------------------------------------------------------------------------------------------- auth
    def _client(self, request: Request) -> tuple[str, dict[str, Any]]:
        header = request.header("authorization") or ""
        try:
            pair = base64.b64decode(header.removeprefix("Basic ").encode(), validate=True).decode()
        except (ValueError, UnicodeDecodeError):
            pair = ""
        client_id, _, secret = pair.partition(":")
        client = self.clients.get(client_id)
        if not header.startswith("Basic ") or client is None or client["secret"] != secret:
            raise HttpError(
                401, {"error": "invalid_client", "error_description": "Client authentication failed."}
            )
        if client["revoked"]:
            raise HttpError(
                401,
                {"error": "invalid_client", "error_description": "The client credentials have been revoked."},
            )
        return client_id, client

    @route("POST", "/token")
    def token(self, request: Request) -> Response:
        client_id, client = self._client(request)
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        form.update({k: v[0] for k, v in request.query.items()})  # the PHP SDK sends grant_type in the query
        if form.get("grant_type") != "client_credentials":
            raise HttpError(
                400,
                {
                    "error": "unsupported_grant_type",
                    "error_description": "grant_type must be client_credentials.",
                },
            )
        sub = form.get("sub") or str(SERVICE_USER)
        user = self.tables["users"].get(int(sub)) if sub.isdigit() else None
        if user is None or user["disabled"]:
            raise HttpError(
                400,
                {
                    "error": "invalid_request",
                    "error_description": f"sub {sub} is not an active user of this organization.",
                },
            )
        token = self.tokens.issue(client_id=client_id, sub=int(sub), scopes=sorted(client["scopes"]))
        expires = datetime.fromtimestamp(self.clock() + self.token_ttl, tz=timezone.utc)
        return json_response(
            {
                "token_type": "Bearer",
                "access_token": token,
                "expires_at": expires.isoformat().replace("+00:00", "Z"),
            }
        )

    @route("POST", "/introspect")
    def introspect(self, request: Request) -> Response:
        self._client(request)
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        entry = self.tokens._tokens.get(form.get("token", ""))
        if entry is None or (entry["expires"] is not None and time.monotonic() >= entry["expires"]):
            return json_response({"active": False})
        data = entry["data"]
        client = self.clients[data["client_id"]]
        return json_response(
            {
                "active": not client["revoked"],
                "scope": " ".join(sorted(client["scopes"])),
                "sub": str(data["sub"]),
                "client_id": data["client_id"],
            }
        )

    def before_request(self, request: Request) -> Response | None:
        if not request.path.startswith("/v3/"):
            return None
        limited = self._rate_limited()
        if limited is not None:
            return limited
        bearer = (request.header("authorization") or "").removeprefix("Bearer ")
        data = self.tokens.use(bearer)
        if data is None or self.clients[data["client_id"]]["revoked"]:
            raise HttpError(401, {"message": "Invalid or expired access token."})
        scope = _scope_for(request)
        if scope not in self.clients[data["client_id"]]["scopes"]:  # scopes are checked on every request
            raise HttpError(403, {"message": f"Missing required scope: {scope}"})
        self._acting.user = int(data["sub"])  # the user this request acts as (a handler thread each)
        return None

    # ------------------------------------------------------------------------------------- rate limiting
    def _rate_limited(self) -> Response | None:
        if self.rate_limit is None:
            return None
        with self._clock_lock:
            now = self.clock()
            self._window = [t for t in self._window if t > now - self.window]
            if len(self._window) >= self.rate_limit:
                reset = self._window[0] + self.window
                wait = max(1, math.ceil(reset - now))
                return json_response(
                    {"message": "Rate limit exceeded."},
                    429,
                    {
                        "X-RateLimit-Limit": str(self.rate_limit),
                        "X-RateLimit-Remaining": "0",
                        "X-RateLimit-Reset": str(math.ceil(reset)),
                        "Retry-After": str(wait),
                    },
                )
            self._window.append(now)
        return None

    def dispatch(self, request: Request) -> Response:
        response = super().dispatch(request)
        if request.path.startswith("/v3/") and self.rate_limit is not None and response.status != 429:
            with self._clock_lock:
                left = max(0, self.rate_limit - len(self._window))
            response.headers.setdefault("X-RateLimit-Limit", str(self.rate_limit))
            response.headers.setdefault("X-RateLimit-Remaining", str(left))
        return response

    # -------------------------------------------------------------------------------------------- reads
    @route("GET", "/v3/{resource}")
    def list_records(self, request: Request) -> Response:
        resource = request.params["resource"]
        table = self.tables.get(resource)
        if table is None:
            raise HttpError(404, {"message": "Resource not found"})
        cursor = request.arg("cursor")
        if cursor is not None:
            if len(request.query) > 1:
                raise _validation(("cursor", "cursor cannot be combined with other query parameters"))
            query, after = _decode_cursor(cursor, resource)
        else:
            query, after = {k: v[0] for k, v in request.query.items()}, 0
        per_page = _per_page(query.get("per_page"))
        predicate = _filters(resource, query)
        with self.lock:
            rows = [r for k, r in sorted(table.items()) if k > after and predicate(r)]
        limit = self.page_limit(request, per_page)
        page = rows[:limit]
        headers = {}
        if len(rows) > limit and page:
            token = _encode_cursor(resource, query, page[-1]["id"])
            headers["Link"] = f'<{self.api_url}/{resource}?cursor={token}>; rel="next"'
        return Response(200, orjson.dumps([_public(r) for r in page]), headers)

    @route("GET", "/v3/{resource}/{rid}")
    def get_record(self, request: Request) -> Response:
        row = self._row(request.params["resource"], request.params["rid"])
        return json_response(_public(row))

    def _row(self, resource: str, rid: str | int) -> dict[str, Any]:
        table = self.tables.get(resource)
        row = table.get(int(rid)) if table is not None and str(rid).isdigit() else None
        if row is None:
            raise HttpError(404, {"message": "Resource not found"})
        return row

    # ------------------------------------------------------------------------------------------- writes
    @route("POST", "/v3/candidates")
    def create_candidate(self, request: Request) -> Response:
        body = _object(request)
        missing = [f for f in ("first_name", "last_name") if not str(body.get(f) or "").strip()]
        if missing:
            raise _validation(*((f, f"{f} is required") for f in missing))
        now = self.now()
        with self.lock:
            cid = next(self._ids)
            user = self.tables["users"][self._acting.user]
            candidate = {
                "id": cid,
                "first_name": body["first_name"],
                "last_name": body["last_name"],
                "company": body.get("company"),
                "title": body.get("title"),
                "created_at": now,
                "updated_at": now,
                "last_activity_at": now,
                "is_private": bool(body.get("is_private", False)),
                "photo_url": None,
                "phone_numbers": list(body.get("phone_numbers") or []),
                "addresses": list(body.get("addresses") or []),
                "email_addresses": list(body.get("email_addresses") or []),
                "website_addresses": list(body.get("website_addresses") or []),
                "social_media_addresses": list(body.get("social_media_addresses") or []),
                "recruiter": None,
                "coordinator": None,
                "can_email": True,
                "tags": list(body.get("tags") or []),
                "linked_user_ids": [],
                "custom_fields": dict(body.get("custom_fields") or {}),
                "keyed_custom_fields": {},
                "_created_by": user["id"],
            }
            self.tables["candidates"][cid] = candidate
        return json_response(_public(candidate), 201)

    @route("PATCH", "/v3/candidates/{rid}")
    def update_candidate(self, request: Request) -> Response:
        body = _object(request)
        with self.lock:
            candidate = self._row("candidates", request.params["rid"])
            for key in ("first_name", "last_name", "company", "title", "tags", "custom_fields"):
                if key in body:
                    candidate[key] = copy.deepcopy(body[key])
            candidate["updated_at"] = self.now()
        return json_response(_public(candidate))

    @route("POST", "/v3/applications")
    def create_application(self, request: Request) -> Response:
        body = _object(request)
        errors: list[tuple[str, str]] = []
        for key in ("candidate_id", "job_id"):
            if not isinstance(body.get(key), int):
                errors.append((key, f"{key} is required and must be an integer"))
        if errors:
            raise _validation(*errors)
        with self.lock:
            candidate = self.tables["candidates"].get(body["candidate_id"])
            job = self.tables["jobs"].get(body["job_id"])
            if candidate is None:
                raise _validation(("candidate_id", f"Candidate {body['candidate_id']} does not exist"))
            if job is None:
                raise _validation(("job_id", f"Job {body['job_id']} does not exist"))
            if job["status"] != "open":
                raise _validation(("job_id", f"Job {job['id']} is {job['status']}"))
            given = body.get("custom_fields") or {}
            for key, label in self.required_fields.get(job["id"], []):
                if given.get(key) in (None, ""):
                    raise _validation(("custom_fields", f"Missing required custom field: {label}"))
            source = self.tables["sources"].get(body.get("source_id") or 0)
            if body.get("source_id") is not None and source is None:
                raise _validation(("source_id", f"Source {body['source_id']} does not exist"))
            referrer = body.get("referrer")
            if referrer is not None and (
                not isinstance(referrer, dict) or referrer.get("type") not in ("id", "email", "outside")
            ):
                raise _validation(("referrer", "referrer.type must be one of: id, email, outside"))
            for app in self.tables["applications"].values():
                if (
                    app["candidate_id"] == candidate["id"]
                    and app["job_id"] == job["id"]
                    and app["status"] == "active"
                ):
                    raise _validation(
                        (
                            "job_id",
                            f"Candidate {candidate['id']} already has an active application for job {job['id']}",
                        )
                    )
            now = self.now()
            aid = next(self._ids)
            user = self.tables["users"][self._acting.user]
            application = {
                "id": aid,
                "candidate_id": candidate["id"],
                "prospect": False,
                "applied_at": now,
                "rejected_at": None,
                "last_activity_at": now,
                "location": None,
                "source": {"id": source["id"], "public_name": source["name"]} if source else None,
                "credited_to": {k: user[k] for k in ("id", "first_name", "last_name", "name", "employee_id")},
                "recruiter": None,
                "coordinator": None,
                "rejection_reason": None,
                "job_post_id": None,
                "status": "active",
                "current_stage": {"id": 101, "name": "Application Review"},
                "answers": [],
                "prospective_office": None,
                "prospective_department": None,
                "prospect_detail": {"prospect_pool": None, "prospect_stage": None, "prospect_owner": None},
                "custom_fields": dict(given),
                "keyed_custom_fields": {},
                "job_id": job["id"],
                "created_at": now,
                "updated_at": now,
                "_referrer": referrer,
            }
            self.tables["applications"][aid] = application
            candidate["updated_at"] = candidate["last_activity_at"] = now
        return json_response(_public(application), 201)

    @route("POST", "/v3/attachments")
    def create_attachment(self, request: Request) -> Response:
        body = _object(request)
        errors: list[tuple[str, str]] = []
        if not str(body.get("filename") or "").strip():
            errors.append(("filename", "filename is required"))
        if body.get("type") not in ATTACHMENT_TYPES:
            errors.append(("type", "Must be one of: " + ", ".join(ATTACHMENT_TYPES)))
        if bool(body.get("content")) == bool(body.get("url")):
            errors.append(("content", "Provide exactly one of content or url"))
        content = body.get("content")
        if content:
            try:
                base64.b64decode(str(content), validate=True)
            except ValueError:
                errors.append(("content", "content must be Base64-encoded"))
        if errors:
            raise _validation(*errors)
        with self.lock:
            application = self.tables["applications"].get(body.get("application_id") or 0)
            if application is None:
                raise _validation(
                    ("application_id", f"Application {body.get('application_id')} does not exist")
                )
            now = self.now()
            aid = next(self._ids)
            attachment = {
                "filename": body["filename"],
                "url": f"{self.url}/files/{aid}/{body['filename']}",
                "type": body["type"],
                "content_type": body.get("content_type") or "application/octet-stream",
                "id": aid,
                "application_id": application["id"],
                "candidate_id": application["candidate_id"],
                "created_at": now,
                "updated_at": now,
            }
            self.tables["attachments"][aid] = attachment
        return json_response(attachment, 201)

    @route("POST", "/v3/notes")
    def create_note(self, request: Request) -> Response:
        body = _object(request)
        if body.get("visibility") not in ("admin_only", "private", "public"):
            raise _validation(("visibility", "Must be one of: admin_only, private, public"))
        if not str(body.get("body") or "").strip():
            raise _validation(("body", "body is required"))
        with self.lock:
            candidate = self.tables["candidates"].get(body.get("candidate_id") or 0)
            if candidate is None:
                raise _validation(("candidate_id", f"Candidate {body.get('candidate_id')} does not exist"))
            now = self.now()
            nid = next(self._ids)
            user = self.tables["users"][self._acting.user]
            note = {
                "id": nid,
                "candidate_id": candidate["id"],
                "body": body["body"],
                "user": {k: user[k] for k in ("id", "first_name", "last_name", "name", "employee_id")},
                "private": body["visibility"] == "private",
                "visibility": body["visibility"],
                "created_at": now,
                "updated_at": now,
            }
            self.tables["notes"][nid] = note
            candidate["updated_at"] = candidate["last_activity_at"] = now
        return json_response(note, 201)


# ------------------------------------------------------------------------------------------------- pieces
def _scope_for(request: Request) -> str:
    parts = request.path.strip("/").split("/")
    resource = parts[1] if len(parts) > 1 else ""
    action = {"GET": "list", "POST": "create", "PATCH": "update", "PUT": "update", "DELETE": "delete"}
    return f"harvest:{resource}:{action.get(request.method, 'list')}"


def _object(request: Request) -> dict[str, Any]:
    body = request.json()
    if not isinstance(body, dict):
        raise HttpError(400, {"message": "The request body must be a JSON object."})
    return body


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if not k.startswith("_")}


def _per_page(value: str | None) -> int:
    if value is None or value == "":
        return 100
    if not value.isdigit() or not 1 <= int(value) <= 500:
        raise _validation(("per_page", "per_page must be an integer between 1 and 500"))
    return int(value)


def _encode_cursor(resource: str, query: dict[str, str], after: int) -> str:
    payload = orjson.dumps({"r": resource, "q": query, "a": after})
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def _decode_cursor(cursor: str, resource: str) -> tuple[dict[str, str], int]:
    try:
        payload = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if payload["r"] != resource:
            raise ValueError(resource)
        return dict(payload["q"]), int(payload["a"])
    except (ValueError, KeyError, TypeError, orjson.JSONDecodeError):
        raise _validation(("cursor", "cursor is invalid")) from None


Row = dict[str, Any]


def _filters(resource: str, query: dict[str, str]) -> Callable[[Row], bool]:
    tests = [_filter(resource, key, value) for key, value in query.items() if key != "per_page"]
    return lambda row: all(t(row) for t in tests)


def _filter(resource: str, key: str, value: str) -> Callable[[Row], bool]:
    """One list filter as a test of a row; an unknown or malformed one is Greenhouse's 422."""
    if key == "ids" or key in PARENTS:
        wanted = _id_list(key, value)
        field = "id" if key == "ids" else PARENTS[key]
        return lambda row: row.get(field) in wanted
    if key in TIME_FILTERS:
        op, _, moment = value.partition("|")
        if op not in ("gte", "gt", "lte", "lt"):
            raise _validation((key, f"{key} must look like gte|2024-01-01T00:00:00Z (gte, gt, lte or lt)"))
        bound = _parse_time(key, moment)
        return lambda row: _compare(row.get(key), op, bound)
    if key == "status":
        return lambda row: row.get("status") == value
    if key == "email" and resource == "candidates":
        email = value.strip().lower()
        return lambda row: any(
            str(e.get("value") or "").strip().lower() == email for e in row.get("email_addresses") or []
        )
    raise _validation((key, f"{key} is not a filter of /v3/{resource}"))


def _id_list(key: str, value: str) -> set[int]:
    parts = [p for p in value.split(",") if p.strip()]
    if len(parts) > MAX_IDS:
        raise _validation((key, f"{key} accepts at most {MAX_IDS} ids"))
    if not all(p.strip().isdigit() for p in parts):
        raise _validation((key, f"{key} must be a comma-separated list of integers"))
    return {int(p) for p in parts}


def _parse_time(key: str, text: str) -> datetime:
    try:
        moment = datetime_fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise _validation((key, f"{key} has an invalid time {text!r}")) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _compare(value: Any, op: str, bound: datetime) -> bool:
    if not value:
        return False
    moment = datetime_fromisoformat(str(value).replace("Z", "+00:00"))
    return {"gte": moment >= bound, "gt": moment > bound, "lte": moment <= bound, "lt": moment < bound}[op]
