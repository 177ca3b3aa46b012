"""destination-quickbooks through the SDK's data activation layer: discover's DESTINATION_CATALOG, the configured
catalog's objects, modes and matching keys, and an outcome per record in every echoed state."""

from __future__ import annotations

from typing import Any

import pytest
from destination_quickbooks import DestinationQuickBooks
from destination_quickbooks.sandbox import QuickBooksSandbox
from destination_quickbooks.testing import (
    candidate,
    client,
    fast_config,
    job,
    keyed,
    object_catalog,
    outcomes,
    payable,
    placement,
    record,
    state,
    stats,
    write,
)
from staffwire.testing.conformance import assert_conformant, run_connector


def test_discover_answers_a_destination_catalog_of_the_five_objects_with_their_modes_and_matching_keys(
    sandbox: QuickBooksSandbox,
) -> None:
    result = run_connector(DestinationQuickBooks, "discover", config=fast_config(sandbox))
    assert_conformant(result)  # one DESTINATION_CATALOG, valid, every matching key a property of its object

    assert result.exit_code == 0
    assert result.destination_catalog is not None
    operations = result.destination_catalog["operations"]
    assert [(o["object_name"], o["sync_mode"], o["matching_keys"]) for o in operations] == [
        ("Customer", "append_dedup", [["id"]]),
        ("Job", "append_dedup", [["id"]]),
        ("Item", "append_dedup", [["id"]]),
        ("Vendor", "append_dedup", [["id"]]),
        ("Bill", "append_dedup", [["id"]]),
    ]
    schemas = {o["object_name"]: o["json_schema"]["properties"] for o in operations}
    assert list(schemas["Vendor"]) == [
        "id",
        "DisplayName",
        "GivenName",
        "FamilyName",
        "PrimaryEmailAddr",
        "PrimaryPhone",
        "Mobile",
        "BillAddr",
    ]
    assert schemas["Vendor"]["PrimaryEmailAddr"] == {
        "type": ["object", "null"],
        "properties": {"Address": {"type": ["string", "null"]}},
    }
    assert "Vendor.AcctNum" in schemas["Vendor"]["id"]["description"]
    assert {k: v["type"] for k, v in schemas["Bill"].items() if k != "id"} == {
        "vendor_key": ["string", "null"],
        "amount": ["number", "null"],
        "currency": ["string", "null"],
        "line_items": ["array", "null"],
        "description": ["string", "null"],
        "DocNumber": ["string", "null"],
        "DueDate": ["string", "null"],
    }
    assert list(schemas["Job"]) == ["id", "parent_key", "DisplayName", "BillWithParent"]
    assert schemas["Item"]["UnitPrice"] == {"type": ["number", "null"]}


def _round(client_name: str, amount: float) -> list[dict[str, Any]]:
    """Client 80, placed candidates 1 and 2 and a submitted one (9), job 70, placements 501 and 502 and one of a
    client never written (509), payables of workers 1 and 2."""
    return [
        record("clients", client(80, client_name)),
        state("clients", "k"),
        record("candidates", candidate(1)),
        record("candidates", candidate(2)),
        record("candidates", candidate(9, "Lin", "Tan", status="submitted")),
        state("candidates", "c"),
        record("jobs", job(70)),
        state("jobs", "j"),
        record("placements", placement(501, 1)),
        record("placements", placement(502, 2)),
        record("placements", placement(509, 2, client_n=81)),
        state("placements", "p"),
        record("payables", payable("ts-1", 1, amount)),
        record("payables", payable("ts-2", 2)),
        state("payables", "t"),
    ]


def test_every_record_s_outcome_reaches_the_echoed_state_of_its_stream(sandbox: QuickBooksSandbox) -> None:
    config = fast_config(sandbox)

    first = write(config, _round("Northwind Health", 1250.0))
    second = write(config, _round("Northwind Health Group", 1300.0))

    assert (
        stats(first)
        == stats(second)
        == [
            ("clients", 1, 0),
            ("candidates", 3, 0),
            ("jobs", 1, 0),
            ("placements", 3, 1),  # 509: its client 81 was never written
            ("payables", 2, 0),
        ]
    )
    # (stream, created, updated, unchanged, ignored): a placement is one record though it is a Job and an Item;
    # the submitted candidate and the jobs stream (names only) are ignored
    assert outcomes(first) == [
        ("clients", 1, 0, 0, 0),
        ("candidates", 2, 0, 0, 1),
        ("jobs", 0, 0, 0, 1),
        ("placements", 2, 0, 0, 0),
        ("payables", 2, 0, 0, 0),
    ]
    assert outcomes(second) == [
        ("clients", 0, 1, 0, 0),  # renamed
        ("candidates", 0, 0, 2, 1),
        ("jobs", 0, 0, 0, 1),
        ("placements", 0, 0, 2, 0),
        ("payables", 0, 1, 1, 0),  # ts-1's amount changed
    ]
    assert (
        keyed(sandbox, "Customer", "Notes")["Customer/bullhorn:80"]["DisplayName"] == "Northwind Health Group"
    )
    assert keyed(sandbox, "Bill", "PrivateNote")["Bill/timesheets:ts-1"]["TotalAmt"] == 1300


def test_a_stream_naming_a_destination_object_writes_that_object_and_no_other(
    sandbox: QuickBooksSandbox,
) -> None:
    configured = object_catalog(
        ("clients", None, "append_dedup", [["id"]]),
        ("candidates", None, "append_dedup", [["id"]]),
        ("contractors", "Vendor", "append_dedup", [["id"]]),
        ("placements", "Item", "append_dedup", [["id"]]),
    )
    messages = [
        record("clients", client(80, "Northwind Health")),
        record("candidates", candidate(1)),
        record("contractors", candidate(2)),
        record("placements", placement(501, 1)),
        state("placements", "p"),
    ]

    result = write(fast_config(sandbox), messages, configured=configured)

    assert result.exit_code == 0, result.trace_errors
    # Vendor reads contractors only (candidates just name the worker); placements become Items, not Jobs
    assert list(keyed(sandbox, "Vendor", "AcctNum")) == ["bullhorn:2"]
    assert list(keyed(sandbox, "Item", "Sku")) == ["bullhorn:501"]
    assert list(keyed(sandbox, "Customer", "Notes")) == ["Customer/bullhorn:80"]
    # the worker's name from this sync's candidates; no jobs stream, so the job's id stands for its title
    assert keyed(sandbox, "Item", "Sku")["bullhorn:501"]["Name"] == "bullhorn-70 - Ada Worker1 (501)"
    assert outcomes(result) == [("placements", 1, 0, 0, 0)]


def test_append_is_written_exactly_once_as_append_dedup(sandbox: QuickBooksSandbox) -> None:
    configured = object_catalog(("clients", None, "append", []))
    messages = [record("clients", client(80, "Northwind Health")), state("clients", "k")]

    first = write(fast_config(sandbox), messages, configured=configured)
    second = write(fast_config(sandbox), messages, configured=configured)

    assert [outcomes(first), outcomes(second)] == [[("clients", 1, 0, 0, 0)], [("clients", 0, 0, 1, 0)]]
    assert list(keyed(sandbox, "Customer", "Notes")) == ["Customer/bullhorn:80"]


@pytest.mark.parametrize(
    ("streams", "message"),
    [
        (
            [("workers", "Worker", "append_dedup", [["id"]])],
            "destination-quickbooks: stream 'workers' asks for destination object 'Worker', which it does not have "
            "(its objects: Bill, Customer, Item, Job, Vendor; run discover to see them).",
        ),
        (
            [("clients", None, "update", [["id"]])],
            "destination-quickbooks: stream 'clients' asks for destination_sync_mode 'update' on object Customer, "
            "which supports append_dedup. Change destination_sync_mode of the stream.",
        ),
        (
            [("clients", "Customer", "append_dedup", [["email"]])],
            "destination-quickbooks: stream 'clients' matches Customer records by email, which is not a matching "
            "key of Customer (its matching keys: id). Fix the stream's primary_key.",
        ),
        (
            [
                ("candidates", "Vendor", "append_dedup", [["id"]]),
                ("workers", "Vendor", "append_dedup", [["id"]]),
            ],
            "destination-quickbooks: streams 'candidates' and 'workers' both write destination object Vendor; one "
            "stream per object (QuickBooks finds an entity by one key).",
        ),
    ],
    ids=["unknown object", "unsupported mode", "unknown matching key", "one object from two streams"],
)
def test_a_catalog_asking_for_what_quickbooks_does_not_have_is_a_config_error(
    sandbox: QuickBooksSandbox, streams: list[Any], message: str
) -> None:
    messages = [record(streams[0][0], client(80)), state(streams[0][0], "k")]

    result = write(fast_config(sandbox), messages, configured=object_catalog(*streams))

    assert result.exit_code == 1
    assert [(e["failure_type"], e["message"]) for e in result.trace_errors] == [("config_error", message)]
    assert keyed(sandbox, "Customer", "Notes") == {}


def test_a_stream_naming_an_object_its_mappings_turn_off_is_a_config_error(
    sandbox: QuickBooksSandbox,
) -> None:
    config = fast_config(sandbox, mappings={"Item": {"enabled": False}})
    configured = object_catalog(("placements", "Item", "append_dedup", [["id"]]))

    result = write(config, [record("placements", placement(501, 1))], configured=configured)

    assert [(e["failure_type"], e["message"]) for e in result.trace_errors] == [
        (
            "config_error",
            "destination-quickbooks: stream 'placements' writes Item, which mappings.Item.enabled turns off. "
            "Remove destination_object_name from the stream or enable Item.",
        )
    ]
