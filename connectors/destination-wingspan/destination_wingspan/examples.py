"""Ready-made ``stream_mappings`` entries (plain data: copy one before changing it).

``PLACEMENTS_TO_PAYABLES`` is the mapping ``staffwire demo`` runs: every hourly placement becomes a payable for its
first week (40 hours at the pay rate), due a week after the start date, written exactly once through its
``reference``::

    config["stream_mappings"] = [copy.deepcopy(PLACEMENTS_TO_PAYABLES)]
"""

from __future__ import annotations

from typing import Any

__all__ = ["PLACEMENTS_TO_PAYABLES"]

PLACEMENTS_TO_PAYABLES: dict[str, Any] = {
    "stream": "placements",
    "target": "payables",
    "when": {"field": "pay_unit", "in": ["hour"]},
    "fields": {
        "worker_id": "candidate_id",
        "amount": {"path": "pay_rate", "transforms": [{"multiply": 40}, "money"]},
        "currency": "currency",
        "due_date": {"path": "start_date", "transforms": [{"add_days": 7}]},
        "description": {"template": "First week of placement {id}"},
        "reference": {"template": "placement:{id}:week1"},
    },
}
