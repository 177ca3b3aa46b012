"""A list answer that is not Wingspan's bare JSON array of objects fails the stream with a transient error that
names the request (the SDK's stream layer reads the list; the connector's validate_response judges the answer)."""

from __future__ import annotations

from typing import Any

import pytest
from destination_wingspan.sandbox import WingspanSandbox
from staffwire.testing.sandbox import Request, Response, json_response, running


class OddLists(WingspanSandbox):
    """The seeded sandbox, answering two lists as Wingspan never should: an object, and an array of numbers."""

    def before_request(self, request: Request) -> Response | None:
        if request.method == "GET" and request.path == "/payments/invoice":
            return json_response({"invoices": []})
        if request.method == "GET" and request.path == "/payments/payable":
            return json_response([1, 2])
        return super().before_request(request)


@pytest.fixture
def odd() -> Any:
    with running(OddLists(seed=True, rate_limit_per_s=None)) as sandbox:
        yield sandbox


def test_a_list_answered_as_an_object_or_as_numbers_fails_that_stream_naming_the_request(
    odd: WingspanSandbox, ws: Any
) -> None:
    result = ws.read(ws.config(odd), ("Invoice", "Payable", "payables", "Payee"), ok=False)
    assert result.exit_code == 1
    assert ws.counts(result) == {"Payee": 6}
    assert [(e["failure_type"], e["message"]) for e in result.trace_errors] == [
        (
            "transient_error",
            "Wingspan answered GET /payments/invoice with dict, not the JSON array of records it sends for a "
            "list; retry later, and check api_url if it persists.",
        ),
        (
            "transient_error",
            "Wingspan answered GET /payments/payable with list, not the JSON array of records it sends for a "
            "list; retry later, and check api_url if it persists.",
        ),
        (
            "transient_error",
            "Wingspan answered GET /payments/payable with list, not the JSON array of records it sends for a "
            "list; retry later, and check api_url if it persists.",
        ),
    ]
    assert result.stream_statuses() == {
        "Invoice": ["STARTED", "INCOMPLETE"],
        "Payable": ["STARTED", "INCOMPLETE"],
        "payables": ["STARTED", "INCOMPLETE"],
        "Payee": ["STARTED", "RUNNING", "COMPLETE"],
    }
    assert [r.status for r in odd.requests_to("^/payments/invoice$")] == [200]  # judged once, not retried
