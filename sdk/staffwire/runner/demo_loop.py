"""The demo's return path (Wingspan -> Bullhorn): the loop that ``staffwire demo`` closes after its Bullhorn ->
Wingspan syncs.

1. the Wingspan sandbox completes onboarding for some of the contractors the demo created (in Wingspan the
   contractor does this: sign up, W-9, payout method; the sandbox's admin switch stands in for them);
2. the Wingspan -> Bullhorn connections write it back: source-wingspan's ``workers`` into a candidate field the
   connection names (``customText3``) and, for the workers now ready, an audit Note on the candidate. A connection
   lists each source stream once, so the Note is a second connection over the same ``workers`` stream;
3. a final run of every connection changes nothing: the Bullhorn -> Wingspan connection reads back the candidates
   the write-back touched (their ``dateLastModified`` moved) and writes nothing to Wingspan, and the Wingspan ->
   Bullhorn connections have nothing new to read. The two directions settle instead of echoing.

The connection files are built from destination-bullhorn's ready-made streams
(:mod:`destination_bullhorn.connections`), with the standard ``workers`` field names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from staffwire.errors import ConfigError
from staffwire.runner.stats import RunResult

__all__ = [
    "NOTES_CONNECTION",
    "ONBOARDED",
    "STATUS_CONNECTION",
    "STATUS_FIELD",
    "LoopStep",
    "describe_loop_step",
    "onboard_some",
    "return_connection_files",
]

STATUS_CONNECTION = "wingspan-to-bullhorn"
NOTES_CONNECTION = "wingspan-to-bullhorn-notes"
#: The candidate field the write-back connection owns: Wingspan's onboarding status lands there.
STATUS_FIELD = "customText3"
#: How many of the demo's contractors finish onboarding in Wingspan.
ONBOARDED = 5


def _streams() -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        from destination_bullhorn.connections import onboarding_note_stream, onboarding_status_stream
    except ImportError:
        raise ConfigError(
            "the demo's write-back needs destination-bullhorn; install it (pip install destination-bullhorn) "
            "and run again."
        ) from None
    # incremental: source-wingspan emits only the workers whose payee changed since the last run
    status = onboarding_status_stream(candidate_field=STATUS_FIELD)
    note = onboarding_note_stream()
    return {**status, "sync_mode": "incremental"}, {**note, "sync_mode": "incremental"}


def return_connection_files(folder: Path, bullhorn: Any, wingspan: Any) -> tuple[list[Path], dict[str, str]]:
    """The Wingspan -> Bullhorn connection files (status, then notes; secrets as ``${VAR}``) and the environment
    that fills them in (the same variables as the Bullhorn -> Wingspan file)."""
    destination = bullhorn.demo_config()
    env = {
        "BULLHORN_CLIENT_SECRET": destination.pop("client_secret"),
        "BULLHORN_PASSWORD": destination.pop("password"),
        "WINGSPAN_API_TOKEN": wingspan.demo_config()["api_token"],
    }
    destination.update(client_secret="${BULLHORN_CLIENT_SECRET}", password="${BULLHORN_PASSWORD}")
    source = {"api_token": "${WINGSPAN_API_TOKEN}", "api_url": wingspan.url}
    paths = []
    for name, stream in zip((STATUS_CONNECTION, NOTES_CONNECTION), _streams(), strict=True):
        document = {
            "name": name,
            "source": {"connector": "source-wingspan", "config": source},
            "destination": {"connector": "destination-bullhorn", "config": destination},
            "streams": [stream],
        }
        path = folder / f"{name}.yaml"
        path.write_text(yaml.safe_dump(document, sort_keys=False))
        paths.append(path)
    return paths, env


def onboard_some(wingspan: Any, count: int = ONBOARDED) -> list[str]:
    """The Wingspan sandbox completes onboarding for the ``count`` active contractors with the lowest Bullhorn
    ids (the same ones every time: bulk batches create contractors in no fixed order); their external ids."""
    active = [
        c["externalId"] for c in wingspan.contractors() if c["status"] != "Inactive" and c["externalId"]
    ]
    chosen = sorted(active, key=lambda external_id: (len(external_id), external_id))[:count]
    for external_id in chosen:
        wingspan.onboard(external_id)
    return chosen


@dataclass
class LoopStep:
    """One Wingspan -> Bullhorn sync of the demo and what it did in Bullhorn."""

    title: str
    result: RunResult
    candidates_updated: int
    notes_created: int
    bullhorn_writes: int  # write requests Bullhorn accepted during the run

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "run": self.result.as_dict(),
            "candidates_updated": self.candidates_updated,
            "notes_created": self.notes_created,
            "bullhorn_writes": self.bullhorn_writes,
        }


def _count(result: RunResult, key: str) -> int:
    return sum(int(s.get(key) or 0) for s in result.streams.values())


def describe_loop_step(step: LoopStep, shown: int = 5) -> list[str]:
    """What one Wingspan -> Bullhorn run read and did, for the demo's output."""
    result = step.result
    read = ", ".join(f"{name} {s['records_read']}" for name, s in result.streams.items()) or "nothing"
    unchanged, ignored = _count(result, "records_unchanged"), _count(result, "records_ignored")
    done = [f"{_plural(step.candidates_updated, 'candidate')} updated ({STATUS_FIELD})"] * bool(
        step.candidates_updated
    ) + [f"{_plural(step.notes_created, 'note')} created"] * bool(step.notes_created)
    lines = [
        f"  read from Wingspan: {read}",
        f"  in Bullhorn: {', '.join(done) or 'nothing written'}; unchanged {unchanged}, ignored {ignored}; "
        f"{_plural(step.bullhorn_writes, 'write')} sent",
    ]
    rejected = result.rejected_records
    lines.append(f"  rejected: {_plural(len(rejected), 'record') if rejected else 'none'}")
    for entry in rejected[:shown]:
        reasons = "; ".join(str(r.get("message")) for r in entry.get("reasons") or [] if isinstance(r, dict))
        lines.append(f"    {entry.get('stream')} {entry.get('record_id') or '(no id)'}: {reasons}")
    for error in result.errors:
        lines.append(f"  error ({error.failure_type}): {error.message}")
    lines.append(f"  run {result.run_id} ({result.connection}): {result.status} in {result.duration_s:.2f}s")
    return lines


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
