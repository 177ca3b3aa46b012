"""What the destination learns about the company before writing: that the token reaches it, its accounts and
its currencies. ``check`` runs exactly this, so a wrong realm, a revoked token or a missing account fails there."""

from __future__ import annotations

from dataclasses import dataclass

from staffwire.errors import ConfigError

from destination_quickbooks.api import QuickBooksApi, quote

__all__ = ["CompanySettings", "load_company"]


@dataclass(frozen=True)
class CompanySettings:
    name: str
    home_currency: str
    currencies: frozenset[str]
    expense_account: dict[str, str]  # {"value": id, "name": name}
    income_account: dict[str, str]


def load_company(api: QuickBooksApi) -> CompanySettings:
    info = api.company_info()  # a refused token or another company's realm fails here
    config = api.config
    expense = _account(api, config.expense_account, "expense_account", ("Expense", "Cost of Goods Sold"))
    income = _account(api, config.income_account, "income_account", ("Income", "Other Income"))
    preferences = (api.query("SELECT * FROM Preferences").get("Preferences") or [{}])[0]
    prefs = preferences.get("CurrencyPrefs") or {}
    home = str((prefs.get("HomeCurrency") or {}).get("value") or "USD").upper()
    currencies = {home}
    if prefs.get("MultiCurrencyEnabled"):
        for row in api.query_all("CompanyCurrency", "Active = true"):
            currencies.add(str(row.get("Code") or "").upper())
    return CompanySettings(
        name=str(info.get("CompanyName") or config.realm_id),
        home_currency=home,
        currencies=frozenset(c for c in currencies if c),
        expense_account=expense,
        income_account=income,
    )


def _account(api: QuickBooksApi, wanted: str, field: str, kinds: tuple[str, ...]) -> dict[str, str]:
    rows = (
        api.query(f"SELECT * FROM Account WHERE Id = {quote(wanted)}").get("Account")
        if wanted.isdigit()
        else None
    )
    if not rows:
        rows = api.query(f"SELECT * FROM Account WHERE Name = {quote(wanted)}").get("Account")
    if not rows:
        raise ConfigError(
            f"{field}: the company has no active account named (or with Id) {wanted!r}. Set {field} to the name "
            f"or Id of one of its {' or '.join(kinds)} accounts (QuickBooks: Accounting > Chart of accounts)."
        )
    account = rows[0]
    if account.get("AccountType") not in kinds:
        raise ConfigError(
            f"{field}: account {account.get('Name')!r} is of type {account.get('AccountType')!r}; it must be "
            f"{' or '.join(kinds)}."
        )
    return {"value": str(account["Id"]), "name": str(account.get("Name") or "")}
