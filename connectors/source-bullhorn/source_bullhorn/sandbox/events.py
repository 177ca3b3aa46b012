"""Bullhorn event subscriptions (change data capture): ``PUT/GET/DELETE event/subscription/{id}``, ``requestId``
replay of the last batch, ``lastRequestId``, purge on read, and the events every change produces."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from staffwire.testing.sandbox import Request, Response, json_response, route

from source_bullhorn.sandbox.common import Entity, bullhorn_error

__all__ = ["EventSubscriptions", "Subscription"]


@dataclass
class Subscription:
    id: str
    names: set[str]
    types: set[str]
    created: int
    pending: list[dict[str, Any]] = field(default_factory=list)
    last_request_id: int = 0
    last_batch: list[dict[str, Any]] = field(default_factory=list)


class EventSubscriptions:
    """Mixin of :class:`~source_bullhorn.sandbox.server.BullhornSandbox`: the subscription routes and event log."""

    lock: threading.RLock
    entities: dict[str, Entity]
    subscriptions: dict[str, Subscription]
    event_retention: int
    clock: Callable[[], int]
    _event_ids: itertools.count[int]
    _request_ids: itertools.count[int]

    @route("PUT", "/dc/{dc}/rest-services/{corp}/event/subscription/{sub_id}")
    def subscribe(self, request: Request) -> Response:
        sub_id = request.params["sub_id"]
        if request.arg("type", "entity") != "entity":
            raise bullhorn_error(400, "Only type=entity subscriptions are supported", "errors.badRequest")
        names = {n for n in (request.arg("names") or "").split(",") if n}
        unknown = sorted(n for n in names if n not in self.entities)
        if not names or unknown:
            raise bullhorn_error(
                400,
                f"Invalid entity names for subscription: {', '.join(unknown) or '(none)'}",
                "errors.badRequest",
            )
        types = {t for t in (request.arg("eventTypes") or "INSERTED,UPDATED,DELETED").split(",") if t}
        with self.lock:
            if sub_id in self.subscriptions:
                raise bullhorn_error(
                    400, f"A subscription with id '{sub_id}' already exists.", "errors.subscriptionExists"
                )
            sub = Subscription(sub_id, names, types, self.clock())
            self.subscriptions[sub_id] = sub
        return json_response(
            {
                "subscriptionId": sub_id,
                "createdOn": sub.created,
                "jmsSelector": f"JMSType='ENTITY' AND BhCorpId=1234 AND BhEntityName IN "
                f"({', '.join(repr(n) for n in sorted(names))})",
            }
        )

    @route("GET", "/dc/{dc}/rest-services/{corp}/event/subscription/{sub_id}")
    def events(self, request: Request) -> Response:
        sub = self._subscription(request.params["sub_id"])
        max_events = max(1, min(request.int_arg("maxEvents", 100), 500))
        replay = request.arg("requestId")
        with self.lock:
            if (
                replay is not None
                and replay.isdigit()
                and int(replay) == sub.last_request_id
                and sub.last_batch
            ):
                batch = sub.last_batch
                request_id = sub.last_request_id
            else:
                batch = sub.pending[:max_events]
                del sub.pending[:max_events]
                if not batch:
                    return Response(200, b"", {}, "application/json")  # no events: an empty body
                request_id = next(self._request_ids)
                sub.last_request_id, sub.last_batch = request_id, batch
        return json_response({"requestId": request_id, "events": batch})

    @route("GET", "/dc/{dc}/rest-services/{corp}/event/subscription/{sub_id}/lastRequestId")
    def last_request_id(self, request: Request) -> Response:
        sub = self._subscription(request.params["sub_id"])
        return json_response({"result": sub.last_request_id})

    @route("DELETE", "/dc/{dc}/rest-services/{corp}/event/subscription/{sub_id}")
    def unsubscribe(self, request: Request) -> Response:
        with self.lock:
            found = self.subscriptions.pop(request.params["sub_id"], None)
        if found is None:
            raise bullhorn_error(404, f"No subscription '{request.params['sub_id']}'", "errors.notFound")
        return json_response({"result": True})

    def _subscription(self, sub_id: str) -> Subscription:
        sub = self.subscriptions.get(sub_id)
        if sub is None:
            raise bullhorn_error(404, f"No subscription with id '{sub_id}'", "errors.notFound")
        return sub

    def _emit(self, entity: str, entity_id: int, kind: str, props: Iterable[str]) -> None:
        event = {
            "eventId": f"ID:JBM-{40_000_000 + next(self._event_ids)}",
            "eventType": "ENTITY",
            "eventTimestamp": self.clock(),
            "eventMetadata": {"PERSON_ID": "1", "TRANSACTION_ID": "sandbox"},
            "entityName": entity,
            "entityId": entity_id,
            "entityEventType": kind,
        }
        if kind == "UPDATED":
            event["updatedProperties"] = sorted(props)
        for sub in self.subscriptions.values():
            if entity in sub.names and kind in sub.types:
                sub.pending.append(dict(event))
                if len(sub.pending) > self.event_retention:
                    del sub.pending[: len(sub.pending) - self.event_retention]

    def purge_events(self) -> None:
        """Events older than the retention are gone (as after 7 days in Bullhorn)."""
        with self.lock:
            for sub in self.subscriptions.values():
                sub.pending.clear()
                sub.last_batch = []
