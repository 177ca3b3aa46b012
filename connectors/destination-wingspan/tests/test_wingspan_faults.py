"""destination-wingspan under faults: 429s, 5xx, timeouts, dropped connections, bad tokens, slow batches."""

from __future__ import annotations

import time

import pytest
from destination_wingspan.sandbox import WingspanSandbox
from destination_wingspan.testing import (
    candidate,
    creates,
    fast_config,
    record,
    standard_input,
    state,
    stats,
    write,
)
from staffwire.testing.sandbox import Fault

ITEM = r"/bulk/collaborator/batch/[^/]+/item$"
PAYABLE_ITEM = r"/bulk/payable/batch/[^/]+/item$"
EXPECTED_STATS = [("candidates", 4, 0), ("placements", 1, 0), ("payables", 3, 0)]


def assert_exact_end_state(sandbox: WingspanSandbox) -> None:
    assert sorted(c["externalId"] for c in sandbox.contractors()) == [f"bullhorn:{i}" for i in (1, 2, 3, 4)]
    payables = sorted(sandbox.payables(), key=lambda p: p["labels"]["staffwireReference"])
    assert [(p["labels"]["staffwireReference"], p["amount"], len(p["lineItems"])) for p in payables] == [
        ("ts-1", 1250.0, 1),
        ("ts-2", 1250.0, 2),
        ("ts-3", 1250.0, 1),
    ]


FAULTS = [
    pytest.param(lambda f: f.rate_limit(ITEM, times=3), id="429-without-retry-after-on-item-create"),
    pytest.param(
        lambda f: f.rate_limit(r"/payments/", times=5, after=2, retry_after="0"),
        id="429-with-retry-after-anywhere",
    ),
    pytest.param(lambda f: f.server_error(ITEM, status=502, times=2), id="5xx-on-collaborator-item-create"),
    pytest.param(
        lambda f: f.server_error(PAYABLE_ITEM, status=503, times=2), id="5xx-on-payable-item-create"
    ),
    pytest.param(
        lambda f: f.server_error(r"/batch/[^/]+$", status=500, times=2, method="GET"), id="5xx-while-polling"
    ),
    pytest.param(lambda f: f.drop(ITEM, applied=True, times=2), id="drop-after-collaborator-item-applied"),
    pytest.param(lambda f: f.drop(ITEM, applied=False, times=2), id="drop-before-collaborator-item"),
    pytest.param(lambda f: f.drop(PAYABLE_ITEM, applied=True, times=2), id="drop-after-payable-item-applied"),
    pytest.param(
        lambda f: f.drop(r"/bulk/collaborator/batch/[^/]+$", applied=True, method="PATCH"),
        id="drop-after-batch-submit-applied",
    ),
    pytest.param(
        lambda f: f.drop(r"/bulk/payable/batch$", applied=True, method="POST"),
        id="drop-after-batch-create-applied",
    ),
    pytest.param(lambda f: f.truncate(r"/payments/collaborator$", method="GET"), id="truncated-listing"),
    pytest.param(lambda f: f.html(r"/batch/[^/]+/item$", method="GET"), id="html-instead-of-json"),
]


@pytest.mark.parametrize("inject", FAULTS)
def test_every_contractor_and_payable_exactly_once_despite_the_fault(
    sandbox: WingspanSandbox, inject
) -> None:
    inject(sandbox.faults)

    result = write(fast_config(sandbox), standard_input())

    assert result.exit_code == 0, result.trace_errors
    assert stats(result) == EXPECTED_STATS
    assert_exact_end_state(sandbox)
    assert sum(f.fired for f in sandbox.faults._faults) >= 1


PAYEE_FAULTS = [
    pytest.param(
        lambda f: f.drop(r"^/payments/payee$", applied=True, times=2, method="POST"), id="drop-after-applied"
    ),
    pytest.param(lambda f: f.server_error(r"^/payments/payee$", times=2, method="POST"), id="5xx"),
    pytest.param(lambda f: f.rate_limit(r"^/payments/payee$", times=2, method="POST"), id="429"),
    pytest.param(lambda f: f.slow(r"^/payments/payee$", delay=0.6, times=1, method="POST"), id="timeout"),
]


@pytest.mark.parametrize("inject", PAYEE_FAULTS)
def test_payee_creates_are_verified_by_lookup_before_a_retry(sandbox: WingspanSandbox, inject) -> None:
    sandbox.dedupe_by_email = True  # the payee API answers 409 for a known email, as Wingspan does
    inject(sandbox.faults)

    result = write(fast_config(sandbox, contractor_mode="payee", request_timeout_s=0.3), standard_input())

    assert result.exit_code == 0, result.trace_errors
    assert stats(result) == EXPECTED_STATS
    time.sleep(0.4)  # let a timed-out request finish server-side: it must not add a contractor
    assert_exact_end_state(sandbox)


def test_a_lost_collaborator_item_answer_is_verified_not_blindly_retried(sandbox: WingspanSandbox) -> None:
    sandbox.faults.drop(ITEM, applied=True, times=1)

    write(fast_config(sandbox), [record("candidates", candidate(1)), state("candidates", 1)])

    assert creates(sandbox)["collaborator_items"] == 1
    assert len(sandbox.requests_to(ITEM, "GET")) == 2  # the verification, then the results after processing


def test_the_write_rate_limit_is_respected_without_429s() -> None:
    with WingspanSandbox(process_delay=0.01, rate_limit_per_s=20, dedupe_by_email=False) as sandbox:
        started = time.monotonic()
        result = write(
            fast_config(sandbox, writes_per_second=20), standard_input(n_candidates=12, n_payables=12)
        )
        elapsed = time.monotonic() - started

    assert stats(result) == [("candidates", 12, 0), ("placements", 1, 0), ("payables", 12, 0)]
    assert sandbox.writes_limited == 0
    # 2 batches + 12 contractor items + 18 payable items (6 payables have 2 lines) + 2 submits + 1 label update
    assert sandbox.writes_accepted == 35
    assert elapsed >= (sandbox.writes_accepted - 20) / 20 * 0.9


def test_a_token_revoked_mid_run_fails_the_run_after_committing_what_was_committed(
    sandbox: WingspanSandbox,
) -> None:
    sandbox.faults.add(
        Fault("status", r"/bulk/payable/", status=401, body={"error": "Session expired"}, times=None)
    )

    result = write(fast_config(sandbox), standard_input())

    assert result.exit_code == 1
    assert stats(result) == [("candidates", 4, 0), ("placements", 1, 0)]
    [error] = result.trace_errors
    assert error["failure_type"] == "config_error"
    assert error["message"] == (
        'Stream payables: Wingspan rejected the credentials for POST /payments/bulk/payable/batch (HTTP 401): "Session expired". '
        "Check the credentials in the connector config (they may be wrong, expired or revoked)."
    )
    assert len(sandbox.contractors()) == 4


def test_5xx_beyond_the_retries_fails_the_run_as_transient(sandbox: WingspanSandbox) -> None:
    sandbox.faults.server_error(r"/bulk/payable/batch/[^/]+$", status=503, times=None, method="GET")

    result = write(fast_config(sandbox), standard_input())

    assert result.exit_code == 1
    assert stats(result) == [("candidates", 4, 0), ("placements", 1, 0)]
    [error] = result.trace_errors
    assert error["failure_type"] == "transient_error"
    assert error["message"].startswith(
        "Stream payables: Wingspan failed with a server error for GET /payments/bulk/payable/batch/"
    )
    assert "(HTTP 503) after 4 attempts" in error["message"]


def test_a_batch_slower_than_the_max_wait_fails_transient_and_a_rerun_finishes_it() -> None:
    with WingspanSandbox(process_delay=0.6, rate_limit_per_s=None, dedupe_by_email=False) as sandbox:
        messages = [record("candidates", candidate(1)), state("candidates", 1)]
        slow = write(fast_config(sandbox, max_batch_wait_s=0.1), messages)
        [error] = slow.trace_errors
        batch_id = next(iter(sandbox.collaborator_batches))
        assert error["failure_type"] == "transient_error"
        assert error["message"] == (
            f"Wingspan has not finished bulk collaborator batch {batch_id} after 0.1s (status Pending). Nothing is "
            "lost: run the sync again and it resumes from the last committed state without duplicates."
        )

        rerun = write(fast_config(sandbox), messages)

        assert stats(rerun) == [("candidates", 1, 0)]
        assert [c["externalId"] for c in sandbox.contractors()] == ["bullhorn:1"]
        assert creates(sandbox)["collaborator_items"] == 1


def test_commits_happen_on_the_flush_interval_even_without_states(sandbox: WingspanSandbox) -> None:
    messages = [record("candidates", candidate(i)) for i in (1, 2, 3)] + [state("candidates", 1)]

    write(fast_config(sandbox, flush_interval_s=0.000001), messages)

    assert len(sandbox.collaborator_batches) == 3
