"""Access tokens outlive the process: a source emits its new token in a CONTROL config message, the runner stores
it, and the next run starts with it. Zoho issues only ten access tokens per refresh token per ten minutes (the
sandbox enforces it); ten syncs in a row spend one."""

from __future__ import annotations

from pathlib import Path

import yaml
from source_bullhorn.sandbox import BullhornSandbox
from source_zoho.sandbox import ZohoSandbox
from staffwire.runner import StateStore, load_connection, run_sync
from staffwire.runner.store import config_fingerprint

PLAIN_DESTINATION = Path(__file__).parent / "connectors" / "plain_destination.py"


def zoho_connection(tmp_path: Path, sandbox: ZohoSandbox) -> tuple[Path, dict[str, str]]:
    config = sandbox.demo_config(retry_base_delay=0)
    env = {"ZOHO_CLIENT_SECRET": config["client_secret"], "ZOHO_REFRESH_TOKEN": config["refresh_token"]}
    config.update(client_secret="${ZOHO_CLIENT_SECRET}", refresh_token="${ZOHO_REFRESH_TOKEN}")
    document = {
        "name": "zoho",
        "source": {"connector": "source-zoho", "config": config},
        "destination": {"connector": str(PLAIN_DESTINATION), "config": {"path": str(tmp_path / "out.jsonl")}},
        "streams": [{"name": "candidates", "sync_mode": "incremental"}],
    }
    path = tmp_path / "zoho.yaml"
    path.write_text(yaml.safe_dump(document))
    return path, env


def test_ten_zoho_syncs_in_ten_minutes_spend_one_access_token(tmp_path: Path, store: StateStore) -> None:
    with ZohoSandbox(recruit_sizes={"Candidates": 3}, refresh_limit=10, refresh_window=600) as sandbox:
        path, env = zoho_connection(tmp_path, sandbox)
        statuses = [run_sync(load_connection(path), store=store, env=env).status for _ in range(10)]
        assert statuses == ["succeeded"] * 10
        assert len(sandbox.refreshes) == 1
        file_config = load_connection(path).source.effective_config(env, "source")
        stored = store.rotated_config("zoho", "source", config_fingerprint(file_config))
    assert stored is not None
    assert stored["access_token"].startswith("1000.")
    assert stored["token_expiry_date"].endswith("Z")


def test_without_the_stored_token_the_eleventh_process_is_refused(tmp_path: Path) -> None:
    """The sandbox's ration is real (three here): fresh state stores (no stored token) spend one token per sync."""
    with ZohoSandbox(recruit_sizes={"Candidates": 3}, refresh_limit=3, refresh_window=600) as sandbox:
        path, env = zoho_connection(tmp_path, sandbox)
        results = []
        for index in range(4):
            fresh = StateStore(tmp_path / f"state-{index}.db")
            try:
                results.append(run_sync(load_connection(path), store=fresh, env=env))
            finally:
                fresh.close()
        assert [r.status for r in results] == ["succeeded"] * 3 + ["failed"]
        assert "too many token requests" in (results[-1].error or "")
        assert len(sandbox.refreshes) == 3


def bullhorn_connection(tmp_path: Path, sandbox: BullhornSandbox) -> tuple[Path, dict[str, str]]:
    config = sandbox.demo_config(entities=["Candidate"], retry_base_seconds=0.001)
    env = {"BH_CLIENT_SECRET": config["client_secret"], "BH_PASSWORD": config["password"]}
    config.update(client_secret="${BH_CLIENT_SECRET}", password="${BH_PASSWORD}")
    document = {
        "name": "bullhorn",
        "source": {"connector": "source-bullhorn", "config": config},
        "destination": {"connector": str(PLAIN_DESTINATION), "config": {"path": str(tmp_path / "out.jsonl")}},
        "streams": [{"name": "Candidate", "sync_mode": "incremental"}],
    }
    path = tmp_path / "bullhorn.yaml"
    path.write_text(yaml.safe_dump(document))
    return path, env


def test_bullhorn_reuses_the_session_and_spends_each_single_use_refresh_token_once(
    tmp_path: Path, store: StateStore
) -> None:
    with BullhornSandbox(seed=2, candidates=5) as sandbox:
        path, env = bullhorn_connection(tmp_path, sandbox)

        def sync() -> str:
            return run_sync(load_connection(path), store=store, env=env).status

        assert [sync(), sync()] == ["succeeded", "succeeded"]  # the second run logs in not at all
        assert len(sandbox.requests_to(r"/oauth/authorize$")) == 1
        assert len(sandbox.requests_to(r"/rest-services/login$")) == 1
        sandbox.expire_sessions()
        assert [sync(), sync()] == [
            "succeeded",
            "succeeded",
        ]  # stored session refused: the refresh token, once
        grants = [r.query.get("grant_type") for r in sandbox.requests_to(r"/oauth/token$")]
        assert grants == [["authorization_code"], ["refresh_token"]]
        assert len(sandbox.requests_to(r"/oauth/authorize$")) == 1  # the password was sent once in four runs
        assert len(sandbox.requests_to(r"/rest-services/login$")) == 2
