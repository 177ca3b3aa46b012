"""The sandbox's admin switch that moves a contractor through Wingspan's onboarding, for tests and the demo.

In Wingspan the contractor does this part: they accept the invitation and sign up, verify their identity, file a
W-9, add a payout method and sign the payer's agreement. The sandbox has no contractor to do it, so a test (or the
demo) says how far a contractor has got:

* ``invited`` -- the start: the user is ``Pending``, no milestone, every requirement incomplete;
* ``onboarding`` -- signed up (user ``Active``, ``signedUpAt``) and identity verified; requirements incomplete;
* ``ready`` -- every milestone reached: ``taxStatus`` ``Complete``, the agreement ``Complete``, a payout method.

Python: ``sandbox.onboard("bullhorn:123")`` (a payee id, collaborator id, email or external id), or
``sandbox.onboard_first(3)`` (the first three contractors not ready yet, as a demo wants); HTTP:
``POST /_sandbox/onboarding/{who}`` with ``{"stage": "ready"}`` (the default), answered with the payee. The admin
path needs no token and is not rate limited; it is the sandbox's own, not Wingspan's.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from staffwire.testing.sandbox import HttpError, Request, Response, json_response, route

from destination_wingspan.sandbox.common import Row, WingspanState, now
from destination_wingspan.sandbox.contractors import payee_view

__all__ = ["ADMIN_PREFIX", "STAGES", "OnboardingRoutes"]

ADMIN_PREFIX = "/_sandbox/"
STAGES = ("invited", "onboarding", "ready")


def _set_stage(c: Row, stage: str, at: str) -> None:
    events = c["_events"]
    signed_up = stage in ("onboarding", "ready")
    ready = stage == "ready"
    c["member"]["user"]["status"] = "Active" if signed_up else "Pending"
    events["signedUpAt"] = (events["signedUpAt"] or at) if signed_up else None
    events["knowYourCustomerVerifiedAt"] = (events["knowYourCustomerVerifiedAt"] or at) if signed_up else None
    for name in ("taxDocumentationVerifiedAt", "payoutMethodFirstAddedAt"):
        events[name] = (events[name] or at) if ready else None
    c["taxStatus"] = "Complete" if ready else ("Pending" if signed_up else "Incomplete")
    for requirement in c["eligibilityRequirements"]:
        requirement["status"] = "Complete" if ready else ("Sent" if signed_up else "New")
        requirement["documentId"] = f"Doc{c['collaboratorId'][:19]}" if signed_up else None
    c["updatedAt"] = at


def _stage_of(c: Row) -> str:
    if c["member"]["user"]["status"] != "Active":
        return "invited"
    return "ready" if c["taxStatus"] == "Complete" else "onboarding"


class OnboardingRoutes(WingspanState):
    """``onboard()`` and its admin route."""

    def find_contractor(self, who: str) -> Row:
        """The stored contractor a payee id, collaborator id, email or external id names (KeyError if none)."""
        with self.lock:
            wanted = who.strip().lower()
            for c in self.collaborators.values():
                if who in (c["payeeId"], c["collaboratorId"]) or wanted in (
                    c["member"]["user"]["email"],
                    str((c.get("clientData") or {}).get("externalId") or "").lower(),
                ):
                    return c
        raise KeyError(f"no contractor is known by {who!r} (payee id, collaborator id, email or external id)")

    def onboard(self, who: str, stage: str = "ready", *, at: str | None = None) -> dict[str, Any]:
        """Move one contractor to ``stage`` (invited, onboarding, ready) and answer its payee view. ``at`` dates
        the milestones reached now (default: the current time)."""
        if stage not in STAGES:
            raise ValueError(f"unknown onboarding stage {stage!r}; use one of {', '.join(STAGES)}")
        with self.lock:
            c = self.find_contractor(who)
            _set_stage(c, stage, at or now())
            return payee_view(c)

    def onboard_first(self, count: int, stage: str = "ready", *, at: str | None = None) -> list[str]:
        """Move the first ``count`` contractors (in creation order) that are active and not at ``stage`` yet to
        ``stage``, as some of the contractors a demo created finish onboarding; their external ids (or payee ids,
        for those without one)."""
        with self.lock:
            moved: list[str] = []
            for c in list(self.collaborators.values()):
                if len(moved) >= count:
                    break
                if c["status"] == "Inactive" or _stage_of(c) == stage:
                    continue
                self.onboard(c["payeeId"], stage, at=at)
                moved.append((c.get("clientData") or {}).get("externalId") or c["payeeId"])
            return moved

    @route("POST", "/_sandbox/onboarding/{who}")
    def admin_onboard(self, request: Request) -> Response:
        body = request.json() if request.body else {}
        stage = (body or {}).get("stage", "ready") if isinstance(body, dict) else None
        if stage not in STAGES:
            raise HttpError(400, {"error": f"stage must be one of {', '.join(STAGES)}, got {stage!r}"})
        try:
            who = unquote(request.params["who"])
            return json_response(self.onboard(who, stage, at=(body or {}).get("at")))
        except KeyError as exc:
            raise HttpError(404, {"error": exc.args[0]}) from None
