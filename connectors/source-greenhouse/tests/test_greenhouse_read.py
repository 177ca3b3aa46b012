"""source-greenhouse reads the sandbox over real HTTP: raw streams, cursor paging, incremental reads, token
renewal, rate limits, and the standard streams (normalised values, record meta for what could not be)."""

from __future__ import annotations

import math
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

from source_greenhouse.api import GreenhouseApi
from source_greenhouse.config import GreenhouseConfig
from source_greenhouse.sandbox import GreenhouseSandbox
from source_greenhouse.standard import DEFAULT_STATUS_MAPS
from source_greenhouse.testing import last_states, make_config, read, run
from staffwire.http import RetryPolicy

NULLED = "NULLED"


def _by_id(records: list[dict[str, Any]]) -> dict[Any, dict[str, Any]]:
    return {r["id"]: r for r in records}


def test_raw_streams_hold_every_record_as_greenhouse_returns_it(sandbox: GreenhouseSandbox) -> None:
    config = make_config(sandbox)
    streams = [
        "harvest_candidates",
        "harvest_applications",
        "harvest_offers",
        "harvest_users",
        "harvest_jobs",
    ]
    result = read(sandbox, config, streams, mode="full_refresh")
    assert result.exit_code == 0
    for stream in streams[:-1]:
        resource = stream.removeprefix("harvest_")
        assert [r["id"] for r in result.records(stream)] == sandbox.ids(resource)
        assert result.records(stream)[0] == sandbox.tables[resource][sandbox.ids(resource)[0]]
    jobs = _by_id(result.records("harvest_jobs"))
    assert sorted(jobs) == sandbox.ids("jobs")
    for job_id, job in jobs.items():  # each job with its openings, from /v3/openings?job_ids=
        expected = [o for _, o in sorted(sandbox.tables["openings"].items()) if o["job_id"] == job_id]
        assert job["openings"] == expected
    assert [len(jobs[4001]["openings"]), jobs[4001]["openings"][1]["opening_id"]] == [3, None]


def test_pages_follow_the_link_header_and_send_the_cursor_alone(sandbox: GreenhouseSandbox) -> None:
    config = make_config(sandbox, page_size=5, start_date="2020-01-01T00:00:00Z")
    sandbox.clear_log()
    result = read(sandbox, config, ["harvest_candidates"])
    assert len(result.records("harvest_candidates")) == 24
    calls = sandbox.requests_to(r"^/v3/candidates$", "GET")
    assert len(calls) == math.ceil(24 / 5)
    assert calls[0].query == {"per_page": ["5"], "updated_at": ["gte|2020-01-01T00:00:00Z"]}
    assert all(list(c.query) == ["cursor"] for c in calls[1:])


def test_an_incremental_read_asks_for_changes_since_the_saved_cursor(sandbox: GreenhouseSandbox) -> None:
    config = make_config(sandbox)
    first = read(sandbox, config, ["harvest_candidates", "candidates"])
    assert len(first.records("harvest_candidates")) == len(first.records("candidates")) == 24
    changed = sandbox.tables["candidates"][50007]
    changed.update(title="Charge Nurse", updated_at=sandbox.now())
    sandbox.clear_log()
    second = read(sandbox, config, ["harvest_candidates", "candidates"], state=last_states(first))
    assert [r["id"] for r in second.records("harvest_candidates")] == [50007]
    assert [r["id"] for r in second.records("candidates")] == ["greenhouse:50007"]
    query = sandbox.requests_to(r"^/v3/candidates$", "GET")[0].query
    saved = first.stream_states("harvest_candidates")[-1]["updated_at"]
    assert query["updated_at"] == [f"gte|{saved}"]


def test_an_expired_token_is_renewed_and_the_read_goes_on(sandbox: GreenhouseSandbox) -> None:
    sandbox.tokens.expire_after(uses=3)
    result = read(sandbox, make_config(sandbox, page_size=5), ["harvest_candidates"], mode="full_refresh")
    assert len(result.records("harvest_candidates")) == 24
    statuses = [r.status for r in sandbox.requests_to(r"^/v3/candidates$")]
    assert statuses.count(401) >= 1 and statuses[-1] == 200
    assert len(sandbox.requests_to("^/token$", "POST")) == 1 + statuses.count(401)  # one token, then renewals


def test_a_429_is_retried_after_its_retry_after(sandbox: GreenhouseSandbox) -> None:
    sandbox.faults.rate_limit(r"^/v3/applications$", times=2, retry_after="0")
    result = read(sandbox, make_config(sandbox), ["harvest_applications"], mode="full_refresh")
    assert [r["id"] for r in result.records("harvest_applications")] == sandbox.ids("applications")
    assert [r.status for r in sandbox.requests_to(r"^/v3/applications$")] == [429, 429, 200]


def test_over_the_limit_the_connector_waits_for_the_reset_and_goes_on() -> None:
    with GreenhouseSandbox(candidates=6, rate_limit=2, window=3.0) as sandbox:
        started = time.monotonic()
        result = read(sandbox, make_config(sandbox, page_size=2), ["harvest_candidates"], mode="full_refresh")
        elapsed = time.monotonic() - started
        assert [r["id"] for r in result.records("harvest_candidates")] == sandbox.ids("candidates")
        calls = sandbox.requests_to(r"^/v3/candidates$")
    assert [c.status for c in calls] == [200, 200, 429, 200]
    assert list(calls[3].query) == ["cursor"]  # the refused page is asked again, the same way
    assert elapsed >= 0.9  # its Retry-After (at least 1 s) was honoured


def test_a_429_the_client_retries_holds_the_retry_until_greenhouses_reset() -> None:
    # the pacer sees every answer (the client's on_response hook), so the 429 the client retries still tells it
    # X-RateLimit-Reset: with the client's own Retry-After wait recorded instead of slept, only the pacer's wait
    # keeps the retry from spending another request inside the same window
    with GreenhouseSandbox(candidates=6, rate_limit=2, window=1.0) as sandbox:
        config = GreenhouseConfig.model_validate(make_config(sandbox))
        retry_waits: list[float] = []
        api = GreenhouseApi(config, retry=RetryPolicy(sleep=retry_waits.append))
        try:
            pages = [api.get("/candidates", per_page=1) for _ in range(3)]
        finally:
            api.close()
        calls = sandbox.requests_to(r"^/v3/candidates$")
    assert [c.status for c in calls] == [200, 200, 429, 200]
    assert [[row["id"] for row in page] for page in pages] == [[sandbox.ids("candidates")[0]]] * 3
    assert len(retry_waits) == 1
    assert api.pacer.waited > 0


def test_standard_candidates_are_normalised_and_say_which_values_were_nulled(
    sandbox: GreenhouseSandbox,
) -> None:
    result = read(sandbox, make_config(sandbox), ["candidates"], mode="full_refresh")
    messages = {m["data"]["id"]: m for m in result.record_messages("candidates")}
    assert len(messages) == 24
    messy = messages["greenhouse:50004"]["data"]  # '  JESSICA.Harris@Mail.Example ' as typed
    assert messy["email"] == "jessica.harris@mail.example"
    junk = messages["greenhouse:50004"]  # mobile "call after 5pm"
    assert sandbox.tables["candidates"][50004]["phone_numbers"] == [
        {"value": "call after 5pm", "type": "mobile"}
    ]
    assert (junk["data"]["mobile"], junk["meta"]) == (
        None,
        {"changes": [{"field": "mobile", "change": NULLED, "reason": "SOURCE_SERIALIZATION_ERROR"}]},
    )
    ext = messages["greenhouse:50002"]["data"]  # "415.555.0199 ext. 42", a mobile
    assert ext["mobile"] == "+14155550199;ext=42"  # extensions are kept (E.164 plus ;ext=)
    first = messages["greenhouse:50001"]["data"]
    raw = sandbox.tables["candidates"][50001]
    assert first["owner"] == {"id": f"greenhouse:{raw['recruiter']['id']}", "name": raw["recruiter"]["name"]}
    assert first["custom_fields"]["desired_rate"] == raw["custom_fields"]["desired_rate"]
    nulled = [m for m in messages.values() if m.get("meta")]
    assert all(m["data"]["id"] for m in nulled) and len(nulled) >= 4  # kept, never rejected
    assert not result.log_messages("WARN")
    per_field: dict[str, int] = {}
    for message in nulled:
        for change in message["meta"]["changes"]:
            per_field[change["field"]] = per_field.get(change["field"], 0) + 1
    ranked = sorted(per_field.items(), key=lambda kv: (-kv[1], kv[0]))
    counts = ", ".join(f"{field} NULLED (SOURCE_SERIALIZATION_ERROR) {n}" for field, n in ranked)
    assert f"stream 'candidates': 24 records read; record meta changes: {counts}" in result.log_messages(
        "INFO"
    )


def test_submissions_carry_the_stage_normalised_and_the_greenhouse_word(sandbox: GreenhouseSandbox) -> None:
    config = make_config(sandbox, status_maps={"submissions": {"Reference Check": "interview"}})
    result = read(sandbox, config, ["submissions"], mode="full_refresh")
    subs = _by_id(result.records("submissions"))
    assert sorted(subs) == sorted(f"greenhouse:{i}" for i in sandbox.ids("applications"))
    for app_id, app in sandbox.tables["applications"].items():
        sub = subs[f"greenhouse:{app_id}"]
        word = app["status"] if app["status"] != "active" else app["current_stage"]["name"]
        assert sub["original_status"] == word
        assert (sub["candidate_id"], sub["job_id"]) == (
            f"greenhouse:{app['candidate_id']}",
            f"greenhouse:{app['job_id']}",
        )
    stages = {s["original_status"]: s["stage"] for s in subs.values()}
    words = {
        **DEFAULT_STATUS_MAPS["submissions"],
        "Reference Check": "interview",
    }  # the connection's word wins
    assert stages == {word: words[word] for word in stages}
    assert {"Reference Check", "hired", "rejected"} <= set(stages)
    assert (stages["Reference Check"], stages["hired"], stages["rejected"]) == (
        "interview",
        "placed",
        "rejected",
    )


def test_placements_are_hired_applications_with_the_accepted_offer(sandbox: GreenhouseSandbox) -> None:
    result = read(
        sandbox, make_config(sandbox, client_ref="bullhorn:42"), ["placements"], mode="full_refresh"
    )
    messages = {m["data"]["id"]: m for m in result.record_messages("placements")}
    hired = [i for i, a in sandbox.tables["applications"].items() if a["status"] == "hired"]
    assert sorted(messages) == sorted(f"greenhouse:{i}" for i in hired)
    offers = {o["application_id"]: o for o in sandbox.tables["offers"].values() if o["status"] == "accepted"}
    for app_id in hired:
        message = messages[f"greenhouse:{app_id}"]
        placement, offer = message["data"], offers[app_id]
        assert placement["start_date"] == offer["start_on"]
        assert placement["client_id"] == "bullhorn:42"
        assert (placement["status"], placement["original_status"]) == ("approved", "accepted")
        assert placement["pay_unit"] == "hour" and placement["currency"] == "USD"
        pay = offer["custom_fields"]["pay_rate"]
        expected = {
            "$45.00/hr": None,
            "52.5": 52.5,
            "$1,234.50": 1234.5,
            "TBD": None,
            "": None,
            "60/hour": None,
            "48.00": 48,
        }
        assert placement["pay_rate"] == expected[pay], pay
        changed = {c["field"] for c in (message.get("meta") or {}).get("changes", [])}
        assert ("pay_rate" in changed) == (expected[pay] is None and pay != "")  # empty is null, not messy


def test_interviews_name_the_candidate_and_job_of_their_application(sandbox: GreenhouseSandbox) -> None:
    result = read(sandbox, make_config(sandbox), ["interviews"], mode="full_refresh")
    interviews = _by_id(result.records("interviews"))
    assert sorted(interviews) == sorted(f"greenhouse:{i}" for i in sandbox.ids("scheduled_interviews"))
    for iid, row in sandbox.tables["scheduled_interviews"].items():
        app = sandbox.tables["applications"][row["application_id"]]
        got = interviews[f"greenhouse:{iid}"]
        assert (got["candidate_id"], got["job_id"], got["submission_id"]) == (
            f"greenhouse:{app['candidate_id']}",
            f"greenhouse:{app['job_id']}",
            f"greenhouse:{app['id']}",
        )
        assert got["start_at"] == row["start_at"].replace(".000Z", "Z")
        assert got["status"] == {"scheduled": "scheduled", "complete": "completed"}[row["status"]]


def test_standard_jobs_count_open_openings_and_name_the_responsible_recruiter(
    sandbox: GreenhouseSandbox,
) -> None:
    result = read(sandbox, make_config(sandbox), ["jobs"], mode="full_refresh")
    jobs = _by_id(result.records("jobs"))
    icu = jobs["greenhouse:4001"]
    assert (icu["title"], icu["status"], icu["openings"], icu["employment_type"]) == (
        "Travel ICU Registered Nurse",
        "open",
        sum(1 for o in sandbox.tables["openings"].values() if o["job_id"] == 4001 and o["status"] == "open"),
        "contract",
    )
    assert icu["owner"]["name"] == sandbox.tables["jobs"][4001]["hiring_team"]["recruiters"][0]["name"]
    assert jobs["greenhouse:4006"]["employment_type"] == "contract"  # a multi-select: its first value
    assert (jobs["greenhouse:4012"]["status"], jobs["greenhouse:4005"]["status"]) == ("closed", "draft")


def test_every_request_carries_the_bearer_token_and_acts_as_the_configured_user(
    sandbox: GreenhouseSandbox,
) -> None:
    read(sandbox, make_config(sandbox, user_id=1003), ["harvest_departments"], mode="full_refresh")
    token_call = sandbox.requests_to("^/token$", "POST")[-1]
    assert parse_qs(token_call.body.decode()) == {"grant_type": ["client_credentials"], "sub": ["1003"]}
    api = sandbox.requests_to(r"^/v3/departments$")[-1]
    assert api.headers["authorization"].startswith("Bearer ghv3-")
    assert urlsplit(sandbox.api_url).path == "/v3"


NORTHWIND_RULES = {
    "rule_sets": {
        "northwind": {
            "rules": [
                {
                    "rule": "required",
                    "field": "bill_rate",
                    "message": "Northwind requisitions need a bill rate",
                },
                {"rule": "allowed", "field": "employment_type", "values": ["contract", "contract_to_hire"]},
            ]
        }
    },
    "streams": {"jobs": "northwind"},
}


def test_a_clients_rule_set_rejects_the_requisitions_that_break_it_and_passes_the_rest(
    sandbox: GreenhouseSandbox,
) -> None:
    config = make_config(sandbox, client_ref="bullhorn:42", rules=NORTHWIND_RULES)
    result = read(sandbox, config, ["jobs"], mode="full_refresh")
    assert result.exit_code == 0
    assert sorted(r["remote_id"] for r in result.records("jobs")) == ["4002", "4003", "4012"]
    assert all(r["client_id"] == "bullhorn:42" for r in result.records("jobs"))
    assert result.log_messages("WARN") == [
        "stream 'jobs': record greenhouse:4001 rejected: Northwind requisitions need a bill rate",
        "stream 'jobs': record greenhouse:4004 rejected: Northwind requisitions need a bill rate; employment_type "
        "'temporary' is not allowed; allowed: contract, contract_to_hire",
        "stream 'jobs': record greenhouse:4005 rejected: Northwind requisitions need a bill rate; employment_type "
        "'permanent' is not allowed; allowed: contract, contract_to_hire",
        "stream 'jobs': record greenhouse:4006 rejected: Northwind requisitions need a bill rate",
        "stream 'jobs': record greenhouse:4013 rejected: Northwind requisitions need a bill rate",
    ]


def test_a_rule_set_that_does_not_compile_fails_check_naming_its_path(sandbox: GreenhouseSandbox) -> None:
    rules = {
        "rule_sets": {"northwind": {"rules": [{"rule": "requird", "field": "bill_rate"}]}},
        "streams": {"jobs": "northwind"},
    }
    status = run(sandbox, "check", make_config(sandbox, rules=rules)).connection_status or {}
    assert status.get("status") == "FAILED"
    assert "rules.streams.jobs: rules.rule_sets.northwind.rules[0]" in status["message"]
