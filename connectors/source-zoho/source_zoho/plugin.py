"""Registers source-zoho and its sandbox with Staffwire's plugin manager."""

from __future__ import annotations

from typing import Any

from staffwire.plugins import hookimpl


@hookimpl
def staffwire_connectors() -> list[type[Any]]:
    from source_zoho.source import SourceZoho

    return [SourceZoho]


@hookimpl
def staffwire_sandboxes() -> dict[str, type[Any]]:
    from source_zoho.sandbox import ZohoSandbox

    return {"zoho": ZohoSandbox}
