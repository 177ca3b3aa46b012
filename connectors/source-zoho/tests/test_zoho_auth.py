"""Zoho OAuth through the real connector: the access token is cached, renewed on 401 INVALID_TOKEN (by time
or after N uses), token-endpoint throttling ("too many requests continuously") is backed off."""

from __future__ import annotations

import contextlib
from typing import Any

import requests
from source_zoho.auth import ZohoAuth
from source_zoho.sandbox import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, ZohoSandbox


def test_one_access_token_serves_a_whole_run(sandbox: ZohoSandbox, zoho: Any) -> None:
    zoho.read(zoho.make_config(sandbox), ["Candidates", "Clients", "candidates"])
    # one token for discover, one for read: each run is a new process in production
    assert len(sandbox.requests_to(r"^/oauth/v2/token$")) == 2
    # the only 401 is the module whose metadata Zoho refuses (a scope answer, which renews nothing)
    assert [(r.path, r.arg("module")) for r in sandbox.log if r.status == 401] == [
        ("/recruit/v2/settings/fields", "Offers")
    ]


def test_token_that_expires_after_uses_is_renewed_on_invalid_token(zoho: Any) -> None:
    with ZohoSandbox(recruit_sizes={"Candidates": 12}, token_max_uses=3) as sb:
        sb.store("recruit", "Offers").seed.metadata_status = 200  # every 401 below is then a spent token
        config = zoho.make_config(sb, page_size=2)
        result = zoho.read(config, ["Candidates"], mode="full_refresh")
        assert sorted(zoho.ids(result, "Candidates")) == sorted(sb.ids("recruit", "Candidates"))
        rejected = [r for r in sb.log if r.status == 401]
        assert len(rejected) >= 3, "the token must have run out several times"
        assert len(sb.requests_to(r"^/oauth/v2/token$")) == len(rejected) + 2  # + the first of each run
        for bad in rejected:  # every refused call was sent again, with the new token, and succeeded
            later = [r for r in sb.log if r.at > bad.at and r.path == bad.path and r.query == bad.query]
            assert later and later[0].status in (200, 204)
            assert later[0].headers["authorization"] != bad.headers["authorization"]


def test_token_expired_by_time_is_renewed_before_use_without_a_401(zoho: Any) -> None:
    # expires_in below the early-renewal margin: the connector renews when half of it has passed
    with ZohoSandbox(recruit_sizes={"Candidates": 3}, token_ttl=0.2) as sb:
        config = zoho.make_config(sb)
        zoho.run("check", config)
        sb.faults.slow(r"^/recruit/v2/settings/modules$", delay=0.25, times=1)
        result = zoho.run("check", config)
        assert result.connection_status == {"status": "SUCCEEDED"}


def test_throttled_refresh_is_backed_off_and_retried(sandbox: ZohoSandbox, zoho: Any) -> None:
    sandbox.throttle_token_endpoint(times=2)
    result = zoho.run("check", zoho.make_config(sandbox))
    assert result.connection_status == {"status": "SUCCEEDED"}
    assert [r.status for r in sandbox.requests_to(r"^/oauth/v2/token$")] == [400, 400, 200]


def test_refresh_throttled_beyond_the_retries_is_a_transient_failure(sandbox: ZohoSandbox, zoho: Any) -> None:
    sandbox.throttle_token_endpoint(times=10)
    result = zoho.run("check", zoho.make_config(sandbox))
    assert result.connection_status == {
        "status": "FAILED",
        "message": f"Zoho accounts server 127.0.0.1:{sandbox.port} refused to issue an access token: too many "
        "token requests in a short time (POST /oauth/v2/token, 4 attempts). Wait a few minutes and run again; "
        "do not run many syncs with the same refresh token at once.",
    }
    assert len(sandbox.requests_to(r"^/oauth/v2/token$")) == 4


def test_sandbox_refresh_limit_is_enforced_and_recovered_from(zoho: Any) -> None:
    with ZohoSandbox(refresh_limit=1, refresh_window=0.05) as sb:
        config = zoho.make_config(sb, retry_base_delay=0.02)
        zoho.run("check", config)
        result = zoho.run("check", config)  # the second refresh inside the window is refused, then allowed
        assert result.connection_status == {"status": "SUCCEEDED"}
        assert [r.status for r in sb.requests_to(r"^/oauth/v2/token$")][:2] == [200, 400]


def test_token_cache_renews_shortly_before_expiry(sandbox: ZohoSandbox) -> None:
    now = [1000.0]
    auth = ZohoAuth(
        accounts_url=sandbox.url,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        refresh_token=REFRESH_TOKEN,
        data_center="us",
        clock=lambda: now[0],
    )
    flow = auth._refresh()
    request = next(flow)
    assert request.url == f"{sandbox.url}/oauth/v2/token"
    assert request.body == (
        f"grant_type=refresh_token&client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}"
        f"&refresh_token={REFRESH_TOKEN}"
    )
    with requests.Session() as session, contextlib.suppress(StopIteration):
        flow.send(session.send(request))
    assert auth.access_token is not None and auth.access_token.startswith("1000.us-")
    assert auth.expires_at == 1000.0 + 3600 - 300  # sandbox expires_in 3600, renewed 5 minutes early
