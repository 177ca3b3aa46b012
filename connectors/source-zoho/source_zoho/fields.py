"""Standard fields found through a module's field metadata, where tenants differ, instead of hard-coded API names.

Zoho tenants rename fields: an Interviews module whose datetime fields are labelled From and To can call them
``Start_DateTime`` and ``End_DateTime``; the lookup to Job Openings can be ``Job_Opening_Name`` or ``Job_Opening``;
a picklist can be single or multi-select. So a standard field is described by what it is:

* :class:`Lookup`: the lookup field whose target module is one of these (``JobOpenings``, ``Candidates``,
  ``Clients``...), read from the field's ``lookup.module``;
* :class:`Typed`: a field of one of these data types (``datetime``, ``picklist``, ``multiselectpicklist``...),
  preferably with one of these labels or API names, else (``position``) the n-th such field that is not a system
  field; the data type found decides the transforms (a multi-select picklist is a list already).

:func:`resolve` turns them into mapping field specs for one module. A field it cannot resolve is reported once
(stream, field, what it looked for) and stays null; it is never a silent constant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Lookup", "Typed", "lookup_target", "resolve"]

FieldSpec = dict[str, Any]
SYSTEM_FIELDS = frozenset({"Created_Time", "Modified_Time", "Last_Activity_Time", "Updated_On", "Created_On"})


def lookup_target(meta: Mapping[str, Any]) -> str | None:
    """The module a lookup field points at: ``lookup.module`` is a name (Recruit v2) or ``{api_name}`` (CRM v3)."""
    lookup = meta.get("lookup")
    module = lookup.get("module") if isinstance(lookup, Mapping) else None
    if isinstance(module, Mapping):
        module = module.get("api_name")
    return module if isinstance(module, str) else None


@dataclass(frozen=True)
class Lookup:
    """The lookup field (``lookup``/``ownerlookup`` data type) that points at one of ``modules``."""

    modules: tuple[str, ...]
    build: Callable[[str], FieldSpec]  # the lookup's API name -> the field spec

    def find(self, fields: list[Mapping[str, Any]]) -> tuple[str, str] | None:
        for meta in fields:
            if str(meta.get("data_type")) == "lookup" and lookup_target(meta) in self.modules:
                return str(meta["api_name"]), "lookup"
        return None

    def wanted(self) -> str:
        return f"lookup field to {' or '.join(self.modules)}"


@dataclass(frozen=True)
class Typed:
    """A field of one of ``data_types``: the one labelled (or API-named) like ``labels``, else the
    ``position``-th non-system field of those types."""

    data_types: tuple[str, ...]
    labels: tuple[str, ...]
    build: Callable[[str, str], FieldSpec]  # (API name, data type) -> the field spec
    position: int | None = None

    def find(self, fields: list[Mapping[str, Any]]) -> tuple[str, str] | None:
        typed = [m for m in fields if str(m.get("data_type")) in self.data_types and m.get("api_name")]
        wanted = {_key(label) for label in self.labels}
        for meta in typed:
            names = (meta.get("field_label"), meta.get("display_label"), meta.get("api_name"))
            if any(isinstance(n, str) and _key(n) in wanted for n in names):
                return str(meta["api_name"]), str(meta["data_type"])
        if self.position is not None:
            own = [m for m in typed if m["api_name"] not in SYSTEM_FIELDS]
            if len(own) > self.position:
                meta = own[self.position]
                return str(meta["api_name"]), str(meta["data_type"])
        return None

    def wanted(self) -> str:
        text = f"{' or '.join(self.data_types)} field labelled {' or '.join(map(repr, self.labels))}"
        if self.position is not None:
            text += f", else the {_ordinal(self.position)} such field that is not a system field"
        return text


Resolvable = Lookup | Typed


def resolve(
    stream: str,
    module: str,
    fields: Mapping[str, FieldSpec | Resolvable],
    metadata: Iterable[Mapping[str, Any]],
    report: Callable[[str], None],
) -> dict[str, FieldSpec]:
    """The mapping field specs of one standard stream for this tenant's ``module``; ``report`` gets one message
    per standard field that its metadata cannot resolve (that field is left out, so it stays null)."""
    meta = [m for m in metadata if isinstance(m, Mapping)]
    out: dict[str, FieldSpec] = {}
    for target, spec in fields.items():
        if not isinstance(spec, (Lookup, Typed)):
            out[target] = spec
            continue
        found = spec.find(meta)
        if found is None:
            report(
                f"stream {stream}: cannot find {target} in module {module}: its field metadata has no "
                f"{spec.wanted()}; {target} will be null"
            )
            continue
        api_name, data_type = found
        out[target] = spec.build(api_name) if isinstance(spec, Lookup) else spec.build(api_name, data_type)
    return out


def _key(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).casefold()


def _ordinal(n: int) -> str:
    return {0: "first", 1: "second", 2: "third"}.get(n, f"{n + 1}th")
