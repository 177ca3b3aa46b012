"""Record what source-greenhouse reads from its sandbox, to compare two revisions of its reader.

For every raw (``harvest_*``) and standard stream: the sorted ids (and estimates) and the requests made of a full refresh; of a first
incremental read and its final state; of a second incremental read from that state (nothing changed); and of a
third after one candidate changed. Pages are small (7 records), so the Link-header paging and the related reads
(openings, applications, offers, jobs) run over several pages. Only public entry points are used (the connector
class, the sandbox, ``staffwire.testing``), so the script runs unchanged against any revision (the shared part is
``staffwire.testing.differential``; see docs/testing.md)::

    .venv/bin/python connectors/source-greenhouse/tests/differential/record.py          # print the recording
    .venv/bin/python connectors/source-greenhouse/tests/differential/record.py --write  # rewrite golden.json
    .venv/bin/python connectors/source-greenhouse/tests/differential/record.py --check  # compare with it

``test_differential.py`` asserts that the current reader records exactly ``golden.json`` (written with the reader
whose related reads still paged in their own loop).
"""

from __future__ import annotations

import sys
from typing import Any

from source_greenhouse import SourceGreenhouse
from source_greenhouse.sandbox import GreenhouseSandbox
from staffwire.testing import differential
from staffwire.testing.sandbox import running

RAW = (
    "jobs",
    "job_posts",
    "candidates",
    "applications",
    "offers",
    "scheduled_interviews",
    "attachments",
    "users",
    "departments",
    "offices",
)
STREAMS = (*(f"harvest_{r}" for r in RAW), "jobs", "candidates", "submissions", "interviews", "placements")
CHANGED_AT = 1924992000.0  # 2031-01-01T00:00:00Z: after every seeded moment, the same on every run


def record() -> dict[str, Any]:
    """Start a sandbox, read it four ways, and answer what each stream emitted."""
    with running(GreenhouseSandbox(candidates=24, rate_limit=None)) as sandbox:
        config = sandbox.demo_config(retry_base_delay=0.001, page_size=7)

        def change_a_candidate() -> None:
            clock = sandbox.clock
            sandbox.clock = lambda: CHANGED_AT
            changed_at = sandbox.now()
            sandbox.clock = clock
            sandbox.tables["candidates"][50007].update(title="Charge Nurse", updated_at=changed_at)

        return differential.in_turn(
            differential.read_step(
                SourceGreenhouse, config, STREAMS, sandbox=sandbox, full_refresh_state=False
            ),
            *differential.around_a_change(change_a_candidate),
        )


if __name__ == "__main__":
    sys.exit(differential.main(__file__, record))
