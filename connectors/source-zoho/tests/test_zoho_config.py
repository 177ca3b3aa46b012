"""Config validation: each bad config is refused before any request, with a message that says what to fix."""

from __future__ import annotations

from typing import Any

import pytest
from source_zoho import SourceZoho
from source_zoho.config import ZohoConfig, hosts_for
from source_zoho.sandbox import ZohoSandbox
from staffwire.testing.conformance import assert_conformant, run_connector


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        (
            {"api_url": "http://zoho.example.com"},
            "config field 'api_url' must use https:// (plain http:// is accepted only for loopback hosts such as "
            "127.0.0.1)",
        ),
        (
            {"accounts_url": "ftp://accounts.zoho.com"},
            "config field 'accounts_url' must be an absolute https:// URL such as https://api.example.com",
        ),
        ({"data_center": "mars"}, "data_center"),
        ({"product": "desk"}, "product"),
        (
            {"start_date": "yesterday"},
            "start_date must be ISO 8601 such as 2024-01-01T00:00:00Z, got 'yesterday'",
        ),
        ({"start_date": "2024-01-01T00:00:00"}, "start_date needs a time zone (Z or +05:30)"),
        ({"page_size": 500}, "page_size"),
        (
            {"status_maps": {"candidates": {"Hired": "hired"}}},
            "status_maps.candidates: 'Hired' -> 'hired' is not a standard value; use one of ['new', 'active', "
            "'placed', 'inactive', 'do_not_use', 'other']",
        ),
        ({"status_maps": {"placements": {"x": "active"}}}, "status_maps: unknown stream 'placements'"),
        ({"raw_stream_prefix": "zoho-"}, "raw_stream_prefix"),
    ],
    ids=[
        "http-remote",
        "ftp",
        "data-center",
        "product",
        "start-date",
        "naive-start-date",
        "page-size",
        "status-value",
        "status-stream",
        "prefix",
    ],
)
def test_bad_config_fails_check_without_calling_zoho(
    sandbox: ZohoSandbox, zoho: Any, overrides: dict[str, Any], fragment: str
) -> None:
    result = zoho.run("check", zoho.make_config(sandbox, **overrides))
    status = result.connection_status
    assert status is not None and status["status"] == "FAILED"
    assert fragment in status["message"]
    assert sandbox.log == []


@pytest.mark.parametrize(
    ("data_center", "product", "accounts", "api"),
    [
        ("us", "recruit", "https://accounts.zoho.com", "https://recruit.zoho.com"),
        ("eu", "recruit", "https://accounts.zoho.eu", "https://recruit.zoho.eu"),
        ("au", "crm", "https://accounts.zoho.com.au", "https://www.zohoapis.com.au"),
        ("ca", "recruit", "https://accounts.zohocloud.ca", "https://recruit.zohocloud.ca"),
        ("cn", "crm", "https://accounts.zoho.com.cn", "https://www.zohoapis.com.cn"),
        ("uk", "crm", "https://accounts.zoho.uk", "https://www.zohoapis.uk"),
    ],
)
def test_data_center_picks_the_hosts(data_center: str, product: str, accounts: str, api: str) -> None:
    config = ZohoConfig(
        client_id="c",
        client_secret="s",
        refresh_token="r",  # type: ignore[arg-type]
        data_center=data_center,
        product=product,
    )
    assert hosts_for(config) == (accounts, api)


def test_overrides_win_over_the_data_center() -> None:
    config = ZohoConfig(
        client_id="c",
        client_secret="s",
        refresh_token="r",  # type: ignore[arg-type]
        data_center="eu",
        accounts_url="http://localhost:9000/",
        api_url="https://zoho.test",
    )
    assert hosts_for(config) == ("http://localhost:9000", "https://zoho.test")


def test_spec_marks_secrets_and_keeps_field_order() -> None:
    result = run_connector(SourceZoho, "spec")
    assert_conformant(result)
    spec = result.spec["connectionSpecification"]
    props = spec["properties"]
    assert list(props)[:7] == [
        "client_id",
        "client_secret",
        "refresh_token",
        "data_center",
        "product",
        "start_date",
        "accounts_url",
    ]
    assert (
        props["client_secret"]["airbyte_secret"] is True and props["refresh_token"]["airbyte_secret"] is True
    )
    assert props["data_center"]["enum"] == ["us", "eu", "in", "au", "jp", "cn", "ca", "sa", "uk"]
    assert props["product"]["default"] == "recruit"
    assert sorted(spec["required"]) == ["client_id", "client_secret", "refresh_token"]
