"""The per-stream write settings a connection gives a destination that writes objects: the mapping from the
stream's records to the object's fields, the fields the connection owns, and where a null may blank a field.

A destination's config model has ``streams: dict[str, StreamWrite]`` (keyed by stream name); the runner fills it
from the connection file's ``streams: [{name, destination_object, mapping, owned_fields, write_nulls}]``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from staffwire.activation.compare import WritePolicy

__all__ = ["StreamWrite"]


class StreamWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mapping: dict[str, Any] | None = Field(
        default=None,
        title="Mapping",
        description="Object field -> field spec of Staffwire's mapping engine (a path, const, template, transforms, "
        "value maps; see docs/mapping.md). Empty: the record's own fields, as they are.",
    )
    when: dict[str, Any] | None = Field(
        default=None,
        title="When",
        description="Only records matching this condition are written; the others are counted as ignored.",
    )
    owned_fields: list[str] | None = Field(
        default=None,
        title="Owned fields",
        description="The only object fields this connection writes (default: every mapped field).",
    )
    write_nulls: bool | list[str] = Field(
        default=False,
        title="Write nulls",
        description="A null blanks the field only when true (or for the fields listed); otherwise it is skipped.",
    )

    def policy(self) -> WritePolicy:
        return WritePolicy.of(self.owned_fields, self.write_nulls)

    def compile(self, stream: str, path: str) -> Callable[[dict[str, Any]], dict[str, Any] | None]:
        """``record -> object fields`` (None when ``when`` does not hold; RecordRejected when a transform fails).
        ConfigError at ``path`` for a wrong mapping or condition."""
        if self.mapping is not None:
            from staffwire.mapping import compile_fields

            return compile_fields(
                self.mapping, name=stream, path=f"{path}.mapping", when=self.when, when_path=f"{path}.when"
            )
        if self.when is None:
            return dict
        from staffwire.mapping import compile_condition

        holds = compile_condition(self.when, f"{path}.when")
        return lambda record: dict(record) if holds(record) else None
