"""Zoho Recruit v2 / CRM: the run's HTTP client (auth, retries) with Zoho's reading of its refusals, and the
metadata calls (cached per run).

Error bodies are turned into messages a person can act on: a missing scope names the scope, a token refused
even after renewal points at the data center, and so on. The client calls :meth:`ZohoApi.classify` for every
refused request (the SDK's ``classify_error`` hook), so record reads (:mod:`source_zoho.reads`, on the SDK's
HttpStream and paginators) and metadata calls give the same messages; :meth:`ZohoApi.check_body` does the same
for an error inside an HTTP 200 body.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import unquote, urlsplit

import requests
from staffwire.auth import AccessToken
from staffwire.errors import ConfigError, InternalError
from staffwire.http.client import HttpClient
from staffwire.http.errors import BadResponseError
from staffwire.http.retry import RetryPolicy
from staffwire.secrets import SecretMasker
from staffwire.state import parse_cursor
from staffwire.token_fields import expiry_epoch

from source_zoho.auth import ZohoAuth, error_code
from source_zoho.config import ZohoConfig, hosts_for

__all__ = [
    "CRM_VERSION",
    "FIELDS_PER_CALL",
    "IDS_PER_CALL",
    "OVERLAP",
    "ZohoApi",
    "field_groups",
    "parse_time",
]

CRM_VERSION = "v5"
OVERLAP = timedelta(seconds=1)  # Zoho times have second precision
FIELDS_PER_CALL = 50
IDS_PER_CALL = 100
logger = logging.getLogger("source_zoho")


@dataclass
class Answer:
    status: int
    body: Any


class ZohoApi:
    """One per run: the HTTP client (with auth and retries) plus the metadata cache."""

    def __init__(
        self,
        config: ZohoConfig,
        *,
        masker: SecretMasker | None = None,
        retry: RetryPolicy | None = None,
        on_access_token: Callable[[AccessToken], None] | None = None,
    ) -> None:
        accounts, api = hosts_for(config)
        self.config = config
        self.product = config.product
        self.system = "Zoho Recruit" if config.product == "recruit" else "Zoho CRM"
        self.prefix = "/recruit/v2" if config.product == "recruit" else f"/crm/{CRM_VERSION}"
        self.api_host = api
        retry = retry or RetryPolicy(
            base_delay=config.retry_base_delay, max_delay=max(config.retry_base_delay, 60)
        )
        self.auth = ZohoAuth(
            accounts_url=accounts,
            client_id=config.client_id,
            client_secret=config.client_secret.get_secret_value(),
            refresh_token=config.refresh_token.get_secret_value(),
            data_center=config.data_center,
            throttle=RetryPolicy(
                max_attempts=4,
                base_delay=max(config.retry_base_delay * 4, 0.0),
                max_delay=max(config.retry_base_delay * 32, 60.0),
                jitter=0.0,
                sleep=retry.sleep,
            ),
            access_token=config.access_token.get_secret_value() if config.access_token else None,
            access_token_expires_at=expiry_epoch(config.token_expiry_date),
            on_access_token=on_access_token,
        )
        self.client = HttpClient(
            api + self.prefix,
            system=self.system,
            auth=self.auth,
            masker=masker,
            retry=retry,
            classify_error=self.classify,
        )
        self._modules: list[dict[str, Any]] | None = None
        self._fields: dict[str, list[dict[str, Any]] | None] = {}

    def close(self) -> None:
        self.client.close()

    # ------------------------------------------------------------------------------------------- calls
    def get(
        self,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        stream: str | None = None,
        tolerate: tuple[int, ...] = (),
    ) -> Answer:
        """GET ``path`` (metadata); 204/304 come back with ``body=None``; statuses in ``tolerate`` come back with
        Zoho's error code as the body; any other error becomes a typed StaffwireError with Zoho's reason
        (:meth:`classify`)."""
        response, body = self.client.fetch_json(
            "GET", path, params=params, headers=headers, stream=stream, ok_statuses=tolerate
        )
        status = response.status_code
        if status in (204, 304):
            return Answer(status, None)
        if status >= 400:
            return Answer(status, error_code(response))
        return Answer(status, body)

    def classify(self, response: requests.Response, stream: str | None) -> Exception | None:
        """The client's ``classify_error``: Zoho's refusals (400, 401, 403, 404) as errors a person can act on;
        None leaves any other status to the SDK's generic typed error (429 and 5xx after retries ...)."""
        if response.status_code not in (400, 401, 403, 404):
            return None
        try:
            self.client.decode(response, stream=stream)
        except BadResponseError as exc:  # not JSON (an HTML error page): the SDK's own error for that
            return exc
        path = self._path_of(response)
        return self._error(response, path, stream)

    def check_body(self, response: requests.Response, body: Any, stream: str | None) -> None:
        """Records answers are JSON objects or empty (204, 304); one saying ``"status": "error"`` is refused
        despite its HTTP 200 and raises like a refused request."""
        if body is None or (isinstance(body, dict) and body.get("status") != "error"):
            return
        path = self._path_of(response)
        if not isinstance(body, dict):
            request = f"GET {self.prefix}{path}"
            where = f"{self.system} ({self.api_host}) answered HTTP {response.status_code} to {request}"
            raise InternalError(
                (f"Stream {stream}: " if stream else "") + f"{where} with a body that is not a JSON object.",
                stream=stream,
                request=request,
                status=response.status_code,
            )
        raise self._error(response, path, stream, body)

    def _path_of(self, response: requests.Response) -> str:
        """The path of the request answered, as the calls name it (``/Candidates/deleted``)."""
        url = urlsplit(response.request.url or "").path if response.request is not None else ""
        base = urlsplit(self.client.base_url).path
        return unquote(url[len(base) :] if base and url.startswith(base) else url)

    def _error(
        self, response: requests.Response, path: str, stream: str | None, body: Any = None
    ) -> Exception:
        """The error for Zoho's refusal of GET ``path`` (its body is read from ``response`` unless given)."""
        if body is not None:
            code = str(body.get("code") or f"HTTP {response.status_code}")
            message = str(body.get("message") or "")
        else:
            code = error_code(response) or f"HTTP {response.status_code}"
            try:
                message = str(response.json().get("message") or "")
            except (ValueError, AttributeError):
                message = ""
        request = f"GET {self.prefix}{path}"
        where = f"{self.system} ({self.api_host}) answered {code} to {request}"
        if stream:
            where = f"Stream {stream}: {where}"
        kwargs: dict[str, Any] = {
            "stream": stream,
            "request": request,
            "status": response.status_code,
            "internal_message": message or None,
        }
        if code == "OAUTH_SCOPE_MISMATCH":
            return ConfigError(
                f"{where}: the refresh token lacks the scope {self.scope_for(path)}. Generate a new refresh token "
                f"with that scope (see the connector README) and update refresh_token.",
                **kwargs,
            )
        if code == "INVALID_OAUTHTOKEN" or (
            code in ("INVALID_TOKEN", "AUTHENTICATION_FAILURE") and response.status_code == 401
        ):
            return ConfigError(
                f"{where} even with a freshly issued access token: the accounts server and the API host belong "
                f"to different data centers. Set data_center to the one the Zoho account lives in (currently "
                f"{self.config.data_center!r}), or fix accounts_url/api_url.",
                **kwargs,
            )
        if code == "NO_PERMISSION" or response.status_code == 403:
            return ConfigError(
                f"{where}: the Zoho user has no permission for this module. Grant the user's "
                "profile access to it, or deselect the stream.",
                **kwargs,
            )
        if code in ("INVALID_MODULE", "INVALID_URL_PATTERN"):
            return ConfigError(
                f"{where}: the module does not exist in this Zoho {self.product} account or is not "
                "available through the API. Run discover again and reselect streams.",
                **kwargs,
            )
        if code == "DISCRETE_PAGINATION_LIMIT_EXCEEDED":
            return InternalError(
                f"{where}: more than 2,000 records were requested without page_token.", **kwargs
            )
        return InternalError(f"{where}: {message or 'the request was refused'}.", **kwargs)

    def scope_for(self, path: str) -> str:
        parts = path.strip("/").split("/")
        app = "ZohoRecruit" if self.product == "recruit" else "ZohoCRM"
        if parts[0] == "settings":
            return f"{app}.settings.all"
        module = parts[0]
        singular = _SCOPE_NAMES.get(module, module.lower())
        if self.product == "crm":
            singular = module.lower()
        return f"{app}.modules.all (or {app}.modules.{singular}.READ)"

    # ---------------------------------------------------------------------------------------- metadata
    def modules(self) -> list[dict[str, Any]]:
        """``settings/modules`` entries the API serves (``api_supported``), fetched once per run."""
        if self._modules is None:
            answer = self.get("/settings/modules")
            body = answer.body if isinstance(answer.body, dict) else {}
            self._modules = [
                m for m in body.get("modules") or [] if m.get("api_supported") and m.get("api_name")
            ]
        return self._modules

    def fields(self, module: str) -> list[dict[str, Any]] | None:
        """``settings/fields`` of a module, fetched once per run; None (with a warning) when Zoho answers
        204, 401 or 403 for it."""
        if module not in self._fields:
            answer = self.get("/settings/fields", params={"module": module}, tolerate=(401, 403))
            fields = (
                answer.body.get("fields") if answer.status == 200 and isinstance(answer.body, dict) else None
            )
            if not fields:
                reason = f"HTTP {answer.status}" + (f" {answer.body}" if answer.status >= 400 else "")
                logger.warning(
                    "%s: skipping module %s: its field metadata is not available (%s for "
                    "GET %s/settings/fields?module=%s)",
                    self.system,
                    module,
                    reason,
                    self.prefix,
                    module,
                )
                fields = None
            self._fields[module] = fields
        return self._fields[module]


def parse_time(value: Any) -> datetime | None:
    """An aware UTC datetime from a Zoho time (``+05:30``, ``+00:00``, ``Z``); None when absent or unreadable."""
    try:
        return parse_cursor(value) if value not in (None, "") else None
    except ValueError:
        return None


def field_groups(names: list[str]) -> list[list[str]]:
    """Split field names into groups of at most 50; the first group carries ``id`` and ``Modified_Time``."""
    head = ["Modified_Time"]
    rest = [n for n in dict.fromkeys(names) if n not in ("id", "Modified_Time")]
    first = head + rest[: FIELDS_PER_CALL - len(head)]
    rest = rest[FIELDS_PER_CALL - len(head) :]
    return [first] + [rest[i : i + FIELDS_PER_CALL] for i in range(0, len(rest), FIELDS_PER_CALL)]


_SCOPE_NAMES = {
    "Candidates": "candidate",
    "JobOpenings": "jobopening",
    "Clients": "client",
    "Contacts": "contact",
    "Interviews": "interview",
    "Applications": "application",
    "Departments": "department",
    "Tasks": "task",
    "Events": "event",
    "Vendors": "vendor",
    "Campaigns": "campaign",
    "Referrals": "referral",
    "Submissions": "submission",
}
