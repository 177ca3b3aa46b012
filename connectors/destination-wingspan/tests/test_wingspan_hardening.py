"""Issue 16 cases for destination-wingspan: identities are never cut (F6), an empty token (F4), an unsupported
destination_sync_mode (F5), a 1,000,000-character token (F3), a token with "/" and non-ASCII (L6), a password in
api_url (L5), and the minor input checks (an email of 42, NUL and bidi overrides in names, a due date of
0001-01-01, an amount of 1e15)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from destination_wingspan import DestinationWingspan
from destination_wingspan.records import key_text
from destination_wingspan.sandbox import WingspanSandbox
from destination_wingspan.testing import candidate, catalog, fast_config, payable, record, state, stats, write
from staffwire.testing.conformance import assert_conformant, assert_no_secrets, run_connector

LONG = "x" * 300


def _check(config: dict[str, Any], secrets: list[str]) -> dict[str, Any]:
    result = run_connector(DestinationWingspan, "check", config=config)
    assert_conformant(result)
    assert_no_secrets(result, secrets)
    assert result.exit_code == 0
    return result.connection_status  # type: ignore[return-value]


def _reasons(result: Any) -> list[str]:
    return [m["log"]["message"] for m in result.of_type("LOG") if m["log"]["level"] == "WARN"]


def test_a_long_key_is_hashed_never_cut_and_the_form_is_documented() -> None:
    key = key_text(LONG + "a")
    assert key is not None and len(key) == 240
    assert key.startswith("x" * 168 + "~sha256:")
    assert key != key_text(LONG + "b")
    assert key == key_text(LONG + "a")  # the same in every run
    assert key_text("x" * 240) == "x" * 240


def test_two_payables_whose_references_differ_after_character_255_stay_two(sandbox: WingspanSandbox) -> None:
    messages = [
        record("candidates", candidate(1)),
        state("candidates", "c1"),
        record("payables", payable(LONG + "-week-1", 1)),
        record("payables", payable(LONG + "-week-2", 1)),
        state("payables", "t1"),
    ]
    result = write(fast_config(sandbox), messages)
    assert result.exit_code == 0
    assert stats(result) == [("candidates", 1, 0), ("payables", 2, 0)]
    assert sorted(p["labels"]["staffwireReference"] for p in sandbox.payables()) == sorted(
        [key_text(LONG + "-week-1"), key_text(LONG + "-week-2")]
    )
    again = write(fast_config(sandbox), messages)  # idempotent with the hashed keys too
    assert again.exit_code == 0 and len(sandbox.payables()) == 2


def test_two_candidates_whose_ids_differ_after_character_255_become_two_contractors(
    sandbox: WingspanSandbox,
) -> None:
    first = candidate(1, id=LONG + ":1")
    second = candidate(2, id=LONG + ":2")
    result = write(
        fast_config(sandbox),
        [record("candidates", first), record("candidates", second), state("candidates", 1)],
    )
    assert result.exit_code == 0
    assert sorted((c["externalId"], c["email"]) for c in sandbox.contractors()) == sorted(
        [
            (key_text(LONG + ":1"), "ada.worker1@example.com"),
            (key_text(LONG + ":2"), "ada.worker2@example.com"),
        ]
    )


def test_an_empty_api_token_is_reported_as_empty(sandbox: WingspanSandbox) -> None:
    assert _check(fast_config(sandbox, api_token=""), []) == {
        "status": "FAILED",
        "message": "config field 'api_token' is empty: put a Wingspan API token in it (Settings > API tokens)",
    }


def test_a_million_character_token_fails_check_naming_the_field(sandbox: WingspanSandbox) -> None:
    token = "t" * 1_000_000
    status = _check(fast_config(sandbox, api_token=token, max_attempts=1), [])
    assert status["status"] == "FAILED"
    assert token[:16] not in status["message"]
    assert status["message"].endswith(
        "Far too long for any API: config field 'api_token' (1,000,000 characters)."
    )


def test_a_token_with_a_slash_and_non_ascii_stays_in_its_path_segment_and_is_masked(
    sandbox: WingspanSandbox,
) -> None:
    token = "ws/../tök?en=1"
    status = _check(fast_config(sandbox, api_token=token), [token, quote(token, safe="")])
    assert status["status"] == "FAILED"
    # the sandbox logs the raw request path: one segment, percent-encoded (UTF-8 for the non-ASCII letter)
    assert [r.path for r in sandbox.log] == ["/users/session/token/ws%2F..%2Ft%C3%B6k%3Fen%3D1"]
    assert status["message"].startswith("Wingspan rejected the API token (GET /users/session/token/{token} ")


def test_a_password_in_api_url_is_never_printed(sandbox: WingspanSandbox) -> None:
    config = fast_config(sandbox, max_attempts=1, api_url="http://admin:UrlPw-Secret-123@127.0.0.1:1")
    status = _check(config, ["UrlPw-Secret-123"])
    assert status["status"] == "FAILED"
    assert "admin:****@127.0.0.1:1" in status["message"]


def test_destination_sync_mode_overwrite_is_refused_before_anything_is_written(
    sandbox: WingspanSandbox,
) -> None:
    configured = catalog("candidates")
    configured["streams"][0]["destination_sync_mode"] = "overwrite"
    result = run_connector(
        DestinationWingspan,
        "write",
        config=fast_config(sandbox),
        catalog=configured,
        stdin=[record("candidates", candidate(1)), state("candidates", 1)],
    )
    assert_conformant(result)
    assert result.exit_code == 1
    assert [(e["failure_type"], e["message"]) for e in result.trace_errors] == [
        (
            "config_error",
            "destination-wingspan does not support destination_sync_mode 'overwrite' (stream 'candidates'); it "
            "supports append, append_dedup. Change the stream's destination_sync_mode in the catalog.",
        )
    ]
    assert sandbox.contractors() == []


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            payable("ts-old", 1, due_date="0001-01-01"),
            "payable ts-old has a due_date of 0001-01-01, outside the years 2000-2099: fix the date in the "
            "source system",
        ),
        (
            payable("ts-big", 1, amount=1e15),
            "payable ts-big has an amount of 1,000,000,000,000,000.00, above the 10,000,000 any payment can be: "
            "check the amount (and its unit) in the source system",
        ),
    ],
    ids=["due-date-0001", "amount-1e15"],
)
def test_absurd_due_dates_and_amounts_are_rejected_with_their_reason(
    sandbox: WingspanSandbox, data: dict[str, Any], reason: str
) -> None:
    messages = [
        record("candidates", candidate(1)),
        state("candidates", 1),
        record("payables", data),
        state("payables", 1),
    ]
    result = write(fast_config(sandbox), messages)
    assert result.exit_code == 0
    assert stats(result) == [("candidates", 1, 0), ("payables", 1, 1)]
    assert sandbox.payables() == []
    assert any(reason in text for text in _reasons(result)), _reasons(result)


def test_an_email_that_is_a_number_is_reported_as_not_text(sandbox: WingspanSandbox) -> None:
    result = write(
        fast_config(sandbox), [record("candidates", candidate(1, email=42)), state("candidates", 1)]
    )
    assert stats(result) == [("candidates", 1, 1)]
    assert any(
        "candidate bullhorn:1 has an email that is not text (42); Wingspan invites contractors by email, so fix "
        "it in the source system" in text
        for text in _reasons(result)
    )


def test_nul_and_bidi_override_characters_never_reach_the_api(sandbox: WingspanSandbox) -> None:
    data = candidate(1, first_name="A\x00da", last_name="\u202eWorker\u2066")
    result = write(fast_config(sandbox), [record("candidates", data), state("candidates", 1)])
    assert result.exit_code == 0
    (contractor,) = sandbox.contractors()
    assert contractor["name"] == "Ada Worker"
    sent = b"".join(r.body for r in sandbox.log)
    assert b"\\u0000" not in sent and "\u202e".encode() not in sent and b"\\u202e" not in sent
