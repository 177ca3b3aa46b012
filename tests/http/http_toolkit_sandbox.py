"""A small API emulator for the HTTP toolkit's tests: paging styles, OAuth2, a session login, echoed errors.

Imported by name (``from http_toolkit_sandbox import ...``): conftest.py puts this folder on ``sys.path``.
"""

from __future__ import annotations

import threading
from typing import Any

from staffwire.auth import OAuth2RefreshTokenAuth
from staffwire.testing.sandbox import (
    HttpError,
    Request,
    Response,
    Sandbox,
    TokenBook,
    json_response,
    route,
)

CLIENT_ID = "client-abc"
CLIENT_SECRET = "s3cret-client-value"
REFRESH_TOKEN = "refresh-original-0001"
USER = "api.user"
PASSWORD = "pa55word-very-secret"
TOTAL = 95


class ToolkitSandbox(Sandbox):
    name = "toolkit"

    def __init__(self) -> None:
        super().__init__()
        self.items = [
            {"id": i, "name": f"item {i}", "updated": 1_700_000_000_000 + i * 1000} for i in range(TOTAL)
        ]
        self.access = TokenBook("acc")
        self.sessions = TokenBook("ses")
        self.refresh_tokens = {REFRESH_TOKEN}
        self.rotate = False
        self.token_uses: int | None = None  # access tokens expire after N requests
        self.token_ttl = 3600
        self.error_in_200 = False
        self.ignore_offset = False
        self.repeat_token = False
        self.created: list[dict[str, Any]] = []
        self.client_token_forms: list[dict[str, str]] = []
        self.client_token_clock: Any = __import__("time").time
        self.in_flight = 0
        self.max_in_flight = 0
        self._flight_lock = threading.Lock()

    # ----- plain data
    @route("GET", "/items")
    def list_items(self, request: Request) -> Response:
        offset = 0 if self.ignore_offset else request.int_arg("offset", 0)
        limit = self.page_limit(
            request, min(request.int_arg("limit", 10), 25)
        )  # capped at 25, whatever is asked
        return json_response({"total": TOTAL, "data": self.items[offset : offset + limit]})

    @route("GET", "/changes")
    def changes(self, request: Request) -> Response:
        """Records with ``updated >= since`` (and ``< before``), ordered by ``updated``; offset paging."""
        since, before = request.int_arg("since", 0), request.int_arg("before", 2**62)
        rows = sorted((r for r in self.items if since <= r["updated"] < before), key=lambda r: r["updated"])
        offset = request.int_arg("offset", 0)
        limit = self.page_limit(request, min(request.int_arg("limit", 10), 25))
        return json_response({"total": len(rows), "data": rows[offset : offset + limit]})

    @route("GET", "/pages")
    def pages(self, request: Request) -> Response:
        page, size = request.int_arg("page", 1), request.int_arg("per_page", 10)
        rows = self.items[(page - 1) * size : page * size]
        if not rows:
            return Response(204)
        more = page * size < TOTAL
        return json_response({"data": rows, "info": {"page": page, "more_records": more}})

    @route("GET", "/cursor")
    def cursor(self, request: Request) -> Response:
        start = 0 if self.repeat_token else int(request.arg("page_token") or 0)
        rows = self.items[start : start + 20]
        nxt = str(start + 20) if start + 20 < TOTAL else None
        if self.repeat_token:
            nxt = "20"
        return json_response({"items": rows, "next": nxt})

    @route("GET", "/linked")
    def linked(self, request: Request) -> Response:
        """GitHub-style: a Link header to the next page; also the next URL in the body and a header token."""
        page = request.int_arg("page", 1)
        rows = self.items[(page - 1) * 40 : page * 40]
        headers = {}
        body: dict[str, Any] = {"rows": rows, "next_url": None, "pages": 3}
        if page * 40 < TOTAL:
            headers["Link"] = (
                f'<{self.url}/linked?page={page + 1}>; rel="next", <{self.url}/linked?page=3>; rel="last"'
            )
            headers["X-Next-Token"] = str(page + 1)
            body["next_url"] = f"{self.url}/linked?page={page + 1}"
        return json_response(body, headers=headers)

    @route("GET", "/keyset")
    def keyset(self, request: Request) -> Response:
        since = -1 if self.ignore_offset else request.int_arg("since_id", -1)
        rows = [r for r in self.items if r["id"] > since][:30]
        return json_response(rows)

    @route("GET", "/ranged")
    def ranged(self, request: Request) -> Response:
        """Keyset reads by id: ``after < id <= upto`` sorted by ``sort`` (``id`` or ``-id``), ``count`` rows (at most
        7: a capped API), with ``total`` rows matching and ``count`` returned; a ``vendor_error`` flag answers an
        error inside a 200 body (Zoho's way)."""
        if request.arg("vendor_error"):
            return json_response({"status": "error", "code": "INVALID_QUERY", "message": "bad field"})
        after = request.int_arg("after", -1)
        upto = request.int_arg("upto", 2**62)
        rows = sorted(
            (r for r in self.items if after < r["id"] <= upto),
            key=lambda r: r["id"],
            reverse=request.arg("sort") == "-id",
        )
        page = rows[: self.page_limit(request, min(request.int_arg("count", 10), 7))]
        if request.arg("fields") == "id":
            page = [{"id": r["id"]} for r in page]
        return json_response({"total": len(rows), "count": len(page), "data": page})

    @route("POST", "/things")
    def create(self, request: Request) -> Response:
        body = request.json()
        with self.lock:
            self.created.append(body)
        return json_response({"id": len(self.created)}, 201)

    @route("GET", "/slow-count")
    def slow_count(self, request: Request) -> Response:
        import time

        with self._flight_lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        time.sleep(0.02)
        with self._flight_lock:
            self.in_flight -= 1
        return json_response({"ok": True})

    @route("GET", "/echo-error")
    def echo_error(self, request: Request) -> Response:
        # an API that quotes the credentials it was given back in its error text
        raise HttpError(
            400, {"errorMessage": f"invalid key {request.arg('api_key')} for {request.header('x-api-key')}"}
        )

    # ----- what the client sends: headers, cookies, redirects
    @route("GET", "/echo-headers")
    def echo_headers(self, request: Request) -> Response:
        return json_response(dict(request.headers))

    @route("GET", "/cookie/give")
    def give_cookie(self, request: Request) -> Response:
        return json_response({"given": True}, headers={"Set-Cookie": "sid=cookie-7; Path=/"})

    @route("GET", "/moved")
    def moved(self, request: Request) -> Response:
        return Response(status=302, body=b"", headers={"Location": "/items?offset=2&limit=1"})

    @route("GET", "/status/{code}")
    def status(self, request: Request) -> Response:
        code = int(request.params["code"])
        raise HttpError(code, {"message": f"status {code} as asked", "code": "AS_ASKED"})

    # ----- OAuth2
    @route("POST", "/oauth/token")
    def token(self, request: Request) -> Response:
        from urllib.parse import parse_qs

        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        form.update({k: v[0] for k, v in request.query.items()})
        if self.error_in_200:
            return json_response({"error": "invalid_code"})
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            raise HttpError(401, {"error": "invalid_client"})
        with self.lock:
            if form.get("refresh_token") not in self.refresh_tokens:
                raise HttpError(
                    400, {"error": "invalid_grant", "error_description": "refresh token is invalid"}
                )
            access = self.access.issue(max_uses=self.token_uses)
            body: dict[str, Any] = {
                "access_token": access,
                "expires_in": self.token_ttl,
                "token_type": "Bearer",
            }
            if self.rotate:
                self.refresh_tokens.discard(form["refresh_token"])
                new = f"refresh-rotated-{len(self.access):04d}"
                self.refresh_tokens.add(new)
                body["refresh_token"] = new
        return json_response(body)

    @route("POST", "/oauth/client-token")
    def client_token(self, request: Request) -> Response:
        """The client-credentials grant: HTTP basic client auth, ``expires_at`` (ISO 8601) like Greenhouse's."""
        import base64
        from datetime import datetime, timezone
        from urllib.parse import parse_qs

        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        basic = (request.header("authorization") or "").removeprefix("Basic ")
        if base64.b64decode(basic or "Og==").decode() != f"{CLIENT_ID}:{CLIENT_SECRET}":
            raise HttpError(401, {"error": "invalid_client"})
        if form.get("grant_type") != "client_credentials":
            raise HttpError(400, {"error": "unsupported_grant_type"})
        self.client_token_forms.append(form)
        access = self.access.issue(max_uses=self.token_uses)
        expires = datetime.fromtimestamp(self.client_token_clock() + self.token_ttl, tz=timezone.utc)
        return json_response(
            {"access_token": access, "token_type": "Bearer", "expires_at": expires.isoformat()}
        )

    @route("GET", "/api/items")
    def api_items(self, request: Request) -> Response:
        header = request.header("authorization") or ""
        if self.access.use(header.removeprefix("Bearer ")) is None:
            raise HttpError(401, {"error": "invalid_token"})
        return self.list_items(request)

    # ----- session login (two hops: discovery, then login returning token + base URL)
    @route("GET", "/login-info")
    def login_info(self, request: Request) -> Response:
        return json_response({"loginUrl": f"{self.url}/session/login"})

    @route("POST", "/session/login")
    def session_login(self, request: Request) -> Response:
        body = request.json()
        if body.get("username") != USER or body.get("password") != PASSWORD:
            raise HttpError(401, {"errorMessage": "Invalid username or password"})
        token = self.sessions.issue(max_uses=self.token_uses)
        return json_response({"sessionToken": token, "restUrl": f"{self.url}/rest/corp7/"})

    @route("GET", "/rest/corp7/items")
    def session_items(self, request: Request) -> Response:
        if self.sessions.use(request.header("x-session")) is None:
            raise HttpError(401, {"errorMessage": "Bad session token or timed-out."})
        return self.list_items(request)


class Sleeps(list[float]):
    """A RetryPolicy.sleep that records the waits instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(round(seconds, 3))


class Clock:
    """A settable clock for authenticators (``clock=``): tests move ``now`` instead of waiting."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def oauth(sandbox: ToolkitSandbox, **kwargs: Any) -> OAuth2RefreshTokenAuth:
    """The refresh-token flow against this sandbox's token endpoint, with its valid credentials."""
    return OAuth2RefreshTokenAuth(
        sandbox.url + "/oauth/token",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        refresh_token=REFRESH_TOKEN,
        **kwargs,
    )
