"""The authenticator contract: an auth *flow*, as in httpx.

``auth_flow(request)`` is a generator. It yields prepared requests for the client to send and receives each
response back; the last response it received is the answer to the caller. A plain scheme yields the caller's request
once with a header added. A refreshing scheme may first yield a token request, then the caller's request, and
on a 401 refresh and yield the caller's request again -- so the client needs no special case for any of it::

    def auth_flow(self, request):
        request.headers["Authorization"] = f"Bearer {self.token}"
        response = yield request
        if response.status_code == 401:
            yield self.build("POST", self.token_url, data={...})    # a token request (see ``build``)
            ...
            yield request                                            # the caller's request, once more

Requests made with :meth:`Auth.build` are the flow's own (token, login hops): the client sends them without
following redirects (login hops read ``Location`` themselves) and retries them on connection errors and 5xx only
when :attr:`Auth.retry_auth_requests` is true. A flow's request built with ``expect_json=True`` (a token endpoint,
a login answer) is also retried, like a 503, when a 2xx answer's body is cut off or an HTML page instead of JSON:
a proxy hiccup must not fail a run as bad credentials. Any other yielded request is the caller's and keeps the
caller's retry rules.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any, Protocol, runtime_checkable

import requests

from staffwire.secrets import SecretMasker

__all__ = ["Auth", "AuthFlow", "Authenticator", "NoAuth", "expects_json", "is_auth_request"]

AuthFlow = Generator[requests.PreparedRequest, requests.Response, None]

_AUTH_MARK = "_staffwire_auth_request"
_JSON_MARK = "_staffwire_expects_json"


@runtime_checkable
class Authenticator(Protocol):
    """Anything with an ``auth_flow``; :class:`Auth` is the convenient base."""

    def auth_flow(self, request: requests.PreparedRequest) -> AuthFlow: ...


class Auth:
    """Base of Staffwire's authenticators.

    The client calls :meth:`bind` once with its system name and :class:`SecretMasker`, so every token an
    authenticator learns is masked from then on, and its errors name the system.
    """

    system: str = "the API"
    masker: SecretMasker | None = None
    retry_auth_requests: bool = True

    def bind(self, *, system: str, masker: SecretMasker | None) -> None:
        if system and self.system == Auth.system:
            self.system = system
        if self.masker is None:
            self.masker = masker
        for secret in self.secrets():
            self.register_secret(secret)

    def secrets(self) -> list[str]:
        """Static secrets this authenticator holds (registered with the masker on bind)."""
        return []

    def register_secret(self, value: Any) -> None:
        if self.masker is not None and value:
            self.masker.add(value)

    def auth_flow(self, request: requests.PreparedRequest) -> AuthFlow:
        yield request

    @staticmethod
    def build(
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | str | bytes | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        expect_json: bool = False,
    ) -> requests.PreparedRequest:
        """A prepared request of the flow itself (token / login hop), marked as such for the client;
        ``expect_json``: its 2xx answer must be JSON (a cut-off or HTML answer is retried)."""
        prepared = requests.Request(
            method.upper(), url, params=dict(params or {}), data=data, json=json, headers=dict(headers or {})
        ).prepare()
        setattr(prepared, _AUTH_MARK, True)
        if expect_json:
            setattr(prepared, _JSON_MARK, True)
        return prepared


class NoAuth(Auth):
    """No authentication (public endpoints, sandboxes)."""


def is_auth_request(request: requests.PreparedRequest) -> bool:
    return bool(getattr(request, _AUTH_MARK, False))


def expects_json(request: requests.PreparedRequest) -> bool:
    """Whether a flow's own request was built with ``expect_json=True``."""
    return bool(getattr(request, _JSON_MARK, False))
