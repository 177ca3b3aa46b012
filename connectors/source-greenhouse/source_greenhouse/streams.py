"""Raw streams named as Harvest v3 names its resources, and the standard streams built on the same reads.

A raw stream is the SDK's :class:`~staffwire.http.HttpStream` with the SDK's
:class:`~staffwire.paginate.LinkHeaderPaginator`: filters and ``per_page`` go on the first request only; then the
``Link: <...?cursor=...>; rel="next"`` URL is followed as is (the cursor alone), until no Link comes back.
Incremental reads ask ``updated_at=gte|<cursor>`` and drop what an earlier read already emitted at that moment
(the SDK's cursor tracker); pages come in id order, so the state is checkpointed once a read is complete.

Some records are completed from a related resource, one request per page (at most 50 parent ids per call, as
Harvest v3 allows): jobs get their ``openings`` (``/v3/openings?job_ids=``); standard interviews their
application (``/v3/applications?ids=``); standard placements their accepted offer (``/v3/offers?application_ids=``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timezone
from typing import Any, ClassVar

import requests
from staffwire.http import HttpStream
from staffwire.mapping.rules import RuleChecker
from staffwire.paginate import LinkHeaderPaginator, Paginator
from staffwire.standard import standard_stream_schema
from staffwire.state import Checkpoint
from staffwire.streams import Stream, SyncMode

from source_greenhouse.api import GreenhouseApi
from source_greenhouse.reference import json_schema
from source_greenhouse.standard import STANDARD_SOURCES, LenientMapping

__all__ = ["RAW_PREFIX", "RAW_STREAMS", "HarvestStream", "RelatedRead", "StandardStream"]

RAW_PREFIX = "harvest_"  # raw stream names: harvest_jobs beside the standard jobs

#: raw stream (= Harvest v3 resource) -> the reference object its records are shaped like
RAW_STREAMS: dict[str, str] = {
    "jobs": "job",
    "job_posts": "job_post",
    "candidates": "candidate",
    "applications": "application",
    "offers": "offer",
    "scheduled_interviews": "scheduled_interview",
    "attachments": "attachment",
    "users": "user",
    "departments": "department",
    "offices": "office",
}
MAX_IDS = 50
_log = logging.getLogger("source_greenhouse")


def _iso(moment: datetime) -> str:
    """Greenhouse's filter form of a moment: UTC, ``Z``."""
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


class HarvestStream(HttpStream):
    """One Harvest v3 list endpoint, records as Greenhouse returns them."""

    primary_key = [["id"]]
    cursor_field = ["updated_at"]
    sorted_by_cursor: ClassVar[bool] = False  # id order: the state is safe only once the read is complete

    def __init__(
        self,
        api: GreenhouseApi,
        resource: str,
        *,
        start_date: datetime | None = None,
        page_size: int = 500,
        filters: Mapping[str, str] | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(api.client, start_date=start_date)
        self.api = api
        self.resource = resource
        self.page_size = page_size
        self.filters = dict(filters or {})
        self._name = name or resource

    def get_name(self) -> str:
        return self._name

    def get_json_schema(self) -> dict[str, Any]:
        schema = json_schema(RAW_STREAMS[self.resource])
        if self.resource == "jobs":
            schema["properties"]["openings"] = {
                "type": ["null", "array"],
                "items": json_schema("job_opening"),
            }
        return schema

    def path(self, state: Mapping[str, Any] | None) -> str:
        return f"/{self.resource}"

    def params(self, state: Mapping[str, Any] | None, query_from: datetime | None) -> dict[str, Any]:
        params: dict[str, Any] = {"per_page": self.page_size, **self.filters}
        if query_from is not None:
            params["updated_at"] = f"gte|{_iso(query_from)}"
        return params

    def paginator(self) -> Paginator:
        return LinkHeaderPaginator()

    def parse_page(self, body: Any, response: requests.Response) -> list[dict[str, Any]]:
        rows = body if isinstance(body, list) else []
        if self.resource == "jobs" and rows:
            attach_openings(self.api, rows, self.get_name())
        return rows


class RelatedRead(HarvestStream):
    """The records of ``resource`` whose ``key`` filter lists ``ids`` (at most :data:`MAX_IDS`), read by the SDK's
    loop (Link-header paging) for ``stream``: records as Greenhouse returns them (a job without its openings)."""

    def __init__(self, api: GreenhouseApi, resource: str, key: str, ids: list[Any], stream: str) -> None:
        super().__init__(api, resource, page_size=500, name=stream)
        self.key = key
        self.ids = ",".join(str(i) for i in ids)

    def params(self, state: Mapping[str, Any] | None, query_from: datetime | None) -> dict[str, Any]:
        return {self.key: self.ids, "per_page": self.page_size}

    def parse_page(self, body: Any, response: requests.Response) -> list[dict[str, Any]]:
        return body if isinstance(body, list) else []

    def rows(self) -> list[dict[str, Any]]:
        """Every page of the read, in order."""
        return [row for item in self.read("full_refresh", None) if isinstance(item, list) for row in item]


def related(api: GreenhouseApi, resource: str, key: str, ids: list[Any], stream: str) -> list[dict[str, Any]]:
    """Every record of ``resource`` whose ``key`` filter matches one of ``ids`` (50 ids per request, paged)."""
    found: list[dict[str, Any]] = []
    unique = sorted({i for i in ids if i is not None})
    for start in range(0, len(unique), MAX_IDS):
        found.extend(RelatedRead(api, resource, key, unique[start : start + MAX_IDS], stream).rows())
    return found


def attach_openings(api: GreenhouseApi, jobs: list[dict[str, Any]], stream: str) -> None:
    by_job: dict[Any, list[dict[str, Any]]] = {}
    for opening in related(api, "openings", "job_ids", [j.get("id") for j in jobs], stream):
        by_job.setdefault(opening.get("job_id"), []).append(opening)
    for job in jobs:
        job["openings"] = by_job.get(job.get("id"), [])


class StandardStream(Stream):
    """A standard staffing stream mapped from one Harvest resource (see :mod:`source_greenhouse.standard`)."""

    primary_key = [["id"]]
    cursor_field = ["remote_updated_at"]

    def __init__(
        self,
        api: GreenhouseApi,
        stream: str,
        *,
        start_date: datetime | None = None,
        page_size: int = 500,
        client_ref: str | None = None,
        pay_fields: Mapping[str, str] | None = None,
        status_maps: Mapping[str, Mapping[str, str]] | None = None,
        rules: RuleChecker | None = None,
    ) -> None:
        self.api = api
        self.stream = stream
        filters = {"status": "hired"} if stream == "placements" else None
        self.raw = HarvestStream(
            api,
            STANDARD_SOURCES[stream],
            start_date=start_date,
            page_size=page_size,
            filters=filters,
            name=stream,
        )
        self.mapping = LenientMapping(
            stream, client_ref=client_ref, pay_fields=pay_fields, status_overrides=status_maps, rules=rules
        )

    def get_name(self) -> str:
        return self.stream

    def get_json_schema(self) -> dict[str, Any]:
        return standard_stream_schema(self.stream)

    def read(self, sync_mode: SyncMode, state: Mapping[str, Any] | None) -> Iterable[Any]:
        for item in self.raw.read(sync_mode, state):
            if isinstance(item, list):
                yield from self.mapping.map_page(self.prepare(item))
            elif isinstance(item, Checkpoint):
                yield item
            # an Estimate of raw rows is not one of standard records: dropped

    def prepare(self, rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """The raw rows with the derived fields the mapping reads (``_stage``, ``_offer``, ...)."""
        extra: dict[Any, Any] = {}
        if self.stream == "interviews":
            apps = related(
                self.api, "applications", "ids", [r.get("application_id") for r in rows], self.stream
            )
            extra = {a.get("id"): a for a in apps}
        elif self.stream == "placements":
            offers = related(self.api, "offers", "application_ids", [r.get("id") for r in rows], self.stream)
            extra = _accepted_offers(offers)
            jobs = related(self.api, "jobs", "ids", [r.get("job_id") for r in rows], self.stream)
            kinds = {j.get("id"): (j.get("custom_fields") or {}).get("employment_type") for j in jobs}
        for row in rows:
            out = dict(row)
            if self.stream == "jobs":
                openings = row.get("openings") or []
                out["_open_openings"] = sum(1 for o in openings if o.get("status") == "open")
                recruiters = (row.get("hiring_team") or {}).get("recruiters") or []
                owner = next(
                    (r for r in recruiters if r.get("responsible")), recruiters[0] if recruiters else None
                )
                out["_owner"] = owner
            elif self.stream == "candidates":
                phones = row.get("phone_numbers") or []
                out["_mobile"] = next((p.get("value") for p in phones if p.get("type") == "mobile"), None)
                out["_phone"] = next((p.get("value") for p in phones if p.get("type") != "mobile"), None)
            elif self.stream == "submissions":
                status = row.get("status")
                stage = (row.get("current_stage") or {}).get("name")
                out["_stage"] = status if status in ("rejected", "hired", "converted") else stage
            elif self.stream == "interviews":
                out["_application"] = extra.get(row.get("application_id"))
            elif self.stream == "placements":
                out["_offer"] = extra.get(row.get("id"))
                out["_job_employment_type"] = kinds.get(row.get("job_id"))
            yield out


def _accepted_offers(offers: list[dict[str, Any]]) -> dict[Any, dict[str, Any]]:
    """application id -> its accepted offer (the highest version when there are several)."""
    best: dict[Any, dict[str, Any]] = {}
    for offer in offers:
        if offer.get("status") != "accepted":
            continue
        current = best.get(offer.get("application_id"))
        if current is None or (offer.get("version") or 0) > (current.get("version") or 0):
            best[offer.get("application_id")] = offer
    return best
