"""DisplayName is unique across customers, vendors and employees: collisions are resolved and explained."""

from __future__ import annotations

from destination_quickbooks.sandbox import QuickBooksSandbox
from destination_quickbooks.testing import candidate, client, fast_config, keyed, record, state, stats, write


def test_a_contractor_named_like_an_employee_gets_a_vendor_named_with_its_key(
    sandbox: QuickBooksSandbox,
) -> None:
    result = write(
        fast_config(sandbox),
        [record("candidates", candidate(123, "Maria", "Garcia")), state("candidates", 1)],
    )

    assert stats(result) == [("candidates", 1, 0)]
    vendor = keyed(sandbox, "Vendor", "AcctNum")["bullhorn:123"]
    assert vendor["DisplayName"] == "Maria Garcia [bullhorn 123]"
    assert (
        "QuickBooks names are unique across customers, vendors and employees: 'Maria Garcia' is already used by "
        "the Employee 1, so the Vendor for bullhorn:123 is named 'Maria Garcia [bullhorn 123]'"
    ) in result.log_messages("WARN")

    sandbox.clear_log()
    again = write(
        fast_config(sandbox, refresh_token=again_token(result)),
        [record("candidates", candidate(123, "Maria", "Garcia")), state("candidates", 2)],
    )
    assert stats(again) == [("candidates", 1, 0)]
    assert sandbox.requests_to(r"/(vendor|batch)$", "POST") == []  # the renamed vendor is its own name


def test_two_clients_with_the_same_name_get_two_customers(sandbox: QuickBooksSandbox) -> None:
    messages = [
        record("clients", client(80, "Acme Staffing")),
        record("clients", client(81, "Acme Staffing")),
    ]

    write(fast_config(sandbox), [*messages, state("clients", 1)])

    customers = keyed(sandbox, "Customer", "Notes")
    names = sorted(customers[k]["DisplayName"] for k in ("Customer/bullhorn:80", "Customer/bullhorn:81"))
    assert names in (
        ["Acme Staffing", "Acme Staffing [bullhorn 81]"],
        ["Acme Staffing", "Acme Staffing [bullhorn 80]"],
    )


def test_a_customer_the_finance_team_created_by_hand_is_taken_over_not_duplicated(
    sandbox: QuickBooksSandbox,
) -> None:
    result = write(
        fast_config(sandbox), [record("clients", client(80, "Amy's Bird Sanctuary")), state("clients", 1)]
    )

    assert stats(result) == [("clients", 1, 0)]
    amy = [c for c in sandbox.entities("Customer") if c["DisplayName"].startswith("Amy's")]
    assert len(amy) == 1
    assert amy[0]["Id"] == "1"
    assert amy[0]["Notes"] == "staffwire-key: Customer/bullhorn:80\nNote added via Update operation."
    assert amy[0]["SyncToken"] == "6"


def test_a_vendor_with_the_same_email_is_taken_over(sandbox: QuickBooksSandbox) -> None:
    existing = sandbox.company.create(
        "Vendor", {"DisplayName": "Ada Worker5", "PrimaryEmailAddr": {"Address": "ADA.worker5@example.com "}}
    )

    write(fast_config(sandbox), [record("candidates", candidate(5)), state("candidates", 1)])

    vendor = keyed(sandbox, "Vendor", "AcctNum")["bullhorn:5"]
    assert (vendor["Id"], vendor["DisplayName"]) == (existing["Id"], "Ada Worker5")
    assert len([v for v in sandbox.entities("Vendor") if v["DisplayName"].startswith("Ada Worker5")]) == 1


def again_token(result) -> str:  # type: ignore[no-untyped-def]
    return result.controls[-1]["connectorConfig"]["config"]["refresh_token"]
