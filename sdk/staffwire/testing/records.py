"""Standard records a destination's tests feed it: shared builders, so every destination kit writes the same
shapes (see :mod:`staffwire.testing.messages` for the protocol envelopes around them)."""

from __future__ import annotations

from typing import Any

__all__ = ["SPLIT_LINES", "payable"]

#: the line items of a split 1,250 USD week: regular hours plus overtime
SPLIT_LINES = [
    {"description": "Regular hours", "quantity": 40, "unit": "hour", "unit_price": 25.0, "amount": 1000.0},
    {"description": "Overtime", "quantity": 4, "unit": "hour", "unit_price": 62.5, "amount": 250.0},
]


def payable(
    ref: str, worker_n: int, amount: Any = 1250.0, *, split: bool = False, **extra: Any
) -> dict[str, Any]:
    """A standard payable of 1,250 USD from a timesheet system for worker ``bullhorn:<worker_n>``: one line item,
    or (``split``) regular hours plus overtime. ``extra`` adds or replaces fields."""
    lines = (
        [dict(line) for line in SPLIT_LINES]
        if split
        else [
            {
                "description": "Regular hours",
                "quantity": 40,
                "unit": "hour",
                "unit_price": 31.25,
                "amount": 1250.0,
            }
        ]
    )
    return {
        "id": f"timesheets:{ref}",
        "remote_id": ref,
        "source_system": "timesheets",
        "worker_id": f"bullhorn:{worker_n}",
        "amount": amount,
        "currency": "USD",
        "due_date": "2026-07-17",
        "description": f"Week 28 ({ref})",
        "reference": ref,
        "line_items": lines,
        **extra,
    }
