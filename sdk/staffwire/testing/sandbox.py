"""Building blocks for API emulators ("sandboxes") that connectors are tested and demonstrated against.

A sandbox is a real HTTP server on loopback, running in a background thread::

    class PetSandbox(Sandbox):
        name = "pets"

        @route("GET", "/v1/pets/{pet_id}")
        def get_pet(self, request: Request) -> Response:
            pet = self.pets.get(request.params["pet_id"])
            if pet is None:
                raise HttpError(404, {"error": "no such pet"})
            return json_response(pet)

    with PetSandbox() as sandbox:          # or the ``sandbox`` fixture helper below
        requests.get(sandbox.url + "/v1/pets/1")
        sandbox.faults.rate_limit("/v1/pets", times=2, retry_after="1")

Fault switches (:class:`Faults`) apply to any route by method and path regex: error statuses (429 with or without
``Retry-After``, 5xx), a connection dropped before the handler runs or after it has applied its change, slow
answers, truncated or HTML bodies, short pages (:meth:`Faults.short_pages` with :meth:`Sandbox.page_limit`).
Tokens can be made to expire after N requests (:class:`TokenBook`). Every request is logged (:attr:`Sandbox.log`)
for exact assertions; :func:`sandbox_fixture` makes a pytest fixture of any sandbox.
Bodies are encoded with orjson, and handlers may return pre-encoded bytes, so a sandbox serves far more records
per second than any connector reads.
"""

from __future__ import annotations

import contextlib
import email.utils
import itertools
import random
import re
import secrets as _secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

import orjson

__all__ = [
    "Fault",
    "Faults",
    "HttpError",
    "LoggedRequest",
    "Request",
    "Response",
    "Sandbox",
    "SeededData",
    "TokenBook",
    "http_date",
    "json_response",
    "route",
    "running",
    "sandbox_fixture",
]

Handler = Callable[[Any, "Request"], "Response"]
S = TypeVar("S", bound="Sandbox")


# --------------------------------------------------------------------------------------------------- messages
@dataclass
class Request:
    """An incoming request as a handler sees it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: Mapping[str, str]
    body: bytes
    params: dict[str, str] = field(default_factory=dict)

    def arg(self, name: str, default: str | None = None) -> str | None:
        """First value of a query parameter."""
        values = self.query.get(name)
        return values[0] if values else default

    def int_arg(self, name: str, default: int) -> int:
        value = self.arg(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except ValueError:
            raise HttpError(
                400, {"error": f"query parameter {name!r} must be an integer, got {value!r}"}
            ) from None

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name, default)

    def json(self) -> Any:
        try:
            return orjson.loads(self.body or b"null")
        except orjson.JSONDecodeError:
            raise HttpError(400, {"error": "request body is not valid JSON"}) from None


@dataclass
class Response:
    """What a handler answers. ``body`` is sent as is (pre-encoded bytes are the fast path)."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


def json_response(obj: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return Response(status=status, body=orjson.dumps(obj), headers=dict(headers or {}))


class HttpError(Exception):
    """Raise inside a handler to answer an error status with a JSON (or raw) body."""

    def __init__(self, status: int, body: Any = None, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.body = body
        self.headers = dict(headers or {})

    def response(self) -> Response:
        if isinstance(self.body, bytes):
            return Response(self.status, self.body, self.headers)
        return json_response(self.body if self.body is not None else {}, self.status, self.headers)


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    status: int | None  # None when the connection was dropped
    at: float
    peer: tuple[str, int] | None = None  # the client's address: one port per kept-alive connection

    def arg(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None


# ----------------------------------------------------------------------------------------------------- routes
def route(method: str, pattern: str) -> Callable[[Handler], Handler]:
    """Mark a sandbox method as the handler of ``method pattern``.

    ``{name}`` matches one path segment, ``{name:path}`` the rest of the path; both land in ``request.params``.
    """

    def mark(func: Handler) -> Handler:
        routes = getattr(func, "_sandbox_routes", [])
        routes.append((method.upper(), pattern))
        func._sandbox_routes = routes  # type: ignore[attr-defined]
        return func

    return mark


def _compile(pattern: str) -> re.Pattern[str]:
    out = ""
    for part in re.split(r"(\{[^}]+\})", pattern):
        if part.startswith("{") and part.endswith("}"):
            name, _, kind = part[1:-1].partition(":")
            out += f"(?P<{name}>.+)" if kind == "path" else f"(?P<{name}>[^/]+)"
        else:
            out += re.escape(part)
    return re.compile(out + "/?$")


# ----------------------------------------------------------------------------------------------------- faults
@dataclass
class Fault:
    """One fault switch.

    kind: ``status`` (answer ``status`` with ``body``/``retry_after``), ``drop_before`` (close the connection
    before the handler runs), ``drop_after`` (run the handler, so its change is applied, then close without an
    answer), ``slow`` (sleep ``delay`` seconds, then answer normally), ``truncate`` (send the first half of the
    real body), ``html`` (answer 200 with an HTML page, as a proxy or login wall would).
    The fault skips the first ``after`` matching requests, then fires ``times`` times (None: forever).
    """

    kind: str
    path: str = ""
    method: str | None = None
    status: int = 500
    body: Any = None
    retry_after: str | None = None
    delay: float = 0.0
    times: int | None = 1
    after: int = 0
    seen: int = 0
    fired: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method:
            return False
        return re.search(self.path, path) is not None if self.path else True


class Faults:
    """The fault switches of one sandbox. Thread-safe; each request consults them once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._page_caps: list[tuple[Fault, int]] = []

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self._page_caps.clear()

    def short_pages(
        self,
        path: str = "",
        *,
        max_records: int = 1,
        times: int | None = None,
        after: int = 0,
        method: str | None = None,
    ) -> Fault:
        """Answer at most ``max_records`` per page (as an API capping wide pages does). Handlers opt in by asking
        :meth:`Sandbox.page_limit` for the page size; independent of the other switches."""
        fault = Fault("short_page", path, method, times=times, after=after)
        with self._lock:
            self._page_caps.append((fault, max_records))
        return fault

    def page_cap(self, method: str, path: str) -> int | None:
        """The record cap a short-pages switch puts on this request, if any (counts it as fired)."""
        if not self._page_caps:
            return None
        with self._lock:
            for fault, cap in self._page_caps:
                if not fault.matches(method, path):
                    continue
                fault.seen += 1
                if fault.seen <= fault.after or (fault.times is not None and fault.fired >= fault.times):
                    continue
                fault.fired += 1
                return cap
        return None

    def rate_limit(
        self,
        path: str = "",
        *,
        times: int | None = 1,
        after: int = 0,
        retry_after: str | None = None,
        body: Any = None,
        method: str | None = None,
    ) -> Fault:
        return self.add(Fault("status", path, method, 429, body, retry_after, times=times, after=after))

    def server_error(
        self,
        path: str = "",
        *,
        status: int = 500,
        times: int | None = 1,
        after: int = 0,
        body: Any = None,
        method: str | None = None,
        retry_after: str | None = None,
    ) -> Fault:
        """Answer ``status`` (default 500); a 503 may carry ``retry_after`` (a maintenance window)."""
        return self.add(Fault("status", path, method, status, body, retry_after, times=times, after=after))

    def drop(
        self,
        path: str = "",
        *,
        applied: bool = False,
        times: int | None = 1,
        after: int = 0,
        method: str | None = None,
    ) -> Fault:
        """Drop the connection; with ``applied=True`` only after the handler has made its change."""
        return self.add(
            Fault("drop_after" if applied else "drop_before", path, method, times=times, after=after)
        )

    def slow(
        self,
        path: str = "",
        *,
        delay: float = 1.0,
        times: int | None = 1,
        after: int = 0,
        method: str | None = None,
    ) -> Fault:
        return self.add(Fault("slow", path, method, delay=delay, times=times, after=after))

    def truncate(
        self, path: str = "", *, times: int | None = 1, after: int = 0, method: str | None = None
    ) -> Fault:
        return self.add(Fault("truncate", path, method, times=times, after=after))

    def html(
        self, path: str = "", *, times: int | None = 1, after: int = 0, method: str | None = None
    ) -> Fault:
        return self.add(Fault("html", path, method, times=times, after=after))

    def pick(self, method: str, path: str) -> Fault | None:
        """The fault that fires for this request, if any (counts it as fired)."""
        if not self._faults:
            return None
        with self._lock:
            for fault in self._faults:
                if not fault.matches(method, path):
                    continue
                fault.seen += 1
                if fault.seen <= fault.after:
                    continue
                if fault.times is not None and fault.fired >= fault.times:
                    continue
                fault.fired += 1
                return fault
        return None


# ----------------------------------------------------------------------------------------------------- tokens
class TokenBook:
    """Issues opaque tokens that expire after a time or a number of uses, for emulated auth servers.

    ``max_uses`` / ``ttl`` given here are the defaults of :meth:`issue`; :meth:`expire_after` changes them (and
    shortens live tokens) mid-test: "every token dies after 3 requests from now on".
    """

    def __init__(self, prefix: str = "tok", *, max_uses: int | None = None, ttl: float | None = None) -> None:
        self.prefix = prefix
        self.default_max_uses = max_uses
        self.default_ttl = ttl
        self.issued = 0
        self._lock = threading.Lock()
        self._tokens: dict[str, dict[str, Any]] = {}
        self._counter = itertools.count(1)

    def expire_after(self, uses: int | None = None, *, seconds: float | None = None) -> None:
        """Tokens issued from now on expire after ``uses`` requests / ``seconds``; live ones at most that."""
        with self._lock:
            self.default_max_uses = uses
            self.default_ttl = seconds
            for entry in self._tokens.values():
                if uses is not None:
                    left = entry["uses_left"]
                    entry["uses_left"] = uses if left is None else min(left, uses)
                if seconds is not None:
                    deadline = time.monotonic() + seconds
                    entry["expires"] = (
                        deadline if entry["expires"] is None else min(entry["expires"], deadline)
                    )

    def issue(self, *, ttl: float | None = None, max_uses: int | None = None, **data: Any) -> str:
        ttl = self.default_ttl if ttl is None else ttl
        max_uses = self.default_max_uses if max_uses is None else max_uses
        token = f"{self.prefix}-{next(self._counter)}-{_secrets.token_hex(12)}"
        self.issued += 1
        with self._lock:
            self._tokens[token] = {
                "expires": time.monotonic() + ttl if ttl is not None else None,
                "uses_left": max_uses,
                "data": data,
            }
        return token

    def use(self, token: str | None) -> dict[str, Any] | None:
        """Spend one use of ``token``; its data when valid, None when unknown, expired or used up."""
        if not token:
            return None
        with self._lock:
            entry = self._tokens.get(token)
            if entry is None:
                return None
            if entry["expires"] is not None and time.monotonic() >= entry["expires"]:
                del self._tokens[token]
                return None
            if entry["uses_left"] is not None:
                if entry["uses_left"] <= 0:
                    del self._tokens[token]
                    return None
                entry["uses_left"] -= 1
            return dict(entry["data"])

    def revoke(self, token: str) -> bool:
        with self._lock:
            return self._tokens.pop(token, None) is not None

    def expire_all(self) -> None:
        with self._lock:
            self._tokens.clear()

    def __len__(self) -> int:
        return len(self._tokens)


# ------------------------------------------------------------------------------------------------------- data
_FIRST = [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Priya",
    "Wei",
    "Aisha",
    "Mateo",
    "Sofia",
    "Liam",
    "Olivia",
    "Noah",
    "Emma",
    "Ava",
    "Lucas",
    "Mia",
    "Ethan",
    "Amara",
    "Diego",
    "Yuki",
    "Fatima",
    "Omar",
    "Chloe",
    "Hannah",
    "Ravi",
    "Ines",
    "Kofi",
    "Zara",
    "Leon",
    "Nora",
    "Hugo",
    "Maya",
]
_LAST = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Patel",
    "Kim",
    "Chen",
    "Okafor",
    "Silva",
    "Novak",
    "Schmidt",
    "Rossi",
    "Dubois",
    "Haddad",
]
_CITIES = (
    ("Boston", "MA", "02108"),
    ("Chicago", "IL", "60601"),
    ("Austin", "TX", "73301"),
    ("Denver", "CO", "80202"),
    ("Seattle", "WA", "98101"),
    ("Atlanta", "GA", "30303"),
    ("Phoenix", "AZ", "85001"),
    ("Miami", "FL", "33101"),
    ("Columbus", "OH", "43004"),
    ("Raleigh", "NC", "27601"),
    ("St. Louis", "MO", "63101"),
    ("San Jose", "CA", "95101"),
    ("Portland", "OR", "97201"),
    ("Nashville", "TN", "37201"),
)
_COMPANIES = (
    "Acme Manufacturing",
    "Globex Logistics",
    "Initech Software",
    "Umbrella Health",
    "Stark Industries",
    "Wayne Enterprises",
    "Hooli Cloud",
    "Vandelay Imports",
    "Soylent Foods",
    "Cyberdyne Systems",
    "Wonka Industries",
    "Tyrell Biotech",
    "Massive Dynamic",
    "Aperture Labs",
    "Pied Piper",
    "Northwind Traders",
    "Contoso Retail",
    "Fabrikam Energy",
    "Blue Sky Airlines",
    "Oceanic Freight",
)
_TITLES = (
    "Forklift Operator",
    "Registered Nurse",
    "Java Developer",
    "Project Manager",
    "Accountant",
    "Warehouse Associate",
    "Data Analyst",
    "Electrician",
    "Welder",
    "Customer Service Representative",
    "Network Engineer",
    "Medical Assistant",
    "CNC Machinist",
    "Payroll Specialist",
    "QA Tester",
    "Truck Driver (CDL-A)",
    "Business Analyst",
    "Dental Hygienist",
    "Site Supervisor",
    "DevOps Engineer",
)
_SKILLS = (
    "Java",
    "Python",
    "SQL",
    "Forklift",
    "OSHA 10",
    "CPR",
    "Excel",
    "Salesforce",
    "AWS",
    "Welding",
    "Kubernetes",
    "Bookkeeping",
    "Spanish",
    "CDL-A",
    "Phlebotomy",
    "AutoCAD",
    "Scrum",
    "Customer Service",
)


class SeededData:
    """Deterministic, realistic-looking staffing data: the same seed always yields the same values."""

    def __init__(self, seed: int = 0) -> None:
        self.random = random.Random(seed)

    def choice(self, options: Any) -> Any:
        return self.random.choice(options)

    def first_name(self) -> str:
        return str(self.random.choice(_FIRST))

    def last_name(self) -> str:
        return str(self.random.choice(_LAST))

    def email(self, first: str, last: str, n: int, domain: str = "example.com") -> str:
        return f"{first.lower()}.{last.lower()}{n}@{domain}"

    def phone(self) -> str:
        return f"({self.random.randint(201, 989)}) 555-{self.random.randint(0, 9999):04d}"

    def city(self) -> tuple[str, str, str]:
        return self.random.choice(_CITIES)

    def company(self, n: int | None = None) -> str:
        base = str(self.random.choice(_COMPANIES))
        return base if n is None else f"{base} {n}"

    def job_title(self) -> str:
        return str(self.random.choice(_TITLES))

    def skills(self, k: int = 3) -> list[str]:
        return self.random.sample(_SKILLS, k)

    def money(self, low: float, high: float) -> float:
        return round(self.random.uniform(low, high), 2)

    def moment(self, start: datetime, days: int) -> datetime:
        """A datetime within ``days`` after ``start`` (whole seconds)."""
        return start + timedelta(seconds=self.random.randint(0, days * 86400))

    @staticmethod
    def epoch_ms(moment: datetime) -> int:
        return int(moment.replace(tzinfo=moment.tzinfo or timezone.utc).timestamp() * 1000)


# ----------------------------------------------------------------------------------------------------- server
class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:  # a client hanging up is not news
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # with Nagle, a small answer waits ~40 ms for the client's delayed ACK
    server: _QuietServer
    sandbox: Sandbox  # set per server subclass

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self) -> None:
        sandbox = self.sandbox
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = Request(
            method=self.command,
            path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        fault = sandbox.faults.pick(request.method, request.path)
        response: Response | None
        if fault is not None and fault.kind == "drop_before":
            sandbox._log(request, None, self.client_address)
            self._drop()
            return
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.delay)
        if fault is not None and fault.kind == "status":
            headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
            response = HttpError(
                fault.status,
                fault.body if fault.body is not None else sandbox.fault_body(fault.status),
                headers,
            ).response()
        else:
            response = sandbox.dispatch(request)
            if fault is not None and fault.kind == "drop_after":
                sandbox._log(request, None, self.client_address)
                self._drop()
                return
            if fault is not None and fault.kind == "truncate":
                response = Response(
                    response.status,
                    response.body[: max(1, len(response.body) // 2)],
                    response.headers,
                    response.content_type,
                )
            if fault is not None and fault.kind == "html":
                response = Response(
                    200,
                    b"<!DOCTYPE html><html><body><h1>Service Unavailable</h1></body></html>",
                    {},
                    "text/html; charset=utf-8",
                )
        sandbox._log(request, response.status, self.client_address)
        self.send_response(response.status)
        if response.body or response.status not in (204, 304):
            self.send_header("Content-Type", response.content_type)
        for key, value in response.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(response.body)))
        if response.body and self.command != "HEAD":
            # one write for head and body: fewer syscalls, no small trailing segment
            self._headers_buffer.append(b"\r\n")  # type: ignore[attr-defined]
            self._headers_buffer.append(response.body)  # type: ignore[attr-defined]
            self.flush_headers()
        else:
            self.end_headers()

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve


class Sandbox:
    """Base class of an API emulator: subclass it and mark handler methods with :func:`route`."""

    name = "sandbox"

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, log_requests: bool = True) -> None:
        self.host = host
        self.port = port
        self.faults = Faults()
        self.log: list[LoggedRequest] = []
        self.log_requests = log_requests
        self.lock = threading.RLock()  # handlers that mutate shared state take it
        self._server: _QuietServer | None = None
        self._thread: threading.Thread | None = None
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        for klass in reversed(type(self).__mro__):
            for attr in vars(klass).values():
                for method, pattern in getattr(attr, "_sandbox_routes", ()):
                    self._routes.append((method, _compile(pattern), attr))

    # lifecycle -----------------------------------------------------------------------------------------
    def start(self: S) -> S:
        handler = type("Handler", (_Handler,), {"sandbox": self})
        self._server = _QuietServer((self.host, self.port), handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            name=f"{self.name}-sandbox",
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self: S) -> S:
        return self.start() if self._server is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def serve_forever(self) -> None:
        """Run in the foreground (``python -m some_connector.sandbox``) until interrupted."""
        self.start()
        print(f"{self.name} sandbox listening on {self.url} (Ctrl-C to stop)", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            self.stop()

    # dispatch ------------------------------------------------------------------------------------------
    def before_request(self, request: Request) -> Response | None:
        """Hook for cross-cutting checks (auth). Return a response to answer without routing."""
        return None

    def fault_body(self, status: int) -> Any:
        """The body a fault switch answers with; override to use the emulated system's error shape."""
        return {"error": f"sandbox fault: HTTP {status}"}

    def not_found(self, request: Request) -> Response:
        return json_response({"error": f"no route for {request.method} {request.path}"}, 404)

    def dispatch(self, request: Request) -> Response:
        try:
            early = self.before_request(request)
            if early is not None:
                return early
            path_matched = False
            for method, pattern, handler in self._routes:
                match = pattern.match(request.path)
                if match is None:
                    continue
                path_matched = True
                if method != request.method:
                    continue
                request.params = match.groupdict()
                return handler(self, request)
            if path_matched:
                return json_response({"error": f"method {request.method} not allowed on {request.path}"}, 405)
            return self.not_found(request)
        except HttpError as exc:
            return exc.response()

    def _log(self, request: Request, status: int | None, peer: Any = None) -> None:
        if self.log_requests:
            entry = LoggedRequest(
                request.method,
                request.path,
                request.query,
                dict(request.headers),
                request.body,
                status,
                time.time(),
                tuple(peer) if peer else None,
            )
            self.log.append(entry)  # list.append is atomic under the GIL

    def page_limit(self, request: Request, asked: int) -> int:
        """The page size to answer with: ``asked``, or less while a :meth:`Faults.short_pages` switch is on."""
        cap = self.faults.page_cap(request.method, request.path)
        return asked if cap is None else max(0, min(asked, cap))

    def clear_log(self) -> None:
        self.log.clear()

    def requests_to(self, path_regex: str, method: str | None = None) -> list[LoggedRequest]:
        """Logged requests whose path matches ``path_regex`` (and method, if given)."""
        rx = re.compile(path_regex)
        return [r for r in self.log if rx.search(r.path) and (method is None or r.method == method)]


def http_date(seconds_from_now: float) -> str:
    """An HTTP-date ``Retry-After`` value."""
    return email.utils.formatdate(time.time() + seconds_from_now, usegmt=True)


def sandbox_fixture(factory: Callable[[], S], *, scope: str = "function", name: str | None = None) -> Any:
    """A pytest fixture that starts a sandbox for each test (or ``scope``) and always stops it::

    # conftest.py
    bullhorn = sandbox_fixture(BullhornSandbox)
    wide = sandbox_fixture(lambda: BullhornSandbox(page_size=200), name="wide_bullhorn")
    """
    import pytest  # the test kit only: connectors never import pytest at run time

    def fixture() -> Iterator[S]:
        with running(factory()) as sandbox:
            yield sandbox

    return pytest.fixture(scope=scope, name=name)(fixture)  # type: ignore[call-overload]


@contextlib.contextmanager
def running(sandbox: S) -> Iterator[S]:
    """``with running(MySandbox()) as sb:`` -- start and always stop."""
    sandbox.start()
    try:
        yield sandbox
    finally:
        sandbox.stop()
