"""destination-quickbooks write: exact end states in the sandbox, compare before write, exactly once on reruns."""

from __future__ import annotations

import json

from destination_quickbooks.sandbox import QuickBooksSandbox
from destination_quickbooks.testing import (
    candidate,
    client,
    fast_config,
    keyed,
    payable,
    placement,
    record,
    standard_input,
    state,
    stats,
    write,
)

WRITES = r"/v3/company/\d+/(customer|vendor|item|bill|batch)$"


def test_clients_placements_workers_and_payables_become_customers_jobs_items_vendors_and_bills(
    sandbox: QuickBooksSandbox,
) -> None:
    result = write(fast_config(sandbox), standard_input(n_placements=3, n_payables=3))

    assert result.exit_code == 0, result.trace_errors
    assert stats(result) == [
        ("clients", 1, 0),
        ("candidates", 3, 0),
        ("jobs", 1, 0),
        ("placements", 3, 0),
        ("payables", 3, 0),
    ]
    customers = keyed(sandbox, "Customer", "Notes")
    assert sorted(customers) == [
        "Customer/bullhorn:80",
        "Job/bullhorn:501",
        "Job/bullhorn:502",
        "Job/bullhorn:503",
    ]
    parent = customers["Customer/bullhorn:80"]
    assert (parent["DisplayName"], parent["Job"], parent["BillAddr"]["City"], parent["WebAddr"]) == (
        "Northwind Health",
        False,
        "San Francisco",
        {"URI": "https://client80.example"},
    )
    job = customers["Job/bullhorn:501"]
    assert (job["DisplayName"], job["Job"], job["ParentRef"], job["FullyQualifiedName"], job["Level"]) == (
        "Ada Worker1 - Registered Nurse (2026-07-06)",
        True,
        {"value": parent["Id"]},
        "Northwind Health:Ada Worker1 - Registered Nurse (2026-07-06)",
        1,
    )
    assert job["BillWithParent"] is True
    items = keyed(sandbox, "Item", "Sku")
    assert {k: (i["Name"], i["Type"], i["UnitPrice"], i["IncomeAccountRef"]) for k, i in items.items()} == {
        f"bullhorn:50{n}": (
            f"Registered Nurse - Ada Worker{n} (50{n})",
            "Service",
            61,
            {"name": "Services", "value": "1"},
        )
        for n in (1, 2, 3)
    }
    assert items["bullhorn:501"]["Description"] == (
        "Bill rate per hour: Ada Worker1, Registered Nurse, from 2026-07-06"
    )
    vendors = keyed(sandbox, "Vendor", "AcctNum")
    assert {k: (v["DisplayName"], v["Vendor1099"], v["PrimaryEmailAddr"]) for k, v in vendors.items()} == {
        f"bullhorn:{n}": (f"Ada Worker{n}", True, {"Address": f"ada.worker{n}@example.com"})
        for n in (1, 2, 3)
    }
    bills = keyed(sandbox, "Bill", "PrivateNote")
    assert sorted(bills) == ["Bill/timesheets:ts-1", "Bill/timesheets:ts-2", "Bill/timesheets:ts-3"]
    two = bills["Bill/timesheets:ts-2"]
    assert (two["VendorRef"], two["DocNumber"], two["DueDate"], two["TotalAmt"], two["Balance"]) == (
        {"name": "Ada Worker2", "value": vendors["bullhorn:2"]["Id"]},
        "ts-2",
        "2026-07-17",
        1250.0,
        1250.0,
    )
    assert [
        (ln["Description"], ln["Amount"], ln["AccountBasedExpenseLineDetail"]["AccountRef"])
        for ln in two["Line"]
    ] == [
        ("Regular hours: 40 hour x 25", 1000.0, {"name": "Contract Labor", "value": "61"}),
        ("Overtime: 4 hour x 62.5", 250.0, {"name": "Contract Labor", "value": "61"}),
    ]


def test_writes_go_through_batch_requests_with_a_requestid_and_minorversion(
    sandbox: QuickBooksSandbox,
) -> None:
    write(fast_config(sandbox), standard_input(n_placements=3, n_payables=3))

    writes = sandbox.requests_to(WRITES, "POST")
    assert [w.path.rsplit("/", 1)[1] for w in writes] == ["customer", "batch", "batch", "batch", "batch"]
    assert all(len(w.arg("requestid") or "") == 36 for w in writes)
    assert {r.arg("minorversion") for r in sandbox.requests_to(r"^/v3/")} == {"75"}


def test_rerunning_the_same_input_writes_nothing(sandbox: QuickBooksSandbox) -> None:
    config = fast_config(sandbox)
    first = write(config, standard_input())
    rotated = first.controls[-1]["connectorConfig"]["config"]["refresh_token"]
    before = {e: sandbox.entities(e) for e in ("Customer", "Vendor", "Item", "Bill")}
    sandbox.clear_log()

    again = write({**config, "refresh_token": rotated}, standard_input())

    assert stats(again) == stats(first)
    assert sandbox.requests_to(WRITES, "POST") == []
    assert {e: sandbox.entities(e) for e in before} == before
    assert again.log_messages("INFO")[-2] == (
        "QuickBooks company Staffwire Sandbox Staffing Co: Customer: 1 unchanged; Job: 3 unchanged; "
        "Item: 3 unchanged; Vendor: 3 unchanged; Bill: 3 unchanged"
    )


def test_a_changed_record_sends_a_sparse_update_of_only_the_changed_fields(
    sandbox: QuickBooksSandbox,
) -> None:
    config = fast_config(sandbox)
    write(config, [record("clients", client(80, "Northwind Health")), state("clients", 1)])
    [customer] = [c for c in sandbox.entities("Customer") if c.get("DisplayName") == "Northwind Health"]
    sandbox.clear_log()

    moved = client(80, "Northwind Health", phone="+14155550199")
    write(config, [record("clients", moved), state("clients", 2)])

    [update] = sandbox.requests_to(WRITES, "POST")
    assert update.path.endswith("/customer")
    assert json.loads(update.body) == {
        "PrimaryPhone": {"FreeFormNumber": "+14155550199"},
        "Id": customer["Id"],
        "SyncToken": "0",
        "sparse": True,
    }
    [after] = [c for c in sandbox.entities("Customer") if c["Id"] == customer["Id"]]
    assert (after["SyncToken"], after["PrimaryPhone"], after["BillAddr"]["Line1"]) == (
        "1",
        {"FreeFormNumber": "+14155550199"},
        "80 Market St",
    )


def test_duplicates_within_one_commit_are_written_once_with_the_last_values(
    sandbox: QuickBooksSandbox,
) -> None:
    messages = [
        record("candidates", candidate(1)),
        record("candidates", candidate(1, phone="+14155550111")),
        record("payables", payable("ts-1", 1, amount=100.0, line_items=[])),
        record("payables", payable("ts-1", 1, amount=200.0, line_items=[])),
        state("payables", "x"),
    ]

    result = write(fast_config(sandbox), messages, ("candidates", "payables"))

    assert stats(result) == [("payables", 2, 0)]  # a STREAM state counts its own stream's records
    [vendor] = keyed(sandbox, "Vendor", "AcctNum").values()
    assert vendor["PrimaryPhone"] == {"FreeFormNumber": "+14155550111"}
    [bill] = keyed(sandbox, "Bill", "PrivateNote").values()
    assert (bill["TotalAmt"], [ln["Description"] for ln in bill["Line"]]) == (200.0, ["Week 28 (ts-1)"])


def test_candidates_that_are_not_contractors_and_other_streams_write_nothing(
    sandbox: QuickBooksSandbox,
) -> None:
    messages = [
        record("candidates", candidate(1, status="active")),
        record("contacts", {"id": "bullhorn:9", "first_name": "Zed"}),
        state("candidates", 1),
    ]

    result = write(fast_config(sandbox), messages, ("candidates", "contacts"))

    assert result.exit_code == 0
    assert keyed(sandbox, "Vendor", "AcctNum") == {}
    assert (
        "destination-quickbooks writes nothing from stream 'contacts' (no object reads it)"
        in result.log_messages("INFO")
    )


def test_line_items_that_do_not_add_up_become_one_line_of_the_amount_with_the_details(
    sandbox: QuickBooksSandbox,
) -> None:
    odd = payable("ts-9", 1, amount=1300.0, split=True)  # lines sum to 1,250

    write(
        fast_config(sandbox),
        [record("candidates", candidate(1)), record("payables", odd), state("payables", 1)],
    )

    [bill] = keyed(sandbox, "Bill", "PrivateNote").values()
    assert [(ln["Description"], ln["Amount"]) for ln in bill["Line"]] == [
        (
            "Week 28 (ts-9) - Regular hours: 40 hour x 25 = 1000; Overtime: 4 hour x 62.5 = 250",
            1300.0,
        )
    ]


def test_a_placement_without_its_candidate_and_job_in_the_sync_is_named_after_their_ids_and_keeps_a_good_name(
    sandbox: QuickBooksSandbox,
) -> None:
    config = fast_config(sandbox)
    base = [record("clients", client(80, "Northwind Health")), state("clients", 1)]
    write(config, [*base, record("placements", placement(600, 7, job_n=71)), state("placements", 1)])
    [job] = [c for k, c in keyed(sandbox, "Customer", "Notes").items() if k == "Job/bullhorn:600"]
    assert job["DisplayName"] == "bullhorn:7 - bullhorn:71 (2026-07-06)".replace(":", "-")

    named = [
        record("candidates", candidate(7, "Grace", "Hopper")),
        record("jobs", {"id": "bullhorn:71", "title": "Nurse"}),
    ]
    write(config, [*named, record("placements", placement(600, 7, job_n=71)), state("placements", 2)])
    assert (
        keyed(sandbox, "Customer", "Notes")["Job/bullhorn:600"]["DisplayName"]
        == "Grace Hopper - Nurse (2026-07-06)"
    )

    write(
        config,
        [record("placements", placement(600, 7, job_n=71, end_date="2027-01-31")), state("placements", 3)],
    )
    assert (
        keyed(sandbox, "Customer", "Notes")["Job/bullhorn:600"]["DisplayName"]
        == "Grace Hopper - Nurse (2026-07-06)"
    )


def test_a_deleted_client_makes_its_customer_inactive(sandbox: QuickBooksSandbox) -> None:
    config = fast_config(sandbox)
    write(config, [record("clients", client(80)), state("clients", 1)])

    gone = client(80, remote_deleted_at="2026-08-01T00:00:00Z")
    write(config, [record("clients", gone), state("clients", 2)])

    customer = keyed(sandbox, "Customer", "Notes")["Customer/bullhorn:80"]
    assert (customer["Active"], customer["SyncToken"]) == (False, "1")


def test_single_requests_when_batch_is_off(sandbox: QuickBooksSandbox) -> None:
    write(fast_config(sandbox, use_batch=False), standard_input(n_placements=2, n_payables=2))

    paths = [w.path.rsplit("/", 1)[1] for w in sandbox.requests_to(WRITES, "POST")]
    assert sorted(paths) == [
        "bill",
        "bill",
        "customer",
        "customer",
        "customer",
        "item",
        "item",
        "vendor",
        "vendor",
    ]
    assert len(keyed(sandbox, "Bill", "PrivateNote")) == 2


def test_a_company_with_more_customers_than_one_query_answers_is_read_page_by_page(
    sandbox: QuickBooksSandbox,
) -> None:
    with sandbox.lock:
        for n in range(1000):
            sandbox.company.seed("Customer", {"DisplayName": f"Walk-in customer {n:04d}"})
        sandbox.company.seed(
            "Customer", {"DisplayName": "Keyed late", "Notes": "staffwire-key: Customer/bullhorn:80"}
        )

    result = write(fast_config(sandbox), [record("clients", client(80, "Keyed late")), state("clients", 1)])

    assert stats(result) == [("clients", 1, 0)]
    pages = [
        r.arg("query") for r in sandbox.requests_to(r"/query$") if "FROM Customer " in (r.arg("query") or "")
    ]
    assert pages == [
        "SELECT * FROM Customer WHERE Active IN (true, false) STARTPOSITION 1 MAXRESULTS 1000",
        "SELECT * FROM Customer WHERE Active IN (true, false) STARTPOSITION 1001 MAXRESULTS 1000",
    ]
    [update] = sandbox.requests_to(WRITES, "POST")  # found on the second page: updated, not created again
    assert json.loads(update.body)["Id"] == "1003"
    assert len(keyed(sandbox, "Customer", "Notes")) == 1
