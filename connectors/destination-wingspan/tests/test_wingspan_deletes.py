"""Deletes reach Wingspan: a deleted candidate's contractor is set Inactive exactly once (both contractor modes,
reruns, faults); deleted placements and payables create nothing unless a mapping's ``when`` asks for it."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from destination_wingspan.config import WingspanConfig
from destination_wingspan.examples import PLACEMENTS_TO_PAYABLES
from destination_wingspan.mapping import compile_config
from destination_wingspan.sandbox import WingspanSandbox
from destination_wingspan.testing import (
    candidate,
    fast_config,
    payable,
    placement,
    record,
    state,
    stats,
    write,
)

DELETED = "2026-11-20T10:00:00Z"
MODES = ["bulk", "payee"]
STATUS_PATCH = r"^/payments/(collaborator|payee)/[^/]+$"


def deleted(n: int, **extra: Any) -> dict[str, Any]:
    """Candidate n, still `placed`, soft-deleted in the source."""
    return candidate(n, remote_deleted_at=DELETED, **extra)


def statuses(sandbox: WingspanSandbox) -> dict[str, str]:
    return {c["externalId"]: c["status"] for c in sandbox.contractors()}


def patches(sandbox: WingspanSandbox) -> list[tuple[str, bytes]]:
    """(path, body) of every PATCH to a contractor (label updates and status changes), in order."""
    return [(r.path, r.body) for r in sandbox.requests_to(STATUS_PATCH, "PATCH")]


def inactive_patch(sandbox: WingspanSandbox, external_id: str, mode: str) -> tuple[str, bytes]:
    """The one request that sets this contractor Inactive, as each mode sends it."""
    [c] = [c for c in sandbox.contractors() if c["externalId"] == external_id]
    if mode == "payee":
        return (f"/payments/payee/{c['payeeId']}", b'{"payerOwnedData":{"status":"Inactive"}}')
    return (f"/payments/collaborator/{c['collaboratorId']}", b'{"status":"Inactive"}')


def load(sandbox: WingspanSandbox, config: dict[str, Any], *ns: int) -> None:
    """A first run making candidates ``ns`` (placed) contractors."""
    result = write(config, [record("candidates", candidate(n)) for n in ns] + [state("candidates", 0)])
    assert stats(result) == [("candidates", len(ns), 0)]
    sandbox.clear_log()


@pytest.mark.parametrize("mode", MODES)
def test_a_deleted_candidate_who_is_a_contractor_is_set_inactive_once_and_reruns_write_nothing(
    sandbox: WingspanSandbox, mode: str
) -> None:
    config = fast_config(sandbox, contractor_mode=mode)
    load(sandbox, config, 1, 2, 3)
    messages = [
        record("candidates", deleted(1)),
        record("candidates", deleted(4)),  # never a contractor
        record("candidates", candidate(2, status="inactive")),  # no longer placed: left Active by default
        state("candidates", 1),
    ]

    result = write(config, messages)

    assert result.exit_code == 0, result.trace_errors
    assert stats(result) == [("candidates", 3, 0)]
    assert statuses(sandbox) == {"bullhorn:1": "Inactive", "bullhorn:2": "Active", "bullhorn:3": "Active"}
    assert patches(sandbox) == [inactive_patch(sandbox, "bullhorn:1", mode)]
    assert sandbox.requests_to(r"/payments/(payee|bulk/collaborator/batch)$", "POST") == []
    info = result.log_messages("INFO")
    assert (
        f"candidate bullhorn:4 was deleted in the source (remote_deleted_at {DELETED}); it never became a Wingspan "
        "contractor, so there is nothing to deactivate"
    ) in info
    [c1] = [c for c in sandbox.contractors() if c["externalId"] == "bullhorn:1"]
    assert (
        f"Wingspan contractor {c1['collaboratorId']} (ada.worker1@example.com) set Inactive: candidate bullhorn:1 "
        f"was deleted in the source (remote_deleted_at {DELETED})"
    ) in info
    sandbox.clear_log()

    again = write(config, messages)

    assert stats(again) == [("candidates", 3, 0)]
    assert statuses(sandbox) == {"bullhorn:1": "Inactive", "bullhorn:2": "Active", "bullhorn:3": "Active"}
    assert [r for r in sandbox.log if r.method != "GET"] == []


@pytest.mark.parametrize("mode", MODES)
def test_deactivate_untriggered_sets_inactive_who_no_longer_matches_the_trigger(
    sandbox: WingspanSandbox, mode: str
) -> None:
    config = fast_config(sandbox, contractor_mode=mode, deactivate_untriggered=True)
    load(sandbox, config, 1, 2)
    messages = [
        record("candidates", candidate(1, status="inactive")),
        record("candidates", candidate(2)),  # still placed
        record("candidates", candidate(3, status="inactive")),  # never a contractor: nothing, not even a log
        state("candidates", 1),
    ]

    result = write(config, messages)

    assert stats(result) == [("candidates", 3, 0)]
    assert statuses(sandbox) == {"bullhorn:1": "Inactive", "bullhorn:2": "Active"}
    assert patches(sandbox) == [inactive_patch(sandbox, "bullhorn:1", mode)]
    assert not [m for m in result.log_messages("INFO") if "bullhorn:3" in m]
    sandbox.clear_log()

    write(config, messages)

    assert [r for r in sandbox.log if r.method != "GET"] == []


def test_a_deleted_duplicate_record_does_not_deactivate_the_contractor_of_the_same_email(
    sandbox: WingspanSandbox,
) -> None:
    config = fast_config(sandbox)
    load(sandbox, config, 1)
    messages = [  # a duplicate record of the same person: adopted by email, then deleted in the ATS
        record("candidates", candidate(9, email="ada.worker1@example.com")),
        state("candidates", 1),
        record("candidates", deleted(9, email="ada.worker1@example.com")),
        state("candidates", 2),
    ]

    result = write(config, messages)

    assert stats(result) == [("candidates", 1, 0), ("candidates", 1, 0)]
    assert statuses(sandbox) == {"bullhorn:1": "Active"}
    [c1] = sandbox.contractors()
    assert c1["labels"]["staffwire_id"] == "bullhorn:9"  # the adoption's label update
    assert [body for _, body in patches(sandbox)] == [b'{"labels":{"staffwire_id":"bullhorn:9"}}']
    assert (
        f"candidate bullhorn:9 was deleted in the source (remote_deleted_at {DELETED}); Wingspan contractor "
        f"{c1['collaboratorId']} (ada.worker1@example.com) has external id bullhorn:1, not this record's, so it "
        "is left as it is (set it Inactive in Wingspan if this person no longer works for you)"
    ) in result.log_messages("INFO")
    sandbox.clear_log()

    again = write(config, [record("candidates", deleted(9, email="ada.worker1@example.com")), state("c", 3)])

    assert stats(again) == [("c", 0, 0)]
    assert statuses(sandbox) == {"bullhorn:1": "Active"}
    assert (
        f"candidate bullhorn:9 was deleted in the source (remote_deleted_at {DELETED}); it never became a "
        "Wingspan contractor, so there is nothing to deactivate"
    ) in again.log_messages("INFO")


def test_the_last_record_of_a_candidate_in_a_commit_wins(sandbox: WingspanSandbox) -> None:
    config = fast_config(sandbox)
    load(sandbox, config, 1)
    messages = [
        record("candidates", deleted(1)),
        record("candidates", candidate(1)),  # restored before the commit: stays Active
        record("candidates", candidate(2)),
        record("candidates", deleted(2)),  # placed then deleted before the commit: never created
        state("candidates", 1),
    ]

    result = write(config, messages)

    assert stats(result) == [("candidates", 4, 0)]
    assert statuses(sandbox) == {"bullhorn:1": "Active"}
    assert sandbox.requests_to(r"/bulk/collaborator/batch", "POST") == []
    assert patches(sandbox) == []


def test_a_contractor_already_inactive_in_wingspan_gets_no_request(sandbox: WingspanSandbox) -> None:
    config = fast_config(sandbox)
    load(sandbox, config, 1)
    for c in sandbox.collaborators.values():
        c["status"] = "Inactive"  # set Inactive by hand in Wingspan

    result = write(config, [record("candidates", deleted(1)), state("candidates", 1)])

    assert stats(result) == [("candidates", 1, 0)]
    assert [r for r in sandbox.log if r.method != "GET"] == []


STATUS_FAULTS = [
    pytest.param(lambda f: f.rate_limit(STATUS_PATCH, times=2, method="PATCH"), id="429"),
    pytest.param(
        lambda f: f.rate_limit(STATUS_PATCH, times=2, method="PATCH", retry_after="0"), id="429-retry-after"
    ),
    pytest.param(lambda f: f.drop(STATUS_PATCH, applied=False, method="PATCH"), id="drop-before-applied"),
    pytest.param(lambda f: f.drop(STATUS_PATCH, applied=True, method="PATCH"), id="drop-after-applied"),
    pytest.param(lambda f: f.server_error(STATUS_PATCH, status=502, method="PATCH"), id="5xx"),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("inject", STATUS_FAULTS)
def test_the_deactivation_survives_a_fault_and_a_rerun_writes_nothing(
    sandbox: WingspanSandbox, mode: str, inject
) -> None:
    config = fast_config(sandbox, contractor_mode=mode)
    load(sandbox, config, 1, 2)
    inject(sandbox.faults)
    messages = [record("candidates", deleted(1)), state("candidates", 1)]

    result = write(config, messages)

    assert result.exit_code == 0, result.trace_errors
    assert stats(result) == [("candidates", 1, 0)]
    assert statuses(sandbox) == {"bullhorn:1": "Inactive", "bullhorn:2": "Active"}
    assert [f.fired for f in sandbox.faults._faults] in ([1], [2])
    expected = inactive_patch(sandbox, "bullhorn:1", mode)
    sent = patches(sandbox)
    assert set(sent) == {expected} and 2 <= len(sent) <= 3  # the faulty attempts, then one that was answered
    sandbox.clear_log()

    write(config, messages)

    assert [r for r in sandbox.log if r.method != "GET"] == []


def test_5xx_beyond_the_retries_during_a_deactivation_fails_transient_and_a_rerun_finishes_it(
    sandbox: WingspanSandbox,
) -> None:
    config = fast_config(sandbox, contractor_mode="payee")
    load(sandbox, config, 1, 2)
    sandbox.faults.server_error(STATUS_PATCH, status=503, times=None, method="PATCH")
    messages = [record("candidates", deleted(1)), state("candidates", 1)]

    failed = write(config, messages)

    assert failed.exit_code == 1
    assert stats(failed) == []  # the state is not echoed: the deactivation is not committed
    [error] = failed.trace_errors
    assert error["failure_type"] == "transient_error"
    [c1] = [c for c in sandbox.contractors() if c["externalId"] == "bullhorn:1"]
    assert error["message"].startswith(
        f"Stream candidates: Wingspan failed with a server error for PATCH /payments/payee/{c1['payeeId']}"
    )
    assert "(HTTP 503) after 4 attempts" in error["message"]
    assert statuses(sandbox) == {"bullhorn:1": "Active", "bullhorn:2": "Active"}
    sandbox.faults.clear()
    sandbox.clear_log()

    rerun = write(config, messages)

    assert stats(rerun) == [("candidates", 1, 0)]
    assert statuses(sandbox) == {"bullhorn:1": "Inactive", "bullhorn:2": "Active"}
    assert patches(sandbox) == [inactive_patch(sandbox, "bullhorn:1", "payee")]


def test_wingspan_refusing_the_deactivation_rejects_the_record_with_its_reason(
    sandbox: WingspanSandbox,
) -> None:
    config = fast_config(sandbox)
    load(sandbox, config, 1, 2)
    sandbox.faults.server_error(
        STATUS_PATCH, status=422, method="PATCH", body={"error": "Collaborator has payables in progress"}
    )

    result = write(config, [record("candidates", deleted(1)), state("candidates", 1)])

    assert result.exit_code == 0
    assert stats(result) == [("candidates", 1, 1)]
    [c1] = [c for c in sandbox.contractors() if c["externalId"] == "bullhorn:1"]
    assert c1["status"] == "Active"
    [rejection] = [m for m in result.log_messages() if "refused to set contractor" in m]
    assert rejection == (
        "destination-wingspan stream 'candidates': record bullhorn:1 rejected: Wingspan refused to set contractor "
        f"{c1['collaboratorId']} (ada.worker1@example.com) Inactive, although candidate bullhorn:1 was deleted in "
        f"the source (remote_deleted_at {DELETED}): Collaborator has payables in progress (HTTP 422). Set it "
        "Inactive in Wingspan."
    )


# ---------------------------------------------------------------------------------------------- placements


def test_a_deleted_placement_creates_no_payable_and_no_labels(sandbox: WingspanSandbox) -> None:
    config = fast_config(sandbox, stream_mappings=[copy.deepcopy(PLACEMENTS_TO_PAYABLES)])
    load(sandbox, config, 1, 2)
    messages = [
        record("placements", placement(500, 1, remote_deleted_at=DELETED)),
        record("placements", placement(501, 2)),
        state("placements", 1),
    ]

    result = write(config, messages, ("candidates", "placements"))

    assert stats(result) == [("placements", 2, 0)]
    assert [p["labels"]["staffwireReference"] for p in sandbox.payables()] == ["placement:bullhorn:501:week1"]
    labels = {c["externalId"]: c["labels"].get("placement_id") for c in sandbox.contractors()}
    assert labels == {"bullhorn:1": None, "bullhorn:2": "bullhorn:501"}
    assert (
        f"placements record bullhorn:500 was deleted in the source (remote_deleted_at {DELETED}): not written as "
        "placement labels, payables (stream_mappings); a stream_mappings entry whose `when` tests "
        "remote_deleted_at decides otherwise"
    ) in result.log_messages("INFO")

    write(config, messages, ("candidates", "placements"))

    assert len(sandbox.payables()) == 1


CANCELLATION_FEE = {
    "stream": "placements",
    "target": "payables",
    "when": {"all": [{"field": "remote_deleted_at", "exists": True}, {"field": "pay_unit", "in": ["hour"]}]},
    "fields": {
        "worker_id": "candidate_id",
        "amount": {"const": 100},
        "due_date": "start_date",
        "description": {"template": "Cancellation fee for placement {id}"},
        "reference": {"template": "placement:{id}:cancelled"},
    },
}


def test_a_mapping_whose_when_tests_remote_deleted_at_writes_deleted_placements(
    sandbox: WingspanSandbox,
) -> None:
    mappings = [copy.deepcopy(PLACEMENTS_TO_PAYABLES), CANCELLATION_FEE]
    config = fast_config(sandbox, stream_mappings=mappings)
    load(sandbox, config, 1, 2)

    result = write(
        config,
        [
            record("placements", placement(500, 1, remote_deleted_at=DELETED)),
            record("placements", placement(501, 2)),
            state("placements", 1),
        ],
        ("candidates", "placements"),
    )

    assert stats(result) == [("placements", 2, 0)]
    assert sorted((p["labels"]["staffwireReference"], p["amount"]) for p in sandbox.payables()) == [
        ("placement:bullhorn:500:cancelled", 100.0),
        ("placement:bullhorn:501:week1", 1700.0),
    ]


def test_a_deleted_standard_payable_is_not_created(sandbox: WingspanSandbox) -> None:
    config = fast_config(sandbox)
    load(sandbox, config, 1)

    result = write(
        config,
        [
            record("payables", payable("ts-1", 1, remote_deleted_at=DELETED)),
            record("payables", payable("ts-2", 1)),
            state("payables", 1),
        ],
    )

    assert stats(result) == [("payables", 2, 0)]
    assert [p["labels"]["staffwireReference"] for p in sandbox.payables()] == ["ts-2"]
    assert (
        f"payables record timesheets:ts-1 was deleted in the source (remote_deleted_at {DELETED}): not written "
        "as a payable; a stream_mappings entry whose `when` tests remote_deleted_at decides otherwise"
    ) in result.log_messages("INFO")


@pytest.mark.parametrize(
    ("when", "takes_deleted"),
    [
        (None, False),
        ({"field": "pay_unit", "in": ["hour"]}, False),
        ({"field": "remote_deleted_at", "exists": True}, True),
        ({"field": "remote_deleted_at", "exists": False}, True),  # the user decides, even to exclude them
        ({"not": {"field": "remote_deleted_at", "exists": True}}, True),
        (
            {
                "all": [
                    {"field": "pay_unit", "in": ["hour"]},
                    {"any": [{"field": "remote_deleted_at", "gt": "2026"}]},
                ]
            },
            True,
        ),
        ({"all": [{"field": "pay_unit", "equals": "remote_deleted_at"}]}, False),  # a value, not the field
    ],
)
def test_a_mapping_takes_deleted_records_only_when_its_when_tests_remote_deleted_at(
    when: dict[str, Any] | None, takes_deleted: bool
) -> None:
    mapping = {**copy.deepcopy(PLACEMENTS_TO_PAYABLES), "when": when}
    config = WingspanConfig.model_validate({"api_token": "t", "stream_mappings": [mapping]})

    [plan] = compile_config(config).streams["placements"]

    assert plan.handles_deleted is takes_deleted
