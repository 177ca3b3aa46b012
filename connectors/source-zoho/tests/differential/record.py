"""Record what source-zoho reads from its sandbox, per stream: the exact sorted ids (deletions apart) and the final
state, for Recruit and CRM, in full refresh and in three incremental reads around a set of changes.

Why: issue 15 moved the reading code onto the SDK's HttpStream and paginators; this file, recorded with the old
hand-written loops (``golden.json`` beside it), pins what any later reader must give on the same sandbox
(``test_differential.py`` replays it). It only uses the connector's public entry points, so it runs against
any revision (the shared part is ``staffwire.testing.differential``; see docs/testing.md)::

    .venv/bin/python connectors/source-zoho/tests/differential/record.py --write  # (re)record
    .venv/bin/python connectors/source-zoho/tests/differential/record.py --check  # compare

The scenario: small modules read 3 records a page (so every read pages, and the deleted-records API pages too);
after the first incremental read one record of every module is changed, one goes to the recycle bin (three in
the larger modules, so the deleted-records API pages), one is deleted for good, a new one is created, and one module is bulk-updated in one second (every record the same
``Modified_Time``: paging goes on by page number, and on CRM by ``page_token``).
"""

from __future__ import annotations

import functools
import sys
from typing import Any

from source_zoho import SourceZoho
from source_zoho.sandbox import ZohoSandbox
from staffwire.testing import differential

SIZES = {
    "recruit": {
        "Candidates": 8,
        "JobOpenings": 5,
        "Clients": 4,
        "Contacts": 4,
        "Applications": 5,
        "Interviews": 4,
        "Departments": 2,
    },
    "crm": {"Accounts": 5, "Contacts": 5, "Leads": 7, "Deals": 4},
}
BULK = {"recruit": "Candidates", "crm": "Leads"}  # the module bulk-updated in one second


def _gone(record: dict[str, Any]) -> bool:
    """A deletion marker: a raw record in the recycle bin or deleted for good, or a standard one."""
    return bool(record.get("_deleted") or record.get("remote_deleted_at"))


def _change(sb: ZohoSandbox, product: str) -> None:
    for module, store in sorted(sb.modules[product].items()):
        if not store.seed.api_supported or len(store.records) < 4:
            continue
        ids = sorted(store.records)
        sb.update_record(product, module, ids[0])
        sb.delete_record(product, module, ids[1])
        sb.delete_record(product, module, ids[2], permanent=True)
        for rid in ids[3:5] if len(ids) >= 7 else []:  # more deletions than a page holds
            sb.delete_record(product, module, rid)
        sb.create_record(product, module)
    sb.touch_all(product, BULK[product], sb.tick())


def record() -> dict[str, Any]:
    golden: dict[str, Any] = {}
    for product in ("recruit", "crm"):
        with ZohoSandbox(recruit_sizes=SIZES["recruit"], crm_sizes=SIZES["crm"]) as sb:
            config = {
                k: v
                for k, v in sb.demo_config(
                    data_center="us", retry_base_delay=0.001, product=product, page_size=3
                ).items()
                if v is not None
            }
            phases = differential.in_turn(
                differential.read_step(SourceZoho, config, deleted=_gone, estimates=False),
                ("full_refresh", "full_refresh"),
                ("incremental_1", "incremental"),
                functools.partial(_change, sb, product),
                ("incremental_2", "incremental"),
                ("incremental_3", "incremental"),
                ("full_refresh_after", "full_refresh"),
            )
        golden[product] = {
            stream: {phase: phases[phase][stream] for phase in phases} for stream in phases["full_refresh"]
        }
    return golden


if __name__ == "__main__":
    sys.exit(differential.main(__file__, record))
