"""Reading Zoho CRM over real HTTP against the sandbox: more than 2,000 records through page_token (the peer
connector's stop at 2,000 must not happen), ``fields`` in groups of at most 50 merged by id, incremental reads,
and the CRM standard streams."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from source_zoho.sandbox import ZohoSandbox


def test_a_module_with_more_than_2000_records_is_read_completely(zoho: Any) -> None:
    with ZohoSandbox(crm_sizes={"Leads": 2150, "Accounts": 1, "Contacts": 1, "Deals": 1}) as sb:
        result = zoho.read(zoho.make_config(sb, product="crm"), ["zoho_Leads"], mode="full_refresh")
        got = zoho.ids(result, "zoho_Leads")
        assert len(got) == 2150 and len(set(got)) == 2150
        assert set(got) == sb.ids("crm", "Leads")
        calls = sb.requests_to(r"^/crm/v5/Leads$")
        assert all(c.status == 200 and c.arg("page") == "1" for c in calls)  # keyset: never past page 1
        assert all(c.arg("fields") and len(c.arg("fields").split(",")) <= 50 for c in calls)
        marks = [c.headers.get("if-modified-since") for c in calls]
        assert marks[0] is None and len(set(marks[1:])) == len(marks) - 1  # every page moves the mark on


def test_more_than_2000_records_changed_in_one_second_are_read_through_page_token(zoho: Any) -> None:
    with ZohoSandbox(crm_sizes={"Leads": 2150, "Accounts": 1, "Contacts": 1, "Deals": 1}) as sb:
        sb.touch_all("crm", "Leads", datetime(2024, 5, 1, 9, 30, tzinfo=timezone.utc))  # a bulk import
        result = zoho.read(zoho.make_config(sb, product="crm"), ["zoho_Leads"], mode="full_refresh")
        got = zoho.ids(result, "zoho_Leads")
        assert len(got) == 2150 and set(got) == sb.ids("crm", "Leads")
        calls = sb.requests_to(r"^/crm/v5/Leads$")
        assert [c.status for c in calls] == [200] * 12
        # page 1, page 1 again from the keyset mark (all in the overlap second), then page_token onwards
        assert [c.arg("page") for c in calls] == ["1", "1"] + [None] * 10
        assert all(c.arg("page_token") for c in calls[2:])  # the Airbyte connector's stop at 2,000: not here


def test_fields_go_in_groups_of_at_most_50_merged_by_id(zoho: Any) -> None:
    with ZohoSandbox(crm_sizes={"Accounts": 7}) as sb:
        config = zoho.make_config(sb, product="crm", page_size=5)
        result = zoho.read(config, ["zoho_Accounts"], mode="full_refresh")
        rows = {r["id"]: r for r in zoho.records(result, "zoho_Accounts")}
        assert set(rows) == sb.ids("crm", "Accounts")
        for rid, row in rows.items():
            assert row == sb.record("crm", "Accounts", rid)
        assert len(next(iter(rows.values()))) == 66  # id + 65 fields: more than one call's worth
        pages = [c for c in sb.requests_to(r"^/crm/v5/Accounts$") if c.arg("ids") is None]
        extras = [c for c in sb.requests_to(r"^/crm/v5/Accounts$") if c.arg("ids") is not None]
        assert len(pages) == 2 and len(extras) == 2
        assert [len(c.arg("fields").split(",")) for c in pages + extras] == [50, 50, 15, 15]
        assert [len(c.arg("ids").split(",")) for c in extras] == [5, 2]


def test_crm_incremental_reads_changes_and_deletions(zoho: Any, sandbox: ZohoSandbox) -> None:
    config = zoho.make_config(sandbox, product="crm")
    first = zoho.read(config, ["zoho_Contacts", "zoho_Deals"])
    assert sorted(zoho.ids(first, "zoho_Contacts")) == sorted(sandbox.ids("crm", "Contacts"))
    assert sorted(zoho.ids(first, "zoho_Deals")) == sorted(sandbox.ids("crm", "Deals"))
    contact = sorted(sandbox.ids("crm", "Contacts"))[2]
    deal = sorted(sandbox.ids("crm", "Deals"))[0]
    sandbox.update_record("crm", "Contacts", contact, Title="VP Talent")
    sandbox.delete_record("crm", "Deals", deal)
    second = zoho.read(config, ["zoho_Contacts", "zoho_Deals"], state=zoho.last_state(first))
    assert zoho.ids(second, "zoho_Contacts") == [contact]
    assert zoho.records(second, "zoho_Contacts")[0]["Title"] == "VP Talent"
    assert zoho.records(second, "zoho_Contacts")[0]["Modified_Time"].endswith("-08:00")
    assert zoho.ids(second, "zoho_Deals") == [deal]
    assert zoho.records(second, "zoho_Deals")[0]["_deleted"] is True


def test_crm_standard_clients_and_contacts(zoho: Any, sandbox: ZohoSandbox) -> None:
    result = zoho.read(zoho.make_config(sandbox, product="crm"), ["clients", "contacts"], mode="full_refresh")
    clients = {r["remote_id"]: r for r in zoho.records(result, "clients")}
    assert set(clients) == sandbox.ids("crm", "Accounts")
    account = sandbox.record("crm", "Accounts", sorted(clients)[0])
    mapped = clients[account["id"]]
    assert mapped["id"] == f"zoho_crm:{account['id']}" and mapped["source_system"] == "zoho_crm"
    assert mapped["name"] == account["Account_Name"]
    assert mapped["original_status"] == account["Account_Type"]
    expected = {"Customer": "active", "Prospect": "prospect", "Partner": "active", "Analyst": "other"}
    assert {r["original_status"]: r["status"] for r in clients.values()} == {
        k: v for k, v in expected.items() if k in {r["original_status"] for r in clients.values()}
    }
    assert len(mapped["custom_fields"]) == 48  # Score_01..Score_48
    contacts = zoho.records(result, "contacts")
    assert {c["remote_id"] for c in contacts} == sandbox.ids("crm", "Contacts")
    assert all(c["client_id"] in {r["id"] for r in clients.values()} for c in contacts)
    assert {c["status"] for c in contacts} == {"active", "inactive"}


def test_crm_discover_offers_raw_modules_and_its_standard_streams(zoho: Any, sandbox: ZohoSandbox) -> None:
    catalog = zoho.run("discover", zoho.make_config(sandbox, product="crm")).catalog
    assert [s["name"] for s in catalog["streams"]] == [
        "zoho_Accounts",
        "zoho_Contacts",
        "zoho_Leads",
        "zoho_Deals",
        "clients",
        "contacts",
    ]


FAULTS = {
    "credit-429": lambda sb: sb.exhaust_credits(r"^/crm/v5/(Leads|Accounts)$", times=3),
    "500-then-ok": lambda sb: sb.faults.server_error(
        r"^/crm/v5/(Leads|Accounts)$", status=503, times=2, after=1
    ),
    "dropped": lambda sb: sb.faults.drop(r"^/crm/v5/(Leads|Accounts)$", times=2, after=2),
    "expired-token": lambda sb: sb.expire_tokens(),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_crm_full_and_incremental_reads_under_faults_give_exact_ids(zoho: Any, fault: str) -> None:
    with ZohoSandbox(crm_sizes={"Leads": 2030, "Accounts": 12, "Contacts": 1, "Deals": 1}) as sb:
        config = zoho.make_config(sb, product="crm")
        zoho.run("check", config)
        FAULTS[fault](sb)
        first = zoho.read(config, ["zoho_Leads", "zoho_Accounts"])
        assert sorted(zoho.ids(first, "zoho_Leads")) == sorted(sb.ids("crm", "Leads"))
        assert len(zoho.ids(first, "zoho_Leads")) == 2030
        assert {r["id"]: r for r in zoho.records(first, "zoho_Accounts")} == {
            rid: sb.record("crm", "Accounts", rid) for rid in sb.ids("crm", "Accounts")
        }

        changed = sorted(sb.ids("crm", "Leads"))[5:8]
        for rid in changed:
            sb.update_record("crm", "Leads", rid, Lead_Status="Contacted")
        account = sorted(sb.ids("crm", "Accounts"))[3]
        sb.update_record("crm", "Accounts", account, Score_48=99)
        gone = sorted(sb.ids("crm", "Leads"))[0]
        sb.delete_record("crm", "Leads", gone)
        FAULTS[fault](sb)
        second = zoho.read(config, ["zoho_Leads", "zoho_Accounts"], state=zoho.last_state(first))
        assert zoho.ids(second, "zoho_Leads") == [*changed, gone]
        assert zoho.ids(second, "zoho_Accounts") == [account]
        assert zoho.records(second, "zoho_Accounts")[0]["Score_48"] == 99
        fired = {"credit-429": 429, "500-then-ok": 503, "dropped": None, "expired-token": 401}[fault]
        assert sum(1 for r in sb.log if r.status == fired) >= 2  # the fault hit both runs


def test_a_crm_module_without_field_metadata_fails_its_stream_with_a_config_error(
    zoho: Any, sandbox: ZohoSandbox
) -> None:
    config = zoho.make_config(sandbox, product="crm")
    catalog = zoho.run("discover", config).catalog
    deals = next(s for s in catalog["streams"] if s["name"] == "zoho_Deals")
    sandbox.store("crm", "Deals").seed.metadata_status = 401  # e.g. the scope was narrowed after discover
    configured = {
        "streams": [{"stream": deals, "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"}]
    }
    result = zoho.run("read", config, catalog=configured)
    assert result.exit_code == 1
    [error] = result.trace_errors
    assert error["failure_type"] == "config_error"
    assert error["message"].startswith(
        "Stream zoho_Deals: Zoho CRM gives no field metadata for module Deals (see the warning above)"
    )
    assert sandbox.requests_to(r"^/crm/v5/Deals$") == []
