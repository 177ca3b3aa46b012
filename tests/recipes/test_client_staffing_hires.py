"""Steps 7-8 of the client-staffing recipe: docs/recipes/greenhouse-placements-to-quickbooks.yaml, loaded
unchanged, run by the runner from source-greenhouse's standard placements (the client's hires) into
destination-quickbooks, after the Bullhorn finance leg (bullhorn-to-quickbooks.yaml) wrote the client's Customer;
on the Greenhouse, Bullhorn and QuickBooks sandboxes over real HTTP."""

from __future__ import annotations

from pathlib import Path

from destination_quickbooks.sandbox import QuickBooksSandbox
from destination_quickbooks.testing import keyed
from source_bullhorn.sandbox import BullhornSandbox
from source_greenhouse.sandbox import GreenhouseSandbox
from staffwire.runner import RunResult, StateStore, load_connection, run_sync
from staffwire.runner.demo_recipe import recipe_env

WRITES = r"/v3/company/\d+/(customer|vendor|item|bill|batch)$"
RECIPES = Path(__file__).resolve().parents[2] / "docs" / "recipes"


def _sync(name: str, store: StateStore, env: dict[str, str]) -> RunResult:
    result = run_sync(load_connection(RECIPES / name), store=store, env=env)
    assert result.succeeded, result.error
    assert result.rejected_records == []
    return result


def test_the_clients_hires_become_quickbooks_jobs_and_items_under_its_customer_once(tmp_path: Path) -> None:
    with (
        GreenhouseSandbox(candidates=12) as greenhouse,
        BullhornSandbox(seed=7, candidates=10) as bullhorn,
        QuickBooksSandbox(requests_per_minute=None, batch_requests_per_minute=None) as quickbooks,
    ):
        books = quickbooks.demo_config()
        env = {
            **recipe_env(greenhouse, bullhorn),
            "QBO_CLIENT_ID": books["client_id"],
            "QBO_CLIENT_SECRET": books["client_secret"],
            "QBO_REFRESH_TOKEN": books["refresh_token"],
            "QBO_REALM_ID": books["realm_id"],
            "QBO_API_URL": books["api_url"],
            "QBO_TOKEN_URL": books["token_url"],
        }
        store = StateStore(tmp_path / "staffwire.db")
        try:
            _sync("bullhorn-to-quickbooks.yaml", store, env)  # the client's Customer (ClientCorporation 1)
            _hires(greenhouse, quickbooks, store, env)
        finally:
            store.close()


def _ours(quickbooks: QuickBooksSandbox, entity: str, field: str) -> dict[str, tuple[object, ...]]:
    return {
        k: (e.get("DisplayName") or e.get("Name"), e.get("ParentRef") or e.get("UnitPrice"))
        for k, e in keyed(quickbooks, entity, field).items()
        if "greenhouse:" in k
    }


def _hires(
    greenhouse: GreenhouseSandbox, quickbooks: QuickBooksSandbox, store: StateStore, env: dict[str, str]
) -> None:
    hired = sorted(a["id"] for a in greenhouse.tables["applications"].values() if a["status"] == "hired")
    assert hired == [70004, 70010]
    customer = keyed(quickbooks, "Customer", "Notes")["Customer/bullhorn:1"]

    first = _sync("greenhouse-placements-to-quickbooks.yaml", store, env)

    counts = {
        name: (s["records_read"], s["records_created"], s["records_ignored"])
        for name, s in first.streams.items()
    }
    # candidates and jobs only name the placements' jobs: no Vendor for the client's own candidates
    assert counts == {"candidates": (12, 0, 12), "jobs": (8, 0, 8), "placements": (2, 2, 0)}
    parent = {"value": customer["Id"]}
    assert _ours(quickbooks, "Customer", "Notes") == {
        "Job/greenhouse:70004": ("Jessica Harris - Help Desk Technician II (2024-02-02)", parent),
        "Job/greenhouse:70010": ("Zara Wilson - Help Desk Technician II (2024-01-30)", parent),
    }
    # a service Item at the bill rate where the accepted offer has one (70010's accepted offer has an empty bill_rate)
    assert _ours(quickbooks, "Item", "Sku") == {
        "greenhouse:70004": ("Help Desk Technician II - Jessica Harris (70004)", 48),
    }
    assert _ours(quickbooks, "Vendor", "AcctNum") == {}
    before = {e: quickbooks.entities(e) for e in ("Customer", "Vendor", "Item")}
    quickbooks.clear_log()

    _sync("greenhouse-placements-to-quickbooks.yaml", store, env)

    assert quickbooks.requests_to(WRITES, "POST") == []
    assert {e: quickbooks.entities(e) for e in before} == before
