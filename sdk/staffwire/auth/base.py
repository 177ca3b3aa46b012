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

from collections.abc import Mapping
from typing import Any

import requests

from staffwire.authflow import Authenticator, AuthFlow, expects_json, is_auth_request, mark_auth_request
from staffwire.secrets import SecretMasker

__all__ = ["Auth", "AuthFlow", "Authenticator", "NoAuth", "expects_json", "is_auth_request"]


class Auth:
    """Base of Staffwire's authenticators: every member of the :class:`~staffwire.authflow.Authenticator`
    contract, with defaults.

    The client calls :meth:`bind` once with its system name and :class:`SecretMasker`, so every token an
    authenticator learns is masked from then on, and its errors name the system.
    """

    system: str = "the API"
    masker: SecretMasker | None = None
    #: the flow's own requests (token, login hops) are retried on connection errors and 5xx
    retry_auth_requests: bool = True
    #: the base URL of a client built without one (None: the client's own)
    default_base_url: str | None = None

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
        mark_auth_request(prepared, expect_json=expect_json)
        return prepared


class NoAuth(Auth):
    """No authentication (public endpoints, sandboxes)."""
