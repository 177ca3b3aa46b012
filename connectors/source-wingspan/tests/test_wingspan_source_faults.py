"""source-wingspan rides out Wingspan's faults (429 with and without Retry-After, 5xx, dropped connections) and
says what failed when they outlast the retries; the other streams still run."""

from __future__ import annotations

from typing import Any

from destination_wingspan.sandbox import WingspanSandbox


def test_429s_with_and_without_retry_after_are_waited_out(sandbox: WingspanSandbox, ws: Any) -> None:
    sandbox.faults.rate_limit("/payments/payee", times=1, retry_after="0", method="GET")
    sandbox.faults.rate_limit("/payments/payable", times=2, method="GET")
    result = ws.read(ws.config(sandbox), ("Payee", "Payable"))
    assert ws.counts(result) == {"Payee": 6, "Payable": 6}
    assert [r.status for r in sandbox.requests_to("^/payments/payee$")] == [429, 200]
    assert [r.status for r in sandbox.requests_to("^/payments/payable$")] == [429, 429, 200]


def test_a_5xx_and_a_dropped_connection_are_retried(sandbox: WingspanSandbox, ws: Any) -> None:
    sandbox.faults.server_error("/payments/invoice", status=503, times=1)
    sandbox.faults.drop("/payments/collaborator/", times=2)  # two event reads lose their connection
    sandbox.faults.drop("^/payments/payee$", times=1)
    result = ws.read(ws.config(sandbox), ("Invoice", "Collaborator", "workers"))
    assert ws.counts(result) == {"Invoice": 2, "Collaborator": 6, "workers": 6}
    assert all(r["events"] is not None for r in ws.records(result, "Collaborator"))
    assert [r.status for r in sandbox.requests_to("^/payments/invoice$")] == [503, 200]
    assert [r.status for r in sandbox.requests_to("^/payments/payee$")] == [None, 200]


def test_a_fault_that_outlasts_the_retries_fails_that_stream_only(sandbox: WingspanSandbox, ws: Any) -> None:
    sandbox.faults.server_error("^/payments/payable$", times=None)
    result = ws.read(ws.config(sandbox, max_attempts=3), ("Payee", "Payable", "payables"), ok=False)
    assert result.exit_code == 1
    assert ws.counts(result) == {"Payee": 6}
    assert result.stream_statuses() == {
        "Payee": ["STARTED", "RUNNING", "COMPLETE"],
        "Payable": ["STARTED", "INCOMPLETE"],
        "payables": ["STARTED", "INCOMPLETE"],
    }
    errors = result.trace_errors
    assert [e["failure_type"] for e in errors] == ["transient_error", "transient_error"]
    assert errors[0]["message"] == (
        "Stream Payable: Wingspan failed with a server error for GET /payments/payable (HTTP 500) after 3 "
        'attempts: "InternalServerError: Internal server error (sandbox fault 500)". The API is failing: this is '
        "usually temporary, try again later."
    )
    assert len(sandbox.requests_to("^/payments/payable$")) == 6  # 3 attempts per stream


def test_an_html_answer_to_a_list_is_a_transient_error_naming_the_request(
    sandbox: WingspanSandbox, ws: Any
) -> None:
    sandbox.faults.html("^/payments/invoice$", times=None)
    result = ws.read(ws.config(sandbox, max_attempts=2), ("Invoice",), ok=False)
    assert [(e["failure_type"], e["message"]) for e in result.trace_errors] == [
        (
            "transient_error",
            "Stream Invoice: Wingspan answered HTML, not JSON, for GET /payments/invoice (HTTP 200). A proxy, a login "
            "page or a maintenance page may be in the way: check the API URL, or try again later.",
        )
    ]


def test_an_interrupted_read_resumes_from_its_state_without_re_emitting(
    sandbox: WingspanSandbox, ws: Any
) -> None:
    sandbox.faults.server_error("^/payments/payable$", times=None)
    first = ws.read(ws.config(sandbox, max_attempts=1), ("Payee", "Payable"), ok=False)
    assert ws.counts(first) == {"Payee": 6}
    sandbox.faults.clear()
    second = ws.read(ws.config(sandbox), ("Payee", "Payable"), state=ws.last_state(first))
    assert ws.counts(second) == {"Payable": 6}
