"""A connection changes what is written through `mappings`: conditions, fields, other streams, objects off."""

from __future__ import annotations

from destination_quickbooks.sandbox import QuickBooksSandbox
from destination_quickbooks.testing import (
    candidate,
    fast_config,
    keyed,
    placement,
    record,
    state,
    stats,
    write,
)


def test_a_connection_changes_the_contractor_condition_and_the_vendor_name(
    sandbox: QuickBooksSandbox,
) -> None:
    mappings = {
        "Vendor": {
            "when": {"field": "custom_fields.employmentType", "in": ["1099"]},
            "fields": {
                "DisplayName": {"template": "{last_name}, {first_name}"},
                "Mobile.FreeFormNumber": None,
            },
        }
    }
    messages = [
        record("candidates", candidate(1, status="active", custom_fields={"employmentType": "1099"})),
        record("candidates", candidate(2, custom_fields={"employmentType": "W2"})),
        state("candidates", 1),
    ]

    result = write(fast_config(sandbox, mappings=mappings), messages, ("candidates",))

    assert stats(result) == [("candidates", 2, 0)]
    vendors = keyed(sandbox, "Vendor", "AcctNum")
    assert {k: v["DisplayName"] for k, v in vendors.items()} == {"bullhorn:1": "Worker1, Ada"}


def test_vendors_can_come_from_another_stream_and_an_object_can_be_turned_off(
    sandbox: QuickBooksSandbox,
) -> None:
    mappings = {
        "Vendor": {"stream": "workers", "when": {}, "fields": {"key": "external_id"}},
        "Item": {"enabled": False},
    }
    worker = {"id": "wingspan:c-9", "external_id": "bullhorn:9", "first_name": "Lin", "last_name": "Tan"}
    messages = [
        record("workers", worker),
        state("workers", 1),
        record("placements", placement(509, 9)),
        state("placements", 1),
    ]

    result = write(fast_config(sandbox, mappings=mappings), messages, ("workers", "placements"))

    assert stats(result) == [("workers", 1, 0), ("placements", 1, 1)]  # no client 80 in this company
    assert {k: v["DisplayName"] for k, v in keyed(sandbox, "Vendor", "AcctNum").items()} == {
        "bullhorn:9": "Lin Tan"
    }
    assert keyed(sandbox, "Item", "Sku") == {}


def test_the_object_table_describes_every_object_for_a_destination_catalog() -> None:
    from destination_quickbooks.objects import describe_objects

    described = describe_objects()
    assert [(d["name"], d["entity"], d["stream"], d["key_field"], d["depends_on"]) for d in described] == [
        ("Customer", "Customer", "clients", "Notes", []),
        ("Job", "Customer", "placements", "Notes", ["Customer"]),
        ("Item", "Item", "placements", "Sku", []),
        ("Vendor", "Vendor", "candidates", "AcctNum", []),
        ("Bill", "Bill", "payables", "PrivateNote", ["Vendor"]),
    ]
    assert {d["name"]: (d["sync_modes"], d["matching_keys"]) for d in described}["Bill"] == (
        ["append_dedup"],
        [["id"]],
    )
    assert described[3]["when"] == {"field": "status", "in": ["placed"]}
