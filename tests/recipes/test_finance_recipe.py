"""docs/recipes/bullhorn-to-quickbooks.yaml, unchanged, through `staffwire sync` (a real process) against the
Bullhorn and QuickBooks sandboxes: every client one Customer, every placement one job under its client's Customer
and one service Item at its bill rate, every placed candidate one 1099 Vendor; run again, nothing is written."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from destination_quickbooks import DestinationQuickBooks
from destination_quickbooks.sandbox import QuickBooksSandbox
from destination_quickbooks.testing import keyed
from source_bullhorn.sandbox import BullhornSandbox
from staffwire.runner import StateStore, load_connection
from staffwire.testing.conformance import run_connector

RECIPE = Path(__file__).resolve().parents[2] / "docs" / "recipes" / "bullhorn-to-quickbooks.yaml"
WRITES = r"/v3/company/\d+/(customer|vendor|item|bill|batch)$"


@pytest.fixture
def sandboxes() -> Iterator[tuple[BullhornSandbox, QuickBooksSandbox]]:
    with (
        BullhornSandbox(seed=11, candidates=40) as bullhorn,
        QuickBooksSandbox(requests_per_minute=None, batch_requests_per_minute=None) as quickbooks,
    ):
        yield bullhorn, quickbooks


def _env(bullhorn: BullhornSandbox, quickbooks: QuickBooksSandbox) -> dict[str, str]:
    source, destination = bullhorn.demo_config(), quickbooks.demo_config()
    return {
        "BULLHORN_CLIENT_ID": source["client_id"],
        "BULLHORN_CLIENT_SECRET": source["client_secret"],
        "BULLHORN_USERNAME": source["username"],
        "BULLHORN_PASSWORD": source["password"],
        "BULLHORN_LOGIN_INFO_URL": source["login_info_url"],
        "QBO_CLIENT_ID": destination["client_id"],
        "QBO_CLIENT_SECRET": destination["client_secret"],
        "QBO_REFRESH_TOKEN": destination["refresh_token"],
        "QBO_REALM_ID": destination["realm_id"],
        "QBO_API_URL": destination["api_url"],
        "QBO_TOKEN_URL": destination["token_url"],
    }


def _sync(db: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "staffwire.cli", "sync", str(RECIPE), "--db", str(db), "-q"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_bullhorn_placements_become_quickbooks_jobs_items_and_vendors_exactly_once(
    sandboxes: tuple[BullhornSandbox, QuickBooksSandbox], tmp_path: Path
) -> None:
    bullhorn, quickbooks = sandboxes
    env = _env(bullhorn, quickbooks)
    db = tmp_path / "staffwire.db"

    first = _sync(db, env)

    assert first.returncode == 0, first.stderr[-3000:]
    store = StateStore(db)
    try:
        [run] = store.runs()
        streams = {s["stream"]: s for s in (store.run(run["id"]) or {})["streams"]}
    finally:
        store.close()
    with sqlite3.connect(f"{db}.credentials") as conn:  # rotated configs live beside the history, never in it
        [(stored,)] = conn.execute(
            "SELECT config FROM connector_config WHERE connection = 'bullhorn-to-quickbooks' AND role = 'destination'"
        ).fetchall()
    rotated = json.loads(stored)["refresh_token"]
    assert rotated != env["QBO_REFRESH_TOKEN"] and rotated in quickbooks.refresh_tokens
    read = {name: s["records_written"] + s["records_rejected"] for name, s in streams.items()}
    assert all(s["records_rejected"] == 0 for s in streams.values())
    customers = keyed(quickbooks, "Customer", "Notes")
    clients = {k: c for k, c in customers.items() if k.startswith("Customer/")}
    jobs = {k: c for k, c in customers.items() if k.startswith("Job/")}
    assert len(clients) == read["clients"]
    assert len(jobs) == read["placements"] > 0
    client_ids = {c["Id"] for c in clients.values()}
    assert all(j["Job"] is True and j["ParentRef"]["value"] in client_ids for j in jobs.values())
    named = re.compile(r"^[^:\[]+ - [^:\[]+ \(\d{4}-\d{2}-\d{2}\)$")
    assert all(named.match(j["DisplayName"]) and "bullhorn" not in j["DisplayName"] for j in jobs.values())
    items = keyed(quickbooks, "Item", "Sku")
    assert {f"Job/{k}" for k in items} <= set(jobs)
    assert all(i["Type"] == "Service" and isinstance(i["UnitPrice"], int | float) for i in items.values())
    vendors = keyed(quickbooks, "Vendor", "AcctNum")
    assert vendors and all(v["Vendor1099"] is True for v in vendors.values())
    before = {e: quickbooks.entities(e) for e in ("Customer", "Vendor", "Item")}
    quickbooks.clear_log()

    second = _sync(db, env)

    assert second.returncode == 0, second.stderr[-3000:]
    assert quickbooks.requests_to(WRITES, "POST") == []
    assert {e: quickbooks.entities(e) for e in before} == before
    [refresh] = quickbooks.requests_to(r"/oauth2/v1/tokens/bearer$", "POST")
    assert f"refresh_token={rotated}".encode() in refresh.body  # the runner handed over the rotated token


def test_the_payables_leg_is_a_valid_connection_whose_destination_config_checks_against_the_sandbox(
    sandboxes: tuple[BullhornSandbox, QuickBooksSandbox],
) -> None:
    connection = load_connection(RECIPE.with_name("wingspan-payables-to-quickbooks.yaml"))
    assert connection.source.connector == "source-wingspan"
    assert [s.name for s in connection.streams] == ["payables"]
    config = connection.destination.effective_config(_env(*sandboxes), "destination")
    status = run_connector(DestinationQuickBooks, "check", config=config).connection_status
    assert status == {"status": "SUCCEEDED"}
