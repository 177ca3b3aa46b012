"""Registers source-wingspan with Staffwire (entry point ``staffwire.connectors``). Its sandbox is the Wingspan
sandbox destination-wingspan registers as ``wingspan``."""

from __future__ import annotations

from typing import Any

from staffwire.plugins import hookimpl


@hookimpl
def staffwire_connectors() -> list[type[Any]]:
    from source_wingspan.source import SourceWingspan

    return [SourceWingspan]
