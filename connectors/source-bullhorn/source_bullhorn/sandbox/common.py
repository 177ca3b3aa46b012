"""What every part of the Bullhorn sandbox shares: the data center and corp token of its URLs, Bullhorn's error
body, and an entity's meta indexed for projection and queries."""

from __future__ import annotations

from typing import Any

from staffwire.testing.sandbox import HttpError

from source_bullhorn.reference_data import SEARCHABLE

__all__ = ["CORP_TOKEN", "DATA_CENTER", "Entity", "Row", "bullhorn_error"]

Row = dict[str, Any]
DATA_CENTER = "east"
CORP_TOKEN = "8ffx2"


def bullhorn_error(status: int, message: str, key: str) -> HttpError:
    return HttpError(status, {"errorMessage": message, "errorMessageKey": key, "errorCode": status})


class Entity:
    """One entity's meta, indexed for projection and query resolution."""

    def __init__(self, meta: dict[str, Any]) -> None:
        self.name: str = meta["entity"]
        self.meta = meta
        self.fields: dict[str, dict[str, Any]] = {f["name"]: f for f in meta["fields"]}
        self.to_one = {
            n: f.get("associatedEntity", {}).get("entity", "")
            for n, f in self.fields.items()
            if f["type"] == "TO_ONE"
        }
        self.to_many = {
            n: f.get("associatedEntity", {}).get("entity", "")
            for n, f in self.fields.items()
            if f["type"] == "TO_MANY"
        }
        self.searchable = self.name in SEARCHABLE

    def knows(self, path: str) -> bool:
        return path.split(".", 1)[0] in self.fields
