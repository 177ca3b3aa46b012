"""The sandbox's side of Bullhorn's four-hop login: data-center discovery (307), headless authorize (302 with the
code, or an HTML page for a wrong password or unaccepted terms of service), the OAuth token endpoint (codes and
single-use rotating refresh tokens) and the REST login; every REST call then needs a live ``BhRestToken``."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, quote, urlencode

from staffwire.testing.sandbox import HttpError, Request, Response, TokenBook, json_response, route

from source_bullhorn.sandbox.common import CORP_TOKEN, DATA_CENTER, bullhorn_error

__all__ = ["AuthHops"]


class AuthHops:
    """Mixin of :class:`~source_bullhorn.sandbox.server.BullhornSandbox`: the login routes and the token check."""

    url: str
    users: dict[str, dict[str, Any]]
    clients: dict[str, str]
    codes: TokenBook
    access_tokens: TokenBook
    refresh_tokens: TokenBook
    sessions: TokenBook
    access_token_ttl: float
    session_status_on_expiry: int

    @property
    def login_info_url(self) -> str:
        """Where the connector's ``login_info_url`` points: the global discovery endpoint."""
        return f"{self.url}/rest-services/loginInfo"

    @property
    def rest_url(self) -> str:
        """The corp's REST base, as the REST login answers it."""
        return f"{self.url}/dc/{DATA_CENTER}/rest-services/{CORP_TOKEN}/"

    @route("GET", "/rest-services/loginInfo")
    def login_info_root(self, request: Request) -> Response:
        """The global entry point sends every user to their data center."""
        query = urlencode({k: v[0] for k, v in request.query.items()})
        return Response(
            307, b"", {"Location": f"{self.url}/dc/{DATA_CENTER}/rest-services/loginInfo?{query}"}
        )

    @route("GET", "/dc/{dc}/rest-services/loginInfo")
    def login_info(self, request: Request) -> Response:
        if not request.arg("username"):
            raise bullhorn_error(400, "Missing required parameter: username", "errors.missingParameter")
        base = f"{self.url}/dc/{request.params['dc']}"
        return json_response(
            {
                "atsUrl": "https://cls.example.bullhornstaffing.com",
                "billingSyncUrl": "",
                "coreUrl": "",
                "dataCenterId": 2,
                "superDataCenterId": 1,
                "novoUrl": "",
                "oauthUrl": f"{base}/oauth/",
                "restUrl": f"{base}/rest-services/",
                "samlUrl": "",
                "documentEditorUrl": "",
                "mobileBackendUrl": "",
                "ulUrl": "",
                "dataCenter": "USEAST",
            }
        )

    @route("GET", "/dc/{dc}/oauth/authorize")
    def authorize(self, request: Request) -> Response:
        client_id = request.arg("client_id")
        if request.arg("response_type") != "code":
            raise HttpError(
                400,
                {
                    "error": "unsupported_response_type",
                    "error_description": "Only response_type=code is supported",
                },
            )
        if client_id not in self.clients:
            raise HttpError(400, {"error": "invalid_client", "error_description": "Invalid client id"})
        user = self.users.get(request.arg("username") or "")
        if user is None or user["password"] != request.arg("password"):
            page = (
                "<!DOCTYPE html><html><head><title>Bullhorn Login</title></head><body><form id='login'>"
                "<p class='error'>Invalid credentials. Please check your username and password.</p>"
                "</form></body></html>"
            )
            return Response(200, page.encode(), {}, "text/html; charset=utf-8")
        if not user["terms"]:
            page = (
                "<!DOCTYPE html><html><head><title>Bullhorn Terms of Service</title></head><body>"
                "<h1>Terms of Service</h1><p>Please read and accept the terms of service.</p>"
                "<button>Agree</button></body></html>"
            )
            return Response(200, page.encode(), {}, "text/html; charset=utf-8")
        # real codes look like "60:5a2d..." and travel URL-encoded in the Location header
        code = self.codes.issue(ttl=120, max_uses=1, client_id=client_id, username=request.arg("username"))
        redirect = request.arg("redirect_uri") or "https://www.bullhorn.com"
        location = f"{redirect}?code={quote(code, safe='')}"
        if request.arg("state"):
            location += f"&state={quote(request.arg('state') or '', safe='')}"
        return Response(302, b"", {"Location": location})

    @route("POST", "/dc/{dc}/oauth/token")
    def token(self, request: Request) -> Response:
        args = {k: v[0] for k, v in request.query.items()}
        if request.body:
            args.update({k: v[0] for k, v in _form(request.body).items()})
        client_id, secret = args.get("client_id"), args.get("client_secret")
        if client_id not in self.clients or self.clients[client_id] != secret:
            raise HttpError(
                400, {"error": "invalid_client", "error_description": "Invalid client credentials"}
            )
        grant = args.get("grant_type")
        if grant == "authorization_code":
            data = self.codes.use(args.get("code"))
            if data is None or data["client_id"] != client_id:
                raise HttpError(
                    400,
                    {
                        "error": "invalid_grant",
                        "error_description": "Invalid, expired, or revoked authorization code.",
                    },
                )
        elif grant == "refresh_token":
            data = self.refresh_tokens.use(args.get("refresh_token"))
            if data is None or data["client_id"] != client_id:
                raise HttpError(400, {"error": "invalid_grant", "error_description": "Invalid refresh token"})
        else:
            raise HttpError(
                400,
                {"error": "unsupported_grant_type", "error_description": f"Unsupported grant type: {grant}"},
            )
        access = self.access_tokens.issue(
            ttl=self.access_token_ttl, client_id=client_id, username=data["username"]
        )
        refresh = self.refresh_tokens.issue(max_uses=1, client_id=client_id, username=data["username"])
        return json_response(
            {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": int(self.access_token_ttl),
                "refresh_token": refresh,
            }
        )

    @route("GET", "/dc/{dc}/rest-services/login")
    def rest_login(self, request: Request) -> Response:
        if request.arg("version") is None:
            raise bullhorn_error(400, "Missing required parameter: version", "errors.missingParameter")
        data = self.access_tokens.use(request.arg("access_token"))
        if data is None:
            raise bullhorn_error(
                401, "Invalid or expired OAuth access token.", "errors.authentication.invalidOAuthToken"
            )
        ttl = request.int_arg("ttl", 10)
        token = self.sessions.issue(ttl=ttl * 60.0, username=data["username"])
        return json_response({"BhRestToken": token, "restUrl": self.rest_url})

    def before_request(self, request: Request) -> Response | None:
        prefix = f"/dc/{DATA_CENTER}/rest-services/"
        if not request.path.startswith(prefix):
            return None
        rest = request.path[len(prefix) :]
        if rest.split("/", 1)[0] in ("login", "loginInfo"):
            return None
        token = request.header("bhresttoken") or request.arg("BhRestToken")
        if not token:
            raise bullhorn_error(
                412,
                "Missing required BhRestToken: pass it as a header or query parameter.",
                "errors.preconditionFailed",
            )
        if not rest.startswith(f"{CORP_TOKEN}/") or self.sessions.use(token) is None:
            raise bullhorn_error(
                self.session_status_on_expiry,
                "Bad 'BhRestToken' or timed-out.",
                "errors.authentication.invalidRestToken",
            )
        return None

    def expire_sessions(self) -> None:
        """Every BhRestToken times out now (the next call answers 401, or 403 if so configured)."""
        self.sessions.expire_all()

    def expire_access_tokens(self) -> None:
        self.access_tokens.expire_all()


def _form(body: bytes) -> dict[str, list[str]]:
    return parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
