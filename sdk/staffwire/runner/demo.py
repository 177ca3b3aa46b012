"""``staffwire demo``: Bullhorn -> Wingspan end to end, on one machine, with nothing to set up.

1. start the Bullhorn and Wingspan sandboxes on loopback (seeded, realistic data);
2. write a connection file (secrets as ``${VAR}`` references, their values only in this process's environment)
   and sync it: placed candidates become Wingspan contractors, hourly placements become first-week payables;
3. change a few things in Bullhorn (a new placement, a status change to Placed, a soft delete) and sync again:
   only the changes move, from the state the first run committed;
4. close the loop (:mod:`staffwire.runner.demo_loop`): Wingspan onboards some contractors, two Wingspan -> Bullhorn
   connections write their status (a candidate field, a Note) back, and a final run of every connection writes
   nothing.

Everything the runner does for a real connection happens here too: state in SQLite, run history, progress.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import yaml

from staffwire.errors import ConfigError
from staffwire.runner.connection import load_connection
from staffwire.runner.demo_loop import (
    STATUS_FIELD,
    LoopStep,
    describe_loop_step,
    onboard_some,
    return_connection_files,
)
from staffwire.runner.progress import NullProgress, Progress, make_progress, wrap_lines
from staffwire.runner.stats import RunResult
from staffwire.runner.store import StateStore, default_db_path
from staffwire.runner.sync import run_sync

__all__ = ["DEMO_PAYABLES_MAPPING", "DemoOutcome", "main", "run_demo"]

CONNECTION = "bullhorn-to-wingspan-demo"
STREAMS = ("candidates", "placements")

#: The destination's stream mapping the demo uses (loaded on first use by ``__getattr__`` below).
DEMO_PAYABLES_MAPPING: dict[str, Any]


def __getattr__(name: str) -> Any:
    """``DEMO_PAYABLES_MAPPING``: the destination's stream mapping the demo uses (every hourly placement becomes
    a first-week payable); it ships with destination-wingspan as ``examples.PLACEMENTS_TO_PAYABLES``."""
    if name == "DEMO_PAYABLES_MAPPING":
        return _payables_mapping()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _payables_mapping() -> dict[str, Any]:
    try:
        from destination_wingspan.examples import PLACEMENTS_TO_PAYABLES
    except ImportError:
        raise ConfigError(
            "the demo needs destination-wingspan's example mapping; install it (pip install "
            "destination-wingspan) and run again."
        ) from None
    return PLACEMENTS_TO_PAYABLES


@dataclass
class DemoStep:
    """One sync of the demo and what it did in Wingspan."""

    title: str
    result: RunResult
    contractors_created: int
    payables_created: int
    contractors_deactivated: int = 0
    wingspan_writes: int = 0  # write requests Wingspan accepted during the run

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "run": self.result.as_dict(),
            "contractors_created": self.contractors_created,
            "payables_created": self.payables_created,
            "contractors_deactivated": self.contractors_deactivated,
            "wingspan_writes": self.wingspan_writes,
        }


@dataclass
class DemoOutcome:
    steps: list[DemoStep] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    #: The contractors that finished onboarding in Wingspan (external ids), then the Wingspan -> Bullhorn runs.
    onboarded: list[str] = field(default_factory=list)
    write_back: list[LoopStep] = field(default_factory=list)
    db: str = ""
    duration_s: float = 0.0

    @property
    def succeeded(self) -> bool:
        results = [step.result for step in self.steps] + [step.result for step in self.write_back]
        return bool(results) and all(result.succeeded for result in results)

    def as_dict(self) -> dict[str, Any]:
        return {
            "succeeded": self.succeeded,
            "steps": [s.as_dict() for s in self.steps],
            "changes": self.changes,
            "onboarded": self.onboarded,
            "write_back": [s.as_dict() for s in self.write_back],
            "db": self.db,
            "duration_s": self.duration_s,
        }


def _sandbox_class(system: str, fallback_module: str, fallback_class: str) -> type:
    """The emulator from the plugin registry (``staffwire_sandboxes``), else from the connector package."""
    try:
        from staffwire.plugins import find_sandbox

        return find_sandbox(system)
    except ConfigError:
        pass
    try:
        module = __import__(fallback_module, fromlist=[fallback_class])
    except ImportError:
        raise ConfigError(
            f"the demo needs the {system} sandbox, which ships with its connector package; install it "
            f"(pip install {fallback_module.split('.')[0].replace('_', '-')}) and run again."
        ) from None
    cls: type = getattr(module, fallback_class)
    return cls


@contextmanager
def _sandboxes(candidates: int) -> Iterator[tuple[Any, Any]]:
    bullhorn_class = _sandbox_class("bullhorn", "source_bullhorn.sandbox", "BullhornSandbox")
    wingspan_class = _sandbox_class("wingspan", "destination_wingspan.sandbox", "WingspanSandbox")
    with ExitStack() as stack:
        bullhorn = stack.enter_context(bullhorn_class(seed=7, candidates=candidates))
        wingspan = stack.enter_context(wingspan_class())
        yield bullhorn, wingspan


def _connection_file(folder: Path, bullhorn: Any, wingspan: Any) -> tuple[Path, dict[str, str]]:
    """The demo's connection file (secrets as ``${VAR}``) and the environment that fills them in."""
    source = bullhorn.demo_config()
    destination = wingspan.demo_config(stream_mappings=[_payables_mapping()])
    env = {
        "BULLHORN_CLIENT_SECRET": source.pop("client_secret"),
        "BULLHORN_PASSWORD": source.pop("password"),
        "WINGSPAN_API_TOKEN": destination.pop("api_token"),
    }
    source.update(client_secret="${BULLHORN_CLIENT_SECRET}", password="${BULLHORN_PASSWORD}")
    destination["api_token"] = "${WINGSPAN_API_TOKEN}"
    document = {
        "name": CONNECTION,
        "source": {"connector": "source-bullhorn", "config": source},
        "destination": {"connector": "destination-wingspan", "config": destination},
        "streams": [
            {"name": name, "sync_mode": "incremental", "destination_sync_mode": "append_dedup"}
            for name in STREAMS
        ],
    }
    path = folder / "bullhorn-to-wingspan.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path, env


def _make_changes(bullhorn: Any) -> list[str]:
    """A new placement, a status change to Placed, a soft delete: what a recruiter does in a day."""
    with bullhorn.lock:
        rows = dict(bullhorn.rows["Candidate"])

    def name(row: dict[str, Any]) -> str:
        return f"{row.get('firstName', '')} {row.get('lastName', '')}".strip()

    live = [r for _, r in sorted(rows.items()) if not r.get("isDeleted")]
    not_placed = [r for r in live if r.get("status") != "Placed" and r.get("email")]
    placed = [r for r in live if r.get("status") == "Placed"]
    if len(not_placed) < 2 or not placed:
        raise ConfigError("the Bullhorn sandbox's seed has too few candidates for the demo's changes")
    first, second, gone = not_placed[0], not_placed[1], placed[-1]
    placement_id = bullhorn.place_candidate(first["id"])
    bullhorn.update("Candidate", second["id"], status="Placed")
    bullhorn.soft_delete("Candidate", gone["id"])
    return [
        f"candidate {first['id']} ({name(first)}) was placed: new placement {placement_id}, status Placed",
        f"candidate {second['id']} ({name(second)}) changed status to Placed",
        f"candidate {gone['id']} ({name(gone)}) was deleted (soft delete)",
    ]


def _next_whole_second() -> None:
    """Bullhorn's date queries have whole-second precision, so the source reads up to the last whole second;
    changes made during this second become visible from the next one."""
    time.sleep(1.02 - time.time() % 1)


def run_demo(
    *,
    db: Path | None = None,
    out: TextIO | None = None,
    progress: Progress | None = None,
    candidates: int = 200,
    sandboxes: tuple[Any, Any] | None = None,
    width: int | None = None,
) -> DemoOutcome:
    """Run the demo; what it printed went to ``out`` (nothing when None). ``sandboxes`` (a running Bullhorn and
    a running Wingspan sandbox) lets a caller inspect them afterwards; by default the demo runs its own.
    ``width`` (a terminal's) wraps long lines at word boundaries under their own indentation."""
    started = time.monotonic()
    outcome = DemoOutcome()

    def write(text: str) -> None:
        if out is None:
            return
        out.write((wrap_lines(text, width) if width else text) + "\n")
        out.flush()

    with ExitStack() as stack:
        bullhorn, wingspan = sandboxes or stack.enter_context(_sandboxes(candidates))
        # Kept where `staffwire runs` looks by default (the runner database, $STAFFWIRE_DB), with the connection
        # file in a demo/ folder beside it.
        db_path = Path(db) if db is not None else default_db_path()
        folder = db_path.parent / "demo"
        folder.mkdir(parents=True, exist_ok=True)
        outcome.db = str(db_path)
        connection_file, env = _connection_file(folder, bullhorn, wingspan)
        write("Staffwire demo: Bullhorn -> Wingspan, both emulated on loopback (no credentials, no network).")
        write(
            f"  Bullhorn sandbox: {bullhorn.url}  ({len(bullhorn.rows['Candidate'])} candidates, "
            f"{len(bullhorn.rows['Placement'])} placements)"
        )
        write(f"  Wingspan sandbox: {wingspan.url}")
        write(f"  connection: {connection_file.name} (secrets as ${{VAR}} references)")
        store = StateStore(db_path)
        try:
            for title in ("First sync: everything", "Second sync: only the changes (incremental)"):
                if outcome.steps:
                    outcome.changes = _make_changes(bullhorn)
                    _next_whole_second()
                    write("\nChanges made in Bullhorn:")
                    for change in outcome.changes:
                        write(f"  - {change}")
                write(f"\n{title}")
                step = _forward_sync(
                    title, connection_file, store, env, progress, wingspan, reset=not outcome.steps
                )  # fresh sandboxes: the first sync starts from nothing
                outcome.steps.append(step)
                for line in _describe(step):
                    write(line)
                if not step.result.succeeded:
                    break
            if outcome.succeeded:
                _close_the_loop(
                    outcome, folder, store, env, progress, write, bullhorn, wingspan, connection_file
                )
        finally:
            store.close()
    outcome.duration_s = round(time.monotonic() - started, 2)
    browse = "staffwire runs" if db is None else f"staffwire runs --db {outcome.db}"
    write(
        f"\nDone in {outcome.duration_s:.1f}s. Run history: `{browse}` (and `staffwire runs show ID`); the "
        f"connection file is {folder / 'bullhorn-to-wingspan.yaml'}."
    )
    return outcome


def _forward_sync(
    title: str,
    connection_file: Path,
    store: StateStore,
    env: dict[str, str],
    progress: Progress | None,
    wingspan: Any,
    *,
    reset: bool = False,
) -> DemoStep:
    """One run of the Bullhorn -> Wingspan connection, with what it did in Wingspan (``reset``: from no state)."""
    contractors, payables = len(wingspan.contractors()), len(wingspan.payables())
    inactive, writes = _inactive(wingspan), wingspan.writes_accepted
    result = run_sync(
        load_connection(connection_file),
        store=store,
        env={**os.environ, **env},
        progress=progress or NullProgress(),
        reset=reset,
    )
    return DemoStep(
        title,
        result,
        len(wingspan.contractors()) - contractors,
        len(wingspan.payables()) - payables,
        len(_inactive(wingspan) - inactive),
        wingspan.writes_accepted - writes,
    )


def _write_back_sync(
    title: str,
    connection_file: Path,
    store: StateStore,
    env: dict[str, str],
    progress: Progress | None,
    bullhorn: Any,
    *,
    reset: bool = False,
) -> LoopStep:
    """One run of a Wingspan -> Bullhorn connection, with what it did in Bullhorn (from the sandbox's write log;
    ``reset``: from no state, as the sandboxes are new in every demo while the history is kept)."""
    with bullhorn.lock:
        before = len(bullhorn.writes)
    result = run_sync(
        load_connection(connection_file),
        store=store,
        env={**os.environ, **env},
        progress=progress or NullProgress(),
        reset=reset,
    )
    with bullhorn.lock:
        writes = list(bullhorn.writes[before:])
    updated = {w.entity_id for w in writes if (w.method, w.entity) == ("POST", "Candidate")}
    notes = [w for w in writes if (w.method, w.entity) == ("PUT", "Note")]
    return LoopStep(title, result, len(updated), len(notes), len(writes))


def _close_the_loop(
    outcome: DemoOutcome,
    folder: Path,
    store: StateStore,
    env: dict[str, str],
    progress: Progress | None,
    write: Callable[[str], None],
    bullhorn: Any,
    wingspan: Any,
    forward_file: Path,
) -> None:
    """Contractors finish onboarding in Wingspan, the Wingspan -> Bullhorn connections write their status back,
    then a final run of every connection changes nothing (see :mod:`staffwire.runner.demo_loop`)."""
    files, loop_env = return_connection_files(folder, bullhorn, wingspan)
    env = {**env, **loop_env}
    outcome.onboarded = onboard_some(wingspan)
    write(
        f"\nIn Wingspan, {_plural(len(outcome.onboarded), 'contractor')} finished onboarding (the sandbox's "
        f"admin switch): {', '.join(outcome.onboarded)}"
    )
    write(f"  connections back: {', '.join(f.name for f in files)} (secrets as ${{VAR}} references)")
    titles = (
        f"Write-back sync: Wingspan -> Bullhorn, onboarding status into {STATUS_FIELD}",
        "Write-back sync: Wingspan -> Bullhorn, a Note on each candidate now ready",
    )

    ran: set[Path] = set()

    def back(title: str, file: Path) -> bool:
        write(f"\n{title}")
        step = _write_back_sync(title, file, store, env, progress, bullhorn, reset=file not in ran)
        ran.add(file)
        outcome.write_back.append(step)
        for line in describe_loop_step(step):
            write(line)
        return step.result.succeeded

    if not all(back(title, file) for title, file in zip(titles, files, strict=True)):
        return
    _next_whole_second()  # the write-back moved dateLastModified: the final Bullhorn read must see it
    title = "Final sync: Bullhorn -> Wingspan (reads back what the write-back changed)"
    write(f"\n{title}")
    step = _forward_sync(title, forward_file, store, env, progress, wingspan)
    outcome.steps.append(step)
    for line in _describe(step):
        write(line)
    if not step.result.succeeded:
        return
    for title, file in zip(
        ("Final sync: Wingspan -> Bullhorn, status", "Final sync: Wingspan -> Bullhorn, notes"),
        files,
        strict=True,
    ):
        if not back(title, file):
            return


def _inactive(wingspan: Any) -> set[str]:
    """External ids of the Wingspan contractors that are Inactive (deletes in Bullhorn end up here)."""
    return {c["externalId"] for c in wingspan.contractors() if c["status"] == "Inactive"}


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _reason(rejected: dict[str, Any]) -> str:
    reasons = [
        str(r["message"]) for r in rejected.get("reasons") or [] if isinstance(r, dict) and r.get("message")
    ]
    return "; ".join(reasons) or str(rejected.get("message"))


def _describe(step: DemoStep, shown: int = 5) -> list[str]:
    result = step.result
    read = ", ".join(f"{name} {s['records_read']}" for name, s in result.streams.items()) or "nothing"
    lines = [
        f"  read from Bullhorn: {read}",
        f"  created in Wingspan: {_plural(step.contractors_created, 'contractor')}, "
        f"{_plural(step.payables_created, 'payable')}"
        + (
            f"; set Inactive: {_plural(step.contractors_deactivated, 'contractor')}"
            if step.contractors_deactivated
            else ""
        )
        + f"; {_plural(step.wingspan_writes, 'write')} sent",
    ]
    rejected = result.rejected_records
    lines.append(f"  rejected: {_plural(len(rejected), 'record') if rejected else 'none'}")
    for entry in rejected[:shown]:
        lines.append(f"    {entry.get('stream')} {entry.get('record_id') or '(no id)'}: {_reason(entry)}")
    if len(rejected) > shown:
        lines.append(
            f"    ... and {len(rejected) - shown} more: staffwire runs show {result.run_id} lists them all"
        )
    for error in result.errors:
        lines.append(f"  error ({error.failure_type}): {error.message}")
    lines.append(f"  run {result.run_id}: {result.status} in {result.duration_s:.2f}s")
    return lines


def main(*, db: Path | None = None, as_json: bool = False) -> int:
    """``staffwire demo``; exit code 0 when every sync succeeded."""
    if as_json:
        outcome = run_demo(db=db)
        sys.stdout.write(json.dumps(outcome.as_dict(), indent=2) + "\n")
    else:
        outcome = run_demo(
            db=db,
            out=sys.stdout,
            progress=make_progress(sys.stdout, level="ERROR", summary=False, plain=False),
            width=shutil.get_terminal_size().columns - 1 if sys.stdout.isatty() else None,
        )
    return 0 if outcome.succeeded else 1
