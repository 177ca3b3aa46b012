"""Each Bullhorn stream reports the ``total`` of its read as one TRACE ESTIMATE (type STREAM) before its records,
for sequential and parallel reads, raw and standard streams, full and incremental."""

from __future__ import annotations

import time
from typing import Any

from source_bullhorn.sandbox import BullhornSandbox
from staffwire.testing.conformance import ConnectorResult


def estimate_lines(result: ConnectorResult) -> list[dict[str, Any]]:
    """The estimate bodies, in order (their ``emitted_at`` is checked apart: it is a clock reading)."""
    traces = [t for t in result.traces if t["type"] == "ESTIMATE"]
    assert all(isinstance(t["emitted_at"], float) for t in traces)
    return [t["estimate"] for t in traces]


def events(result: ConnectorResult, stream: str) -> list[str]:
    """What one stream emitted, as message kinds (statuses and estimates spelled out), up to its first record."""
    kinds: list[str] = []
    for message in result.messages:
        if message["type"] == "TRACE":
            trace = message["trace"]
            if (
                trace["type"] == "STREAM_STATUS"
                and trace["stream_status"]["stream_descriptor"]["name"] == stream
            ):
                kinds.append(trace["stream_status"]["status"])
            elif trace["type"] == "ESTIMATE" and trace["estimate"]["name"] == stream:
                kinds.append("ESTIMATE")
        elif message["type"] == "RECORD" and message["record"]["stream"] == stream:
            kinds.append("RECORD")
            break
    return kinds


def test_a_sequential_full_read_estimates_each_stream_from_its_first_page(make_bullhorn: Any) -> None:
    with BullhornSandbox(seed=3, candidates=450) as sandbox:
        bullhorn = make_bullhorn(sandbox)
        result = bullhorn.read(bullhorn.config(max_concurrency=1), ["Candidate", "Sendout", "candidates"])
        sendouts = len(sandbox.ids("Sendout"))
        assert sendouts > 0
        assert estimate_lines(result) == [
            {"name": "Candidate", "type": "STREAM", "row_estimate": 450},
            {"name": "Sendout", "type": "STREAM", "row_estimate": sendouts},
            {"name": "candidates", "type": "STREAM", "row_estimate": 450},
        ]
        assert len(result.records("Candidate")) == 450  # three pages (200, 200, 50), one estimate
        assert len(result.records("Sendout")) == sendouts
        assert events(result, "Candidate") == ["STARTED", "ESTIMATE", "RUNNING", "RECORD"]


def test_parallel_id_ranges_report_the_probes_total_once(make_bullhorn: Any) -> None:
    with BullhornSandbox(seed=5, candidates=600) as sandbox:
        bullhorn = make_bullhorn(sandbox)
        result = bullhorn.read(bullhorn.config(max_concurrency=3, page_size=50), ["Candidate"])
        assert estimate_lines(result) == [{"name": "Candidate", "type": "STREAM", "row_estimate": 600}]
        assert len(result.records("Candidate")) == 600


def test_an_incremental_read_estimates_only_its_window(
    bullhorn: Any, helpers: Any, sandbox: BullhornSandbox
) -> None:
    config = bullhorn.config(max_concurrency=1)
    first = bullhorn.read(config, ["Candidate"], mode="incremental")
    assert estimate_lines(first) == [{"name": "Candidate", "type": "STREAM", "row_estimate": 60}]
    sandbox.update("Candidate", 5, status="Placed")
    sandbox.update("Candidate", 8, status="Placed")
    time.sleep(1.0 - time.time() % 1.0 + 0.01)  # windows end at the whole second a read starts
    second = bullhorn.read(config, ["Candidate"], mode="incremental", state=helpers.final_state(first))
    assert estimate_lines(second) == [{"name": "Candidate", "type": "STREAM", "row_estimate": 2}]
    assert helpers.ids(second, "Candidate") == [5, 8]


def test_an_empty_window_estimates_zero_rows(bullhorn: Any, helpers: Any) -> None:
    config = bullhorn.config(max_concurrency=1)
    first = bullhorn.read(config, ["Candidate"], mode="incremental")
    time.sleep(1.0 - time.time() % 1.0 + 0.01)
    second = bullhorn.read(config, ["Candidate"], mode="incremental", state=helpers.final_state(first))
    assert estimate_lines(second) == [{"name": "Candidate", "type": "STREAM", "row_estimate": 0}]
    assert second.records("Candidate") == []
