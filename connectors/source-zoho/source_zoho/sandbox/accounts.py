"""The accounts server half of the Zoho sandbox and the auth check every API call passes.

* ``POST /oauth/v2/token`` (refresh-token grant, query or form): a bad refresh token answers **HTTP 200**
  ``{"error": "invalid_code"}``; refreshing too often answers 400 ``Access Denied`` "too many requests
  continuously". Refresh tokens carry scopes; access tokens expire by time or after N requests.
* ``Authorization: Zoho-oauthtoken <token>``: 401 ``INVALID_TOKEN`` (expired), ``AUTHENTICATION_FAILURE`` (no
  header), ``INVALID_OAUTHTOKEN`` (a token from another data center), ``OAUTH_SCOPE_MISMATCH`` (missing scope).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from staffwire.testing.sandbox import Faults, Request, Response, TokenBook, json_response, route

from source_zoho.sandbox.store import ModuleStore, zoho_error

__all__ = [
    "ALL_SCOPES",
    "CLIENT_ID",
    "CLIENT_SECRET",
    "REFRESH_TOKEN",
    "TOO_MANY_REFRESHES",
    "AccountsServer",
]

CLIENT_ID = "1000.SANDBOX0CLIENT0ID0ZOHO"
CLIENT_SECRET = "sandbox-client-secret-0f3c9a"
REFRESH_TOKEN = "1000.sandbox0refresh.full0access0token"

ALL_SCOPES = frozenset(
    {
        "ZohoRecruit.modules.all",
        "ZohoRecruit.settings.all",
        "ZohoRecruit.org.all",
        "ZohoCRM.modules.all",
        "ZohoCRM.settings.all",
        "ZohoCRM.org.all",
    }
)
TOO_MANY_REFRESHES = {
    "error_description": "You have made too many requests continuously. Please try again after some time.",
    "error": "Access Denied",
    "status": "failure",
}


class AccountsServer:
    """Mixin of :class:`~source_zoho.sandbox.server.ZohoSandbox`: OAuth tokens, scopes and data centers."""

    if TYPE_CHECKING:  # set by ZohoSandbox.__init__
        dc: str
        cross_dc_code: str
        token_ttl: float
        token_max_uses: int | None
        refresh_limit: int
        refresh_window: float
        tokens: TokenBook
        clients: dict[str, str]
        refresh_tokens: dict[str, frozenset[str]]
        refreshes: list[float]
        modules: dict[str, dict[str, ModuleStore]]
        faults: Faults
        _data_lock: threading.RLock

    def add_refresh_token(self, token: str, scopes: Iterable[str]) -> str:
        """Register a refresh token with exactly these scopes (e.g. one lacking ``ZohoRecruit.settings.all``)."""
        self.refresh_tokens[token] = frozenset(scopes)
        return token

    def expire_tokens(self) -> None:
        """Expire every access token issued so far (the next API call answers 401 INVALID_TOKEN)."""
        self.tokens.expire_all()

    def throttle_token_endpoint(self, times: int = 1) -> None:
        """The next ``times`` refreshes answer 400 Access Denied "too many requests continuously"."""
        self.faults.server_error("/oauth/v2/token", status=400, times=times, body=TOO_MANY_REFRESHES)

    @route("POST", "/oauth/v2/token")
    def token(self, request: Request) -> Response:
        params = {k: v[0] for k, v in request.query.items()}
        if request.body:
            params.update({k: v[0] for k, v in parse_qs(request.body.decode("utf-8", "replace")).items()})
        if params.get("grant_type") != "refresh_token":
            return json_response({"error": "unsupported_grant_type"})
        client_id = params.get("client_id", "")
        if client_id not in self.clients:
            return json_response({"error": "invalid_client"})
        if self.clients[client_id] != params.get("client_secret"):
            return json_response({"error": "invalid_client_secret"})
        scopes = self.refresh_tokens.get(params.get("refresh_token", ""))
        if scopes is None:
            return json_response({"error": "invalid_code"})  # HTTP 200, as Zoho answers
        now = time.monotonic()
        with self._data_lock:
            self.refreshes = [t for t in self.refreshes if now - t < self.refresh_window]
            if len(self.refreshes) >= self.refresh_limit:
                return json_response(TOO_MANY_REFRESHES, 400)
            self.refreshes.append(now)
        token = self.tokens.issue(ttl=self.token_ttl, max_uses=self.token_max_uses, scopes=scopes)
        return json_response(
            {
                "access_token": token,
                "scope": " ".join(sorted(scopes)),
                "api_domain": "https://www.zohoapis.com",
                "token_type": "Bearer",
                "expires_in": int(self.token_ttl),
            }
        )

    # --------------------------------------------------------------------------------------------- auth
    def before_request(self, request: Request) -> Response | None:
        product = (
            "recruit"
            if request.path.startswith("/recruit/")
            else ("crm" if request.path.startswith("/crm/") else None)
        )
        if product is None:
            return None
        header = request.header("authorization") or ""
        if not header.startswith("Zoho-oauthtoken "):
            raise zoho_error(401, "AUTHENTICATION_FAILURE", "Authentication failed")
        token = header[len("Zoho-oauthtoken ") :].strip()
        data = self.tokens.use(token)
        if data is None:
            if re.match(r"1000\.[a-z]+-", token) and not token.startswith(f"1000.{self.dc}-"):
                raise zoho_error(401, self.cross_dc_code, "invalid oauth token")
            raise zoho_error(401, "INVALID_TOKEN", "invalid oauth token")
        needed = self._accepted_scopes(product, request.path)
        granted = {s.lower() for s in data["scopes"]}
        if needed and not granted & {s.lower() for s in needed}:
            raise zoho_error(401, "OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL")
        return None

    def _accepted_scopes(self, product: str, path: str) -> set[str]:
        prefix = "ZohoRecruit" if product == "recruit" else "ZohoCRM"
        parts = path.strip("/").split("/")
        if len(parts) >= 4 and parts[2] == "settings":
            return {
                f"{prefix}.settings.all",
                f"{prefix}.settings.{parts[3]}.all",
                f"{prefix}.settings.{parts[3]}.read",
            }
        if len(parts) >= 3:
            seed = self.modules[product].get(parts[2])
            name = seed.seed.scope_name if seed else parts[2].lower()
            return {f"{prefix}.modules.all", f"{prefix}.modules.{name}.all", f"{prefix}.modules.{name}.read"}
        return set()
