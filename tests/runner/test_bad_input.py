"""Bad input ends as a failed run with a clear message, and never moves state past what the destination confirmed."""

from __future__ import annotations

from typing import Any

import pytest
from staffwire.runner import StateStore

SRC = "{SRC}"
DST = "{DST}"

CASES: list[tuple[str, dict[str, Any], str, str, dict[str, int]]] = [
    # (case, how the run differs, failure type, exact error, committed cursors afterwards)
    (
        "missing connector",
        {"source": {"connector": "source-does-not-exist", "config": {}}},
        "config_error",
        "source connector 'source-does-not-exist' was not found: it is not an installed Staffwire plugin (`staffwire "
        "connectors` lists them), not a file, not a command on PATH, and not a PyPI airbyte-source-*/"
        "airbyte-destination-* package. Install it or fix source.connector in the connection file.",
        {},
    ),
    (
        "unknown stream",
        {"streams": [{"name": "invoices"}]},
        "config_error",
        "stream 'invoices' is not offered by source {SRC} (its streams: orders, users). Fix the streams list of the "
        "connection.",
        {},
    ),
    (
        "undefined variable",
        {"env": {}},
        "config_error",
        "source.config.api_key refers to ${PLAIN_API_KEY}, which is not set in the environment. Set it "
        "(export PLAIN_API_KEY=...) and run again.",
        {},
    ),
    (
        "literal secret",
        {"literal_key": True},
        "config_error",
        "source.config.api_key is a secret ({SRC} marks it airbyte_secret) but the file holds its value. Write it "
        "as ${SOME_ENV_VAR} and set that variable; never put secrets in the file.",
        {},
    ),
    (
        "source crashes",
        {"crash_after": 3},
        "system_error",
        "source {SRC} exited with code 3 without reporting an error; its last output on stderr: Traceback (most "
        "recent call last):\nKeyError: 'boom'. Run it on its own to see why, or report it to its maintainers.",
        {"users": 2},
    ),
    (
        "source reports an error",
        {"fail_after": 3},
        "config_error",
        "source {SRC} failed: The API answered 401: check api_key",
        {"users": 2},
    ),
    (
        "source prints garbage",
        {"garbage_after": 2},
        "system_error",
        "source {SRC} printed 1 line(s) that are not Airbyte messages (first: not JSON: 'hello from a stray "
        "print()'); a connector must print only JSON protocol messages on stdout. The run is failed; states "
        "committed before stay committed.",
        {"users": 5, "orders": 3},
    ),
    (
        "destination fails",
        {"dest_config": {"fail_on_state": 2}},
        "system_error",
        "destination {DST} failed: disk full",
        {"users": 2},
    ),
    (
        "destination prints garbage",
        {"dest_config": {"garbage": True}},
        "system_error",
        "destination {DST} printed 5 line(s) that are not Airbyte messages (first: not JSON: '<html>oops</html>'); "
        "a connector must print only JSON protocol messages on stdout. The run is failed; states committed before "
        "stay committed.",
        {"users": 5, "orders": 3},
    ),
    (
        "source sends an unselected stream",
        {"extra_stream": "payroll"},
        "system_error",
        "source {SRC} sent 1 record(s) for stream 'payroll', which the connection did not select; they were not "
        "forwarded.",
        {"users": 5, "orders": 3},
    ),
]


@pytest.mark.parametrize(
    ("case", "change", "failure_type", "error", "cursors"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_input_fails_the_run_clearly(
    plain: Any,
    store: StateStore,
    case: str,
    change: dict[str, Any],
    failure_type: str,
    error: str,
    cursors: dict[str, int],
) -> None:
    change = dict(change)
    if change.pop("literal_key", False):
        change["source"] = {
            "connector": str(plain.source_path),
            "config": {"api_key": "sk-literal-123456", "streams": {"users": 5}},
        }

    result = plain.run(**change)

    expected = error.replace(SRC, str(plain.source_path)).replace(DST, str(plain.destination_path))
    assert (result.status, result.failure_type, result.error) == ("failed", failure_type, expected)
    assert plain.cursors() == cursors
    detail = store.run(result.run_id)
    assert detail is not None
    assert (detail["status"], detail["failure_type"], detail["error"]) == ("failed", failure_type, expected)
    assert detail["errors"][0]["message"] == expected
    assert "sk-l" not in repr(detail)


def test_a_failed_run_is_resumed_by_the_next_one(plain: Any) -> None:
    failed = plain.run(crash_after=3)
    assert failed.status == "failed"

    resumed = plain.run()

    assert resumed.status == "succeeded"
    assert resumed.streams["users"]["records_read"] == 3  # 3, 4, 5: after the committed cursor 2
    assert plain.cursors() == {"users": 5, "orders": 3}
    assert sorted(set(plain.written())) == sorted(
        {("users", n) for n in range(1, 6)} | {("orders", n) for n in range(1, 4)}
    )
