"""Protocol messages a test feeds a destination: a configured catalog, RECORD and STREAM STATE lines.

The destinations' own test kits (``destination_<name>.testing``) and benchmarks build their input with these, so
every kit writes the same wire shapes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["EMITTED_AT", "configured_catalog", "record_message", "state_message"]

#: A fixed emitted_at (2025-11-23T06:40:00Z), so that test input is the same in every run.
EMITTED_AT = 1763880000000


def configured_catalog(
    streams: Iterable[str],
    *,
    sync_mode: str = "incremental",
    destination_sync_mode: str = "append_dedup",
    primary_key: list[list[str]] | None = None,
) -> dict[str, Any]:
    """A ConfiguredAirbyteCatalog of schemaless streams (``primary_key`` defaults to ``[["id"]]``)."""
    supported = ["full_refresh", "incremental"] if sync_mode == "incremental" else ["full_refresh"]
    return {
        "streams": [
            {
                "stream": {
                    "name": name,
                    "json_schema": {"type": "object"},
                    "supported_sync_modes": supported,
                },
                "sync_mode": sync_mode,
                "destination_sync_mode": destination_sync_mode,
                "primary_key": primary_key if primary_key is not None else [["id"]],
            }
            for name in streams
        ]
    }


def record_message(stream: str, data: Mapping[str, Any], emitted_at: int = EMITTED_AT) -> dict[str, Any]:
    return {"type": "RECORD", "record": {"stream": stream, "data": dict(data), "emitted_at": emitted_at}}


def state_message(stream: str, stream_state: Mapping[str, Any]) -> dict[str, Any]:
    """A STREAM state of ``stream`` carrying ``stream_state``."""
    return {
        "type": "STATE",
        "state": {
            "type": "STREAM",
            "stream": {"stream_descriptor": {"name": stream}, "stream_state": dict(stream_state)},
        },
    }
