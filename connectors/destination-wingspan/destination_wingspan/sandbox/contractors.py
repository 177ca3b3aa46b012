"""Contractors in the Wingspan sandbox: one stored row per contractor, served as two views, the collaborator
(``/payments/collaborator``) and the payee (``/payments/payee``), as Wingspan's two APIs over the same person.
"""

from __future__ import annotations

from typing import Any

from staffwire.testing.sandbox import HttpError, Request, Response, json_response, route

from destination_wingspan.sandbox.common import Row, WingspanState, now
from destination_wingspan.sandbox.validation import EMAIL, validated_body

__all__ = [
    "EVENT_NAMES",
    "ContractorRoutes",
    "collaborator_events",
    "collaborator_view",
    "payee_requirements",
    "payee_view",
    "profile",
]


EVENT_NAMES = (
    "knowYourCustomerVerifiedAt",
    "payoutMethodFirstAddedAt",
    "signedUpAt",
    "taxDocumentationVerifiedAt",
)
"""The onboarding milestones of ``GET /payments/collaborator/{id}/events`` (CollaboratorEvents)."""


def collaborator_view(c: Row) -> Row:
    """A collaborator as the API answers it (CollaboratorSchema): without the payee id and private keys."""
    return {k: v for k, v in c.items() if k != "payeeId" and not k.startswith("_")}


def collaborator_events(c: Row) -> Row:
    """CollaboratorEvents: ``signedUpAt`` (null until the contractor signs up) and each milestone reached so far
    (the schema types them as strings, so a milestone not reached is left out rather than null)."""
    events = c["_events"]
    out: Row = {name: events[name] for name in EVENT_NAMES if events[name] is not None}
    out.setdefault("signedUpAt", None)
    return dict(sorted(out.items()))


def payee_requirements(c: Row) -> list[Row]:
    """The payee's requirements: the tax form (W9, from ``taxStatus``) and each eligibility requirement of its
    collaborator groups, ``Complete`` or ``Incomplete``, each naming the engagement it belongs to."""
    engagements = [c["collaboratorId"]]
    out: list[Row] = [
        {
            "payerPayeeEngagementIds": engagements,
            "requirementType": "W9",
            "status": "Complete" if c["taxStatus"] == "Complete" else "Incomplete",
        }
    ]
    for requirement in c["eligibilityRequirements"]:
        out.append(
            {
                "payerPayeeEngagementIds": engagements,
                "requirementType": requirement["requirementType"],
                "eligibilityRequirementId": requirement["eligibilityRequirementId"],
                "status": "Complete" if requirement["status"] == "Complete" else "Incomplete",
            }
        )
    return out


def profile(name: str | None) -> Row:
    """A user's profile (RedactedUser.profile) from a one-line name: the first word, then the rest."""
    first, _, last = (name or "").partition(" ")
    return {"firstName": first or None, "lastName": last or None}


def payee_view(c: Row) -> Row:
    user = c["member"]["user"]
    return {
        "payeeId": c["payeeId"],
        "payerId": c["clientId"],
        "user": {
            "userId": c["memberId"],
            "email": user["email"],
            "status": user["status"],
            "profile": dict(user["profile"]),
        },
        "payerOwnedData": {
            "payeeExternalId": c["clientData"].get("externalId"),
            "status": "Inactive" if c["status"] == "Inactive" else "Active",
            "labels": dict(c["labels"]),
        },
        "requirements": payee_requirements(c),
        "createdAt": c["createdAt"],
        "updatedAt": c["updatedAt"],
    }


def _patch_collaborator(c: Row, body: Row) -> None:
    if body.get("labels"):
        c["labels"].update(body["labels"])
    if body.get("status"):
        c["status"] = body["status"]
    if body.get("clientData") and "externalId" in body["clientData"]:
        c["clientData"]["externalId"] = body["clientData"]["externalId"]


def _patch_payee(c: Row, body: Row) -> None:
    owned = body.get("payerOwnedData") or {}
    if owned.get("labels"):
        c["labels"].update(owned["labels"])
    if owned.get("status"):
        c["status"] = owned["status"]
    if owned.get("payeeExternalId"):
        c["clientData"]["externalId"] = owned["payeeExternalId"]


class ContractorRoutes(WingspanState):
    """Collaborator and payee routes, and the contractor store the bulk collaborator processing also uses."""

    def contractors(self, client_id: str | None = None) -> list[dict[str, Any]]:
        """Every contractor (collaborator), flattened for assertions, in creation order."""
        with self.lock:
            return [
                {
                    "collaboratorId": c["collaboratorId"],
                    "payeeId": c["payeeId"],
                    "clientId": c["clientId"],
                    "email": c["member"]["user"]["email"],
                    "name": c["memberName"],
                    "externalId": (c.get("clientData") or {}).get("externalId"),
                    "labels": dict(c["labels"]),
                    "status": c["status"],
                }
                for c in self.collaborators.values()
                if client_id is None or c["clientId"] == client_id
            ]

    def _find_by_email(self, client: str, email: str) -> Row | None:
        email = email.lower()
        for c in self.collaborators.values():
            if c["clientId"] == client and c["member"]["user"]["email"] == email:
                return c
        return None

    def _refuse_duplicate(self, client: str, email: str, kind: str, id_field: str) -> None:
        """Wingspan's 409 for a create whose email the client already has, naming the existing ``id_field``."""
        existing = self._find_by_email(client, email)
        if existing is not None:
            raise HttpError(
                409, {"error": f"A {kind} with email {email} already exists", id_field: existing[id_field]}
            )

    def _new_contractor(
        self,
        client: str,
        email: str,
        name: str | None,
        external_id: str | None,
        labels: dict[str, str] | None,
        status: str | None,
        company: str | None = None,
    ) -> Row:
        stamp = now()
        collaborator_id = self.ids.new("collaborator")
        contractor: Row = {
            "collaboratorId": collaborator_id,
            "payeeId": self.ids.new("payee"),
            "clientId": client,
            "memberId": self.ids.new("member"),
            "memberName": name,
            "memberCompany": company,
            "member": {
                "user": {
                    "userId": None,
                    "email": email.lower(),
                    "status": "Pending",
                    "profile": profile(name),
                }
            },
            "status": status or "Active",
            "taxStatus": "Incomplete",
            "clientData": {"externalId": external_id},
            "labels": dict(labels or {}),
            "eligibilityRequirements": [self._agreement(client)],
            "createdAt": stamp,
            "updatedAt": stamp,
            "_events": dict.fromkeys(EVENT_NAMES),
        }
        contractor["member"]["user"]["userId"] = contractor["memberId"]
        self.collaborators[collaborator_id] = contractor
        return contractor

    def _agreement(self, client: str) -> Row:
        """The payer's one eligibility requirement (a signed contractor agreement), not yet sent to the
        contractor (MemberClientRequirementResponse)."""
        return {
            "clientId": client,
            "collaboratorGroupId": f"{client[:12]}Group0001",
            "eligibilityRequirementId": f"{client[:12]}Agreement",
            "requirementType": "Signature",
            "document": None,
            "documentId": None,
            "status": "New",
            "templateId": f"{client[:12]}Template01",
            "validFor": None,
        }

    def _collaborator(self, request: Request) -> Row:
        return self._owned(self.collaborators, "id", request, "Collaborator")

    def _payee(self, request: Request) -> Row:
        client = self._client(request)
        for c in self.collaborators.values():
            if c["payeeId"] == request.params["id"] and c["clientId"] == client:
                return c
        raise HttpError(404, {"error": f"Payee {request.params['id']} not found"})

    # ------------------------------------------------------------------------------------------ collaborators
    @route("GET", "/payments/collaborator")
    def list_collaborators(self, request: Request) -> Response:
        return self._list(request, self.collaborators, collaborator_view)

    @route("POST", "/payments/collaborator")
    def create_collaborator(self, request: Request) -> Response:
        body = validated_body(request, "POST /payments/collaborator")
        email = body.get("memberEmail") or ""
        if not EMAIL.match(email):
            raise HttpError(400, {"error": "memberEmail must be a valid email address"})
        client = self._client(request)
        with self.lock:
            self._refuse_duplicate(client, email, "collaborator", "collaboratorId")
            c = self._new_contractor(
                client,
                email,
                body.get("memberName"),
                (body.get("clientData") or {}).get("externalId"),
                body.get("labels"),
                body.get("status"),
                body.get("memberCompany"),
            )
            return json_response(collaborator_view(c))

    @route("GET", "/payments/collaborator/{id}")
    def get_collaborator(self, request: Request) -> Response:
        return self._read(request, self._collaborator, collaborator_view)

    @route("PATCH", "/payments/collaborator/{id}")
    def update_collaborator(self, request: Request) -> Response:
        body = validated_body(request, "PATCH /payments/collaborator/{id}")
        return self._patch(request, body, self._collaborator, _patch_collaborator, collaborator_view)

    @route("DELETE", "/payments/collaborator/{id}")
    def delete_collaborator(self, request: Request) -> Response:
        with self.lock:
            c = self._collaborator(request)
            del self.collaborators[c["collaboratorId"]]
            return json_response(collaborator_view(c))

    @route("GET", "/payments/collaborator/{id}/events")
    def collaborator_events(self, request: Request) -> Response:
        with self.lock:
            return json_response(collaborator_events(self._collaborator(request)))

    # ------------------------------------------------------------------------------------------ payees
    @route("GET", "/payments/payee")
    def list_payees(self, request: Request) -> Response:
        return self._list(request, self.collaborators, payee_view)

    @route("POST", "/payments/payee")
    def create_payee(self, request: Request) -> Response:
        body = validated_body(request, "POST /payments/payee")
        email = body["email"]
        if not EMAIL.match(email):
            raise HttpError(400, {"error": "email must be a valid email address"})
        if email.lower() in self.refused_emails:
            raise HttpError(422, {"code": "ValidationError", "message": self.refused_emails[email.lower()]})
        owned = body.get("payerOwnedData") or {}
        name = " ".join(p for p in (body.get("firstName"), body.get("lastName")) if p) or None
        client = self._client(request)
        with self.lock:
            self._refuse_duplicate(client, email, "payee", "payeeId")
            c = self._new_contractor(
                client, email, name, owned.get("payeeExternalId"), owned.get("labels"), owned.get("status")
            )
            c["member"]["user"]["profile"] = {
                "firstName": body.get("firstName"),
                "lastName": body.get("lastName"),
            }
            return json_response(payee_view(c))

    @route("GET", "/payments/payee/{id}")
    def get_payee(self, request: Request) -> Response:
        return self._read(request, self._payee, payee_view)

    @route("PATCH", "/payments/payee/{id}")
    def update_payee(self, request: Request) -> Response:
        body = validated_body(request, "PATCH /payments/payee/{id}")
        return self._patch(request, body, self._payee, _patch_payee, payee_view)

    @route("GET", "/payments/payee/{id}/engagement")
    def payee_engagements(self, request: Request) -> Response:
        with self.lock:
            c = self._payee(request)
            return json_response(
                [
                    {
                        "payerPayeeEngagementId": c["collaboratorId"],
                        "payeeId": c["payeeId"],
                        "status": c["status"],
                    }
                ]
            )
