"""Bullhorn's wire forms: ids (a number, or the standard ``bullhorn:<id>``), to-one values (``{"id": n}``) and
timestamps (epoch milliseconds; ISO 8601 dates and times are converted)."""

from __future__ import annotations

from typing import Any

from staffwire.state import parse_cursor

__all__ = ["parse_bullhorn_id", "to_epoch_ms", "to_one"]


def parse_bullhorn_id(value: Any) -> int | None:
    """``123``, ``"123"`` or ``"bullhorn:123"`` -> 123; anything else (another system's id) -> None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str):
        text = value.strip()
        if text.lower().startswith("bullhorn:"):
            text = text[9:]
        return int(text) if text.isdigit() and int(text) > 0 else None
    return None


def to_one(value: Any) -> Any:
    """A to-one association's value as Bullhorn takes it: ``{"id": n}`` (null stays null)."""
    if value is None or isinstance(value, dict):
        return value
    parsed = parse_bullhorn_id(value)
    return {"id": parsed} if parsed is not None else value


def to_epoch_ms(value: Any) -> Any:
    """A timestamp field's value: numbers as they are, ISO 8601 text as epoch milliseconds (unparseable text is
    left for Bullhorn to refuse)."""
    if isinstance(value, str):
        try:
            return int(parse_cursor(value).timestamp() * 1000)
        except ValueError:
            return value
    return value
