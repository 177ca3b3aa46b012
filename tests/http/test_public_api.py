"""The curated public surface of staffwire.http / staffwire.auth / paginate / incremental (httpx-style check)."""

from __future__ import annotations

import importlib

import pytest
from staffwire.errors import ConfigError, InternalError, StaffwireError, TransientError
from staffwire.http import errors as http_errors


@pytest.mark.parametrize(
    "module", ["staffwire.http", "staffwire.auth", "staffwire.paginate", "staffwire.state"]
)
def test_every_public_name_exists_and_nothing_private_is_exported(module: str) -> None:
    mod = importlib.import_module(module)
    assert len(set(mod.__all__)) == len(mod.__all__)
    for name in mod.__all__:
        assert hasattr(mod, name), f"{module}.{name} is in __all__ but missing"
        assert not name.startswith("_")


def test_the_http_api_offered_to_connectors() -> None:
    import staffwire.http as http

    assert {
        "HttpClient",
        "HttpStream",
        "RetryPolicy",
        "RateLimiter",
        "rate_limit_listener",
        "HttpError",
    } <= set(http.__all__)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("AuthenticationError", ConfigError),
        ("PermissionDeniedError", ConfigError),
        ("NotFoundError", ConfigError),
        ("RateLimitedError", TransientError),
        ("ServerError", TransientError),
        ("TimeoutError_", TransientError),
        ("ConnectError", TransientError),
        ("BadResponseError", TransientError),
        ("ClientError", InternalError),
    ],
)
def test_every_http_error_is_an_http_error_of_the_right_kind(name: str, kind: type[StaffwireError]) -> None:
    klass = getattr(http_errors, name)
    assert issubclass(klass, http_errors.HttpError) and issubclass(klass, kind)
    assert klass.failure_type == kind.failure_type
