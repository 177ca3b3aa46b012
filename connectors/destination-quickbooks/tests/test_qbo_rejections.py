"""Bad input becomes a per-record rejection that names the field and says what to do; the rest goes on."""

from __future__ import annotations

from destination_quickbooks.sandbox import QuickBooksSandbox
from destination_quickbooks.testing import (
    candidate,
    client,
    fast_config,
    keyed,
    payable,
    placement,
    record,
    rejected,
    state,
    stats,
    write,
)


def test_a_placement_whose_client_was_never_written_is_rejected_and_the_others_are_written(
    sandbox: QuickBooksSandbox,
) -> None:
    messages = [
        record("clients", client(80, "Northwind Health")),
        state("clients", 1),
        record("placements", placement(501, 1)),
        record("placements", placement(502, 2, client_n=99)),
        state("placements", 1),
    ]

    result = write(fast_config(sandbox), messages, ("clients", "placements"))

    assert result.exit_code == 0
    assert stats(result) == [("clients", 1, 0), ("placements", 2, 1)]
    assert rejected(result) == [
        "destination-quickbooks stream 'placements': record bullhorn:502 rejected: the placement's client "
        "bullhorn:99 was never written to QuickBooks (no Customer carries its key): sync the clients stream "
        "before placements, or check the client's mapping (mappings.Customer)"
    ]
    assert sorted(keyed(sandbox, "Customer", "Notes")) == ["Customer/bullhorn:80", "Job/bullhorn:501"]
    assert sorted(keyed(sandbox, "Item", "Sku")) == [
        "bullhorn:501",
        "bullhorn:502",
    ]  # the item needs no client


def test_an_amount_that_is_not_a_number_and_a_currency_the_company_does_not_use_are_rejected(
    sandbox: QuickBooksSandbox, tmp_path
) -> None:
    path = tmp_path / "rejected.jsonl"
    messages = [
        record("candidates", candidate(1)),
        state("candidates", 1),
        record("payables", payable("ts-1", 1)),
        record("payables", payable("ts-2", 1, amount="12,50 EUR")),
        record("payables", payable("ts-3", 1, currency="EUR")),
        record("payables", payable("ts-4", 7)),
        state("payables", 1),
    ]

    result = write(
        fast_config(sandbox, rejected_records_path=str(path)), messages, ("candidates", "payables")
    )

    assert result.exit_code == 0
    assert stats(result) == [("candidates", 1, 0), ("payables", 4, 3)]
    assert rejected(result) == [
        "destination-quickbooks stream 'payables': record timesheets:ts-2 rejected: the amount '12,50 EUR' is not "
        "a number",
        "destination-quickbooks stream 'payables': record timesheets:ts-3 rejected: the company file 'Staffwire "
        "Sandbox Staffing Co' does not use EUR (it uses USD); add the currency in QuickBooks (multicurrency) or "
        "send the payable in USD",
        "destination-quickbooks stream 'payables': record timesheets:ts-4 rejected: the payable's worker "
        "bullhorn:7 has no Vendor in QuickBooks: write the worker first (a contractor from the candidates "
        "stream, see mappings.Vendor.when)",
    ]
    import json

    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [
        (ln["record_id"], [(r["rule"], r["field"], r["value"]) for r in ln["reasons"]]) for ln in lines
    ] == [
        ("timesheets:ts-2", [("number", "amount", "12,50 EUR")]),
        ("timesheets:ts-3", [("quickbooks.currency", "currency", "EUR")]),
        ("timesheets:ts-4", [("quickbooks.missing_vendor", "worker_id", "bullhorn:7")]),
    ]
    assert sorted(keyed(sandbox, "Bill", "PrivateNote")) == ["Bill/timesheets:ts-1"]


def test_a_second_currency_of_a_multicurrency_company_is_written_with_its_currency_ref() -> None:
    with QuickBooksSandbox(currencies=("USD", "CAD"), requests_per_minute=None) as sandbox:
        messages = [
            record("candidates", candidate(1)),
            record("payables", payable("ts-1", 1, currency="cad")),
        ]
        result = write(fast_config(sandbox), [*messages, state("payables", 1)], ("candidates", "payables"))

        assert stats(result) == [("payables", 1, 0)]
        [bill] = keyed(sandbox, "Bill", "PrivateNote").values()
        assert bill["CurrencyRef"] == {"value": "CAD", "name": "Canadian Dollar"}


def test_a_fault_from_quickbooks_becomes_a_rejection_naming_the_field(sandbox: QuickBooksSandbox) -> None:
    messages = [
        record("candidates", candidate(1)),
        record("payables", payable("ts-1", 1, due_date="2026-02-31")),
        record("payables", payable("ts-2", 1)),
        state("payables", 1),
    ]

    result = write(fast_config(sandbox), messages, ("candidates", "payables"))

    assert stats(result) == [("payables", 2, 1)]
    assert rejected(result) == [
        "destination-quickbooks stream 'payables': record timesheets:ts-1 rejected: QuickBooks refused the Bill "
        "(field due_date, QuickBooks DueDate): ValidationFault: 2010 Request has invalid or unsupported property: "
        "Property Name:DueDate specified is unsupported or invalid (a date is YYYY-MM-DD)"
    ]
    assert sorted(keyed(sandbox, "Bill", "PrivateNote")) == ["Bill/timesheets:ts-2"]


def test_a_record_without_a_name_for_quickbooks_is_rejected_naming_the_mapping(
    sandbox: QuickBooksSandbox,
) -> None:
    nameless = client(81, name="   ")
    result = write(fast_config(sandbox), [record("clients", nameless), state("clients", 1)], ("clients",))

    assert stats(result) == [("clients", 1, 1)]
    assert rejected(result) == [
        "destination-quickbooks stream 'clients': record bullhorn:81 rejected: the record gives the Customer no "
        "DisplayName (QuickBooks requires one); map mappings.Customer.fields.DisplayName"
    ]
