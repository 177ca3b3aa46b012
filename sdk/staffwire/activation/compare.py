"""Compare before write: which of a record's fields differ from the target's current values, under a connection's
write policy (the fields it owns, whether a null may blank a field).

Two connections in opposite directions (ATS -> payments and payments -> ATS) settle because a record whose
values are already current produces no change and no request, so it causes no change event to echo back.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["WritePolicy", "changes", "same"]


@dataclass(frozen=True)
class WritePolicy:
    """What a connection may write into the target.

    ``owned_fields``: the only fields this connection writes (None: every field its mapping produces); a field it
    does not own is never sent, so two connections can share an object without overwriting each other.
    ``write_nulls``: a null in the input blanks the target's field only when True, or when the field is listed;
    otherwise a null means "no value known" and the target keeps what it has.
    """

    owned_fields: frozenset[str] | None = None
    write_nulls: bool | frozenset[str] = False

    @classmethod
    def of(
        cls, owned_fields: Collection[str] | None = None, write_nulls: bool | Collection[str] = False
    ) -> WritePolicy:
        nulls = write_nulls if isinstance(write_nulls, bool) else frozenset(write_nulls)
        return cls(None if owned_fields is None else frozenset(owned_fields), nulls)

    def owns(self, field: str) -> bool:
        return self.owned_fields is None or field in self.owned_fields

    def blanks(self, field: str) -> bool:
        return self.write_nulls is True or (
            not isinstance(self.write_nulls, bool) and field in self.write_nulls
        )

    def writable(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The fields of ``values`` this connection may send at all (owned; nulls only where they may blank)."""
        return {
            name: value
            for name, value in values.items()
            if self.owns(name) and (value is not None or self.blanks(name))
        }


def changes(
    desired: Mapping[str, Any], current: Mapping[str, Any] | None, policy: WritePolicy | None = None
) -> dict[str, Any]:
    """The fields of ``desired`` to send: those the policy lets this connection write whose value differs from
    ``current`` (every writable field when there is no current record)."""
    wanted = (policy or WritePolicy()).writable(desired)
    if current is None:
        return wanted
    return {name: value for name, value in wanted.items() if not same(value, current.get(name))}


def same(desired: Any, current: Any) -> bool:
    """Whether the target already holds ``desired``: null and "" are both "no value"; numbers compare by value
    (``42`` = ``42.0`` = ``"42"``); an object compares on the keys it names (a to-one ``{"id": 7}`` matches the
    current ``{"id": 7, "firstName": ...}`` and a bare ``7``); lists element by element."""
    if desired is None or desired == "":
        return current is None or current == ""
    if isinstance(desired, Mapping):
        if isinstance(current, Mapping):
            return all(same(v, current.get(k)) for k, v in desired.items())
        return set(desired) == {"id"} and same(desired["id"], current)
    if isinstance(desired, list | tuple):
        return (
            isinstance(current, list | tuple)
            and len(desired) == len(current)
            and all(same(a, b) for a, b in zip(desired, current, strict=True))
        )
    if isinstance(desired, bool) or isinstance(current, bool):
        return type(desired) is type(current) and desired == current
    if isinstance(desired, str) and isinstance(current, str):
        return desired == current  # "02134" is not "2134"
    number_a, number_b = _number(desired), _number(current)
    if number_a is not None and number_b is not None:
        return number_a == number_b
    return bool(desired == current)


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None
