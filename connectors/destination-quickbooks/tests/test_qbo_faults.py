"""Intuit's OAuth rotation, expired tokens, throttling, 5xx, dropped connections and stale SyncTokens: every
entity still ends up written exactly once."""

from __future__ import annotations

from destination_quickbooks.sandbox import QuickBooksSandbox
from destination_quickbooks.testing import (
    client,
    fast_config,
    keyed,
    record,
    standard_input,
    state,
    stats,
    write,
)

COUNTS = [("clients", 1, 0), ("candidates", 3, 0), ("jobs", 1, 0), ("placements", 3, 0), ("payables", 3, 0)]


def _exactly_once(sandbox: QuickBooksSandbox) -> None:
    assert sorted(keyed(sandbox, "Customer", "Notes")) == [
        "Customer/bullhorn:80",
        "Job/bullhorn:501",
        "Job/bullhorn:502",
        "Job/bullhorn:503",
    ]
    assert sorted(keyed(sandbox, "Vendor", "AcctNum")) == ["bullhorn:1", "bullhorn:2", "bullhorn:3"]
    assert sorted(keyed(sandbox, "Item", "Sku")) == ["bullhorn:501", "bullhorn:502", "bullhorn:503"]
    assert sorted(keyed(sandbox, "Bill", "PrivateNote")) == [f"Bill/timesheets:ts-{i}" for i in (1, 2, 3)]


def test_a_rotated_refresh_token_goes_out_in_a_control_message_and_the_old_one_still_works(
    sandbox: QuickBooksSandbox,
) -> None:
    config = fast_config(sandbox)
    first = write(config, standard_input())

    [control] = first.controls
    assert control["type"] == "CONNECTOR_CONFIG"
    stored = control["connectorConfig"]["config"]
    assert (
        stored["refresh_token"] != config["refresh_token"]
        and stored["refresh_token"] in sandbox.refresh_tokens
    )
    assert {k: stored[k] for k in config if k != "refresh_token"} == {
        k: v for k, v in config.items() if k != "refresh_token"
    }
    other_lines = b"".join(line for line in first.lines if b'"CONTROL"' not in line)
    assert stored["refresh_token"].encode() not in other_lines

    again = write(config, standard_input())  # the old token, within Intuit's grace period
    assert again.exit_code == 0 and len(again.controls) == 1


def test_an_old_refresh_token_past_its_grace_period_fails_saying_to_reconnect() -> None:
    with QuickBooksSandbox(refresh_grace_s=0, requests_per_minute=None) as sandbox:
        config = fast_config(sandbox)
        write(config, [record("clients", client(80)), state("clients", 1)])

        stale = write(config, [record("clients", client(80)), state("clients", 2)])

        assert stale.exit_code == 1
        [error] = stale.trace_errors
        assert error["failure_type"] == "config_error"
        assert "refused the refresh token (invalid_grant)" in error["message"]


def test_an_access_token_that_expires_mid_run_is_renewed_once(sandbox: QuickBooksSandbox) -> None:
    sandbox.tokens.expire_after(uses=6)

    result = write(fast_config(sandbox), standard_input())

    assert stats(result) == COUNTS
    assert sandbox.refreshes >= 2
    assert len(result.controls) == sandbox.refreshes
    assert len(sandbox.requests_to(r"/v3/", None)) - sum(1 for r in sandbox.log if r.status == 401) > 0
    _exactly_once(sandbox)


def test_throttled_writes_are_retried(sandbox: QuickBooksSandbox) -> None:
    sandbox.faults.rate_limit(r"/batch$", times=2)
    sandbox.faults.rate_limit(r"/query$", times=1, after=3)

    result = write(fast_config(sandbox), standard_input())

    assert stats(result) == COUNTS
    assert [r.status for r in sandbox.log if r.status == 429] == [429, 429, 429]
    _exactly_once(sandbox)


def test_a_write_whose_answer_was_lost_is_resent_with_its_requestid_and_performed_once(
    sandbox: QuickBooksSandbox,
) -> None:
    sandbox.faults.drop(r"/customer$", applied=True)
    sandbox.faults.drop(r"/batch$", applied=True, after=1)
    sandbox.faults.server_error(r"/batch$", status=503, after=2)

    result = write(fast_config(sandbox), standard_input())

    assert stats(result) == COUNTS
    assert (
        sandbox.replayed == 2
    )  # the dropped customer create and the dropped batch came back with their answers
    dropped = [r for r in sandbox.log if r.status is None]
    resent = [
        r
        for r in sandbox.log
        if r.status == 200 and r.arg("requestid") in {d.arg("requestid") for d in dropped}
    ]
    assert len(dropped) == 2 and len(resent) == 2
    _exactly_once(sandbox)


def test_a_stale_synctoken_is_re_read_and_the_change_reapplied(sandbox: QuickBooksSandbox) -> None:
    config = fast_config(sandbox)
    write(config, [record("clients", client(80, "Northwind Health")), state("clients", 1)])
    sandbox.interfere("Customer", PrimaryEmailAddr={"Address": "ap@northwind.example"})

    result = write(
        config, [record("clients", client(80, "Northwind Health", phone="+14155550199")), state("clients", 2)]
    )

    assert stats(result) == [("clients", 1, 0)]
    customer = keyed(sandbox, "Customer", "Notes")["Customer/bullhorn:80"]
    assert (customer["PrimaryPhone"], customer["PrimaryEmailAddr"], customer["SyncToken"]) == (
        {"FreeFormNumber": "+14155550199"},
        {"Address": "ap@northwind.example"},
        "2",
    )
    assert [r.status for r in sandbox.requests_to(r"/customer/\d+$", "GET")] == [200]
