"""Zoho Recruit v2 / CRM calls: metadata (cached per run), record pages and deleted records.

Error bodies are turned into messages a person can act on: a missing scope names the scope, a token refused
even after renewal points at the data center, and so on. Paging rules:

* Recruit: ``page``/``per_page`` until ``more_records`` is false or the answer is 204/304.
* CRM: ``fields`` is mandatory and limited to 50 per call, so the first group (with ``id`` and
  ``Modified_Time``) drives the paging and the other groups are fetched for the page's ids (``ids``, 100 per
  call) and merged by id; ``next_page_token`` is followed (``page`` alone stops at 2,000 records).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import requests
from staffwire.auth import AccessToken
from staffwire.errors import ConfigError, InternalError
from staffwire.http.client import HttpClient
from staffwire.http.retry import RetryPolicy
from staffwire.secrets import SecretMasker
from staffwire.state import parse_cursor
from staffwire.token_fields import expiry_epoch

from source_zoho.auth import ZohoAuth, error_code
from source_zoho.config import ZohoConfig, hosts_for

__all__ = ["CRM_VERSION", "FIELDS_PER_CALL", "IDS_PER_CALL", "ZohoApi", "parse_time"]

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
            api + self.prefix, system=self.system, auth=self.auth, masker=masker, retry=retry
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
        """GET ``path``; 204/304 come back with ``body=None``; statuses in ``tolerate`` come back as they are;
        any other error becomes a typed StaffwireError with Zoho's reason."""
        response, body = self.client.fetch_json(
            "GET", path, params=params, headers=headers, stream=stream, ok_statuses=(400, 401, 403, 404)
        )
        status = response.status_code
        if status in (204, 304):
            return Answer(status, None)
        if status >= 400:
            if status in tolerate:
                return Answer(status, error_code(response))
            raise self._error(response, path, stream)
        return Answer(status, body)

    def _error(self, response: requests.Response, path: str, stream: str | None) -> Exception:
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

    # ----------------------------------------------------------------------------------------- records
    def records(
        self, module: str, *, since: datetime | None, field_names: list[str] | None, stream: str
    ) -> Iterator[list[dict[str, Any]]]:
        """Pages of a module's records, oldest change first, each record once.

        Paging is by ``Modified_Time`` (keyset), not by position: after each page the next request asks
        ``If-Modified-Since`` the page's newest change minus :data:`OVERLAP`, page 1 again, and drops the records
        it already gave. A record changed during the read moves to the end of the order, which with page numbers
        would shift a neighbour past the page boundary and lose it; here nothing shifts. Only when a whole page
        falls inside the overlap (a bulk update in one second) does it go on by page number or ``page_token``.
        CRM queries also never reach the 2,000-record limit of ``page``.
        """
        base: dict[str, Any] = {
            "per_page": self.config.page_size,
            "sort_by": "Modified_Time",
            "sort_order": "asc",
        }
        groups: list[list[str]] = []
        if self.product == "crm":
            groups = field_groups(field_names or ["Modified_Time"])
            base["fields"] = ",".join(groups[0])
        low = since
        page, token = 1, None
        given: dict[str, datetime | None] = {}  # ids already yielded whose change is at or after ``low``
        while True:
            params = {**base, **({"page_token": token} if token else {"page": page})}
            headers = {"If-Modified-Since": low.isoformat()} if low else {}
            answer = self.get(f"/{module}", params=params, headers=headers, stream=stream)
            if answer.body is None:
                return
            rows = list(answer.body.get("data") or [])
            # each row's id and change time, read once per page (merging the other field groups changes neither)
            stamps = [(str(r.get("id")), parse_time(r.get("Modified_Time"))) for r in rows]
            fresh = [
                r
                for r, (key, moment) in zip(rows, stamps, strict=True)
                if key not in given or given[key] != moment
            ]
            given.update(stamps)  # the rows not fresh are there already, with the same time
            if groups[1:] and fresh:
                fresh = self._merge_groups(module, fresh, groups[1:], stream)
            if fresh:
                yield fresh
            info = answer.body.get("info") or {}
            if not info.get("more_records") or not rows:
                return
            top = max((m for _, m in stamps if m is not None), default=None)
            if top is not None and (low is None or top - OVERLAP > low):
                low, page, token = top - OVERLAP, 1, None
                given = {k: m for k, m in given.items() if m is not None and m >= low}
            else:
                page, token = page + 1, info.get("next_page_token")

    def _merge_groups(
        self, module: str, rows: list[dict[str, Any]], groups: list[list[str]], stream: str
    ) -> list[dict[str, Any]]:
        by_id = {str(r["id"]): r for r in rows}
        ids = list(by_id)
        for group in groups:
            for start in range(0, len(ids), IDS_PER_CALL):
                chunk = ids[start : start + IDS_PER_CALL]
                answer = self.get(
                    f"/{module}", params={"ids": ",".join(chunk), "fields": ",".join(group)}, stream=stream
                )
                for extra in (answer.body or {}).get("data") or []:
                    target = by_id.get(str(extra.get("id")))
                    if target is not None:
                        target.update(extra)
        return rows

    def deleted(self, module: str, *, since: datetime | None, stream: str) -> Iterator[list[dict[str, Any]]]:
        """Pages of the module's deleted records (recycle bin and permanent)."""
        headers = {"If-Modified-Since": since.isoformat()} if since else {}
        page = 1
        while True:
            answer = self.get(
                f"/{module}/deleted",
                params={"type": "all", "page": page, "per_page": self.config.page_size},
                headers=headers,
                stream=stream,
            )
            if answer.body is None:
                return
            rows = list(answer.body.get("data") or [])
            if rows:
                yield rows
            if not (answer.body.get("info") or {}).get("more_records") or not rows:
                return
            page += 1


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
