"""Registers Staffwire's own mapping packs with the plugin manager (entry point ``staffwire-packs``)."""

from __future__ import annotations

from typing import Any

from staffwire.plugins import hookimpl


@hookimpl
def staffwire_mappings() -> dict[str, Any]:
    from staffwire.packs import PACKS, load_pack

    return {name: load_pack(name) for name in PACKS}
