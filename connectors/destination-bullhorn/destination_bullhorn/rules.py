"""What Bullhorn's ``meta`` says a write may contain, checked before anything is sent: unknown and read-only
fields, picklist values (meta ``options``), text lengths (``maxLength``), and on create the fields meta marks
``required`` without a ``defaultValue``. A record that breaks one is rejected with a reason naming the field; a
mapping that targets an unknown or read-only field is a config error found before any record is read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from staffwire.errors import ConfigError, RecordRejected, Rejection

from destination_bullhorn.objects import is_writable
from destination_bullhorn.values import to_epoch_ms, to_one

__all__ = ["EntityRules"]


class EntityRules:
    def __init__(self, meta: Mapping[str, Any]) -> None:
        self.entity = str(meta["entity"])
        self.fields: dict[str, Mapping[str, Any]] = {f["name"]: f for f in meta["fields"]}
        self.required = [
            name
            for name, f in self.fields.items()
            if f.get("required") and f.get("defaultValue") is None and is_writable(f)
        ]

    def writable(self, name: str) -> bool:
        field = self.fields.get(name)
        return field is not None and is_writable(field)

    def check_targets(self, names: Iterable[str], where: str) -> None:
        """ConfigError for a mapping target Bullhorn would refuse (``id`` is a matching key, never sent)."""
        for name in names:
            if name == "id":
                continue
            field = self.fields.get(name)
            if field is None:
                raise ConfigError(
                    f"{where}.{name}: {self.entity} has no field '{name}' in this Bullhorn tenant's meta. "
                    "Check the field's API name (custom fields are customText1, customDate1, ...)."
                )
            if not is_writable(field):
                why = "read-only" if field.get("readOnly") else f"a {field['type']} field"
                raise ConfigError(
                    f"{where}.{name}: {self.entity}.{name} is {why} in Bullhorn and is never written. "
                    "Map the value to a writable field."
                )

    def normalise(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """``values`` in Bullhorn's forms (to-one ``{"id": n}``, timestamps in epoch ms), so that comparing them
        with what Bullhorn holds is like for like."""
        out = dict(values)
        for name, value in values.items():
            field = self.fields.get(name)
            if field is None:
                continue
            if field["type"] == "TO_ONE":
                out[name] = to_one(value)
            elif field.get("dataType") == "Timestamp":
                out[name] = to_epoch_ms(value)
        return out

    def sendable(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The fields of ``values`` a write may contain (unknown, read-only and id fields are dropped: a
        destination ignores fields it does not know)."""
        return {k: v for k, v in values.items() if k != "id" and self.writable(k)}

    def check(self, values: Mapping[str, Any], *, creating: bool) -> None:
        reasons: list[Rejection] = []
        for name, value in values.items():
            field = self.fields[name]
            if value is None:
                continue
            options = [o.get("value") for o in field.get("options") or [] if isinstance(o, dict)]
            if options and field["type"] == "SCALAR":
                given = _choices(value) if field.get("multiValue") else [value]
                bad = [v for v in given if v not in options]
                if bad:
                    shown = ", ".join(repr(o) for o in options[:12]) + (", ..." if len(options) > 12 else "")
                    reasons.append(
                        Rejection(
                            "picklist",
                            name,
                            value,
                            f"{bad[0]!r} is not an option of {self.entity}.{name} in Bullhorn (options: {shown})",
                        )
                    )
                    continue
            limit = field.get("maxLength")
            if isinstance(limit, int) and isinstance(value, str) and len(value) > limit:
                reasons.append(
                    Rejection(
                        "max_length",
                        name,
                        value,
                        f"{self.entity}.{name} holds at most {limit} characters in Bullhorn; got {len(value)}",
                    )
                )
        if creating:
            for name in self.required:
                if values.get(name) in (None, ""):
                    reasons.append(
                        Rejection(
                            "required",
                            name,
                            None,
                            f"{self.entity}.{name} is required to create a {self.entity} in Bullhorn (meta)",
                        )
                    )
        if reasons:
            raise RecordRejected(reasons)


def _choices(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [value]
