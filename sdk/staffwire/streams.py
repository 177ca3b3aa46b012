"""Streams: what a source reads.

A stream is named, has a JSON Schema, an optional primary key and cursor, and a :meth:`Stream.read` generator.
``read`` yields, in order:

* a record (``dict``, or a pydantic model), or a page of records (``list[dict]``: the fast path, encoded in one go);
* a :class:`Record`: one record with its Airbyte record meta (``{"changes": [{field, change, reason}]}``), for a
  record whose values were changed on the way (e.g. a value that could not be normalised became null);
* :class:`~staffwire.state.Checkpoint` objects carrying the stream state that is safe to resume from *after every
  record yielded so far* (yield one at each page boundary, or every N records);
* :class:`~staffwire.errors.RecordRejected` instances for records that cannot be mapped or validated (logged as
  WARN with their reasons and counted; the stream goes on);
* :class:`Estimate` objects when the stream learns how much it is about to read (e.g. a first page's ``total``):
  emitted as a TRACE ESTIMATE (type STREAM) for this stream, so a platform can show progress. Yield one per read
  (a later one replaces the guess); it is never counted as a record.

The framework (``staffwire.source``) turns these into RECORD and STATE messages: it counts records between
checkpoints (``sourceStats.recordCount``), never repeats an unchanged state with records in between, always emits
at least one state per selected stream, and wraps the stream in STARTED / RUNNING / COMPLETE|INCOMPLETE statuses.

``Checkpoint`` lives with the rest of the state vocabulary in :mod:`staffwire.state` and is deliberately not
re-exported here: a second import path for one class is how state came to live in three modules. A stream author
who wants everything in one line has the package's top level, ``from staffwire import Checkpoint, Stream``.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from staffwire.errors import InternalError

if TYPE_CHECKING:
    from staffwire.errors import RecordRejected
    from staffwire.state import Checkpoint

__all__ = ["Estimate", "Record", "Stream", "SyncMode"]

SyncMode = Literal["full_refresh", "incremental"]


@dataclass(frozen=True)
class Record:
    """One record and its Airbyte record meta (AirbyteRecordMessageMeta, e.g. ``{"changes": [{"field": "phone",
    "change": "NULLED", "reason": "SOURCE_SERIALIZATION_ERROR"}]}``), written as the RECORD's ``meta``."""

    data: Mapping[str, Any]
    meta: Mapping[str, Any]


@dataclass(frozen=True)
class Estimate:
    """How much this read of the stream is expected to emit: ``rows`` records and/or ``bytes`` of records.
    Emitted as an Airbyte TRACE ESTIMATE of type STREAM; an estimate is a guess, not a promise."""

    rows: int | None = None
    bytes: int | None = None

    def __post_init__(self) -> None:
        for label, value in (("rows", self.rows), ("bytes", self.bytes)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise ValueError(f"Estimate({label}=...) must be a non-negative int or None, not {value!r}")


class Stream:
    """Base class of every stream. Subclasses set the class attributes (or override the properties) and
    implement :meth:`read`."""

    name: ClassVar[str] = ""
    primary_key: ClassVar[list[list[str]] | None] = [["id"]]
    cursor_field: ClassVar[list[str] | None] = None
    namespace: ClassVar[str | None] = None

    def get_name(self) -> str:
        return self.name

    def get_primary_key(self) -> list[list[str]] | None:
        return self.primary_key

    def get_cursor_field(self) -> list[str] | None:
        return self.cursor_field

    def get_json_schema(self) -> dict[str, Any]:
        """The JSON Schema of one record: ``schemas/<name>.json`` beside the module that defines the stream when
        there is one (airbyte-cdk's convention: a schema is data, kept out of the code), else an open object."""
        module = sys.modules.get(type(self).__module__)
        where = getattr(module, "__file__", None)
        if where:
            found = _schema_file(Path(where).parent / "schemas" / f"{self.get_name()}.json")
            if found is not None:
                return copy.deepcopy(found)
        return {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "type": "object",
            "additionalProperties": True,
            "properties": {},
        }

    @property
    def supported_sync_modes(self) -> list[SyncMode]:
        return ["full_refresh", "incremental"] if self.get_cursor_field() else ["full_refresh"]

    def read(
        self, sync_mode: SyncMode, state: Mapping[str, Any] | None
    ) -> Iterable[Mapping[str, Any] | list[dict[str, Any]] | Record | Checkpoint | Estimate | RecordRejected]:
        """Yield records (or pages of records), checkpoints and, when known, an estimate. ``state`` is this stream's last committed state
        (``None`` on a first run or in full refresh)."""
        raise NotImplementedError(f"stream {self.get_name()!r} does not implement read()")


@cache
def _schema_file(path: Path) -> dict[str, Any] | None:
    """The schema in ``path`` (read once per process), or None when there is no such file. A file that is not a
    JSON object is a bug of the connector, reported with its path."""
    if not path.is_file():
        return None
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise InternalError(f"the stream schema {path} is not valid JSON: {exc}") from None
    if not isinstance(schema, dict):
        raise InternalError(
            f"the stream schema {path} must hold a JSON object, not a JSON {type(schema).__name__}"
        )
    return schema
