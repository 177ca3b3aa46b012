"""``HttpClient``: requests.Session with pooling, timeouts, retries, 429 handling, rate limiting and typed errors.

One client per connector run (streams share it, so they share its connection pool and rate limiter)::

    client = HttpClient("https://api.example.com/v1", system="Example", auth=BearerAuth(token),
                        masker=source.secrets, rate_limiter=RateLimiter(per_second=10, max_concurrency=4))
    rows = client.get_json("/things", params={"limit": 100})
    for page in client.paginate("/things", paginator=OffsetPaginator(limit=100), records="data"):
        ...

Retries: connection errors, timeouts and ``RetryPolicy.retry_statuses`` (5xx) are retried for idempotent
requests (GET, HEAD, PUT, DELETE, OPTIONS; any method the caller marks ``idempotent=True``); a connection that
could not even be opened is retried for every method. 429 is retried for every method (the request was not
processed), honouring ``Retry-After`` and calling ``on_rate_limited(wait_seconds)`` (or the context's
:func:`~staffwire.http.hooks.rate_limit_listener`) before each wait. A JSON answer is parsed inside the same loop: a
cut-off or HTML 2xx body of an idempotent request is one more attempt of the same budget (one retry loop).

Vendor hooks: ``classify_error(response, stream)`` returns the API's own exception for a failed answer (status >= 400
not in ``ok_statuses``), or None for the generic typed error. ``on_response(response)`` sees every answer as it
arrives, each attempt and the authenticator's own requests included (rate-limit headers a limiter paces by: a 429
that is retried still tells when the window resets). The authenticator is used only through the contract of
:mod:`staffwire.authflow`. :meth:`HttpClient.page_loop` is the SDK's one paging loop.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Generator, Iterator, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypedDict
from urllib.parse import urlencode, urlsplit

import orjson
import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from requests.cookies import extract_cookies_to_jar
from requests.structures import CaseInsensitiveDict

from staffwire import logs
from staffwire.authflow import Authenticator, expects_json, is_auth_request
from staffwire.http.errors import (
    ConnectError,
    HttpConfigError,
    HttpError,
    TimeoutError_,
    describe_request,
    error_for_response,
    json_body,
)
from staffwire.http.hooks import RateLimitCallback, current_rate_limit_listener
from staffwire.http.ratelimit import RateLimiter
from staffwire.http.retry import RetryPolicy
from staffwire.paginate import (
    PageRequest,
    Paginator,
    PaginatorLoopError,
    SinglePagePaginator,
    records_extractor,
)
from staffwire.secrets import SecretMasker
from staffwire.urls import is_loopback_host

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["IDEMPOTENT_METHODS", "ErrorClassifier", "HttpClient", "PageFetch", "ResponseObserver"]

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})

#: ``classify_error(response, stream)``: a vendor's own exception for a failed answer, or None for the generic one
ErrorClassifier = Callable[[requests.Response, "str | None"], "Exception | None"]
#: ``on_response(response)``: sees every answer, each attempt (a retried 429 or 503 too), before the client acts on it
ResponseObserver = Callable[[requests.Response], None]
#: fetches one page of a paging loop: request -> (response, records, body)
PageFetch = Callable[[PageRequest], tuple[requests.Response, list[Any], Any]]
_UNPARSED = object()


class PageOptions(TypedDict, total=False):
    """The keyword options of :meth:`HttpClient.paginate` and :meth:`HttpClient.iter_pages`."""

    params: Mapping[str, Any] | None
    paginator: Paginator | None
    records: str | Callable[[Any], list[Any]] | None
    method: str
    json: Any
    headers: Mapping[str, str] | None
    stream: str | None


_USER_AGENT = "staffwire/0.1 (+https://github.com/staffwire/staffwire)"
_QUERY = re.compile(r"\?[^\s'\"]*")
logger = logging.getLogger("staffwire.http")


class HttpClient:
    """See the module docstring. ``system`` names the API in every message ("Bullhorn", "Zoho Recruit")."""

    def __init__(
        self,
        base_url: str | None = None,
        *,
        system: str = "the API",
        auth: Authenticator | None = None,
        masker: SecretMasker | None = None,
        timeout: float | tuple[float, float] = (10.0, 60.0),
        retry: RetryPolicy | None = None,
        rate_limiter: RateLimiter | None = None,
        pool_size: int = 16,
        headers: Mapping[str, str] | None = None,
        on_rate_limited: RateLimitCallback | None = None,
        rate_limit_notify_after: float = 1.0,
        status_kinds: Mapping[int, type[HttpError]] | None = None,
        session: requests.Session | None = None,
        classify_error: ErrorClassifier | None = None,
        on_response: ResponseObserver | None = None,
    ) -> None:
        self.system = system
        self.classify_error = classify_error
        self.on_response = on_response
        self.masker = masker if masker is not None else SecretMasker()
        self.auth = auth
        if auth is not None and not isinstance(auth, Authenticator):
            raise TypeError(
                f"HttpClient(auth=...) needs an authenticator with auth_flow, bind, default_base_url and "
                f"retry_auth_requests (derive it from staffwire.auth.Auth); got {type(auth).__name__}"
            )
        default_base = auth.default_base_url if auth is not None else None
        self.base_url = (base_url or default_base or "").rstrip("/")
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.rate_limiter = rate_limiter
        self.on_rate_limited = on_rate_limited
        self.rate_limit_notify_after = rate_limit_notify_after
        self.status_kinds = dict(status_kinds or {})
        if rate_limiter is not None and rate_limiter.max_concurrency:
            pool_size = max(pool_size, rate_limiter.max_concurrency)
        self.session = session or requests.Session()
        adapter = HTTPAdapter(pool_connections=pool_size, pool_maxsize=pool_size, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["User-Agent"] = _USER_AGENT
        self.session.headers["Accept"] = "application/json"
        self.session.headers.update(headers or {})
        self._env_cache: dict[str, dict[str, Any]] = {}
        # the connector run this client belongs to: retry lines logged from a worker thread go to its output
        self._log_owner = logs.owner()
        if auth is not None:
            auth.bind(system=system, masker=self.masker)

    # lifecycle -----------------------------------------------------------------------------------------
    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # building ------------------------------------------------------------------------------------------
    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        if not path:
            return self.base_url
        return f"{self.base_url}/{path.lstrip('/')}"

    def _prepare(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        json: Any,
        data: Any,
        headers: Mapping[str, str] | None,
    ) -> requests.PreparedRequest:
        # Prepared here rather than by ``session.prepare_request``: that merges session params, auth and hooks the
        # client never sets and copies the cookie jar twice (~0.2 ms a request on requests 2.34). What it would add
        # is added the same way: session headers under the request's own (a None value drops one), the session's
        # cookies, its hooks; and, as before, no ~/.netrc lookup (see _no_netrc).
        session = self.session
        merged = CaseInsensitiveDict(session.headers)
        for name, value in (headers or {}).items():
            if value is None:
                merged.pop(name, None)
            else:
                merged[name] = value
        prepared = requests.PreparedRequest()
        prepared.prepare(
            method=method.upper(),
            url=self.url(path),
            headers=merged,
            data=data,
            params=_query(params),
            cookies=session.cookies.copy() if len(session.cookies) else None,  # a copy, as requests makes
            auth=_no_netrc,
            hooks=session.hooks,
        )
        if json is not None:
            prepared.prepare_body(data=None, files=None, json=None)
            body = orjson.dumps(json)
            prepared.body = body
            prepared.headers["Content-Type"] = "application/json"
            prepared.headers["Content-Length"] = str(len(body))
        return prepared

    # sending -------------------------------------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Any = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
        stream: str | None = None,
        ok_statuses: tuple[int, ...] = (),
        expect_json: bool = False,
    ) -> requests.Response:
        """Send a request through auth, rate limiting and retries; raise a typed error for status >= 400
        (except ``ok_statuses``): the ``classify_error`` hook's, else the generic one. ``stream`` names the stream
        in error messages. ``expect_json``: a 2xx body must be JSON -- parsed once here (for :meth:`decode`), and a
        cut-off or HTML body of an idempotent request is fetched again within the same retry budget."""
        prepared = self._prepare(method, path, params, json, data, headers)
        is_idempotent = prepared.method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        response = self._run(prepared, is_idempotent, stream, expect_json)
        if response.status_code >= 400 and response.status_code not in ok_statuses:
            if self.classify_error is not None:
                vendor = self.classify_error(response, stream)
                if vendor is not None:
                    raise vendor
            raise error_for_response(
                response,
                system=self.system,
                masker=self.masker,
                stream=stream,
                attempts=getattr(response, "_staffwire_attempts", 1),
                kinds=self.status_kinds,
            )
        return response

    def _run(
        self, prepared: requests.PreparedRequest, idempotent: bool, stream: str | None, expect_json: bool
    ) -> requests.Response:
        if self.auth is None:
            return self._send(prepared, idempotent, stream, follow_redirects=True, expect_json=expect_json)
        flow = self.auth.auth_flow(prepared)
        retry_own = self.auth.retry_auth_requests
        try:
            outgoing = next(flow)
            while True:
                own = is_auth_request(outgoing)
                response = self._send(
                    outgoing,
                    retry_own if own else idempotent,
                    stream,
                    follow_redirects=not own,
                    expect_json=expects_json(outgoing) if own else expect_json,
                )
                try:
                    outgoing = flow.send(response)
                except StopIteration:
                    return response
        finally:
            flow.close()

    def _send(
        self,
        prepared: requests.PreparedRequest,
        idempotent: bool,
        stream: str | None,
        *,
        follow_redirects: bool,
        expect_json: bool = False,
    ) -> requests.Response:
        """The retry loop (the only one): connection errors, 429, 5xx and unreadable JSON bodies."""
        policy = self.retry
        url = prepared.url or ""
        self._check_scheme(url, prepared.method or "GET", stream)
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._send_once(prepared, follow_redirects)
            except requests.RequestException as exc:
                not_sent = _never_sent(exc)
                retryable = isinstance(exc, requests.ConnectionError | requests.Timeout) or _broken_body(exc)
                if retryable and (idempotent or not_sent) and attempt < policy.max_attempts:
                    wait = policy.backoff(attempt)
                    self._log_retry(prepared, type(exc).__name__, wait, attempt, policy.max_attempts)
                    policy.sleep(wait)
                    continue
                raise self._error_for_exception(exc, prepared, stream, attempt) from None
            if self.on_response is not None:
                self.on_response(response)
            status = response.status_code
            if status == 429 and attempt < policy.rate_limit_attempts:
                wait = policy.retry_after(response.headers.get("Retry-After"), attempt)
                response.close()
                self._log_retry(prepared, "HTTP 429", wait, attempt, policy.rate_limit_attempts)
                self._notify_rate_limited(wait)
                policy.sleep(wait)
                continue
            if (
                expect_json
                and 200 <= status < 300
                and not _parsed(response)
                and idempotent
                and attempt < policy.max_attempts
            ):  # a cut-off or HTML answer (a proxy, a token endpoint): a hiccup, like a 503, not bad data
                response.close()
                wait = policy.backoff(attempt)
                self._log_retry(prepared, "a cut-off or HTML body", wait, attempt, policy.max_attempts)
                policy.sleep(wait)
                continue
            if status in policy.retry_statuses and idempotent and attempt < policy.max_attempts:
                # a 503 may say when to come back (maintenance windows): honour it like a 429's
                wait = policy.retry_after(response.headers.get("Retry-After"), attempt)
                response.close()
                self._log_retry(prepared, f"HTTP {status}", wait, attempt, policy.max_attempts)
                policy.sleep(wait)
                continue
            response._staffwire_attempts = attempt  # type: ignore[attr-defined]
            return response

    def _log_retry(
        self, prepared: requests.PreparedRequest, what: str, wait: float, attempt: int, attempts: int
    ) -> None:
        if logger.isEnabledFor(logging.INFO):
            request = describe_request(prepared.method or "GET", prepared.url or "")
            with logs.as_owner(self._log_owner):  # a worker thread's retry line still belongs to this run
                logger.info(
                    "%s answered %s for %s; retrying in %.3gs (attempt %d of %d)",
                    self.system,
                    what,
                    request,
                    wait,
                    attempt + 1,
                    attempts,
                )

    def _send_once(self, prepared: requests.PreparedRequest, follow_redirects: bool) -> requests.Response:
        limiter = self.rate_limiter
        if limiter is None:
            return _whole(self._transmit(prepared, follow_redirects))
        wait = limiter.next_wait()
        if wait >= self.rate_limit_notify_after:
            self._notify_rate_limited(wait)
        with limiter.slot():
            return _whole(self._transmit(prepared, follow_redirects))

    def _transmit(self, prepared: requests.PreparedRequest, follow_redirects: bool) -> requests.Response:
        """One exchange, the body not yet read. The common case -- a followed request that is not redirected and
        carries no response hooks -- goes straight to the connection adapter and keeps the session's cookies as
        ``session.send`` would; the rest (a redirect, a flow's own unfollowed request, hooks) is ``session.send``
        or its redirect resolution, so those behave exactly as requests does."""
        session = self.session
        settings = self._environment(prepared.url or "")
        if not follow_redirects or any(prepared.hooks.get("response") or ()):
            return session.send(
                prepared, timeout=self.timeout, allow_redirects=follow_redirects, stream=True, **settings
            )
        started = time.perf_counter()
        response = session.get_adapter(prepared.url or "").send(
            prepared, timeout=self.timeout, stream=True, **settings
        )
        response.elapsed = timedelta(seconds=time.perf_counter() - started)
        if "set-cookie" in response.headers or "set-cookie2" in response.headers:
            extract_cookies_to_jar(session.cookies, prepared, response.raw)
        if response.is_redirect:
            history = [response]
            history.extend(
                session.resolve_redirects(response, prepared, timeout=self.timeout, stream=True, **settings)
            )
            response = history.pop()
            response.history = history
        return response

    def _environment(self, url: str) -> dict[str, Any]:
        """Proxies, CA bundle and client cert from the environment (as ``requests.get`` honours them), resolved
        once per scheme and host: requests would otherwise rescan ``os.environ`` on every send."""
        split = urlsplit(url)
        key = f"{split.scheme}://{split.netloc}"
        settings = self._env_cache.get(key)
        if settings is None:
            merged = self.session.merge_environment_settings(url, {}, None, None, None)
            settings = {"proxies": merged["proxies"], "verify": merged["verify"], "cert": merged["cert"]}
            self._env_cache[key] = settings
        return settings

    def _notify_rate_limited(self, wait: float) -> None:
        callback = self.on_rate_limited or current_rate_limit_listener()
        if callback is not None:
            callback(wait)

    def _check_scheme(self, url: str, method: str, stream: str | None) -> None:
        """Plain http is for loopback only (sandboxes, tests): credentials never cross a network in clear."""
        if not url.startswith("http://"):
            return
        host = urlsplit(url).hostname or ""
        if not is_loopback_host(host):
            raise HttpConfigError(
                f"{self.system}: refusing to send {describe_request(method, url)} to {host} over plain http://. "
                "Use an https:// URL in the connector config (http:// is accepted only for loopback hosts).",
                system=self.system,
                method=method,
                path=describe_request(method, url).split(" ", 1)[1],
                stream=stream,
            )

    def _error_for_exception(
        self,
        exc: requests.RequestException,
        prepared: requests.PreparedRequest,
        stream: str | None,
        attempts: int,
    ) -> HttpError:
        method = prepared.method or "GET"
        request = describe_request(method, prepared.url or "")
        path = request.split(" ", 1)[1]
        tries = f" (after {attempts} attempts)" if attempts > 1 else ""
        reason = self.masker.mask(_QUERY.sub("", str(exc)))[:300]
        prefix = f"Stream {stream}: " if stream else ""
        klass: type[HttpError]
        if isinstance(exc, requests.Timeout) and not isinstance(exc, requests.ConnectTimeout):
            klass = TimeoutError_
            read = self.timeout[1] if isinstance(self.timeout, tuple) else self.timeout
            message = (
                f"{self.system} did not answer {request} within {read:g}s{tries}. "
                "The API may be overloaded: try again later."
            )
        elif isinstance(exc, requests.ConnectionError | requests.Timeout) or _broken_body(exc):
            klass = ConnectError
            message = (
                f"Could not reach {self.system} for {request}{tries}: the connection failed or was "
                f"dropped ({type(exc).__name__}). Check the API URL and the network, or try again later."
            )
        elif isinstance(
            exc,
            requests.exceptions.InvalidURL
            | requests.exceptions.MissingSchema
            | requests.exceptions.InvalidSchema,
        ):
            klass = HttpConfigError
            message = (
                f"{self.system}: {request} has an invalid URL. Check the API URL in the connector config."
            )
        else:
            klass = ConnectError
            message = (
                f"{self.system} request {request} failed{tries} ({type(exc).__name__}). Try again later."
            )
        return klass(
            prefix + self.masker.mask(message),
            system=self.system,
            method=method,
            path=path,
            stream=stream,
            internal_message=reason,
        )

    # JSON ----------------------------------------------------------------------------------------------
    def decode(self, response: requests.Response, *, stream: str | None = None) -> Any:
        """The JSON body, ``None`` for an empty answer (204, 304); a typed error for HTML or broken JSON."""
        parsed = getattr(response, "_staffwire_json", _UNPARSED)
        if parsed is not _UNPARSED:
            return parsed
        if not response.content:
            return None
        return json_body(response, system=self.system, masker=self.masker, stream=stream)

    def request_json(self, method: str, path: str, **kwargs: Any) -> Any:
        """:meth:`request` + :meth:`decode`; a broken body of an idempotent request is fetched again."""
        return self.fetch_json(method, path, **kwargs)[1]

    def fetch_json(self, method: str, path: str, **kwargs: Any) -> tuple[requests.Response, Any]:
        """Like :meth:`request_json`, returning the response too (headers, status). The body is checked inside
        the request's retry loop (:meth:`request` with ``expect_json``), so a broken body costs one attempt of
        the same budget as a 503."""
        response = self.request(method, path, expect_json=True, **kwargs)
        return response, self.decode(response, stream=kwargs.get("stream"))

    def get_json(self, path: str, **kwargs: Any) -> Any:
        return self.request_json("GET", path, **kwargs)

    def post_json(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        return self.request_json("POST", path, json=json, **kwargs)

    def put_json(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        return self.request_json("PUT", path, json=json, **kwargs)

    def patch_json(self, path: str, json: Any = None, **kwargs: Any) -> Any:
        return self.request_json("PATCH", path, json=json, **kwargs)

    def delete_json(self, path: str, **kwargs: Any) -> Any:
        return self.request_json("DELETE", path, **kwargs)

    # paging --------------------------------------------------------------------------------------------
    def paginate(self, path: str, **options: Unpack[PageOptions]) -> Iterator[list[Any]]:
        """Yield pages (lists of records). ``records`` is a dotted path into the body (``"data"``,
        ``"response.items"``) or a callable; None takes the body itself when it is a list. The options are
        those of :meth:`iter_pages`."""
        for _request, _response, page in self.iter_pages(path, **options):
            yield page

    def iter_pages(
        self,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        paginator: Paginator | None = None,
        records: str | Callable[[Any], list[Any]] | None = None,
        method: str = "GET",
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        stream: str | None = None,
    ) -> Iterator[tuple[PageRequest, requests.Response, list[Any]]]:
        """Like :meth:`paginate`, with the request that fetched each page and its response."""
        extract = records_extractor(records)
        spec = PageRequest(
            method=method.upper(),
            path=path,
            params=dict(params or {}),
            json=json,
            headers=dict(headers or {}),
        )

        def fetch(request: PageRequest) -> tuple[requests.Response, list[Any], Any]:
            response, body = self.fetch_page(request, stream=stream)
            return response, extract(body), body

        for sent, response, page, _body in self.page_loop(spec, paginator, fetch, stream=stream):
            yield sent, response, page

    def fetch_page(self, request: PageRequest, *, stream: str | None = None) -> tuple[requests.Response, Any]:
        """One page's request: (response, decoded body)."""
        return self.fetch_json(
            request.method,
            request.path,
            params=request.params,
            json=request.json,
            headers=request.headers or None,
            idempotent=request.idempotent,
            stream=stream,
        )

    def page_loop(
        self,
        request: PageRequest,
        paginator: Paginator | None,
        fetch: PageFetch,
        *,
        stream: str | None = None,
    ) -> Generator[tuple[PageRequest, requests.Response, list[Any], Any], None, None]:
        """The paging loop (the only one in the SDK): ``fetch`` each page of ``request`` as ``paginator`` moves it,
        yielding (the request sent, response, records, body). The caller's ``request`` is not changed. A consumer
        may stop after any page; the paginator has then seen that page (``update_state``) but not moved on."""
        paginator = paginator if paginator is not None else SinglePagePaginator()
        spec = request.copy()
        paginator.init_request(spec)
        while True:
            sent = spec.copy()
            response, page, body = fetch(sent)
            self.check_page(paginator, response, page, body, spec, stream)
            yield sent, response, page, body
            if not paginator.has_next_page:
                return
            paginator.update_request(spec)

    def check_page(
        self,
        paginator: Paginator,
        response: requests.Response,
        records: list[Any],
        body: Any,
        request: PageRequest,
        stream: str | None,
    ) -> None:
        """Feed a page to its paginator; a paging loop becomes an InternalError naming system, stream, request."""
        try:
            paginator.update_state(response, records, body)
        except PaginatorLoopError as exc:
            raise exc.as_error(
                system=self.system,
                request=describe_request(request.method, self.url(request.path)),
                stream=stream,
            ) from None


def _query(params: Mapping[str, Any] | None) -> str:
    """``params`` as requests encodes them (a list or tuple value repeats its key, a None value or item is left
    out, text is UTF-8), done here: requests 2.34 tests each mapping against a runtime Protocol first, a slow
    ``isinstance`` on Python 3.11."""
    if not params:
        return ""
    pairs: list[tuple[Any, Any]] = []
    for key, values in params.items():
        if isinstance(values, str | bytes) or not hasattr(values, "__iter__"):
            values = (values,)
        for value in values:
            if value is not None:
                pairs.append(
                    (
                        key.encode("utf-8") if isinstance(key, str) else key,
                        value.encode("utf-8") if isinstance(value, str) else value,
                    )
                )
    return urlencode(pairs, doseq=True)


def _no_netrc(request: requests.PreparedRequest) -> requests.PreparedRequest:
    """An explicit "no requests-level auth": stops requests from reading ~/.netrc on every request (and from
    sending credentials found there to an API; a connector's credentials come from its config)."""
    return request


def _whole(response: requests.Response) -> requests.Response:
    """Read the body in one piece. requests' own ``.content`` reads it in 10 KB chunks, each through urllib3's
    read machinery: for a 350 KB page of records that cost more CPU than parsing the JSON. ``iter_content``
    keeps requests' mapping of a cut-off or undecodable body to its exceptions (the retry loop tells those
    apart); ``_content`` is where requests itself keeps the body it read (``Response.content``)."""
    response._content = b"".join(response.iter_content(None)) or b""
    return response


def _never_sent(exc: requests.RequestException) -> bool:
    """True when the request cannot have reached the server (so retrying is safe for any method)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)
    return isinstance(reason, urllib3.exceptions.NewConnectionError | urllib3.exceptions.ConnectTimeoutError)


def _broken_body(exc: requests.RequestException) -> bool:
    """The answer started but its body was cut off."""
    return isinstance(
        exc, requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError
    )


def _parsed(response: requests.Response) -> bool:
    """Parse a JSON answer's body once (kept for :meth:`HttpClient.decode`); False when it is not JSON (cut off,
    or an HTML page). An empty body is ``None`` (204, 304)."""
    body = response.content
    try:
        value = orjson.loads(body) if body else None
    except orjson.JSONDecodeError:
        return False
    response._staffwire_json = value  # type: ignore[attr-defined]
    return True
