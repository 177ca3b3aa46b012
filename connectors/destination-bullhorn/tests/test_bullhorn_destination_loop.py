"""The Bullhorn half of the Wingspan -> Bullhorn loop with the ready-made connection streams: onboarding status
into a candidate field and one audit Note per onboarded worker; run again, nothing changes."""

from __future__ import annotations

from typing import Any

from destination_bullhorn.connections import onboarding_note_stream, onboarding_status_stream
from source_bullhorn.sandbox import BullhornSandbox

from .conftest import stats

# standard workers as source-wingspan emits them (payee ids are 22 characters)
WORKERS = [
    {
        "id": "wingspan:bTsHZgMYHfG9s0lBmuqQ06",
        "candidate_id": "bullhorn:15",
        "onboarding_status": "ready",
        "onboarded_at": "2026-12-01T09:30:00Z",
    },
    {
        "id": "wingspan:Pp7Dilq6IlTkjjLxrYDOK0",
        "candidate_id": "bullhorn:16",
        "onboarding_status": "onboarding",
        "onboarded_at": None,
    },
    {
        "id": "wingspan:zW3vp20DLhGprcqA1bzlc5",
        "candidate_id": "zoho:77",
        "onboarding_status": "ready",
        "onboarded_at": "2026-12-03T10:00:00Z",
    },
]


def _settings(stream: dict[str, Any]) -> tuple[dict[str, Any], tuple[str, str, str, list[list[str]]]]:
    settings = {k: stream[k] for k in ("mapping", "when", "owned_fields") if k in stream}
    catalog = (
        stream["name"],
        stream["destination_object"],
        stream["destination_sync_mode"],
        stream["matching_keys"],
    )
    return {stream["name"]: settings}, catalog


def test_the_loop_writes_status_and_one_note_then_settles(writeback: Any, sandbox: BullhornSandbox) -> None:
    for stream in (onboarding_status_stream(), onboarding_note_stream()):
        settings, catalog = _settings(stream)
        for _ in range(2):
            result = writeback.write(
                writeback.config(settings), writeback.catalog(catalog), writeback.messages("workers", WORKERS)
            )
            assert result.exit_code == 0 and stats(result)[0]["rejectedRecordCount"] == 0.0
    assert (sandbox.rows["Candidate"][15]["customText3"], sandbox.rows["Candidate"][16]["customText3"]) == (
        "ready",
        "onboarding",
    )
    notes = [n for n in sandbox.rows["Note"].values() if str(n.get("externalID")).startswith("onboarded:")]
    assert [(n["externalID"], n["personReference"], n["comments"]) for n in notes] == [
        (
            "onboarded:wingspan:bTsHZgMYHfG9s0lBmuqQ06",
            15,
            "Wingspan onboarding complete on 2026-12-01T09:30:00Z",
        )
    ]
    # the second round of each connection wrote nothing: 2 candidate updates + 1 note
    assert [(w.method, w.entity) for w in sandbox.writes] == [
        ("POST", "Candidate"),
        ("POST", "Candidate"),
        ("PUT", "Note"),
    ]
