"""Test kit for destination-wingspan: input-message builders, in-process/console-script runs, sandbox counters.

Used by the connector's tests and by ``bench/wingspan_write.py``; never on a production path.
"""

from __future__ import annotations

from typing import Any

from staffwire.testing.conformance import ConnectorResult, assert_conformant, assert_no_secrets, run_connector
from staffwire.testing.messages import configured_catalog, record_message, state_message
from staffwire.testing.records import payable

from destination_wingspan.sandbox import DEMO_TOKEN, WingspanSandbox

STREAMS = ("candidates", "placements", "payables")


def fast_config(sb: WingspanSandbox, **overrides: Any) -> dict[str, Any]:
    """The sandbox's demo config with tiny waits, so faults cost milliseconds."""
    config: dict[str, Any] = {
        "poll_interval_s": 0.01,
        "backoff_base_s": 0.001,
        "request_timeout_s": 2,
        "max_attempts": 4,
    }
    config.update(overrides)
    return sb.demo_config(**config)


def catalog(*streams: str) -> dict[str, Any]:
    return configured_catalog(streams or STREAMS)


def record(stream: str, data: dict[str, Any]) -> dict[str, Any]:
    return record_message(stream, data)


def state(stream: str, value: Any) -> dict[str, Any]:
    return state_message(stream, {"cursor": value})


def candidate(n: int, *, status: str = "placed", email: str | None = "", **extra: Any) -> dict[str, Any]:
    return {
        "id": f"bullhorn:{n}",
        "remote_id": str(n),
        "source_system": "bullhorn",
        "first_name": "Ada",
        "last_name": f"Worker{n}",
        "email": f"ada.worker{n}@example.com" if email == "" else email,
        "status": status,
        "original_status": status.title(),
        "custom_fields": {},
        **extra,
    }


def placement(n: int, candidate_n: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"bullhorn:{n}",
        "remote_id": str(n),
        "source_system": "bullhorn",
        "candidate_id": f"bullhorn:{candidate_n}",
        "job_id": "bullhorn:70",
        "client_id": "bullhorn:80",
        "status": "active",
        "start_date": "2026-07-06",
        "end_date": "2026-12-18",
        "pay_rate": 42.5,
        "bill_rate": 61.0,
        "currency": "USD",
        "pay_unit": "hour",
        **extra,
    }


def standard_input(n_candidates: int = 4, n_payables: int = 3) -> list[dict[str, Any]]:
    """Candidates 1..n (all placed), one placement for candidate 1, payables for workers 1..n_payables (those of
    even workers with two line items)."""
    messages = [record("candidates", candidate(i)) for i in range(1, n_candidates + 1)]
    messages.append(state("candidates", "c1"))
    messages.append(record("placements", placement(500, 1)))
    messages.append(state("placements", "p1"))
    messages += [
        record("payables", payable(f"ts-{i}", i, split=i % 2 == 0)) for i in range(1, n_payables + 1)
    ]
    messages.append(state("payables", "t1"))
    return messages


def write(
    config: dict[str, Any],
    messages: list[dict[str, Any]],
    streams: tuple[str, ...] = STREAMS,
    *,
    subprocess: bool = False,
) -> ConnectorResult:
    """Run ``write`` (in-process, or as the console script) and assert the output is protocol-conformant."""
    from destination_wingspan.destination import DestinationWingspan

    connector: Any = "destination-wingspan" if subprocess else DestinationWingspan
    result = run_connector(connector, "write", config=config, catalog=catalog(*streams), stdin=messages)
    assert_conformant(result)
    assert_no_secrets(result, [str(config.get("api_token") or DEMO_TOKEN)])
    return result


def stats(result: ConnectorResult) -> list[tuple[str, float, float]]:
    """(stream, recordCount, rejectedRecordCount) of every echoed state, in order."""
    return [
        (
            s["stream"]["stream_descriptor"]["name"],
            s["destinationStats"]["recordCount"],
            s["destinationStats"]["rejectedRecordCount"],
        )
        for s in result.states
    ]


def references(sb: WingspanSandbox) -> list[str]:
    """The sorted ``staffwireReference`` labels of every payable in the sandbox (duplicates kept)."""
    return sorted(p["labels"].get("staffwireReference", "") for p in sb.payables())


def creates(sb: WingspanSandbox) -> dict[str, int]:
    """How many create requests the sandbox answered, per kind (dropped ones included)."""
    return {
        "collaborator_items": len(sb.requests_to(r"/bulk/collaborator/batch/[^/]+/item$", "POST")),
        "payable_items": len(sb.requests_to(r"/bulk/payable/batch/[^/]+/item$", "POST")),
        "payees": len(sb.requests_to(r"^/payments/payee$", "POST")),
        "patches": len(sb.requests_to(r"^/payments/(collaborator|payee)/[^/]+$", "PATCH")),
    }
