"""The Staffwire runner: run connections on one machine with resumable state and an audit trail.

``staffwire sync connection.yaml`` (:func:`run_sync`), ``staffwire runs`` (the history in :class:`StateStore`) and
``staffwire demo`` (:mod:`staffwire.runner.demo`). See docs/runner.md.
"""

from __future__ import annotations

from staffwire.runner.connection import (
    Connection,
    ConnectorRef,
    StreamSelection,
    check_no_literal_secrets,
    load_connection,
    parse_connection,
)
from staffwire.runner.stats import RunError, RunResult
from staffwire.runner.store import ConnectionLocked, StateStore, default_db_path
from staffwire.runner.sync import run_sync

__all__ = [
    "Connection",
    "ConnectionLocked",
    "ConnectorRef",
    "RunError",
    "RunResult",
    "StateStore",
    "StreamSelection",
    "check_no_literal_secrets",
    "default_db_path",
    "load_connection",
    "parse_connection",
    "run_sync",
]
