"""QuickBooks ``Fault`` bodies, read and turned into per-record rejections that name the field.

A refused request answers ``{"Fault": {"Error": [{"Message", "Detail", "code", "element"}], "type"}, "time"}``
(``ValidationFault``, ``AuthenticationFault``, ...); a batch item carries the same ``Fault`` object; the gateway
answers some 401s in a lower-case shape (``{"fault": {"error": [{"message", "detail", "code"}]}}``). The
``element`` (or the property the Detail names) says which field was refused; :func:`rejection` names that field
as the input record knows it where the mapping is known (a Bill's ``Amount`` is the payable's ``amount``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from staffwire.errors import Rejection

__all__ = ["DUPLICATE_NAME", "STALE_OBJECT", "Fault", "parse_fault", "rejection"]

DUPLICATE_NAME = "6240"
STALE_OBJECT = "5010"
#: QuickBooks elements -> the input field they come from (by default mapping)
_INPUT_FIELDS = {
    "Amount": "amount",
    "Line": "line_items",
    "CurrencyRef": "currency",
    "VendorRef": "worker_id",
    "ParentRef": "client_id",
    "DueDate": "due_date",
    "TxnDate": "due_date",
    "DocNumber": "reference",
    "UnitPrice": "bill_rate",
}
_PROPERTY = re.compile(r"Property Name:(\w+)|Required parameter (\w+)")


@dataclass(frozen=True)
class Fault:
    kind: str
    errors: list[dict[str, Any]] = field(default_factory=list)

    def first(self, name: str) -> str:
        return str(self.errors[0].get(name) or "") if self.errors else ""

    @property
    def code(self) -> str:
        return self.first("code").lstrip("0")

    @property
    def element(self) -> str:
        element = self.first("element")
        if element:
            return element
        found = _PROPERTY.search(self.first("Detail"))
        return (found.group(1) or found.group(2)) if found else ""

    def text(self) -> str:
        parts = []
        for error in self.errors:
            code = str(error.get("code") or "").lstrip("0")
            message = str(error.get("Message") or "").strip()
            detail = str(error.get("Detail") or "").replace("\n", "").strip()
            parts.append(f"{code} {message}" + (f": {detail}" if detail and detail != message else ""))
        return f"{self.kind}: " + "; ".join(parts) if parts else self.kind


def parse_fault(body: Any) -> Fault | None:
    """The Fault in a response or batch-item body, or None."""
    if not isinstance(body, dict):
        return None
    fault = body.get("Fault")
    if isinstance(fault, dict):
        errors = [e for e in fault.get("Error") or [] if isinstance(e, dict)]
        return Fault(str(fault.get("type") or "Fault"), errors)
    lower = body.get("fault")
    if isinstance(lower, dict):  # the gateway's lower-case shape
        errors = [
            {
                "Message": e.get("message"),
                "Detail": e.get("detail"),
                "code": e.get("code"),
                "element": e.get("element"),
            }
            for e in lower.get("error") or []
            if isinstance(e, dict)
        ]
        return Fault(str(lower.get("type") or "Fault"), errors)
    return None


def rejection(fault: Fault, object_name: str, value: Any = None) -> Rejection:
    """The rejection of a record whose write QuickBooks refused with ``fault``."""
    element = fault.element
    field_name = _INPUT_FIELDS.get(element, element) or None
    where = f" (field {field_name}" + (
        f", QuickBooks {element})" if element and element != field_name else ")"
    )
    return Rejection(
        rule=f"quickbooks.{fault.code or fault.kind}",
        field=field_name,
        value=value,
        message=f"QuickBooks refused the {object_name}{where if field_name else ''}: {fault.text()}",
    )
