"""The HTTP toolkit: a client with retries, 429 handling and rate limiting; typed errors; the HttpStream template;
the ordered parallel reader and key-range partitioning it reads with (docs/architecture.md, "Reading over HTTP").

Public surface (checked by a test): everything in ``__all__``. Implementation lives in the submodules.
"""

from __future__ import annotations

from staffwire.http.client import IDEMPOTENT_METHODS, ErrorClassifier, HttpClient, PageFetch, ResponseObserver
from staffwire.http.errors import (
    AuthenticationError,
    BadResponseError,
    ClientError,
    ConnectError,
    HttpConfigError,
    HttpError,
    HttpInternalError,
    HttpTransientError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    RequestTooLargeError,
    ServerError,
    TimeoutError_,
    api_error_text,
    describe_request,
    error_for_response,
)
from staffwire.http.hooks import RateLimitCallback, current_rate_limit_listener, rate_limit_listener
from staffwire.http.parallel import ordered_parallel, ordered_parallel_chain
from staffwire.http.partition import KeyRange, KeyRangePartitioner
from staffwire.http.ratelimit import RateLimiter
from staffwire.http.retry import RetryPolicy, parse_retry_after
from staffwire.http.stream import HttpStream

__all__ = [
    "IDEMPOTENT_METHODS",
    "AuthenticationError",
    "BadResponseError",
    "ClientError",
    "ConnectError",
    "ErrorClassifier",
    "HttpClient",
    "HttpConfigError",
    "HttpError",
    "HttpInternalError",
    "HttpStream",
    "HttpTransientError",
    "KeyRange",
    "KeyRangePartitioner",
    "NotFoundError",
    "PageFetch",
    "PermissionDeniedError",
    "RateLimitCallback",
    "RateLimitedError",
    "RateLimiter",
    "RequestTooLargeError",
    "ResponseObserver",
    "RetryPolicy",
    "ServerError",
    "TimeoutError_",
    "api_error_text",
    "current_rate_limit_listener",
    "describe_request",
    "error_for_response",
    "ordered_parallel",
    "ordered_parallel_chain",
    "parse_retry_after",
    "rate_limit_listener",
]
