"""Record what source-wingspan reads from its seeded sandbox, to compare two revisions of its reader.

For every raw and standard stream: the sorted ids (and estimates) and the requests made of a full refresh; of a first incremental read and its final
state; of a second incremental read from that state (nothing changed); and of a third after one collaborator was
deleted (deletion markers, the state without it). Only public entry points are used (the connector class, the
sandbox, ``staffwire.testing``), so the script runs unchanged against any revision (the shared part is
``staffwire.testing.differential``; see docs/testing.md)::

    .venv/bin/python connectors/source-wingspan/tests/differential/record.py          # print the recording
    .venv/bin/python connectors/source-wingspan/tests/differential/record.py --write  # rewrite golden.json
    .venv/bin/python connectors/source-wingspan/tests/differential/record.py --check  # compare with it

``test_differential.py`` asserts that the current reader records exactly ``golden.json`` (written with the reader
before it moved onto the SDK's HttpStream).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

import requests
from destination_wingspan.sandbox import DEMO_TOKEN, WingspanSandbox
from source_wingspan import SourceWingspan
from staffwire.testing import differential
from staffwire.testing.sandbox import running

STREAMS = (
    "Payee",
    "Collaborator",
    "Payable",
    "Invoice",
    "BulkCollaboratorBatch",
    "BulkPayableBatch",
    "workers",
    "payables",
)


def _key(stream: str, record: Mapping[str, Any]) -> str:
    """Raw Wingspan objects carry their id as ``<object>Id``; standard ones as ``id``."""
    field = "id" if stream in ("workers", "payables") else stream[0].lower() + stream[1:] + "Id"
    return str(record[field])


def _read(
    sandbox: WingspanSandbox, config: dict[str, Any], mode: str, state: Any = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One read of every stream: the requests it made and per stream its ids, estimates and final state (not for
    full refresh, which has none); and the state to read on from."""
    catalog = differential.catalog(SourceWingspan, config, mode, STREAMS)
    result = differential.read(SourceWingspan, config, catalog, state, sandbox=sandbox)
    summary = differential.summary(result, STREAMS, key=_key, state=mode == "incremental")
    return {"requests": differential.sent_requests(sandbox), **summary}, differential.next_state(result)


def record() -> dict[str, Any]:
    """Start a seeded sandbox, read it four ways, and answer what each stream emitted."""
    with running(WingspanSandbox(seed=True, rate_limit_per_s=None)) as sandbox:
        config = {"api_token": DEMO_TOKEN, "api_url": sandbox.url, "backoff_base_s": 0.01}
        full, _ = _read(sandbox, config, "full_refresh")
        first, state = _read(sandbox, config, "incremental")
        second, state = _read(sandbox, config, "incremental", state)
        alan = next(c for c in sandbox.contractors() if c["email"] == "alan.turing@example.co.uk")
        requests.delete(
            f"{sandbox.url}/payments/collaborator/{alan['collaboratorId']}",
            headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
            timeout=10,
        ).raise_for_status()
        third, _ = _read(sandbox, config, "incremental", state)
    return {
        "full_refresh": full,
        "incremental_first": first,
        "incremental_unchanged": second,
        "incremental_after_a_deletion": third,
    }


if __name__ == "__main__":
    sys.exit(differential.main(__file__, record))
