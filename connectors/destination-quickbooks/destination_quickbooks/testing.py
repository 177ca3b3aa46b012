"""Test kit for destination-quickbooks: input-message builders, runs through the conformance kit, sandbox views.

Used by the connector's tests and by ``bench/quickbooks_write.py``; never on a production path.
"""

from __future__ import annotations

from typing import Any

from staffwire.testing import records
from staffwire.testing.conformance import ConnectorResult, assert_conformant, assert_no_secrets, run_connector
from staffwire.testing.messages import configured_catalog, record_message, state_message

from destination_quickbooks.sandbox import QuickBooksSandbox

STREAMS = ("clients", "candidates", "jobs", "placements", "payables")


def fast_config(sb: QuickBooksSandbox, **overrides: Any) -> dict[str, Any]:
    """The sandbox's demo config with limits that cost nothing in tests (the limits are tested on their own)."""
    config: dict[str, Any] = {
        "requests_per_minute": 100000,
        "batch_requests_per_minute": 100000,
        "backoff_base_s": 0.001,
        "request_timeout_s": 2,
        "max_attempts": 4,
    }
    config.update(overrides)
    return sb.demo_config(**config)


def catalog(*streams: str) -> dict[str, Any]:
    return configured_catalog(streams or STREAMS)


def object_catalog(*streams: tuple[str, str | None, str, list[list[str]]]) -> dict[str, Any]:
    """A configured catalog of ``(stream, destination_object_name or None, destination_sync_mode, primary_key)``."""
    configured = []
    for name, obj, mode, key in streams:
        entry: dict[str, Any] = {
            "stream": {
                "name": name,
                "json_schema": {"type": "object"},
                "supported_sync_modes": ["full_refresh", "incremental"],
            },
            "sync_mode": "incremental",
            "destination_sync_mode": mode,
            "primary_key": key,
        }
        if obj is not None:
            entry["destination_object_name"] = obj
        configured.append(entry)
    return {"streams": configured}


def record(stream: str, data: dict[str, Any]) -> dict[str, Any]:
    return record_message(stream, data)


def state(stream: str, value: Any) -> dict[str, Any]:
    return state_message(stream, {"cursor": value})


def _envelope(n: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"bullhorn:{n}",
        "remote_id": str(n),
        "source_system": "bullhorn",
        "custom_fields": {},
        **extra,
    }


def client(n: int, name: str | None = None, **extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": name or f"Client {n} Corp",
        "status": "active",
        "phone": "+14155550100",
        "website": f"https://client{n}.example",
        "address": {
            "line1": f"{n} Market St",
            "line2": None,
            "city": "San Francisco",
            "state": "CA",
            "postal_code": "94105",
            "country": "US",
        },
    }
    values.update(extra)
    return _envelope(n, **values)


def candidate(
    n: int, first: str = "Ada", last: str | None = None, *, status: str = "placed", **extra: Any
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "first_name": first,
        "last_name": last if last is not None else f"Worker{n}",
        "email": f"{first.lower()}.worker{n}@example.com",
        "phone": "+14155550123",
        "mobile": None,
        "address": None,
        "status": status,
        "original_status": status.title(),
    }
    values.update(extra)
    return _envelope(n, **values)


def job(n: int, title: str = "Registered Nurse", client_n: int = 80, **extra: Any) -> dict[str, Any]:
    return _envelope(n, title=title, client_id=f"bullhorn:{client_n}", status="open", **extra)


def placement(n: int, candidate_n: int, job_n: int = 70, client_n: int = 80, **extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "candidate_id": f"bullhorn:{candidate_n}",
        "job_id": f"bullhorn:{job_n}",
        "client_id": f"bullhorn:{client_n}",
        "status": "active",
        "start_date": "2026-07-06",
        "end_date": "2026-12-18",
        "pay_rate": 42.5,
        "bill_rate": 61.0,
        "currency": "USD",
        "pay_unit": "hour",
        "employment_type": "contract",
    }
    values.update(extra)
    return _envelope(n, **values)


def payable(
    ref: str, worker_n: int, amount: Any = 1250.0, *, split: bool = False, **extra: Any
) -> dict[str, Any]:
    """The SDK kit's standard payable (:func:`staffwire.testing.records.payable`) with empty custom_fields."""
    return records.payable(ref, worker_n, amount, split=split, **{"custom_fields": {}, **extra})


def standard_input(n_placements: int = 3, n_payables: int = 3) -> list[dict[str, Any]]:
    """Client 80, candidates 1..n (placed), job 70, placements 500+i of candidate i, payables of workers
    1..n_payables (those of even workers with two line items)."""
    messages = [record("clients", client(80, "Northwind Health")), state("clients", "k1")]
    messages += [record("candidates", candidate(i)) for i in range(1, n_placements + 1)]
    messages.append(state("candidates", "c1"))
    messages += [record("jobs", job(70)), state("jobs", "j1")]
    messages += [record("placements", placement(500 + i, i)) for i in range(1, n_placements + 1)]
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
    configured: dict[str, Any] | None = None,
) -> ConnectorResult:
    """Run ``write`` (in-process, or as the console script) and assert the output is protocol-conformant and
    free of secrets (the CONTROL message, which must carry the rotated token, excepted)."""
    from destination_quickbooks.destination import DestinationQuickBooks

    connector: Any = "destination-quickbooks" if subprocess else DestinationQuickBooks
    chosen = configured if configured is not None else catalog(*streams)
    result = run_connector(connector, "write", config=config, catalog=chosen, stdin=messages)
    assert_conformant(result)
    secrets = [str(config["client_secret"]), str(config["refresh_token"])]
    visible = [m for m in result.messages if m.get("type") != "CONTROL"]
    for message in visible:
        text = str(message)
        assert not any(s in text for s in secrets), f"a secret leaked in {message.get('type')}"
    if not result.controls:
        assert_no_secrets(result, secrets)
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


def outcomes(result: ConnectorResult) -> list[tuple[str, float, float, float, float]]:
    """(stream, created, updated, unchanged, ignored) of every echoed state's destinationStats, in order."""
    return [
        (
            s["stream"]["stream_descriptor"]["name"],
            s["destinationStats"]["createdRecordCount"],
            s["destinationStats"]["updatedRecordCount"],
            s["destinationStats"]["unchangedRecordCount"],
            s["destinationStats"]["ignoredRecordCount"],
        )
        for s in result.states
    ]


def rejected(result: ConnectorResult) -> list[str]:
    """The WARN log lines about rejected records, in order."""
    return [line for line in result.log_messages("WARN") if "rejected:" in line]


def keyed(sb: QuickBooksSandbox, entity: str, field: str) -> dict[str, dict[str, Any]]:
    """The sandbox's entities of a kind that carry a Staffwire key in ``field``, by key (duplicates fail)."""
    out: dict[str, dict[str, Any]] = {}
    for found in sb.entities(entity):
        value = found.get(field)
        if not isinstance(value, str) or not value:
            continue
        first = value.split("\n", 1)[0]
        if field in ("Notes", "PrivateNote") and not first.startswith("staffwire-key: "):
            continue
        key = first.removeprefix("staffwire-key: ")
        assert key not in out, f"two {entity}s carry the key {key}"
        out[key] = found
    return out
