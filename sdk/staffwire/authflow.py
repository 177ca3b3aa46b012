"""The contract between an HTTP client and an authenticator, in neither package.

:mod:`staffwire.auth` implements authenticators (and uses the HTTP layer's typed errors and retry policy);
:mod:`staffwire.http` sends their flows. Both depend on this module and :mod:`staffwire.http` never imports
:mod:`staffwire.auth`, so the dependency goes one way only (a test in ``tests/http`` enforces it).

What the client may use of an authenticator is declared here, typed, and nothing else is probed:

* ``auth_flow(request)``: the flow (see :mod:`staffwire.auth.base`);
* ``default_base_url``: the base URL of a client built without one (a session login's placeholder), or None;
* ``retry_auth_requests``: whether the flow's own requests (token, login hops) are retried on 5xx/connection errors;
* ``bind(system=, masker=)``: called once by the client with its system name and secret masker.

:class:`staffwire.auth.Auth` gives every member a default; an authenticator not derived from it declares them all.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Protocol, runtime_checkable

import requests

from staffwire.secrets import SecretMasker

__all__ = ["AuthFlow", "Authenticator", "expects_json", "is_auth_request", "mark_auth_request"]

AuthFlow = Generator[requests.PreparedRequest, requests.Response, None]

_AUTH_MARK = "_staffwire_auth_request"
_JSON_MARK = "_staffwire_expects_json"


@runtime_checkable
class Authenticator(Protocol):
    """What an HTTP client may use of an authenticator (see the module docstring)."""

    @property
    def default_base_url(self) -> str | None: ...

    @property
    def retry_auth_requests(self) -> bool: ...

    def auth_flow(self, request: requests.PreparedRequest) -> AuthFlow: ...

    def bind(self, *, system: str, masker: SecretMasker | None) -> None: ...


def mark_auth_request(request: requests.PreparedRequest, *, expect_json: bool = False) -> None:
    """Mark ``request`` as the flow's own (token, login hop); ``expect_json``: its 2xx answer must be JSON."""
    setattr(request, _AUTH_MARK, True)
    if expect_json:
        setattr(request, _JSON_MARK, True)


def is_auth_request(request: requests.PreparedRequest) -> bool:
    return bool(getattr(request, _AUTH_MARK, False))


def expects_json(request: requests.PreparedRequest) -> bool:
    """Whether a flow's own request was built with ``expect_json=True``."""
    return bool(getattr(request, _JSON_MARK, False))
