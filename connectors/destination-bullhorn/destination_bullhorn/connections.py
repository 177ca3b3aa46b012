"""Ready-made connection streams for the status write-back loop (Wingspan -> Bullhorn), for the demo and for users:
the worker's onboarding status into a candidate field the connection names, and an audit Note, exactly once.

::

    streams = [onboarding_status_stream()]                       # connection 1: workers -> Candidate
    streams = [onboarding_note_stream()]                         # connection 2: workers -> Note

Both take the source's field names (the standard ``workers`` stream by default: ``candidate_id`` holding
``bullhorn:<id>``, ``onboarding_status``, ``onboarded_at``) so another payments source can be wired the same way.
"""

from __future__ import annotations

from typing import Any

__all__ = ["onboarding_note_stream", "onboarding_status_stream"]


def onboarding_status_stream(
    *,
    stream: str = "workers",
    link_field: str = "candidate_id",
    status_field: str = "onboarding_status",
    candidate_field: str = "customText3",
) -> dict[str, Any]:
    """A connection stream that writes ``status_field`` into the candidate's ``candidate_field`` (owned by this
    connection alone), matching the candidate by the Bullhorn id in ``link_field`` (``bullhorn:<id>``)."""
    return {
        "name": stream,
        "sync_mode": "full_refresh",
        "destination_object": "Candidate",
        "destination_sync_mode": "update",
        "matching_keys": [["id"]],
        "mapping": {"id": link_field, candidate_field: status_field},
        "when": {"field": link_field, "matches": r"^(bullhorn:)?\d+$"},
        "owned_fields": [candidate_field],
    }


def onboarding_note_stream(
    *,
    stream: str = "workers",
    link_field: str = "candidate_id",
    status_field: str = "onboarding_status",
    ready: tuple[str, ...] = ("ready",),
    date_field: str = "onboarded_at",
    action: str = "Email",
) -> dict[str, Any]:
    """A connection stream that appends one Note per worker that became ready ("Wingspan onboarding complete on
    <date>"), keyed by ``externalID`` = ``onboarded:<worker id>`` so it is written exactly once (Bullhorn's
    ``Note.externalID`` holds 50 characters: ``onboarded:wingspan:<22-character payee id>`` is 41)."""
    return {
        "name": stream,
        "sync_mode": "full_refresh",
        "destination_object": "Note",
        "destination_sync_mode": "append_dedup",
        "matching_keys": [["externalID"]],
        "when": {
            "all": [
                {"field": status_field, "in": list(ready)},
                {"field": link_field, "matches": r"^(bullhorn:)?\d+$"},
            ]
        },
        "mapping": {
            "externalID": {"template": "onboarded:{id}"},
            "personReference": link_field,
            "action": {"const": action},
            "comments": {"template": "Wingspan onboarding complete on {" + date_field + "}"},
        },
    }
