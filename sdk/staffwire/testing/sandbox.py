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

This module is the kit's one import; the fault switches (:mod:`staffwire.testing.faults`), token book
(:mod:`staffwire.testing.tokens`) and seeded data (:mod:`staffwire.testing.seed`) live in their own modules and are
re-exported here.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

import orjson

from staffwire.testing.faults import Fault, Faults, FaultSpecError, apply_fault_spec
from staffwire.testing.seed import SeededData
from staffwire.testing.tokens import TokenBook

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
        if (
            len(body) < length
        ):  # the client went away mid-body: like any real server, never handle half a request
            self.close_connection = True
            return
        request = Request(
            method=self.command,
            path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        admin = request.path.startswith(sandbox.ADMIN + "/")
        fault = None if admin else sandbox.faults.pick(request.method, request.path)
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
    #: the constructor keyword that sets the seeded data's size (``staffwire sandbox run --size N``), if any
    size_option: str | None = None
    #: where the kit's admin routes live: ``GET {ADMIN}/tokens`` lists every token issued, ``GET``/``POST
    #: {ADMIN}/faults`` lists / switches on fault switches (``{"spec": "rate-limit@/x,times=2"}``)
    ADMIN = "/__staffwire"

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

    def demo_config(self, url: str | None = None, **overrides: Any) -> dict[str, Any] | None:
        """A config of the connector this sandbox emulates for, pointing at it (demo credentials), or None.

        Emulators override it so that ``staffwire sandbox run``, the demo and tests share one way to connect.
        """
        return None

    def serve_forever(self, faults: Sequence[str] = ()) -> None:
        """Run in the foreground (``python -m some_connector.sandbox``) until interrupted, with the fault switches
        ``faults`` on (text specs, see :func:`~staffwire.testing.faults.parse_fault_spec`)."""
        switched = [self.switch_on(spec) for spec in faults]  # a bad spec fails before anything listens
        self.start()
        # Ctrl-C may come as soon as the listening line is out (a client saw it and is done), so the handler
        # covers the printing too: otherwise an early Ctrl-C escapes as KeyboardInterrupt (exit 130).
        try:
            print(f"{self.name} sandbox listening on {self.url} (Ctrl-C to stop)", flush=True)
            config = self.demo_config()
            if config is not None:
                print(
                    "a connector config for it (the sandbox's demo credentials, not real ones):", flush=True
                )
                print(json.dumps(config, indent=2), flush=True)
            for line in switched:
                print(f"fault switch on: {line}", flush=True)
            print(
                f"admin: GET {self.url}{self.ADMIN}/tokens lists the tokens issued; "
                f"GET/POST {self.url}{self.ADMIN}/faults lists / switches on faults",
                flush=True,
            )
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            self.stop()

    @classmethod
    def size_kwargs(cls, size: int) -> dict[str, Any] | None:
        """The constructor keywords for a seeded data set of ``size`` main records (``--size``), or None when the
        sandbox has no size; the default uses :attr:`size_option`."""
        return {cls.size_option: size} if cls.size_option else None

    # admin ---------------------------------------------------------------------------------------------
    def token_books(self) -> dict[str, TokenBook]:
        """The sandbox's token books by attribute name (issued tokens, sessions, codes)."""
        return {name: value for name, value in vars(self).items() if isinstance(value, TokenBook)}

    def issued_tokens(self) -> list[str]:
        """Every token this sandbox issued, whatever book it came from (for leak scans)."""
        return [token for book in self.token_books().values() for token in book.history]

    def switch_on(self, spec: str) -> str:
        """Switch on a fault written as text (:func:`~staffwire.testing.faults.parse_fault_spec`)."""
        return apply_fault_spec(self.faults, spec, list(self.token_books().values()))

    def _admin(self, request: Request) -> Response:
        what = request.path[len(self.ADMIN) :].strip("/")
        if what == "tokens" and request.method == "GET":
            return json_response({name: book.listing() for name, book in self.token_books().items()})
        if what == "faults" and request.method == "GET":
            return json_response(self.faults.listing())
        if what == "faults" and request.method == "POST":
            body = request.json()
            spec = body.get("spec") if isinstance(body, dict) else None
            if not isinstance(spec, str):
                return json_response({"error": 'send {"spec": "KIND[@PATH][,option=value...]"}'}, 400)
            try:
                return json_response({"on": self.switch_on(spec)})
            except FaultSpecError as exc:
                return json_response({"error": str(exc)}, 400)
        return json_response({"error": f"no admin route {request.method} {request.path}"}, 404)

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
        if request.path.startswith(self.ADMIN + "/"):
            return self._admin(request)
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
