"""Value maps: remote words (statuses, types) to the standard enum values.

Matching ignores case, spaces, hyphens and underscores (``"On Hold"``, ``"on-hold"``, ``"ON_HOLD"`` are one key).
A list (a multi-value picklist such as ``["Temporary"]``) maps by its first non-empty value.
A connector ships the defaults for its system in its mapping document; a connection merges its own words on top
(``overrides``: remote value -> standard value); a value no one listed becomes the map's ``default`` (``other``)
while the mapping keeps the remote word in ``original_status``.

Usage::

    vm = ValueMap.build({"values": {"Active": "active", "Placed": "placed"}, "default": "other"},
                        overrides={"Hot Prospect": "active"})
    vm("  PLACED ")   # 'placed'
    vm("Archived")    # 'other'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from staffwire.mapping.problems import Reject, at, config_error

__all__ = ["ValueMap", "ValueMapSpec", "first_value", "value_key"]

_NOISE = re.compile(r"[\s_\-]+")


def value_key(value: Any) -> str:
    """The comparison key of a remote value: case-, space-, hyphen- and underscore-insensitive."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _NOISE.sub("", str(value)).casefold()


class ValueMapSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    values: dict[str, Any] = Field(default_factory=dict, description="Remote value -> standard value.")
    default: Any = Field(default="other", description="For values not listed; null means reject them.")


@dataclass(frozen=True)
class ValueMap:
    table: Mapping[str, Any]
    default: Any
    name: str = ""
    exact: Mapping[Any, Any] = field(default_factory=dict)  # remote words as written: the common, fast hit

    @classmethod
    def build(
        cls,
        spec: ValueMapSpec | Mapping[str, Any],
        overrides: Mapping[str, Any] | None = None,
        *,
        name: str = "",
        allowed: Iterable[Any] | None = None,
        path: str = "",
    ) -> ValueMap:
        """Merge ``overrides`` over the spec's values; with ``allowed`` (the target enum) every value and the
        default must be one of them, or ConfigError at ``path``."""
        if not isinstance(spec, ValueMapSpec):
            spec = ValueMapSpec.model_validate(spec)
        table: dict[str, Any] = {}
        exact: dict[Any, Any] = {}
        sources = [(at(path, "values"), spec.values), (f"overrides of value map {name!r}", overrides or {})]
        for where, values in sources:
            for remote, standard in values.items():
                if allowed is not None and standard not in allowed:
                    raise config_error(
                        at(where, str(remote)),
                        f"{standard!r} is not a valid value here; use one of: {', '.join(map(str, allowed))}",
                    )
                table[value_key(remote)] = standard
        for remote_key, key in (
            (r, value_key(r)) for values in (spec.values, overrides or {}) for r in values
        ):
            exact[remote_key] = table[key]  # later sources (overrides) win, through the loose table
        if allowed is not None and spec.default is not None and spec.default not in allowed:
            raise config_error(
                at(path, "default"),
                f"{spec.default!r} is not a valid value here; use one of: {', '.join(map(str, allowed))} "
                "(or null to reject unknown values)",
            )
        return cls(table=table, default=spec.default, name=name, exact=exact)

    def __call__(self, value: Any) -> Any:
        if value is None:
            return None
        if type(value) is str:
            found = self.exact.get(value, _MISSING)
            if found is not _MISSING:
                return found
            if not value.strip():
                return None  # a blank status is no status, not an unknown one
        elif type(value) is list:  # a multi-value picklist: its first value (see docs/mapping.md)
            return self(first_value(value))
        elif isinstance(value, dict):
            raise Reject(
                f"cannot map {type(value).__name__} {value!r} through value map {self.name!r}", "value_map"
            )
        found = self.table.get(value_key(value), _MISSING)
        if found is not _MISSING:
            return found
        if self.default is None:
            raise Reject(
                f"{value!r} is not a known value of {self.name!r}; add it to the value map", "value_map"
            )
        return self.default


_MISSING = object()


def first_value(values: list[Any]) -> Any:
    """The value a single-valued field takes from a multi-value input (a Bullhorn multiValue field, a Zoho
    multiselectpicklist): the first element that is not null, empty text or an empty list; None when there is none."""
    for value in values:
        if value is not None and value != "" and value != []:
            return value
    return None
