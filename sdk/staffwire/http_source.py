"""``HttpSource``: the source of the common case -- one API, a bearer token, :class:`~staffwire.http.HttpStream` s
-- with the wiring written once, so a connector's ``source.py`` says only what is particular to it::

    class AcmeConfig(HttpSourceConfig):
        api_url: ApiUrl = "https://api.acme.example.com"     # the default base URL (keeps title, check, order)

    class SourceAcme(HttpSource[AcmeConfig]):
        name = "source-acme"
        config_model = AcmeConfig
        system = "Acme"                                      # the API's name in every error message
        stream_classes = (CandidatesStream,)

What it gives: the config (its spec: ``api_token`` a secret sent as a bearer token, ``api_url`` https:// or
loopback http://, ``start_date`` where the first incremental read starts -- in that order), one
:class:`~staffwire.http.HttpClient` per check or read with the run's secret masker and :attr:`HttpSource.retry`,
a ``check`` that fetches the first page of the first stream (a failure is the SDK's typed HTTP error, naming the
system, the request and the status, so ``check`` reports FAILED with it), and ``streams`` built as
``cls(client, start_date=config.start_date)``. Override :meth:`HttpSource.authenticator` for another scheme (an
API key header, OAuth), :meth:`HttpSource.client` for client options, ``check``/``streams`` when they differ.

Importing this module stays cheap (``spec`` loads no HTTP library): the client and authenticator are imported
when a command first needs them.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import TYPE_CHECKING, Annotated, ClassVar, TypeVar

from pydantic import BaseModel, Field, SecretStr

from staffwire.errors import InternalError
from staffwire.source import Source
from staffwire.spec import SecureUrl

if TYPE_CHECKING:
    from staffwire.auth import Auth
    from staffwire.http import HttpClient, HttpStream, RetryPolicy
    from staffwire.streams import Stream

__all__ = ["ApiUrl", "HttpSource", "HttpSourceConfig"]

ApiUrl = Annotated[
    SecureUrl,
    Field(
        title="API URL",
        description="Base URL of the API. Plain http:// is accepted only for a loopback host (a local sandbox).",
    ),
]
"""The ``api_url`` field type: a subclass sets its default with ``api_url: ApiUrl = "https://..."`` and keeps the
title, the description and the https check (a plain ``str`` annotation would drop all three)."""


class HttpSourceConfig(BaseModel):
    """Config of an API read with a bearer token. Field order is the spec's ``order``; ``api_token`` is an
    ``airbyte_secret``. Subclass it to give ``api_url`` a default and to add fields (they come after these)."""

    api_token: SecretStr = Field(
        title="API token", description="API token, sent as a bearer token (Authorization: Bearer <token>)."
    )
    api_url: ApiUrl
    start_date: str | None = Field(
        default=None,
        title="Start date",
        description="Where the first incremental read starts (ISO 8601, UTC); a full refresh reads everything.",
        examples=["2024-01-01T00:00:00Z"],
    )


HttpConfigT = TypeVar("HttpConfigT", bound=HttpSourceConfig)


class HttpSource(Source[HttpConfigT]):
    """See the module docstring. Subclasses set ``name``, ``config_model``, :attr:`system` and
    :attr:`stream_classes`."""

    #: the API's name in messages ("Stream candidates: Acme rejected the credentials for GET /v1/candidates ...")
    system: ClassVar[str] = "the API"
    #: the streams, in catalog order; each is built as ``cls(client, start_date=config.start_date)``
    stream_classes: ClassVar[Sequence[type[HttpStream]]] = ()
    #: retry timings of every request (None: the client's default policy); tests set tiny waits
    retry: ClassVar[RetryPolicy | None] = None

    def authenticator(self, config: HttpConfigT) -> Auth:
        """How requests are signed (default: ``Authorization: Bearer <api_token>``)."""
        from staffwire.auth import BearerAuth

        return BearerAuth(config.api_token.get_secret_value())

    def client(self, config: HttpConfigT) -> HttpClient:
        """A client of ``config.api_url`` with :meth:`authenticator`, the run's masker and :attr:`retry`."""
        from staffwire.http import HttpClient

        return HttpClient(
            config.api_url,
            system=self.system,
            auth=self.authenticator(config),
            masker=self.secrets,
            retry=self.retry,
        )

    def check(self, config: HttpConfigT) -> None:
        """The first page of the first stream, as a read would ask for it: the token, the URL and the first
        endpoint work. A failed request raises its typed HTTP error (401: ConfigError, 5xx: TransientError)."""
        from staffwire.paginate import PageRequest

        with self.client(config) as client:
            streams = self._http_streams(config, client)
            if not streams:
                raise InternalError(
                    f"{self.name}: stream_classes is empty; list the source's HttpStream classes"
                )
            stream = streams[0]
            request = PageRequest(
                stream.method, stream.path(None), stream.params(None, None), stream.request_body(None, None)
            )
            pages = stream.pages(request)
            try:
                next(pages, None)
            finally:
                if isinstance(pages, Generator):  # closed at once: no second page is asked for
                    pages.close()

    def streams(self, config: HttpConfigT) -> list[Stream]:
        return list(self._http_streams(config, self.client(config)))

    def _http_streams(self, config: HttpConfigT, client: HttpClient) -> list[HttpStream]:
        return [cls(client, start_date=config.start_date) for cls in self.stream_classes]
