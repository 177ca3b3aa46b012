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


def record() -> dict[str, Any]:
    """Start a seeded sandbox, read it four ways, and answer what each stream emitted."""
    with running(WingspanSandbox(seed=True, rate_limit_per_s=None)) as sandbox:
        config = {"api_token": DEMO_TOKEN, "api_url": sandbox.url, "backoff_base_s": 0.01}

        def delete_alan() -> None:
            alan = next(c for c in sandbox.contractors() if c["email"] == "alan.turing@example.co.uk")
            requests.delete(
                f"{sandbox.url}/payments/collaborator/{alan['collaboratorId']}",
                headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
                timeout=10,
            ).raise_for_status()

        return differential.in_turn(
            differential.read_step(
                SourceWingspan, config, STREAMS, sandbox=sandbox, full_refresh_state=False, key=_key
            ),
            *differential.around_a_change(delete_alan, "incremental_after_a_deletion"),
        )


if __name__ == "__main__":
    sys.exit(differential.main(__file__, record))
