"""The warehouse mirror: every run's raw and standard records, with their history and the stage-edit trail.

Embedded DuckDB by default (a file next to the run history), PostgreSQL as the server option. See docs/mirror.md.
"""

from __future__ import annotations

from pathlib import Path

from staffwire.mirror.warehouse import Warehouse, describe_url, open_warehouse
from staffwire.mirror.writer import MirrorWriter, StreamIdentity

__all__ = [
    "MirrorWriter",
    "StreamIdentity",
    "Warehouse",
    "default_mirror_path",
    "describe_url",
    "open_warehouse",
]


def default_mirror_path(history_db: str | Path) -> Path:
    """The embedded mirror next to the run history: ``.staffwire/staffwire.db`` -> ``.staffwire/mirror.duckdb``."""
    return Path(history_db).with_name("mirror.duckdb")
