"""destination-quickbooks spec and check: FAILED messages that say what to do, for every config mistake."""

from __future__ import annotations

from typing import Any

import pytest
from destination_quickbooks import DestinationQuickBooks
from destination_quickbooks.sandbox import DEMO_CLIENT_SECRET, QuickBooksSandbox
from destination_quickbooks.testing import fast_config
from staffwire.testing.conformance import assert_conformant, assert_no_secrets, run_connector
from staffwire.testing.startup import modules_loaded_by_spec


def check(config: dict[str, Any]) -> dict[str, Any]:
    result = run_connector(DestinationQuickBooks, "check", config=config)
    assert_conformant(result)
    assert_no_secrets(result, [DEMO_CLIENT_SECRET, str(config["refresh_token"])])
    assert result.exit_code == 0
    return result.connection_status  # type: ignore[return-value]


def test_spec_marks_the_secrets_and_lists_the_config_fields() -> None:
    result = run_connector(DestinationQuickBooks, "spec")
    assert_conformant(result)
    spec = result.spec
    assert spec is not None
    properties = spec["connectionSpecification"]["properties"]
    assert properties["client_secret"]["airbyte_secret"] is True
    assert properties["refresh_token"]["airbyte_secret"] is True
    assert "airbyte_secret" not in properties["client_id"]
    assert spec["connectionSpecification"]["required"] == [
        "client_id",
        "client_secret",
        "refresh_token",
        "realm_id",
    ]
    assert list(properties)[:7] == [
        "client_id",
        "client_secret",
        "refresh_token",
        "realm_id",
        "environment",
        "api_url",
        "token_url",
    ]
    assert properties["environment"]["enum"] == ["production", "sandbox"]
    assert spec["supported_destination_sync_modes"] == ["append", "append_dedup"]


def test_spec_loads_neither_the_http_client_nor_the_mapping_engine() -> None:
    heavy = [
        "requests",
        "staffwire.http",
        "staffwire.mapping",
        "destination_quickbooks.api",
        "destination_quickbooks.writer",
    ]
    assert modules_loaded_by_spec("destination_quickbooks.destination:DestinationQuickBooks", heavy) == []


def test_check_succeeds_against_the_sandbox(sandbox: QuickBooksSandbox) -> None:
    assert check(fast_config(sandbox)) == {"status": "SUCCEEDED"}


def test_check_fails_for_a_wrong_realm_naming_realm_id(sandbox: QuickBooksSandbox) -> None:
    status = check(fast_config(sandbox, realm_id="4620816365213159890"))
    assert status == {
        "status": "FAILED",
        "message": (
            "QuickBooks Online refused access to company 4620816365213159890 (GET /companyinfo/4620816365213159890: "
            "HTTP 403): the refresh token was issued for another company. Check realm_id (the Company ID of the "
            "company the app was connected to), or reconnect the app to this company and use its refresh token."
        ),
    }


def test_check_fails_for_a_revoked_refresh_token_saying_to_reconnect(sandbox: QuickBooksSandbox) -> None:
    sandbox.revoke_refresh_tokens()
    status = check(fast_config(sandbox))
    netloc = sandbox.url.split("//", 1)[1]
    assert status == {
        "status": "FAILED",
        "message": (
            f"Intuit's OAuth server {netloc} refused the refresh token (invalid_grant) for POST "
            "/oauth2/v1/tokens/bearer: it was revoked (the app was disconnected from the company), expired (100 days "
            "unused), or was issued to another app. Reconnect the app to the QuickBooks company (OAuth 2.0 "
            "authorization) and put the new refresh token in refresh_token."
        ),
    }


def test_check_fails_for_a_wrong_client_secret(sandbox: QuickBooksSandbox) -> None:
    status = check(fast_config(sandbox, client_secret="not-the-secret"))
    assert status["status"] == "FAILED"
    assert "refused the app's credentials (invalid_client)" in status["message"]
    assert "check client_id and client_secret" in status["message"]


def test_check_fails_for_an_account_the_company_does_not_have(sandbox: QuickBooksSandbox) -> None:
    status = check(fast_config(sandbox, expense_account="Temp Wages"))
    assert status == {
        "status": "FAILED",
        "message": (
            "expense_account: the company has no active account named (or with Id) 'Temp Wages'. Set "
            "expense_account to the name or Id of one of its Expense or Cost of Goods Sold accounts (QuickBooks: "
            "Accounting > Chart of accounts)."
        ),
    }
    wrong_kind = check(fast_config(sandbox, income_account="Advertising"))
    assert wrong_kind["message"] == (
        "income_account: account 'Advertising' is of type 'Expense'; it must be Income or Other Income."
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"realm_id": "company-1"}, "realm_id"),
        ({"environment": "staging"}, "environment"),
        ({"api_url": "http://quickbooks.example.com"}, "api_url"),
        ({"mappings": {"Invoice": {}}}, "mappings: unknown QuickBooks object 'Invoice'"),
        ({"mappings": {"Vendor": {"fields": {"AcctNum": "id"}}}}, "Vendor.AcctNum keeps Staffwire's key"),
        ({"mappings": {"Bill": {"fields": {"vendor_key": None}}}}, "must map 'vendor_key'"),
        ({"mappings": {"Customer": {"fields": {"nickname": "name"}}}}, "Customer has no field 'nickname'"),
        (
            {"mappings": {"Vendor": {"fields": {"DisplayName": {"path": "x", "transforms": ["lowr"]}}}}},
            "lowr",
        ),
    ],
)
def test_config_mistakes_fail_check_naming_the_field(
    sandbox: QuickBooksSandbox, change: dict[str, Any], message: str
) -> None:
    status = check({**fast_config(sandbox), **change})
    assert status["status"] == "FAILED"
    assert message in status["message"]
