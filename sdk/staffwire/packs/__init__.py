"""Mapping packs that ship with Staffwire: named :mod:`staffwire.mapping` documents for third-party Airbyte
sources, registered through the ``staffwire_mappings`` hook (:mod:`staffwire.packs.plugin`) exactly like a
plugin's, and used by a connection's ``mapping: {pack: NAME}`` (docs/mirror.md).

| pack | source | standard streams |
|---|---|---|
| ``lever`` | ``airbyte-source-lever-hiring`` | candidates, submissions, placements, jobs |
| ``salesforce-jobscience`` | ``airbyte-source-salesforce`` on a Jobscience org | clients, candidates, contacts, jobs, placements |
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["PACKS", "load_pack"]

_HERE = Path(__file__).parent
PACKS = {"lever": _HERE / "lever.yaml", "salesforce-jobscience": _HERE / "salesforce_jobscience.yaml"}


def load_pack(name: str) -> dict[str, Any]:
    from staffwire.mapping import load_document

    return load_document(PACKS[name])
