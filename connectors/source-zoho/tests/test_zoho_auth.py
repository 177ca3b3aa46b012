"""Zoho OAuth over real HTTP, asserted through the sandbox's request log: the exact token request, the
``Zoho-oauthtoken`` header, caching and early renewal, renewal on the 401s a new token cures (and only those),
one refresh for parallel requests, and back-off when the accounts server throttles refreshes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest
from source_zoho.auth import ZohoAuth
from source_zoho.sandbox import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, ZohoSandbox
from staffwire.http import HttpClient, RetryPolicy
from staffwire.secrets import SecretMasker

TOKEN_PATH = r"^/oauth/v2/token$"
MODULES = "/recruit/v2/settings/modules"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def masker() -> SecretMasker:
    return SecretMasker()


@pytest.fixture
def auth(sandbox: ZohoSandbox, clock: Clock) -> ZohoAuth:
    return ZohoAuth(
        accounts_url=sandbox.url,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        refresh_token=REFRESH_TOKEN,
        data_center="us",
        clock=clock,
    )


@pytest.fixture
def client(sandbox: ZohoSandbox, auth: ZohoAuth, masker: SecretMasker) -> Iterator[HttpClient]:
    """The HTTP client the connector builds, with the Zoho auth on a fake clock."""
    retry = RetryPolicy(base_delay=0.001, jitter=0.0)
    with HttpClient(
        sandbox.url + "/recruit/v2", system="Zoho Recruit", auth=auth, masker=masker, retry=retry, pool_size=6
    ) as c:
        yield c


def modules(client: HttpClient) -> None:
    client.get_json("/settings/modules")


# ------------------------------------------------------------------------------------ the token and its header
def test_the_token_request_is_exactly_the_refresh_grant_as_a_form(
    sandbox: ZohoSandbox, client: HttpClient
) -> None:
    modules(client)
    [token_call] = sandbox.requests_to(TOKEN_PATH)
    assert (token_call.method, token_call.query) == ("POST", {})
    assert token_call.headers["content-type"] == "application/x-www-form-urlencoded"
    assert parse_qs(token_call.body.decode()) == {
        "grant_type": ["refresh_token"],
        "client_id": [CLIENT_ID],
        "client_secret": [CLIENT_SECRET],
        "refresh_token": [REFRESH_TOKEN],
    }


def test_api_calls_carry_the_token_in_a_zoho_oauthtoken_header(
    sandbox: ZohoSandbox, client: HttpClient, auth: ZohoAuth
) -> None:
    modules(client)
    [call] = sandbox.requests_to(MODULES)
    assert auth.access_token is not None and auth.access_token.startswith("1000.us-")
    assert (call.status, call.headers["authorization"]) == (200, f"Zoho-oauthtoken {auth.access_token}")


def test_every_token_obtained_is_masked(client: HttpClient, auth: ZohoAuth, masker: SecretMasker) -> None:
    modules(client)
    assert masker.mask(f"{auth.access_token} {CLIENT_SECRET} {REFRESH_TOKEN}") == "**** **** ****"


# ------------------------------------------------------------------------------------------ caching, expiry
def test_one_access_token_serves_a_whole_run(sandbox: ZohoSandbox, zoho: Any) -> None:
    zoho.read(zoho.make_config(sandbox), ["zoho_Candidates", "zoho_Clients", "candidates"])
    # one token for discover, one for read: each run is a new process in production
    assert len(sandbox.requests_to(TOKEN_PATH)) == 2
    # the only 401 is the module whose metadata Zoho refuses (a scope answer, which renews nothing)
    assert [(r.path, r.arg("module")) for r in sandbox.log if r.status == 401] == [
        ("/recruit/v2/settings/fields", "Offers")
    ]


def test_the_token_is_renewed_five_minutes_before_it_expires(
    sandbox: ZohoSandbox, client: HttpClient, clock: Clock
) -> None:
    modules(client)  # the sandbox's tokens live 3600 s
    clock.now += 3600 - 300 - 1
    modules(client)
    clock.now += 1
    modules(client)
    assert [(r.method, r.path, r.status) for r in sandbox.log] == [
        ("POST", "/oauth/v2/token", 200),
        ("GET", MODULES, 200),
        ("GET", MODULES, 200),
        ("POST", "/oauth/v2/token", 200),
        ("GET", MODULES, 200),
    ]
    first, second, renewed = (r.headers["authorization"] for r in sandbox.requests_to(MODULES))
    assert first == second != renewed


def test_a_token_shorter_lived_than_the_margin_is_renewed_half_way_not_before_every_call(
    sandbox: ZohoSandbox, client: HttpClient, clock: Clock
) -> None:
    sandbox.token_ttl = 20  # expires_in 20 s: below the 300 s early-renewal margin
    modules(client)
    clock.now += 9.9
    modules(client)
    clock.now += 0.1
    modules(client)
    assert [r.path for r in sandbox.log] == ["/oauth/v2/token", MODULES, MODULES, "/oauth/v2/token", MODULES]
    assert [r.status for r in sandbox.log] == [200] * 5  # renewed before use: no 401 on the way


def test_token_that_expires_after_uses_is_renewed_on_invalid_token(zoho: Any) -> None:
    with ZohoSandbox(recruit_sizes={"Candidates": 12}, token_max_uses=3) as sb:
        sb.store("recruit", "Offers").seed.metadata_status = 200  # every 401 below is then a spent token
        config = zoho.make_config(sb, page_size=2)
        result = zoho.read(config, ["zoho_Candidates"], mode="full_refresh")
        assert sorted(zoho.ids(result, "zoho_Candidates")) == sorted(sb.ids("recruit", "Candidates"))
        rejected = [r for r in sb.log if r.status == 401]
        assert len(rejected) >= 3, "the token must have run out several times"
        assert len(sb.requests_to(TOKEN_PATH)) == len(rejected) + 2  # + the first of each run
        for bad in rejected:  # every refused call was sent again, with the new token, and succeeded
            later = [r for r in sb.log if r.at > bad.at and r.path == bad.path and r.query == bad.query]
            assert later and later[0].status in (200, 204)
            assert later[0].headers["authorization"] != bad.headers["authorization"]


# -------------------------------------------------------------------------------------- which 401s renew
@pytest.mark.parametrize("code", ["INVALID_TOKEN", "AUTHENTICATION_FAILURE", "INVALID_OAUTHTOKEN"])
def test_a_401_that_a_new_token_cures_renews_it_and_sends_the_call_again(
    sandbox: ZohoSandbox, client: HttpClient, code: str
) -> None:
    sandbox.faults.server_error(MODULES, status=401, body={"code": code, "status": "error"}, times=1)
    modules(client)
    assert [(r.path, r.status) for r in sandbox.log] == [
        ("/oauth/v2/token", 200),
        (MODULES, 401),
        ("/oauth/v2/token", 200),
        (MODULES, 200),
    ]
    refused, resent = (r.headers["authorization"] for r in sandbox.requests_to(MODULES))
    assert refused != resent


def test_a_missing_scope_renews_nothing_and_fails_naming_the_scope(sandbox: ZohoSandbox, zoho: Any) -> None:
    sandbox.add_refresh_token("1000.refresh.no.settings", ["ZohoRecruit.modules.all"])
    result = zoho.run("check", zoho.make_config(sandbox, refresh_token="1000.refresh.no.settings"))
    assert [(r.path, r.status) for r in sandbox.log] == [("/oauth/v2/token", 200), (MODULES, 401)]
    assert result.connection_status == {
        "status": "FAILED",
        "message": f"Zoho Recruit ({sandbox.url}) answered OAUTH_SCOPE_MISMATCH to GET {MODULES}: the refresh "
        "token lacks the scope ZohoRecruit.settings.all. Generate a new refresh token with that scope (see the "
        "connector README) and update refresh_token.",
    }


def test_parallel_calls_refused_together_cause_exactly_one_refresh(
    sandbox: ZohoSandbox, client: HttpClient, auth: ZohoAuth
) -> None:
    modules(client)
    sandbox.expire_tokens()  # every call below is refused once with INVALID_TOKEN
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def call() -> None:
        barrier.wait()
        try:
            modules(client)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=call) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(sandbox.requests_to(TOKEN_PATH)) == 2  # the first token, then one renewal for all six
    assert auth.renewals == 2
    statuses = [r.status for r in sandbox.requests_to(MODULES)]
    # Every call ends in a 200; how many were refused before the single renewal depends on thread timing
    # (on a loaded machine a late thread may only start after the renewal), but never more than one each.
    assert statuses.count(200) == 7
    assert 1 <= statuses.count(401) <= 6
    assert len(statuses) == 7 + statuses.count(401)


# -------------------------------------------------------------------------------- token endpoint throttling
def test_throttled_refresh_is_backed_off_and_retried(sandbox: ZohoSandbox, zoho: Any) -> None:
    sandbox.throttle_token_endpoint(times=2)
    result = zoho.run("check", zoho.make_config(sandbox))
    assert result.connection_status == {"status": "SUCCEEDED"}
    assert [r.status for r in sandbox.requests_to(TOKEN_PATH)] == [400, 400, 200]


def test_the_backoff_doubles_from_the_configured_delay(sandbox: ZohoSandbox) -> None:
    waits: list[float] = []
    auth = ZohoAuth(
        accounts_url=sandbox.url,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        refresh_token=REFRESH_TOKEN,
        data_center="us",
        throttle=RetryPolicy(max_attempts=4, base_delay=2.0, jitter=0.0, sleep=waits.append),
    )
    sandbox.throttle_token_endpoint(times=3)
    HttpClient(sandbox.url + "/recruit/v2", auth=auth).get_json("/settings/modules")
    assert waits == [2.0, 4.0, 8.0]
    assert [r.status for r in sandbox.requests_to(TOKEN_PATH)] == [400, 400, 400, 200]


def test_refresh_throttled_beyond_the_retries_is_a_transient_failure(sandbox: ZohoSandbox, zoho: Any) -> None:
    sandbox.throttle_token_endpoint(times=10)
    result = zoho.run("check", zoho.make_config(sandbox))
    assert result.connection_status == {
        "status": "FAILED",
        "message": f"Zoho accounts server 127.0.0.1:{sandbox.port} refused to issue an access token: too many "
        "token requests in a short time (POST /oauth/v2/token, 4 attempts). Wait a few minutes and run again; "
        "do not run many syncs with the same refresh token at once.",
    }
    assert len(sandbox.requests_to(TOKEN_PATH)) == 4


def test_sandbox_refresh_limit_is_enforced_and_recovered_from(zoho: Any) -> None:
    # one refresh per 0.3 s; the refused refresh is retried after 0.08, 0.16 and 0.32 s, so the last attempt is
    # past the window however quickly the second run starts (and a slow machine has 0.3 s to start it)
    with ZohoSandbox(refresh_limit=1, refresh_window=0.3) as sb:
        config = zoho.make_config(sb, retry_base_delay=0.02)
        zoho.run("check", config)
        result = zoho.run("check", config)  # the second refresh inside the window is refused, then allowed
        assert result.connection_status == {"status": "SUCCEEDED"}
        statuses = [r.status for r in sb.requests_to(TOKEN_PATH)]
        assert statuses[:2] == [200, 400] and statuses[-1] == 200 and set(statuses[2:-1]) <= {400}


# ------------------------------------------------------------------------------- other token endpoint answers
@pytest.mark.parametrize(
    ("status", "body", "attempts", "expected"),
    [
        (
            200,
            {"error": "invalid_request"},
            1,
            "Zoho accounts server 127.0.0.1:{port} refused the refresh token while refreshing the access token "
            "(invalid_request). The refresh token, client ID or client secret is invalid, revoked or for another "
            "data center: re-authorise the connection.",
        ),
        (
            502,
            {"error": "bad gateway"},
            6,  # a server error is retried by the client's policy first
            "Zoho accounts server 127.0.0.1:{port} failed with a server error for POST /oauth/v2/token "
            '(refreshing the access token) (HTTP 502): "bad gateway". The API is failing: this is usually '
            "temporary, try again later.",
        ),
    ],
    ids=["unknown-error-in-200", "server-error"],
)
def test_other_token_endpoint_failures_name_the_accounts_server(
    sandbox: ZohoSandbox, zoho: Any, status: int, body: dict[str, Any], attempts: int, expected: str
) -> None:
    sandbox.faults.server_error("/oauth/v2/token", status=status, body=body, times=None)
    result = zoho.run("check", zoho.make_config(sandbox))
    assert result.connection_status == {"status": "FAILED", "message": expected.format(port=sandbox.port)}
    assert [r.path for r in sandbox.log] == ["/oauth/v2/token"] * attempts
