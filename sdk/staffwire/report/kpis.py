"""The KPIs, each computed from the mirror (current records and the stage-edit trail) and the run history.

Every figure is a dict ``{value, unit, definition, ...counts}``; ``value`` is None when the data for it is not
there (the ``note`` says what is missing), never a made-up zero.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

import orjson

from staffwire.py310 import datetime_fromisoformat

__all__ = ["DEFINITIONS", "FUNNEL", "build_report"]

#: The funnel's stages in order; reaching a later stage implies having passed the earlier ones.
FUNNEL = ("submitted", "interview", "offer", "placed")
_RANK = {"new": 0, "submitted": 1, "client_submitted": 1, "interview": 2, "offer": 3, "placed": 4}
DUPLICATE_KEYS: list[str | list[str]] = ["email", "phone", ["first_name", "last_name", "address.postal_code"]]

DEFINITIONS = {
    "duplicate_record_rate": "Share of current (not deleted) candidates in the mirror that match an earlier "
    "candidate on any match key: normalised email, phone (E.164), or first name + last name + postcode (trimmed, "
    "case-insensitive).",
    "stage_reconciliation_rate": "Of the submissions found in both mirrored systems (matched by the candidate's "
    "normalised email and the job's normalised title), the share whose standard stage agrees. Needs --against.",
    "sync_error_resolution_time": "For each streak of failed runs of a connection, the time from the start of "
    "its first failed run to the end of the next successful run; the median over resolved streaks.",
    "time_to_first_response": "For each submission, the time from submitted_at (else its first sighting) to the "
    "first stage change beyond new/submitted, by the source's remote_updated_at (else when the runner saw it); the "
    "median.",
    "submission_to_interview": "Share of submissions that reached interview or a later stage (offer, placed), as "
    "observed in the stage-edit trail and the current records.",
    "interview_to_offer": "Share of submissions that reached interview and went on to offer or placed.",
    "offer_acceptance": "Share of submissions that reached offer and went on to placed.",
}


def _when(text: Any) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        parsed = datetime_fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def build_report(
    warehouse: Any,
    runs: Sequence[dict[str, Any]],
    connections: Sequence[str],
    *,
    against: str | None = None,
    generated_at: str,
) -> dict[str, Any]:
    """The report's figures (the JSON output; the HTML page shows the same)."""
    names = list(connections)
    kpis: dict[str, dict[str, Any]] = {}
    kpis["duplicate_record_rate"] = _duplicates(warehouse, names)
    kpis["stage_reconciliation_rate"] = _reconciliation(warehouse, names, against)
    kpis["sync_error_resolution_time"] = _resolution(runs)
    funnel, first_response = _funnel(warehouse, names)
    kpis["time_to_first_response"] = first_response
    reached = {row["stage"]: row["submissions"] for row in funnel}
    for name, (upper, lower) in {
        "submission_to_interview": ("interview", "submitted"),
        "interview_to_offer": ("offer", "interview"),
        "offer_acceptance": ("placed", "offer"),
    }.items():
        kpis[name] = {
            "value": _rate(reached[upper], reached[lower]),
            "unit": "ratio",
            "numerator": reached[upper],
            "denominator": reached[lower],
        }
    for name, figure in kpis.items():
        figure["definition"] = DEFINITIONS[name]
    return {
        "generated_at": generated_at,
        "connections": names,
        "against": against,
        "kpis": kpis,
        "trend": [
            {
                "run_id": r["id"],
                "connection": r["connection"],
                "status": r["status"],
                "started_at": r["started_at"],
                "records_read": r["records_read"] or 0,
                "records_written": r["records_written"] or 0,
                "records_rejected": r["records_rejected"] or 0,
            }
            for r in sorted(runs, key=lambda r: r["id"])
        ],
        "funnel": funnel,
        "drift": _drift(warehouse, names),
    }


def _in(names: Sequence[str]) -> str:
    return ", ".join("?" for _ in names) or "NULL"


def _duplicates(warehouse: Any, names: Sequence[str]) -> dict[str, Any]:
    from staffwire.mapping import Deduper

    dedupe = Deduper(keys=DUPLICATE_KEYS)
    rows = warehouse.query(
        f"SELECT data FROM mirror_current WHERE stream = 'candidates' AND deleted_at IS NULL AND connection IN "
        f"({_in(names)}) ORDER BY connection, record_id",
        list(names),
    )
    for (data,) in rows:
        dedupe.check(orjson.loads(data) if isinstance(data, (str, bytes)) else data)
    found = dedupe.report()
    return {
        "value": round(found.rate, 4) if found.total else None,
        "unit": "ratio",
        "numerator": found.duplicates,
        "denominator": found.total,
        "by_key": found.by_key,
        **({} if found.total else {"note": "no candidates in the mirror"}),
    }


def _reconciliation(warehouse: Any, names: Sequence[str], against: str | None) -> dict[str, Any]:
    from staffwire.audit import stage_reconciliation

    if against is None or not names:
        return {
            "value": None,
            "unit": "ratio",
            "note": "needs two mirrored systems: give --against CONNECTION",
        }
    matched, agreeing = stage_reconciliation(warehouse, names[0], against)
    return {"value": _rate(agreeing, matched), "unit": "ratio", "numerator": agreeing, "denominator": matched}


def _resolution(runs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    durations: list[float] = []
    open_streaks = 0
    by_connection: dict[str, list[dict[str, Any]]] = {}
    for run in sorted(runs, key=lambda r: r["id"]):
        by_connection.setdefault(run["connection"], []).append(run)
    for history in by_connection.values():
        failing_since: datetime | None = None
        for run in history:
            if run["status"] == "failed" and failing_since is None:
                failing_since = _when(run["started_at"])
            elif run["status"] == "succeeded" and failing_since is not None:
                ended = _when(run.get("ended_at"))
                if ended is not None:
                    durations.append((ended - failing_since).total_seconds())
                failing_since = None
        if failing_since is not None:
            open_streaks += 1
    return {
        "value": round(statistics.median(durations), 3) if durations else None,
        "unit": "seconds",
        "resolved": len(durations),
        "unresolved": open_streaks,
        "durations": [round(d, 3) for d in durations],
        **({} if durations else {"note": "no failed run has been followed by a successful one"}),
    }


def _funnel(warehouse: Any, names: Sequence[str]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """How many submissions reached each funnel stage, and the time to first response."""
    params = list(names)
    current = warehouse.query(
        f"SELECT connection, record_id, data->>'stage', data->>'submitted_at' FROM mirror_current "
        f"WHERE stream = 'submissions' AND connection IN ({_in(names)})",
        params,
    )
    trail = warehouse.query(
        f"SELECT connection, record_id, new_value, remote_updated_at, seen_at FROM mirror_stage_changes "
        f"WHERE stream = 'submissions' AND connection IN ({_in(names)}) ORDER BY seen_at",
        params,
    )
    best: dict[tuple[str, str], int] = {}
    started: dict[tuple[str, str], datetime | None] = {}
    for connection, record_id, stage, submitted_at in current:
        key = (connection, record_id)
        best[key] = max(best.get(key, 0), _RANK.get(stage or "", 0), 1)
        started[key] = _when(submitted_at)
    first_response: dict[tuple[str, str], datetime] = {}
    first_seen: dict[tuple[str, str], datetime | None] = {}
    for connection, record_id, stage, remote_updated_at, seen_at in trail:
        key = (connection, record_id)
        first_seen.setdefault(key, _when(seen_at))
        rank = _RANK.get(stage or "", 0)
        if key in best:
            best[key] = max(best[key], rank)
        if rank >= 2 and key not in first_response:
            when = _when(remote_updated_at) or _when(seen_at)
            if when is not None:
                first_response[key] = when
    hours = []
    for key, responded in first_response.items():
        start = started.get(key) or first_seen.get(key)
        if start is not None and responded >= start:
            hours.append((responded - start).total_seconds() / 3600)
    funnel = [
        {"stage": stage, "submissions": sum(1 for rank in best.values() if rank >= _RANK[stage])}
        for stage in FUNNEL
    ]
    response = {
        "value": round(statistics.median(hours), 3) if hours else None,
        "unit": "hours",
        "submissions": len(hours),
        **({} if hours else {"note": "no submission has moved beyond new/submitted yet"}),
    }
    return funnel, response


def _drift(warehouse: Any, names: Sequence[str]) -> list[dict[str, Any]]:
    rows = warehouse.query(
        f"SELECT a.connection, a.stream, a.missing, a.extra, a.changed, a.audited_at FROM mirror_audits a "
        f"JOIN (SELECT connection, max(audited_at) AS last FROM mirror_audits GROUP BY connection) l "
        f"ON l.connection = a.connection AND l.last = a.audited_at WHERE a.connection IN ({_in(names)}) "
        "ORDER BY a.connection, a.stream",
        list(names),
    )
    return [
        {
            "connection": r[0],
            "stream": r[1],
            "missing": r[2],
            "extra": r[3],
            "changed": r[4],
            "audited_at": r[5],
        }
        for r in rows
    ]
