"""Record what source-zoho reads from its sandbox, per stream: the exact sorted ids (deletions apart) and the final
state, for Recruit and CRM, in full refresh and in three incremental reads around a set of changes.

Why: issue 15 moved the reading code onto the SDK's HttpStream and paginators; this file, recorded with the old
hand-written loops (``golden.json`` beside it), pins what any later reader must give on the same sandbox
(``test_zoho_differential.py`` replays it). It only uses the connector's public entry points, so it runs against
any revision::

    .venv/bin/python connectors/source-zoho/tests/differential/record.py > golden.json   # (re)record
    .venv/bin/python connectors/source-zoho/tests/differential/record.py --check          # compare

The scenario: small modules read 3 records a page (so every read pages, and the deleted-records API pages too);
after the first incremental read one record of every module is changed, one goes to the recycle bin (three in
the larger modules, so the deleted-records API pages), one is deleted for good, a new one is created, and one module is bulk-updated in one second (every record the same
``Modified_Time``: paging goes on by page number, and on CRM by ``page_token``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from source_zoho import SourceZoho
from source_zoho.sandbox import ZohoSandbox
from staffwire.testing.conformance import assert_conformant, run_connector

GOLDEN = Path(__file__).with_name("golden.json")
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


def _run(command: str, config: dict[str, Any], **kwargs: Any) -> Any:
    result = run_connector(SourceZoho, command, config=config, **kwargs)
    assert_conformant(result, catalog=kwargs.get("catalog"))
    assert result.exit_code == 0, result.trace_errors
    return result


def _read(
    config: dict[str, Any], mode: str, state: Any = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Every discovered stream in ``mode``: {stream: {"ids", "deleted", "state"}} and the state file for the
    next read."""
    catalog = _run("discover", config).catalog
    configured = {
        "streams": [
            {
                "stream": s,
                "sync_mode": mode,
                "destination_sync_mode": "append_dedup" if mode == "incremental" else "overwrite",
                **(
                    {"cursor_field": s.get("default_cursor_field"), "primary_key": [["id"]]}
                    if mode == "incremental"
                    else {}
                ),
            }
            for s in catalog["streams"]
        ]
    }
    result = _run("read", config, catalog=configured, state=state)
    out: dict[str, Any] = {}
    latest: dict[str, dict[str, Any]] = {}
    for message in result.states:
        latest[message["stream"]["stream_descriptor"]["name"]] = {
            "type": "STREAM",
            "stream": message["stream"],
        }
    for s in catalog["streams"]:
        name = s["name"]
        rows = [m["data"] for m in result.record_messages(name)]
        gone = [r for r in rows if r.get("_deleted") or r.get("remote_deleted_at")]
        out[name] = {
            "ids": sorted(str(r["id"]) for r in rows if r not in gone),
            "deleted": sorted(str(r["id"]) for r in gone),
            "state": latest.get(name, {}).get("stream", {}).get("stream_state"),
        }
    return out, list(latest.values())


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
            phases: dict[str, Any] = {}
            phases["full_refresh"], _ = _read(config, "full_refresh")
            phases["incremental_1"], state = _read(config, "incremental")
            _change(sb, product)
            phases["incremental_2"], state = _read(config, "incremental", state)
            phases["incremental_3"], _ = _read(config, "incremental", state)
            phases["full_refresh_after"], _ = _read(config, "full_refresh")
        golden[product] = {
            stream: {phase: phases[phase][stream] for phase in phases} for stream in phases["full_refresh"]
        }
    return golden


def main() -> None:
    got = record()
    if "--check" in sys.argv[1:]:
        want = json.loads(GOLDEN.read_text())
        sys.exit(0 if got == want else "differs from golden.json")
    print(json.dumps(got, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
