"""The HTTP error tree and the messages people read when a request fails.

Every class mixes :class:`HttpError` (``status``, ``response``, ``system``, ``method``, ``path``) with the kind
from :mod:`staffwire.errors` that says what happens next, so callers catch ``ConfigError`` / ``TransientError`` /
``InternalError`` and never a ``requests`` exception::

    HttpError
      HttpConfigError (ConfigError)        AuthenticationError 401, PermissionDeniedError 403, NotFoundError 404
      HttpTransientError (TransientError)  RateLimitedError 429, ServerError 5xx, TimeoutError_, ConnectError,
                                           BadResponseError (HTML / truncated JSON)
      HttpInternalError (InternalError)    ClientError (any other 4xx)

Messages name the system, the method and the path (never the query string, which may carry tokens), the status
and the API's own error text, with every registered secret masked. A body is masked whole *before* it is parsed,
cut or whitespace-normalised, so no cut can leave half a secret. The answer of an auth request (``auth_answer``)
is treated harder: every token-shaped value in it is registered as a secret and masked, since an answer that was
cut off or never parsed may hold a freshly issued token nobody registered yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
import requests

from staffwire.errors import ConfigError, InternalError, StaffwireError, TransientError
from staffwire.secrets import MASK, SecretMasker, token_shaped

__all__ = [
    "AuthenticationError",
    "BadResponseError",
    "ClientError",
    "ConnectError",
    "HttpConfigError",
    "HttpError",
    "HttpInternalError",
    "HttpTransientError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitedError",
    "RequestTooLargeError",
    "ServerError",
    "TimeoutError_",
    "api_error_text",
    "describe_request",
    "error_for_response",
    "json_body",
]

_EXCERPT = 300
_ERROR_FIELDS = (
    "errorMessage",
    "error_description",
    "message",
    "detailMessage",
    "detail",
    "title",
    "error",
    "errors",
    "messages",
    "code",
    "errorCode",
)
#: where APIs put per-item errors when the top level carries none (Zoho: ``{"data": [{"code", "message"}]}``)
_NESTED_FIELDS = ("data", "details")


class HttpError(StaffwireError):
    """A request failed. ``status`` is None when no answer arrived (timeout, connection error)."""

    def __init__(
        self,
        message: str,
        *,
        system: str = "",
        method: str = "",
        path: str = "",
        status: int | None = None,
        response: requests.Response | None = None,
        stream: str | None = None,
        internal_message: str | None = None,
    ) -> None:
        request = f"{method} {path}".strip() or None
        super().__init__(
            message, internal_message=internal_message, stream=stream, request=request, status=status
        )
        self.system = system
        self.method = method
        self.path = path
        self.response = response


class HttpConfigError(HttpError, ConfigError):
    """The user must fix credentials, permissions or a URL in the config."""


class HttpTransientError(HttpError, TransientError):
    """An outage, a limit or a timeout that outlasted the retries."""


class HttpInternalError(HttpError, InternalError):
    """The API refused a request the connector should not have sent."""


class AuthenticationError(HttpConfigError):
    """HTTP 401, or a token/login endpoint refusing the credentials."""


class PermissionDeniedError(HttpConfigError):
    """HTTP 403."""


class NotFoundError(HttpConfigError):
    """HTTP 404: usually a wrong base URL, tenant or entity name in the config."""


class RateLimitedError(HttpTransientError):
    """HTTP 429 after every retry."""


class ServerError(HttpTransientError):
    """HTTP 5xx after every retry."""


class TimeoutError_(HttpTransientError):  # trailing underscore: not the builtin TimeoutError
    """No answer within the read timeout (or no connection within the connect timeout)."""


class ConnectError(HttpTransientError):
    """The connection failed or was dropped before an answer arrived."""


class BadResponseError(HttpTransientError):
    """The answer is not what the API documents: HTML instead of JSON, truncated or invalid JSON."""


class RequestTooLargeError(HttpConfigError):
    """HTTP 414 / 431: the URL or headers were too long -- a config value (a token, an id) far too long."""


class ClientError(HttpInternalError):
    """Any other 4xx: the connector sent something the API does not accept."""


# ----------------------------------------------------------------------------------------------- helpers
def describe_request(method: str, url: str) -> str:
    """``GET /search/Candidate``: the path only; the query string (which may carry tokens) is left out."""
    path = url
    if "://" in path:
        path = path.split("://", 1)[1]
        path = "/" + path.split("/", 1)[1] if "/" in path else "/"
    path = path.split("?", 1)[0].split("#", 1)[0]
    return f"{method.upper()} {path}"


def _text_from_json(obj: Any) -> str | None:
    if isinstance(obj, dict):
        error, description = obj.get("error"), obj.get("error_description")
        if isinstance(error, str) and isinstance(description, str) and error and description:
            return f"{error}: {description}"  # OAuth 2.0 (RFC 6749 section 5.2)
        for key in _ERROR_FIELDS:
            value = obj.get(key)
            if value in (None, "", [], {}):
                continue
            if isinstance(value, str | int | float):
                text = str(value)
                code = obj.get("code") if key not in ("code", "errorCode") else None
                if isinstance(code, str) and code and code not in text:
                    text = f"{code}: {text}"
                return text
            nested = _text_from_json(value)
            if nested:
                return nested
        for key in _NESTED_FIELDS:
            value = obj.get(key)
            if isinstance(value, list | dict) and value:
                nested = _text_from_json(value)
                if nested:
                    return nested
        return None
    if isinstance(obj, list) and obj:
        texts = [t for t in (_text_from_json(item) for item in obj[:3]) if t]
        return "; ".join(texts) or None
    if isinstance(obj, str) and obj:
        return obj
    return None


def _excerpt(text: str, limit: int = _EXCERPT) -> str:
    """Whitespace-normalised and cut; only ever called on text that is already masked."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    # never end on part of the mask: "****" cut to "**" would look like a value
    partial = next((n for n in range(len(MASK) - 1, 0, -1) if cut.endswith(MASK[:n])), 0)
    return (cut[:-partial] if partial else cut) + "..."


def masked_body(
    response: requests.Response, masker: SecretMasker | None, *, auth_answer: bool = False
) -> str:
    """The whole body as text with every secret masked (token-shaped values too for an auth answer)."""
    text = (response.content or b"").decode("utf-8", "replace")
    if auth_answer:
        tokens = token_shaped(text)
        if masker is not None:
            for token in tokens:
                masker.add(token)
        else:
            masker = SecretMasker(tokens)
    return masker.mask(text) if masker is not None else text


def looks_like_html(body: bytes, content_type: str) -> bool:
    head = body[:200].lstrip().lower()
    return "html" in content_type.lower() or head.startswith((b"<!doctype html", b"<html"))


def api_error_text(
    response: requests.Response, masker: SecretMasker | None = None, *, auth_answer: bool = False
) -> str:
    """The API's own words for an error: a JSON error field, else a short excerpt of the body; masked before
    anything is parsed or cut."""
    body = response.content or b""
    if not body:
        return ""
    if looks_like_html(body, response.headers.get("Content-Type", "")):
        return "(an HTML page)"
    masked = masked_body(response, masker, auth_answer=auth_answer)
    try:
        text = _text_from_json(orjson.loads(masked))
    except orjson.JSONDecodeError:
        text = None
    if text is None:
        text = masked[: _EXCERPT * 2]
    text = _excerpt(text)
    return masker.mask(text) if masker is not None else text


_ADVICE = {
    401: "Check the credentials in the connector config (they may be wrong, expired or revoked).",
    403: "Check that the API user has permission for this data, and the credentials' scopes.",
    404: "Check the API URL, data center or tenant in the connector config, and that the resource exists.",
    429: "The API's rate limit outlasted every retry: try again later or lower the request rate.",
    500: "The API is failing: this is usually temporary, try again later.",
}


def error_for_response(
    response: requests.Response,
    *,
    system: str,
    method: str | None = None,
    masker: SecretMasker | None = None,
    stream: str | None = None,
    attempts: int = 1,
    kinds: Mapping[int, type[HttpError]] | None = None,
    what: str | None = None,
    advice: str | None = None,
    auth_answer: bool = False,
) -> HttpError:
    """The typed error for a failed answer (status >= 400); ``kinds`` overrides the class per status."""
    status = response.status_code
    method = method or (response.request.method if response.request is not None else "GET") or "GET"
    url = response.request.url if response.request is not None and response.request.url else response.url
    request = describe_request(method, url or "")
    verb, _, path = request.partition(" ")
    quoted = api_error_text(response, masker, auth_answer=auth_answer)
    detail = f': "{quoted}"' if quoted else ""
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    on = f" ({what})" if what else ""
    klass: type[HttpError]
    if kinds and status in kinds:
        klass = kinds[status]
        advice = _ADVICE.get(status, "") if advice is None else advice
        head = f"{system} answered HTTP {status} for {request}{on}{tries}{detail}."
    elif status == 401:
        klass, head = (
            AuthenticationError,
            f"{system} rejected the credentials for {request}{on} (HTTP 401){detail}.",
        )
    elif status == 403:
        klass, head = PermissionDeniedError, f"{system} refused access to {request}{on} (HTTP 403){detail}."
    elif status == 404:
        klass, head = NotFoundError, f"{system} has nothing at {request}{on} (HTTP 404){detail}."
    elif status == 429:
        klass, head = (
            RateLimitedError,
            f"{system} kept rate-limiting {request}{on} (HTTP 429){tries}{detail}.",
        )
    elif status >= 500:
        klass, head = (
            ServerError,
            f"{system} failed with a server error for {request}{on} (HTTP {status}){tries}{detail}.",
        )
    elif status in (414, 431):
        klass = RequestTooLargeError
        what_part = "URL is" if status == 414 else "headers are"
        head = f"{system} refused {request}{on}: its {what_part} too long (HTTP {status})."
        advice = advice or (
            "A value the connector sends with it comes from the config and is far too long: check the config "
            "fields (tokens, ids and names are at most a few thousand characters)."
        )
    elif status == 408:
        klass, head = TimeoutError_, f"{system} timed out on {request}{on} (HTTP 408){tries}{detail}."
    else:
        klass = ClientError
        head = f"{system} rejected {request}{on} (HTTP {status}){detail}."
    if advice is None and not (kinds and status in kinds):
        advice = _ADVICE.get(
            500 if status >= 500 else status,
            "This is likely a bug in the connector: please report it with this message.",
        )
    message = f"{head} {advice or ''}".strip()
    if masker is not None:
        message = masker.mask(message)
    if stream:
        message = f"Stream {stream}: {message}"
    return klass(
        message, system=system, method=verb, path=path, status=status, response=response, stream=stream
    )


def error_for_body(
    response: requests.Response,
    *,
    system: str,
    problem: str,
    masker: SecretMasker | None = None,
    stream: str | None = None,
    auth_answer: bool = False,
) -> BadResponseError:
    """``Bullhorn answered HTML, not JSON, for GET /search/Candidate (HTTP 200)`` and its kin."""
    method = response.request.method if response.request is not None else "GET"
    request = describe_request(method or "GET", (response.request.url if response.request else None) or "")
    verb, _, path = request.partition(" ")
    body = response.content or b""
    if problem == "html":
        message = (
            f"{system} answered HTML, not JSON, for {request} (HTTP {response.status_code}). "
            "A proxy, a login page or a maintenance page may be in the way: check the API URL, "
            "or try again later."
        )
    else:
        masked = masked_body(response, masker, auth_answer=auth_answer)
        tail = " ".join(masked.split())[-80:]
        message = (
            f"{system} answered truncated or invalid JSON for {request} (HTTP {response.status_code}, "
            f"{len(body)} bytes, ending {tail!r}). The answer was probably cut off: try again later."
        )
    if masker is not None:
        message = masker.mask(message)
    if stream:
        message = f"Stream {stream}: {message}"
    return BadResponseError(
        message,
        system=system,
        method=verb,
        path=path,
        status=response.status_code,
        response=response,
        stream=stream,
    )


def json_body(
    response: requests.Response,
    *,
    system: str,
    masker: SecretMasker | None = None,
    stream: str | None = None,
    empty: bytes = b"null",
    auth_answer: bool = False,
) -> Any:
    """The parsed JSON body (an empty body parses as ``empty``); :func:`error_for_body` for HTML or broken JSON."""
    body = response.content or empty
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        problem = "html" if looks_like_html(body, response.headers.get("Content-Type", "")) else "json"
        raise error_for_body(
            response, system=system, problem=problem, masker=masker, stream=stream, auth_answer=auth_answer
        ) from None
