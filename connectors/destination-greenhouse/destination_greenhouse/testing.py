"""Helpers for destination-greenhouse tests: configs, catalogs and input messages, and a write runner that checks
every output line against the protocol and that no secret of the sandbox appears. Tests only."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from source_greenhouse.sandbox import GreenhouseSandbox
from source_greenhouse.testing import sandbox_secrets
from staffwire.testing.conformance import ConnectorResult, assert_conformant, assert_no_secrets, run_connector

from destination_greenhouse.destination import DestinationGreenhouse

__all__ = ["candidate", "catalog", "config", "stats", "submission", "write"]

STREAMS = ("candidates", "submissions")


def config(sandbox: GreenhouseSandbox, **overrides: Any) -> dict[str, Any]:
    return sandbox.demo_config(
        **{"agency_name": "Staffwire Staffing", "user_id": 1002, "retry_base_delay": 0.001, **overrides}
    )


def catalog(streams: Iterable[str] = STREAMS) -> dict[str, Any]:
    return {
        "streams": [
            {
                "stream": {
                    "name": name,
                    "json_schema": {"type": "object"},
                    "supported_sync_modes": ["full_refresh"],
                },
                "sync_mode": "full_refresh",
                "destination_sync_mode": "append",
            }
            for name in streams
        ]
    }


def candidate(n: int, **fields: Any) -> dict[str, Any]:
    record = {
        "type": "RECORD",
        "record": {
            "stream": "candidates",
            "emitted_at": 1,
            "data": {
                "id": f"bullhorn:{n}",
                "first_name": f"First{n}",
                "last_name": f"Last{n}",
                "email": f"first{n}.last{n}@agency-talent.example",
                "phone": "(206) 555-0100",
                **fields,
            },
        },
    }
    return record


def submission(
    n: int, job: int | str, candidate_n: int | None = None, stage: str = "client_submitted", **fields: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": f"bullhorn:sub{n}",
        "candidate_id": f"bullhorn:{candidate_n if candidate_n is not None else n}",
        "job_id": job if isinstance(job, str) else f"greenhouse:{job}",
        "stage": stage,
        **fields,
    }
    return {"type": "RECORD", "record": {"stream": "submissions", "emitted_at": 1, "data": data}}


def state(n: int) -> dict[str, Any]:
    return {
        "type": "STATE",
        "state": {
            "type": "STREAM",
            "stream": {"stream_descriptor": {"name": "submissions"}, "stream_state": {"n": n}},
        },
    }


def write(sandbox: GreenhouseSandbox, cfg: dict[str, Any], messages: list[dict[str, Any]]) -> ConnectorResult:
    cat = catalog()
    result = run_connector(DestinationGreenhouse, "write", config=cfg, catalog=cat, stdin=messages)
    assert_conformant(result, catalog=cat)
    assert_no_secrets(result, sandbox_secrets(sandbox))
    return result


def stats(result: ConnectorResult) -> list[tuple[float, float]]:
    return [
        (s["destinationStats"]["recordCount"], s["destinationStats"]["rejectedRecordCount"])
        for s in result.states
    ]
