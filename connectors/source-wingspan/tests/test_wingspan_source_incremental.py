"""Incremental reads emit only what changed since the saved state: Wingspan's lists have no filters, so the
connector compares per-record fingerprints (see source_wingspan.changes)."""

from __future__ import annotations

from typing import Any

import requests
from destination_wingspan.sandbox import DEMO_TOKEN, WingspanSandbox
from staffwire.state import to_iso

AUTH = {"Authorization": f"Bearer {DEMO_TOKEN}"}


def _first_then_state(sandbox: WingspanSandbox, ws: Any, **config: Any) -> list[dict[str, Any]]:
    first = ws.read(ws.config(sandbox, **config))
    assert sum(ws.counts(first).values()) == 34
    return ws.last_state(first)  # type: ignore[no-any-return]


def test_a_second_read_with_the_state_emits_nothing_but_a_state_per_stream(
    sandbox: WingspanSandbox, ws: Any
) -> None:
    state = _first_then_state(sandbox, ws)
    second = ws.read(ws.config(sandbox), state=state)
    assert ws.counts(second) == {}
    assert [s["stream"]["stream_descriptor"]["name"] for s in ws.last_state(second)] == [
        "Payee",
        "Collaborator",
        "Payable",
        "Invoice",
        "BulkCollaboratorBatch",
        "BulkPayableBatch",
        "workers",
        "payables",
    ]
    assert ws.last_state(second) == state
    assert sandbox.requests_to(r"/events$") != []  # the first read asked for events
    sandbox.clear_log()
    ws.read(ws.config(sandbox), state=state)
    assert sandbox.requests_to(r"/events$") == []  # nothing changed: no event is read again


def test_the_state_holds_one_short_fingerprint_per_live_record(sandbox: WingspanSandbox, ws: Any) -> None:
    state = {
        s["stream"]["stream_descriptor"]["name"]: s["stream"]["stream_state"]
        for s in _first_then_state(sandbox, ws)
    }
    workers = state["workers"]["fingerprints"]
    assert sorted(workers) == sorted(c["payeeId"] for c in sandbox.contractors())
    assert {len(mark) for mark in workers.values()} == {11}
    assert sorted(state["Payable"]["fingerprints"]) == sorted(p["payableId"] for p in sandbox.payables())


def test_onboarding_a_worker_re_emits_only_that_worker_as_ready(sandbox: WingspanSandbox, ws: Any) -> None:
    state = _first_then_state(sandbox, ws)
    grace = next(c for c in sandbox.contractors() if c["externalId"] == "bullhorn:102")

    answer = requests.post(
        f"{sandbox.url}/_sandbox/onboarding/bullhorn:102", json={"at": "2026-12-01T09:30:00.000Z"}, timeout=5
    )
    assert answer.status_code == 200
    sandbox.clear_log()

    second = ws.read(ws.config(sandbox), state=state)
    assert ws.counts(second) == {"Payee": 1, "Collaborator": 1, "workers": 1}
    [worker] = ws.records(second, "workers")
    assert (worker["id"], worker["candidate_id"], worker["onboarding_status"], worker["onboarded_at"]) == (
        f"wingspan:{grace['payeeId']}",
        "bullhorn:102",
        "ready",
        "2026-12-01T09:30:00Z",
    )
    assert [(r["type"], r["status"], r["completed"]) for r in worker["requirements"]] == [
        ("W9", "Complete", True),
        ("Signature", "Complete", True),
    ]
    [collaborator] = ws.records(second, "Collaborator")
    assert collaborator["events"]["taxDocumentationVerifiedAt"] == "2026-12-01T09:30:00.000Z"
    assert (
        len(sandbox.requests_to(r"/events$")) == 2
    )  # Collaborator's and workers' for the one changed contractor
    third = ws.read(ws.config(sandbox), state=ws.last_state(second))
    assert ws.counts(third) == {}


def test_a_payable_paid_in_wingspan_is_re_emitted_with_its_paid_date(
    sandbox: WingspanSandbox, ws: Any
) -> None:
    state = _first_then_state(sandbox, ws)
    draft = next(p for p in sandbox.payables() if p["status"] == "Draft")
    patched = requests.patch(
        f"{sandbox.url}/payments/payable/{draft['payableId']}",
        json={"status": "Paid"},
        headers=AUTH,
        timeout=5,
    ).json()

    second = ws.read(ws.config(sandbox), state=state)
    assert ws.counts(second) == {"Payable": 1, "payables": 1}
    [payable] = ws.records(second, "payables")
    assert (payable["id"], payable["status"], payable["original_status"]) == (
        f"wingspan:{draft['payableId']}",
        "paid",
        "Paid",
    )
    assert payable["paid_at"] == to_iso(patched["events"]["paidAt"])  # Wingspan's time, as ISO 8601 UTC


def test_a_new_contractor_is_emitted_alone(sandbox: WingspanSandbox, ws: Any) -> None:
    state = _first_then_state(sandbox, ws)
    created = requests.post(
        f"{sandbox.url}/payments/payee",
        json={
            "email": "new.hire@example.com",
            "firstName": "New",
            "lastName": "Hire",
            "payerOwnedData": {"payeeExternalId": "bullhorn:999"},
        },
        headers=AUTH,
        timeout=5,
    ).json()

    second = ws.read(ws.config(sandbox), ("Payee", "workers"), state=state)
    assert [r["payeeId"] for r in ws.records(second, "Payee")] == [created["payeeId"]]
    assert [(w["candidate_id"], w["onboarding_status"]) for w in ws.records(second, "workers")] == [
        ("bullhorn:999", "invited")
    ]


def test_a_deleted_collaborator_comes_once_as_a_deletion_and_leaves_the_state(
    sandbox: WingspanSandbox, ws: Any
) -> None:
    state = _first_then_state(sandbox, ws)
    alan = next(c for c in sandbox.contractors() if c["email"] == "alan.turing@example.co.uk")
    deleted = requests.delete(
        f"{sandbox.url}/payments/collaborator/{alan['collaboratorId']}", headers=AUTH, timeout=5
    )
    assert deleted.status_code == 200

    second = ws.read(ws.config(sandbox), ("Collaborator", "workers"), state=state)
    [marker] = ws.records(second, "Collaborator")
    assert (marker["collaboratorId"], marker["_deleted"]) == (alan["collaboratorId"], True)
    assert marker["updatedAt"] == marker["_deleted_at"]
    [gone] = ws.records(second, "workers")
    assert (gone["id"], gone["remote_deleted_at"] is not None) == (f"wingspan:{alan['payeeId']}", True)
    kept = {
        s["stream"]["stream_descriptor"]["name"]: s["stream"]["stream_state"] for s in ws.last_state(second)
    }
    assert alan["payeeId"] not in kept["workers"]["fingerprints"]
    assert len(kept["workers"]["fingerprints"]) == 5
    assert (
        ws.counts(ws.read(ws.config(sandbox), ("Collaborator", "workers"), state=ws.last_state(second))) == {}
    )


def test_a_new_external_id_re_emits_the_workers_payables_with_the_new_link(
    sandbox: WingspanSandbox, ws: Any
) -> None:
    state = _first_then_state(sandbox, ws)
    cher = next(c for c in sandbox.contractors() if c["externalId"] == "EMP-7")
    requests.patch(
        f"{sandbox.url}/payments/payee/{cher['payeeId']}",
        json={"payerOwnedData": {"payeeExternalId": "bullhorn:107"}},
        headers=AUTH,
        timeout=5,
    ).raise_for_status()

    second = ws.read(ws.config(sandbox), ("workers", "payables"), state=state)
    assert [w["candidate_id"] for w in ws.records(second, "workers")] == ["bullhorn:107"]
    assert [(p["reference"], p["worker_id"]) for p in ws.records(second, "payables")] == [
        ("ts-7-old", "bullhorn:107")
    ]


def test_a_full_refresh_ignores_the_state(sandbox: WingspanSandbox, ws: Any) -> None:
    state = _first_then_state(sandbox, ws)
    again = ws.read(ws.config(sandbox), ("Payee", "payables"), mode="full_refresh", state=state)
    assert ws.counts(again) == {"Payee": 6, "payables": 6}
