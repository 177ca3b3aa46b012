"""QuickBooks Online's error bodies, as the sandbox answers them.

The API answers refused requests with a ``Fault`` body (``{"Fault": {"Error": [{"Message", "Detail", "code",
"element"}], "type"}, "time"}``): ``ValidationFault`` for a bad request (duplicate name 6240, stale SyncToken 5010,
required field 2020, invalid reference 2500, object not found 610, ...), ``AuthenticationFault`` for a missing
or expired access token (401, code 3200), ``AuthorizationFault`` for a token of another company (403, code 3100),
``ThrottlingFault`` for too many requests (429, code 3001) and ``SystemFault`` (500, code 10000). Within a batch,
each item carries its own ``Fault`` (no ``time``).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

__all__ = [
    "COMPANY_TZ",
    "QboFault",
    "auth_fault",
    "duplicate_name",
    "fault_body",
    "invalid_reference",
    "qbo_time",
    "required",
    "stale_object",
]

#: The sandbox company's clock: Pacific time (fixed -08:00, as the vendored bodies show in winter).
COMPANY_TZ = timezone(timedelta(hours=-8))


def qbo_time(now: datetime | None = None) -> str:
    """A response's ``time``: ``2015-07-23T10:58:12.099-08:00`` (milliseconds, company offset)."""
    moment = (now or datetime.now(timezone.utc)).astimezone(COMPANY_TZ)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}" + "-08:00"


def meta_time(now: datetime | None = None) -> str:
    """``MetaData`` times: seconds, company offset (``2015-07-23T10:58:12-08:00``)."""
    moment = (now or datetime.now(timezone.utc)).astimezone(COMPANY_TZ)
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + "-08:00"


class QboFault(Exception):
    """Raise in a handler (or an entity rule) to answer with a Fault body."""

    def __init__(
        self,
        code: str,
        message: str,
        detail: str,
        element: str = "",
        *,
        status: int = 400,
        kind: str = "ValidationFault",
    ) -> None:
        super().__init__(f"{code} {message}: {detail}")
        self.code = code
        self.message = message
        self.detail = detail
        self.element = element
        self.status = status
        self.kind = kind

    def error(self) -> dict[str, Any]:
        return {"Message": self.message, "Detail": self.detail, "code": self.code, "element": self.element}

    def fault(self) -> dict[str, Any]:
        """The ``Fault`` object alone (a batch item's)."""
        return {"type": self.kind, "Error": [self.error()]}

    def body(self) -> dict[str, Any]:
        return fault_body([self.error()], self.kind)


def fault_body(errors: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    return {"Fault": {"Error": errors, "type": kind}, "time": qbo_time()}


def auth_fault(detail: str) -> QboFault:
    return QboFault(
        "3200",
        "message=AuthenticationFailed; errorCode=003200; statusCode=401",
        detail,
        status=401,
        kind="AuthenticationFault",
    )


def duplicate_name(what: str = "customer, vendor or employee") -> QboFault:
    return QboFault(
        "6240",
        "Duplicate Name Exists Error",
        f"The name supplied already exists. : Another {what} is already using this \nname. "
        "Please use a different name.",
    )


def stale_object() -> QboFault:
    return QboFault(
        "5010",
        "Stale Object Error",
        "Stale Object Error : You and root were working on this at the same time. root finished before you "
        "did, so your work was not saved.",
    )


def required(element: str) -> QboFault:
    return QboFault(
        "2020",
        "Required param missing, need to supply the required value for the API",
        f"Required parameter {element} is missing in the request",
        element,
    )


def invalid_reference(element: str, value: Any) -> QboFault:
    return QboFault(
        "2500",
        "Invalid Reference Id",
        f"Invalid Reference Id : Something you're trying to use has been made inactive or does not exist: "
        f"{element} {value!s}",
        element,
    )
