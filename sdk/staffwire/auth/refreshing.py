"""The shared machinery of credentials that expire: cache, renew once for everyone, retry once.

``RefreshingAuth`` keeps one credential (an access token, a login session) with a *generation* number. A request
that fails with an expired credential asks for a renewal *of the generation it used*; under the lock, a renewal
happens only when that generation is still current. So N parallel requests failing together cause exactly one
refresh, and a request that started before someone else's refresh simply retries with the new credential.

A login or token exchange whose answer came back cut off or as an HTML page (:class:`BadResponseError`: the client
already retried what it could send again) is started over from the beginning up to ``restart.max_attempts``
times: a single-use grant (an authorization code, a rotating refresh token) may have been spent by the lost
answer, so only a fresh start can succeed.

Which answers mean "the credential is no longer accepted" is :meth:`RefreshingAuth.is_expired_response`: by
default a status in :attr:`~RefreshingAuth.renew_on`; ``renew_when=`` decides from the whole answer instead, for
APIs whose 401 covers both an expired token (renew) and a missing permission (renewing cannot help -- Zoho's
``OAUTH_SCOPE_MISMATCH``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator
from typing import Any, Generic, TypeVar

import requests

from staffwire.auth.base import Auth, AuthFlow
from staffwire.http.errors import AuthenticationError, BadResponseError, error_for_response, json_body
from staffwire.http.retry import RetryPolicy

__all__ = ["RefreshingAuth"]

C = TypeVar("C")
Obtain = Generator[requests.PreparedRequest, requests.Response, C]


class RefreshingAuth(Auth, Generic[C]):
    """Subclasses implement :meth:`obtain` (a flow returning a new credential), :meth:`apply`, and optionally
    :meth:`expires_at`, :meth:`renew_at` and :meth:`is_expired_response`."""

    #: statuses that mean "the credential expired": renew and retry the request once
    renew_on: tuple[int, ...] = (401,)
    #: renew this many seconds before the credential's expiry
    expiry_margin: float = 60.0
    #: how many times one request renews an expired credential before its answer stands (sessions that die
    #: after a couple of requests raise it: see SessionLoginAuth)
    max_renewals: int = 1
    #: how often (and how patiently) a login whose answer was cut off or HTML is started over
    restart: RetryPolicy = RetryPolicy(max_attempts=3, base_delay=1.0, jitter=0.0)

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        renew_when: Callable[[requests.Response], bool] | None = None,
    ) -> None:
        self._lock = threading.Lock()
        self._renew_when = renew_when
        self._credential: C | None = None
        self._generation = 0
        self.clock = clock
        self.renewals = 0

    # to implement --------------------------------------------------------------------------------------
    def obtain(self) -> Obtain[C]:
        """Yield the requests that produce a new credential; return it."""
        raise NotImplementedError
        yield  # pragma: no cover  (makes this a generator)

    def apply(self, request: requests.PreparedRequest, credential: C) -> requests.PreparedRequest:
        """Return the request carrying ``credential`` (mutate it or return a changed copy)."""
        raise NotImplementedError

    def expires_at(self, credential: C) -> float | None:
        """Epoch seconds when ``credential`` expires, if known."""
        return None

    def renew_at(self, credential: C) -> float | None:
        """Epoch seconds from which ``credential`` is renewed before use (default: ``expiry_margin`` before it
        expires); None renews it only when the API rejects it."""
        expiry = self.expires_at(credential)
        return None if expiry is None else expiry - self.expiry_margin

    def is_expired_response(self, response: requests.Response) -> bool:
        """Whether ``response`` says the credential is no longer accepted (renew it and send the request again)."""
        if self._renew_when is not None:
            return self._renew_when(response)
        return response.status_code in self.renew_on

    # for obtain() ---------------------------------------------------------------------------------------
    def answer_json(
        self, response: requests.Response, *, what: str, refused_advice: str, empty: bytes
    ) -> Any:
        """The JSON body of a credential request (``what``), or the typed error for its status or body.

        400/401/403 become :class:`AuthenticationError` carrying ``refused_advice``; an empty body parses as
        ``empty``; HTML or broken JSON becomes the body error naming the system.
        """
        if response.status_code >= 400:
            refused = dict.fromkeys((400, 401, 403), AuthenticationError)
            raise error_for_response(
                response,
                system=self.system,
                masker=self.masker,
                what=what,
                kinds=refused,
                advice=refused_advice if response.status_code in refused else None,
                auth_answer=True,
            )
        return json_body(response, system=self.system, masker=self.masker, empty=empty, auth_answer=True)

    # machinery -----------------------------------------------------------------------------------------
    def _usable(self, credential: C | None) -> bool:
        if credential is None:
            return False
        renew_at = self.renew_at(credential)
        return renew_at is None or self.clock() < renew_at

    def current(self) -> tuple[C | None, int]:
        return self._credential, self._generation

    def invalidate(self) -> None:
        """Forget the credential: the next request obtains a new one."""
        with self._lock:
            self._credential = None
            self._generation += 1

    def _renew(
        self, seen_generation: int
    ) -> Generator[requests.PreparedRequest, requests.Response, tuple[C, int]]:
        with self._lock:
            credential = self._credential
            if self._generation != seen_generation and credential is not None and self._usable(credential):
                return credential, self._generation  # someone renewed since we looked: use theirs
            credential = yield from self._obtain_restarting()
            self._credential = credential
            self._generation += 1
            self.renewals += 1
            return credential, self._generation

    def _obtain_restarting(self) -> Generator[requests.PreparedRequest, requests.Response, C]:
        attempt = 1
        while True:
            try:
                return (yield from self.obtain())
            except BadResponseError:
                if attempt >= self.restart.max_attempts:
                    raise
            self.restart.sleep(self.restart.backoff(attempt))
            attempt += 1

    def auth_flow(self, request: requests.PreparedRequest) -> AuthFlow:
        credential, generation = self.current()
        if not self._usable(credential):
            credential, generation = yield from self._renew(generation)
        assert credential is not None
        original = request.copy()
        response = yield self.apply(request, credential)
        # A renewed credential that dies again before this request could use it (a session good for a couple of
        # requests, shared by parallel workers) is renewed again, up to max_renewals times: a wrong password
        # fails in the login itself, so repeated expiry is not a verdict on the credentials.
        for _ in range(self.max_renewals):
            if not self.is_expired_response(response):
                return
            credential, generation = yield from self._renew(generation)
            response = yield self.apply(original.copy(), credential)
