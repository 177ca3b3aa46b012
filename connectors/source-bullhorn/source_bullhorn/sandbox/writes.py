"""Writes with Bullhorn's semantics: ``PUT entity/{Entity}`` creates, ``POST entity/{Entity}/{id}`` updates,
``DELETE entity/{Entity}/{id}`` soft-deletes (``isDeleted``) or deletes for good.

What Bullhorn does, and this emulator with it:

* the answer names the change: ``{"changedEntityType", "changedEntityId", "changeType": "INSERT"|"UPDATE"|
  "DELETE", "data": {the fields sent}}``;
* a refused write is a 400 whose body says why, field by field: ``{"errorMessage": "error persisting an entity of
  type: Candidate", "errorMessageKey": "errors.cannotPersistEntity", "errorCode": 400, "errors":
  [{"propertyName", "severity": "ERROR", "type"}], "entityName"}``; the types used here: ``INVALID_FIELD`` (not a
  field of the entity, or a to-many, which is changed through its own association call), ``READ_ONLY`` (meta's
  ``readOnly``), ``MISSING_VALUE`` (a create without a field meta marks ``required`` and gives no
  ``defaultValue``), ``INVALID_VALUE`` (a value of the wrong JSON type for the field's ``dataType``, or a to-one
  that does not exist);
* picklist values are NOT checked (Bullhorn stores any string in a picklist field; checking them against meta's
  ``options`` is the client's job);
* every accepted write bumps ``dateLastModified`` and produces an event for change-data-capture subscriptions,
  even when the values sent equal the stored ones (so a client that re-sends unchanged values makes noise);
* :attr:`WriteLog` keeps every accepted write (method, entity, id, fields) for tests and benchmarks.

A mixin of :class:`~source_bullhorn.sandbox.server.BullhornSandbox`, which provides the rows and the mutation API.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from staffwire.testing.sandbox import HttpError, Request, Response, json_response, route

from source_bullhorn.sandbox.common import Entity, Row, bullhorn_error

__all__ = ["EntityWrites", "WriteLog"]

_TYPES: dict[str, tuple[type, ...]] = {
    "Integer": (int,),
    "BigDecimal": (int, float),
    "Double": (int, float),
    "Timestamp": (int,),
    "Boolean": (bool,),
    "String": (str,),
}


@dataclass(frozen=True)
class WriteLog:
    method: str
    entity: str
    entity_id: int
    fields: tuple[str, ...]


class EntityWrites:
    """The write routes (mixin): validation against meta, then the sandbox's ``add``/``update``/deletes."""

    entities: dict[str, Entity]
    rows: dict[str, dict[int, Row]]
    lock: threading.RLock
    writes: list[WriteLog]
    _entity: Callable[[str], Entity]
    add: Callable[..., int]
    update: Callable[..., Row]
    soft_delete: Callable[[str, int], Row]
    hard_delete: Callable[[str, int], None]

    @route("PUT", "/dc/{dc}/rest-services/{corp}/entity/{entity}")
    def create_entity(self, request: Request) -> Response:
        """``PUT entity/{Entity}`` with the new row's fields; to-one values as ``{"id": n}``."""
        entity = self._entity(request.params["entity"])
        body = request.json()
        values = self._validated(entity, body, creating=True)
        new_id = self.add(entity.name, **values)
        self._record_write("PUT", entity.name, new_id, body)
        return json_response(
            {
                "changedEntityType": entity.name,
                "changedEntityId": new_id,
                "changeType": "INSERT",
                "data": body,
            }
        )

    @route("POST", "/dc/{dc}/rest-services/{corp}/entity/{entity}/{entity_id}")
    def update_entity(self, request: Request) -> Response:
        """``POST entity/{Entity}/{id}`` with the fields to change."""
        entity = self._entity(request.params["entity"])
        entity_id = self._existing(entity, request.params["entity_id"])
        body = request.json()
        values = self._validated(entity, body, creating=False)
        self.update(entity.name, entity_id, **values)
        self._record_write("POST", entity.name, entity_id, body)
        return json_response(
            {
                "changedEntityType": entity.name,
                "changedEntityId": entity_id,
                "changeType": "UPDATE",
                "data": body,
            }
        )

    @route("DELETE", "/dc/{dc}/rest-services/{corp}/entity/{entity}/{entity_id}")
    def delete_entity(self, request: Request) -> Response:
        """Soft delete where the entity has ``isDeleted``, else a hard delete."""
        entity = self._entity(request.params["entity"])
        entity_id = self._existing(entity, request.params["entity_id"])
        if "isDeleted" in entity.fields:
            self.soft_delete(entity.name, entity_id)
        else:
            self.hard_delete(entity.name, entity_id)
        self._record_write("DELETE", entity.name, entity_id, {})
        return json_response(
            {"changedEntityType": entity.name, "changedEntityId": entity_id, "changeType": "DELETE"}
        )

    # ------------------------------------------------------------------------------------------ checks
    def _record_write(self, method: str, entity: str, entity_id: int, body: Any) -> None:
        with self.lock:
            self.writes.append(
                WriteLog(method, entity, entity_id, tuple(body) if isinstance(body, dict) else ())
            )

    def _exists(self, entity: str, entity_id: Any) -> bool:
        """Whether a to-one may point at ``entity_id`` (a ``Person`` is a candidate, contact or user)."""
        if not isinstance(entity_id, int) or isinstance(entity_id, bool):
            return False
        kinds = ("Candidate", "ClientContact", "CorporateUser") if entity == "Person" else (entity,)
        return any(entity_id in self.rows.get(kind, {}) for kind in kinds)

    def _existing(self, entity: Entity, raw_id: str) -> int:
        if not raw_id.isdigit() or int(raw_id) not in self.rows[entity.name]:
            raise bullhorn_error(
                404,
                f"Cannot find entity of type '{entity.name}' with id: {raw_id}",
                "errors.cannotFindEntity",
            )
        return int(raw_id)

    def _validated(self, entity: Entity, body: Any, *, creating: bool) -> dict[str, Any]:
        """The stored form of a write body; Bullhorn's 400 with ``errors`` naming every offending field."""
        if not isinstance(body, dict) or not body:
            raise bullhorn_error(
                400, "The request body must be a JSON object of fields.", "errors.badRequest"
            )
        problems: list[tuple[str, str]] = []
        values: dict[str, Any] = {}
        for name, value in body.items():
            meta = entity.fields.get(name)
            if meta is None or meta["type"] == "ID" or name in entity.to_many:
                problems.append((name, "INVALID_FIELD"))
            elif meta.get("readOnly"):
                problems.append((name, "READ_ONLY"))
            elif name in entity.to_one:
                target = value.get("id") if isinstance(value, dict) else None
                if value is not None and not self._exists(entity.to_one[name], target):
                    problems.append((name, "INVALID_VALUE"))
                else:
                    values[name] = target
            elif value is not None and not _fits(meta, value):
                problems.append((name, "INVALID_VALUE"))
            else:
                values[name] = value
        if creating:
            for name, meta in entity.fields.items():
                if (
                    meta.get("required")
                    and meta.get("defaultValue") is None
                    and not meta.get("readOnly")
                    and meta["type"] not in ("ID", "TO_MANY")
                    and body.get(name) in (None, "")
                    and name not in dict(problems)
                ):
                    problems.append((name, "MISSING_VALUE"))
        if problems:
            raise HttpError(
                400,
                {
                    "errorMessage": f"error persisting an entity of type: {entity.name}",
                    "errorMessageKey": "errors.cannotPersistEntity",
                    "errorCode": 400,
                    "errors": [
                        {"propertyName": name, "severity": "ERROR", "type": kind} for name, kind in problems
                    ],
                    "entityName": entity.name,
                },
            )
        return values


def _fits(meta: dict[str, Any], value: Any) -> bool:
    if meta["type"] == "COMPOSITE":
        return isinstance(value, dict)
    kinds = _TYPES.get(str(meta.get("dataType")))
    if kinds is None:
        return True
    if bool not in kinds and isinstance(value, bool):
        return False
    return isinstance(value, kinds)
