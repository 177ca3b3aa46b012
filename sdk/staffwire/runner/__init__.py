"""The Staffwire runner: run connections on one machine with resumable state and an audit trail.

``staffwire sync connection.yaml`` (:func:`run_sync`), ``staffwire runs`` (the history in :class:`StateStore`) and
``staffwire demo`` (:mod:`staffwire.runner.demo`). See docs/runner.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from staffwire.lazy import lazy_exports

#: public name -> the module defining it; imported on first use, so ``staffwire --help`` (which registers the
#: runner's commands from :mod:`staffwire.runner.cli`) does not pay for pydantic, SQLite and the sync machinery.
_EXPORTS = {
    "Connection": "staffwire.runner.connection",
    "ConnectorRef": "staffwire.runner.connection",
    "StreamSelection": "staffwire.runner.connection",
    "check_no_literal_secrets": "staffwire.runner.connection",
    "load_connection": "staffwire.runner.connection",
    "parse_connection": "staffwire.runner.connection",
    "RunError": "staffwire.runner.stats",
    "RunResult": "staffwire.runner.stats",
    "ConnectionLocked": "staffwire.runner.store",
    "StateStore": "staffwire.runner.store",
    "default_db_path": "staffwire.runner.store",
    "run_sync": "staffwire.runner.sync",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    from staffwire.runner.connection import Connection as Connection
    from staffwire.runner.connection import ConnectorRef as ConnectorRef
    from staffwire.runner.connection import StreamSelection as StreamSelection
    from staffwire.runner.connection import check_no_literal_secrets as check_no_literal_secrets
    from staffwire.runner.connection import load_connection as load_connection
    from staffwire.runner.connection import parse_connection as parse_connection
    from staffwire.runner.stats import RunError as RunError
    from staffwire.runner.stats import RunResult as RunResult
    from staffwire.runner.store import ConnectionLocked as ConnectionLocked
    from staffwire.runner.store import StateStore as StateStore
    from staffwire.runner.store import default_db_path as default_db_path
    from staffwire.runner.sync import run_sync as run_sync

__getattr__ = lazy_exports(__name__, _EXPORTS)
