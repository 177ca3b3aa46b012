"""One Bullhorn entity as the SDK's safe writer needs it (:class:`staffwire.activation.ObjectStore`): batched reads
of current values, creates and updates through Bullhorn's documented write API, and Bullhorn's refusals turned
into rejections that name the field.

* read: ``GET entity/{Entity}/{id,id,...}?fields=..`` for the id key; ``search/{Entity}?query=field:("a" OR "b")``
  for the other keys (exact, case-insensitive match checked here again; the lowest id wins a tie);
* create: ``PUT entity/{Entity}`` -> ``{"changedEntityId", "changeType": "INSERT"}``, sent as not idempotent (the
  HTTP client never repeats it on its own: the safe writer looks it up first);
* update: ``POST entity/{Entity}/{id}`` with only the changed fields -> ``{"changeType": "UPDATE"}``;
* a 400 becomes a rejection per ``errors[{propertyName, type}]`` (``errorCode`` and ``errorMessage`` quoted).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from source_bullhorn.api import BullhornApi
from staffwire.errors import RecordRejected, Rejection
from staffwire.http import BadResponseError

from destination_bullhorn.rules import EntityRules
from destination_bullhorn.values import parse_bullhorn_id

__all__ = ["BullhornStore"]

_IDS_PER_READ = 100
_VALUES_PER_SEARCH = 50


class BullhornStore:
    def __init__(self, api: BullhornApi, rules: EntityRules, stream: str) -> None:
        self.api = api
        self.rules = rules
        self.entity = rules.entity
        self.stream = stream
        self.reads = 0

    # ------------------------------------------------------------------------------------------ reads
    def find(
        self, key: tuple[str, ...], values: Sequence[Any], fields: Sequence[str]
    ) -> dict[Any, dict[str, Any]]:
        names = ["id", *(f for f in fields if f != "id" and f in self.rules.fields)]
        if "isDeleted" in self.rules.fields:
            names.append("isDeleted")
        wanted = ",".join(dict.fromkeys(names))
        found = self._by_id(values, wanted) if key == ("id",) else self._by_field(key[0], values, wanted)
        multi = [name for name in names if self.rules.fields.get(name, {}).get("multiValue")]
        if multi:
            for row in found.values():
                for name in multi:
                    row[name] = _as_written(row.get(name))
        return found

    def _by_id(self, values: Sequence[Any], fields: str) -> dict[Any, dict[str, Any]]:
        ids = {value: parse_bullhorn_id(value) for value in values}
        wanted = sorted({i for i in ids.values() if i is not None})
        rows: dict[int, dict[str, Any]] = {}
        for start in range(0, len(wanted), _IDS_PER_READ):
            self.reads += 1
            for row in self.api.entities(
                self.entity, wanted[start : start + _IDS_PER_READ], fields, stream=self.stream
            ):
                rows[int(row["id"])] = row
        return {
            value: rows[i]
            for value, i in ids.items()
            if i is not None and i in rows and not rows[i].get("isDeleted")
        }

    def _by_field(self, field: str, values: Sequence[Any], fields: str) -> dict[Any, dict[str, Any]]:
        found: dict[Any, dict[str, Any]] = {}
        for start in range(0, len(values), _VALUES_PER_SEARCH):
            chunk = list(values[start : start + _VALUES_PER_SEARCH])
            terms = " OR ".join('"' + str(v).strip().replace('"', '\\"') + '"' for v in chunk)
            wanted = {_norm(v): v for v in chunk}
            offset = 0
            while True:
                self.reads += 1
                page = self.api.list_page(
                    self.entity,
                    searchable=True,
                    query=f"{field}:({terms})",
                    fields=fields,
                    count=500,
                    start=offset,
                    stream=self.stream,
                )
                for row in page.data:
                    original = wanted.get(_norm(row.get(field)))
                    if original is None or row.get("isDeleted"):
                        continue
                    if original not in found or int(row["id"]) < int(found[original]["id"]):
                        found[original] = row
                offset += page.count
                if page.count == 0 or page.total is None or offset >= page.total:
                    break
        return found

    # ------------------------------------------------------------------------------------------ writes
    def create(self, values: Mapping[str, Any]) -> Any:
        body = self.rules.sendable(values)
        self.rules.check(body, creating=True)
        answer = self._send("PUT", f"entity/{self.entity}", body, idempotent=False)
        return answer.get("changedEntityId")

    def update(self, current: Mapping[str, Any], values: Mapping[str, Any]) -> None:
        body = self.rules.sendable(values)
        if not body:
            return
        self.rules.check(body, creating=False)
        # the same values sent twice leave the same record: safe to retry
        self._send("POST", f"entity/{self.entity}/{current['id']}", body, idempotent=True)

    def _send(self, method: str, path: str, body: Mapping[str, Any], *, idempotent: bool) -> dict[str, Any]:
        client = self.api.client
        response = client.request(
            method, path, json=dict(body), stream=self.stream, idempotent=idempotent, ok_statuses=(400, 404)
        )
        answer = client.decode(response, stream=self.stream)
        if response.status_code in (400, 404):
            raise RecordRejected(self._refusal(answer, body))
        if not isinstance(answer, dict) or "changedEntityId" not in answer:
            raise BadResponseError(
                f"Bullhorn answered {method} /{path} without changedEntityId.",
                system="Bullhorn",
                method=method,
                path=f"/{path}",
                stream=self.stream,
            )
        return answer

    def _refusal(self, answer: Any, body: Mapping[str, Any]) -> list[Rejection]:
        answer = answer if isinstance(answer, dict) else {}
        code = answer.get("errorCode")
        message = str(answer.get("errorMessage") or "no message")
        errors = [e for e in answer.get("errors") or answer.get("messages") or [] if isinstance(e, dict)]
        if not errors:
            return [
                Rejection(f"bullhorn_{code}", None, None, f"Bullhorn refused the write ({code}): {message}")
            ]
        return [
            Rejection(
                f"bullhorn_{str(e.get('type') or 'error').lower()}",
                e.get("propertyName"),
                body.get(str(e.get("propertyName"))),
                f"Bullhorn refused {self.entity}.{e.get('propertyName')}: {e.get('type')} "
                f"(errorCode {code}: {message})",
            )
            for e in errors
        ]


def _as_written(value: Any) -> Any:
    """A multiValue field as a write sends it: Bullhorn answers ``["A", "B"]`` and takes ``"A,B"``, so the
    comparison before a write sees the two as the same value."""
    if isinstance(value, list):
        return ",".join(str(v) for v in value) if value else None
    return value


def _norm(value: Any) -> str:
    return str(value).strip().lower() if value is not None else ""
