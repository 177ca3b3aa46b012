"""The defaults respect Intuit's published limits: against a sandbox enforcing 500 requests per minute, 40 batch
requests per minute and 10 at a time, a write at the default pace is never throttled."""

from __future__ import annotations

from destination_quickbooks.sandbox import QuickBooksSandbox
from destination_quickbooks.testing import keyed, standard_input, stats, write


def test_the_default_pace_stays_within_intuits_limits() -> None:
    with QuickBooksSandbox() as sandbox:  # Intuit's limits: 500/min, 40 batches/min, 10 in flight
        config = sandbox.demo_config(backoff_base_s=0.001)

        result = write(config, standard_input(n_placements=4, n_payables=4), ())

        assert result.exit_code == 0, result.trace_errors
        assert stats(result)[-1] == ("payables", 4, 0)
        assert sandbox.throttled == 0
        assert sandbox.peak_in_flight <= 10
        api_calls = sandbox.requests_to(r"^/v3/")
        # sends are spread one per 60/500 s: the answers cannot span less (log times are answer times, so allow
        # for the first answer's own latency)
        assert api_calls[-1].at - api_calls[0].at >= (len(api_calls) - 1) * 0.12 - 0.5
        assert len(keyed(sandbox, "Bill", "PrivateNote")) == 4


def test_a_company_throttled_below_the_configured_pace_is_waited_for() -> None:
    with QuickBooksSandbox(requests_per_minute=6, window_s=1.0, batch_requests_per_minute=None) as sandbox:
        config = sandbox.demo_config(requests_per_minute=100000, backoff_base_s=0.05)

        result = write(config, standard_input(n_placements=2, n_payables=2))

        assert result.exit_code == 0, result.trace_errors
        assert sandbox.throttled > 0
        assert sorted(keyed(sandbox, "Bill", "PrivateNote")) == [
            "Bill/timesheets:ts-1",
            "Bill/timesheets:ts-2",
        ]
