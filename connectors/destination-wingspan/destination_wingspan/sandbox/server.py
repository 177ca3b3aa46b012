"""The Wingspan sandbox server: :class:`WingspanSandbox`, which combines the route families (contractors,
payables and invoices, bulk batches and their processing) and owns sessions, acting as a child account
(``X-WINGSPAN-USER``), the write rate limit and Wingspan's error shapes for injected faults.
"""

from __future__ import annotations

import queue
from typing import Any

from staffwire.testing.sandbox import HttpError, Request, Response, json_response, route

from destination_wingspan.sandbox.common import (
    DEMO_CHILD_USER_ID,
    DEMO_TOKEN,
    DEMO_USER_ID,
    Ids,
    WriteLimiter,
)
from destination_wingspan.sandbox.onboarding import ADMIN_PREFIX, OnboardingRoutes
from destination_wingspan.sandbox.processing import BatchProcessing

__all__ = ["WingspanSandbox"]


class WingspanSandbox(BatchProcessing, OnboardingRoutes):
    """Wingspan Payments API emulator.

    ``process_delay``: seconds a submitted batch waits before processing starts (and again before it completes);
    ``item_delay``: seconds per processed item; ``rate_limit_per_s``: writes per second per account (None: no
    limit); ``retry_after``: the ``Retry-After`` header on rate-limit 429s (None: no header);
    ``dedupe_by_email``: a bulk collaborator item whose email already belongs to a collaborator resolves to it, as
    the real service does (tests switch it off to prove the connector does not rely on it); ``seed``: start with
    the demo account's contractors, payables, invoices and batches of :mod:`.seed` (for sources).
    """

    name = "wingspan"

    def __init__(
        self,
        *,
        process_delay: float = 0.05,
        item_delay: float = 0.0,
        rate_limit_per_s: float | None = 100,
        retry_after: str | None = "1",
        dedupe_by_email: bool = True,
        seed: bool = False,
        host: str = "127.0.0.1",
        port: int = 0,
        log_requests: bool = True,
    ) -> None:
        super().__init__(host=host, port=port, log_requests=log_requests)
        self.process_delay = process_delay
        self.item_delay = item_delay
        self.retry_after = retry_after
        self.dedupe_by_email = dedupe_by_email
        self.limiter = WriteLimiter(rate_limit_per_s)
        self.ids = Ids()
        self.tokens = {DEMO_TOKEN: DEMO_USER_ID}
        self.accounts = {DEMO_USER_ID: {DEMO_USER_ID, DEMO_CHILD_USER_ID}}
        self.collaborators = {}
        self.payables_by_id = {}
        self.collaborator_batches = {}
        self.collaborator_items = {}
        self.payable_batches = {}
        self.payable_items = {}
        self.member_clients = {}
        self.invoices_by_id = {}
        self.custom_fields = {}
        self.references = {}
        self.refused_emails = {}
        self.writes_accepted = 0
        self.writes_limited = 0
        self._queue = queue.Queue()
        self._worker = None
        if seed:
            from destination_wingspan.sandbox.seed import seed as fill

            fill(self, DEMO_USER_ID)

    # ------------------------------------------------------------------------------------------ lifecycle
    def start(self) -> WingspanSandbox:
        super().start()
        self._start_worker()
        return self

    def stop(self) -> None:
        super().stop()
        self._stop_worker()

    def demo_config(self, url: str | None = None, **overrides: Any) -> dict[str, Any]:
        """A destination-wingspan config for this sandbox (the demo token; fast polling)."""
        config: dict[str, Any] = {
            "api_token": DEMO_TOKEN,
            "api_url": url or self.url,
            "poll_interval_s": 0.05,
            "backoff_base_s": 0.01,
        }
        config.update(overrides)
        return config

    def issue_token(self, user_id: str = DEMO_USER_ID) -> str:
        token = f"ws-{self.ids.new('token')}"
        self.tokens[token] = user_id
        return token

    def refuse_email(self, email: str, message: str | None = None) -> None:
        """Bulk/payee processing refuses this email (as Wingspan does for, e.g., a payer's own users)."""
        self.refused_emails[email.lower()] = (
            message or f"Cannot invite {email}: the address belongs to a user of this payer account"
        )

    def revoke_all_tokens(self) -> None:
        """Every session expires (a bad token mid-run)."""
        self.tokens.clear()

    # ------------------------------------------------------------------------------------------ plumbing
    def fault_body(self, status: int) -> Any:
        if status == 429:
            return {"error": "Too many requests, slow down"}
        return {"code": "InternalServerError", "message": f"Internal server error (sandbox fault {status})"}

    def not_found(self, request: Request) -> Response:
        return json_response({"error": f"Cannot {request.method} {request.path}"}, 404)

    def before_request(self, request: Request) -> Response | None:
        request.query.pop("_client", None)
        if request.path.startswith(("/users/session/token/", ADMIN_PREFIX)):
            return None
        auth = request.header("authorization") or ""
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        account = self.tokens.get(token)
        if account is None:
            return json_response({"error": "Session expired"}, 401)
        acting = request.header("x-wingspan-user")
        if acting and acting not in self.accounts.get(account, {account}):
            return json_response({"error": f"Not authorized to act as user {acting}"}, 403)
        request.query["_client"] = [acting or account]  # query survives routing (params are reset)
        if request.method != "GET":
            if not self.limiter.take(account):
                self.writes_limited += 1
                headers = {"Retry-After": self.retry_after} if self.retry_after is not None else {}
                return json_response({"error": "Too many requests, slow down"}, 429, headers)
            self.writes_accepted += 1
        return None

    # ------------------------------------------------------------------------------------------ sessions
    @route("GET", "/users/session/token/{token}")
    def session(self, request: Request) -> Response:
        user = self.tokens.get(request.params["token"])
        if user is None:
            raise HttpError(403, {"error": "Session expired"})
        return json_response(
            {
                "token": request.params["token"],
                "expiration": "2099-01-01T00:00:00.000Z",
                "sessionType": "Api",
                "userId": user,
            }
        )
