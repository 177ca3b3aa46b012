"""The way back: contractors destination-wingspan created from ATS candidates come out of source-wingspan as
workers that name their ATS record, and the onboarding switch shows who became ready (what the demo's
Wingspan -> ATS connection reads)."""

from __future__ import annotations

from typing import Any

import pytest
from destination_wingspan.sandbox import WingspanSandbox
from destination_wingspan.testing import candidate, fast_config, record, state, write


@pytest.mark.parametrize("mode", ["bulk", "payee"])
def test_workers_created_by_the_destination_link_back_to_their_candidates(ws: Any, mode: str) -> None:
    with WingspanSandbox(rate_limit_per_s=None) as sandbox:
        messages = [record("candidates", candidate(n)) for n in (11, 12, 13)] + [state("candidates", "c1")]
        written = write(fast_config(sandbox, contractor_mode=mode), messages, ("candidates",))
        assert written.exit_code == 0

        first = ws.read(ws.config(sandbox), ("workers",))
        workers = sorted(
            ws.records(first, "workers"), key=lambda w: w["candidate_id"]
        )  # created concurrently
        assert [(w["candidate_id"], w["email"], w["onboarding_status"]) for w in workers] == [
            ("bullhorn:11", "ada.worker11@example.com", "invited"),
            ("bullhorn:12", "ada.worker12@example.com", "invited"),
            ("bullhorn:13", "ada.worker13@example.com", "invited"),
        ]

        sandbox.onboard("bullhorn:12", at="2026-12-01T09:30:00.000Z")
        second = ws.read(ws.config(sandbox), ("workers",), state=ws.last_state(first))
        assert [
            (w["candidate_id"], w["onboarding_status"], w["onboarded_at"])
            for w in ws.records(second, "workers")
        ] == [("bullhorn:12", "ready", "2026-12-01T09:30:00Z")]
