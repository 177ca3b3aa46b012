"""Bullhorn's real field metadata (``reference/meta/*.json``, see ``reference/SOURCE.md``) as the sandbox's tenant.

The captured metas come from an older API version that lacks ``dateLastModified`` on a few entities where today's
Bullhorn has it (Candidate, ClientContact, ClientCorporation, CorporateUser, Note, Placement), so the tenant adds it
there, and gives the custom fields the sandbox seeds their tenant labels.
"""

from __future__ import annotations

import copy
import functools
import json
from importlib import resources
from typing import Any

__all__ = ["DISPLAY_FIELDS", "SEARCHABLE", "TENANT_LABELS", "entity_metas", "sample_rows"]

#: Entities Bullhorn serves through ``search/`` (Lucene); every other entity goes through ``query/``.
SEARCHABLE = frozenset(
    {
        "Candidate",
        "ClientContact",
        "ClientCorporation",
        "JobOrder",
        "Lead",
        "Note",
        "Opportunity",
        "Placement",
        "Task",
    }
)

#: The sub-fields that say who or what an association points at, by associated entity: what Bullhorn answers for
#: ``owner`` or ``tearsheets`` when no sub-fields are asked (besides ``id``), and what the connector asks for.
DISPLAY_FIELDS: dict[str, tuple[str, ...]] = {
    "CorporateUser": ("firstName", "lastName"),
    "Candidate": ("firstName", "lastName"),
    "ClientContact": ("firstName", "lastName"),
    "Person": ("firstName", "lastName"),
    "ClientCorporation": ("name",),
    "JobOrder": ("title",),
    "Category": ("name",),
    "Skill": ("name",),
    "BusinessSector": ("name",),
    "Specialty": ("name",),
    "Tearsheet": ("name",),
}

#: Tenant-specific labels of the custom fields the sandbox seeds (what a real tenant configures in field maps).
TENANT_LABELS: dict[str, dict[str, str]] = {
    "Candidate": {
        "customText1": "Security Clearance",
        "customText2": "Work Authorization",
        "customDate1": "Drug Screen Date",
    },
    "JobOrder": {"customText1": "Cost Center Code"},
    "Placement": {"customText1": "PO Number"},
}

_ADD_MODIFIED = ("Candidate", "ClientContact", "ClientCorporation", "CorporateUser", "Note", "Placement")


def _modified_field() -> dict[str, Any]:
    return {
        "name": "dateLastModified",
        "type": "SCALAR",
        "dataType": "Timestamp",
        "dataSpecialization": "SYSTEM",
        "confidential": False,
        "optional": True,
        "label": "Date Last Modified",
        "required": False,
        "readOnly": True,
        "multiValue": False,
    }


@functools.lru_cache(maxsize=1)
def _raw_metas() -> dict[str, dict[str, Any]]:
    folder = resources.files("source_bullhorn") / "reference" / "meta"
    metas: dict[str, dict[str, Any]] = {}
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".json"):
            meta = json.loads(item.read_text(encoding="utf-8"))
            metas[meta["entity"]] = meta
    return metas


def entity_metas() -> dict[str, dict[str, Any]]:
    """Every entity's ``meta/{Entity}?fields=*&meta=full`` body as the sandbox tenant serves it (a fresh copy)."""
    metas = copy.deepcopy(_raw_metas())
    for name, meta in metas.items():
        fields = meta["fields"]
        names = {f["name"] for f in fields}
        if name in _ADD_MODIFIED and "dateLastModified" not in names:
            fields.append(_modified_field())
        for f in fields:
            label = TENANT_LABELS.get(name, {}).get(f["name"])
            if label:
                f["label"] = label
    return metas


@functools.cache
def sample_rows(entity: str) -> tuple[dict[str, Any], ...]:
    """The real rows captured for ``entity`` (``reference/responses``), for shape checks."""
    path = resources.files("source_bullhorn") / "reference" / "responses" / f"{entity.lower()}.json"
    body = json.loads(path.read_text(encoding="utf-8"))
    data = body.get("data")
    return tuple(data if isinstance(data, list) else [data])
