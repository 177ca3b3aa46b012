"""Differential recordings: prove that a rewritten reader reads exactly what the reader before it read.

A connector keeps a recorder script (``tests/differential/record.py``) whose ``record()`` drives the connector
through the protocol against its sandbox -- a scenario of reads, and changes made between them -- and answers, per
read and stream, what came out (sorted ids, estimates, final state). Recorded once with the old reader into
``golden.json`` beside the script, it pins the behaviour a refactor must keep: the test runs the recorder with the
current reader and compares the text with the golden file. Only public entry points are used, so the same script
runs against any revision of the connector.

This module holds what every recorder shares, so that a recorder is only its scenario:

* :func:`catalog` -- a configured catalog from the connector's own discover, for chosen streams and a sync mode;
* :func:`read` -- one conformant read that must succeed;
* :func:`next_state` -- the STREAM states of a read, as the ``--state`` input of the next read;
* :func:`summary` -- what each stream of a read gave: sorted ids, estimates, final state;
* :func:`sent_requests` -- what a read asked of a sandbox, comparable between runs;
* :func:`read_step` -- the usual read of a scenario: catalog, read, summary (and requests), next state;
* :func:`in_turn` -- named reads one after the other, each incremental read resuming from the one before, with
  the scenario's changes between them; :func:`around_a_change` -- the usual plan of such reads;
* :func:`main` -- the script's command line (print, ``--write`` golden.json, ``--check``);
* :func:`assert_matches_golden` -- the test: a recorder's output equals its golden.json, or a readable diff.
"""

from __future__ import annotations

import difflib
import importlib.util
import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

from staffwire.testing.conformance import ConnectorResult, assert_conformant, run_connector
from staffwire.testing.sandbox import Sandbox

GOLDEN = "golden.json"
#: how many lines of a diff a failure shows (a recording can be thousands of lines)
DIFF_LINES = 120


def catalog(
    connector: type, config: Mapping[str, Any], mode: str, streams: Iterable[str] | None = None
) -> dict[str, Any]:
    """A configured catalog of ``streams`` (every discovered stream when None), in that order, from the
    connector's discover: ``mode`` where the stream supports it (full refresh where it does not), with the
    default cursor for incremental, appended."""
    discovered = read(connector, config, None, command="discover").catalog
    assert discovered is not None, "discover printed no CATALOG"
    by_name = {s["name"]: s for s in discovered["streams"]}
    names = list(by_name) if streams is None else list(streams)
    missing = [n for n in names if n not in by_name]
    assert not missing, f"discover has no stream {', '.join(missing)} (its streams: {', '.join(by_name)})"
    configured = []
    for name in names:
        stream = by_name[name]
        sync_mode = mode if mode in stream.get("supported_sync_modes", []) else "full_refresh"
        entry = {"stream": stream, "sync_mode": sync_mode, "destination_sync_mode": "append"}
        if sync_mode == "incremental" and stream.get("default_cursor_field"):
            entry["cursor_field"] = stream["default_cursor_field"]
        configured.append(entry)
    return {"streams": configured}


def read(
    connector: type,
    config: Mapping[str, Any],
    configured: Mapping[str, Any] | None,
    state: Any = None,
    *,
    command: str = "read",
    sandbox: Sandbox | None = None,
) -> ConnectorResult:
    """Run ``command`` (a read of ``configured`` from ``state`` by default); it must succeed and conform to the
    protocol, since a recording of a failed run would pin the failure. With ``sandbox``, its request log is
    cleared first, so that :func:`sent_requests` answers what this run asked."""
    if sandbox is not None:
        sandbox.clear_log()
    result = run_connector(connector, command, config=config, catalog=configured, state=state)
    assert result.exit_code == 0, f"{command} failed: {result.trace_errors}"
    assert_conformant(result, catalog=configured)
    return result


def next_state(result: ConnectorResult, *, first: bool = False) -> list[dict[str, Any]]:
    """The state file to resume from what ``result`` checkpointed: per stream its last STREAM state (its first
    with ``first``, to resume from inside a read), streams in the order they first checkpointed."""
    chosen: dict[str, dict[str, Any]] = {}
    for state in result.states:
        if state.get("type") != "STREAM":
            continue
        name = state["stream"]["stream_descriptor"]["name"]
        if not (first and name in chosen):  # a later state replaces the value, the stream keeps its place
            chosen[name] = {"type": "STREAM", "stream": state["stream"]}
    return list(chosen.values())


def record_id(stream: str, record: Mapping[str, Any]) -> Any:
    """The default id of a record: its ``id``, as text (so integer and string ids sort alike)."""
    return str(record["id"])


def summary(
    result: ConnectorResult,
    streams: Iterable[str] | None = None,
    *,
    key: Callable[[str, Mapping[str, Any]], Any] = record_id,
    ids: Callable[[list[Any]], Any] = sorted,
    deleted: Callable[[Mapping[str, Any]], bool] | None = None,
    estimates: bool = True,
    state: bool = True,
) -> dict[str, dict[str, Any]]:
    """Per stream of ``streams`` (when None: every stream with a record or a state, by name) what the read gave:

    * ``ids``: ``ids(...)`` of the record keys in the order read (sorted by default: parallel reads interleave);
    * ``deleted``: with a ``deleted`` test, the keys of the deletion markers, which ``ids`` then leaves out;
    * ``estimates``: the ESTIMATE trace bodies, in order;
    * ``state``: the last ``stream_state`` (None when the stream did not checkpoint).
    """
    keys: dict[str, list[Any]] = {}
    gone: dict[str, list[Any]] = {}
    for message in result.record_messages():
        name, data = message["stream"], message["data"]
        into = gone if deleted is not None and deleted(data) else keys
        into.setdefault(name, []).append(key(name, data))
    final: dict[str, Any] = {}
    for body in result.states:
        if body.get("type") == "STREAM":
            final[body["stream"]["stream_descriptor"]["name"]] = body["stream"].get("stream_state")
    found: dict[str, list[dict[str, Any]]] = {}
    for trace in result.traces:
        if trace["type"] == "ESTIMATE":
            found.setdefault(trace["estimate"]["name"], []).append(trace["estimate"])
    names = sorted(set(keys) | set(gone) | set(final)) if streams is None else list(streams)
    out: dict[str, dict[str, Any]] = {}
    for name in names:
        entry: dict[str, Any] = {"ids": ids(keys.get(name, []))}
        if deleted is not None:
            entry["deleted"] = ids(gone.get(name, []))
        if estimates:
            entry["estimates"] = found.get(name, [])
        if state:
            entry["state"] = final.get(name)
        out[name] = entry
    return out


def sent_requests(sandbox: Sandbox) -> list[str]:
    """What the sandbox was asked since its log was last cleared: ``METHOD path?query status``, sorted (parallel
    reads interleave)."""
    return sorted(f"{r.method} {r.path}?{urlencode(r.query, doseq=True)} {r.status}" for r in sandbox.log)


#: one read of a scenario: (sync mode, state to start from) -> (what to record of it, the state it ends with)
ReadStep = Callable[[str, Any], tuple[Any, list[dict[str, Any]]]]


def read_step(
    connector: type,
    config: Mapping[str, Any],
    streams: Sequence[str] | None = None,
    *,
    sandbox: Sandbox | None = None,
    full_refresh_state: bool = True,
    **options: Any,
) -> ReadStep:
    """A read for :func:`in_turn`: of ``streams`` (every discovered one when None) in the step's mode, recorded as
    their :func:`summary` (``options`` are its keyword arguments; no ``state`` for a full refresh unless
    ``full_refresh_state``) and, with ``sandbox``, the requests made under ``"requests"``."""

    def step(mode: str, state: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        configured = catalog(connector, config, mode, streams)
        result = read(connector, config, configured, state, sandbox=sandbox)
        names = [s["stream"]["name"] for s in configured["streams"]]
        with_state = full_refresh_state or mode == "incremental"
        recorded: dict[str, Any] = summary(result, names, state=with_state, **options)
        if sandbox is not None:
            recorded = {"requests": sent_requests(sandbox), **recorded}
        return recorded, next_state(result)

    return step


def in_turn(read: ReadStep, *steps: tuple[str, str] | Callable[[], object]) -> dict[str, Any]:
    """Run a scenario: a ``(name, mode)`` step reads in that mode and records the read under its name (an
    incremental read starts from the state the previous incremental read ended with, the first from none); a
    callable step changes the sandbox between reads. Answers {name: what ``read`` recorded}."""
    recorded: dict[str, Any] = {}
    state: Any = None
    for step in steps:
        if callable(step):
            step()
            continue
        name, mode = step
        assert name not in recorded, f"two reads of the scenario are called {name!r}"
        if mode == "incremental":
            recorded[name], state = read(mode, state)
        else:
            recorded[name], _ = read(mode, None)
    return recorded


def around_a_change(
    change: Callable[[], object], after: str = "incremental_after_a_change"
) -> tuple[tuple[str, str] | Callable[[], object], ...]:
    """The usual plan for :func:`in_turn`: a full refresh, a first incremental read, one from its state with nothing
    changed (it must read nothing new), then the scenario's ``change`` and an incremental read after it."""
    return (
        ("full_refresh", "full_refresh"),
        ("incremental_first", "incremental"),
        ("incremental_unchanged", "incremental"),
        change,
        (after, "incremental"),
    )


def dump_json(recorded: Any) -> str:
    """The golden file's text: indented, keys sorted, so that two runs of the same code write the same bytes."""
    return json.dumps(recorded, indent=1, sort_keys=True) + "\n"


def golden_path(script: str | Path) -> Path:
    return Path(script).resolve().with_name(GOLDEN)


def main(
    script: str | Path,
    record: Callable[[], Any],
    *,
    dump: Callable[[Any], str] = dump_json,
    argv: Sequence[str] | None = None,
) -> int:
    """``record.py`` prints the recording; ``--write`` rewrites the golden.json beside it (do that with the OLD
    reader only); ``--check`` compares with it (exit 1 and the diff when they differ)."""
    args = list(sys.argv[1:] if argv is None else argv)
    unknown = [a for a in args if a not in ("--write", "--check")]
    if unknown:
        sys.stderr.write(f"usage: {Path(script).name} [--write | --check] (unknown: {' '.join(unknown)})\n")
        return 2
    text = dump(record())
    golden = golden_path(script)
    if "--write" in args:
        golden.write_text(text)
        sys.stderr.write(f"wrote {golden}\n")
    elif "--check" in args:
        problem = difference(golden, text)
        if problem:
            sys.stderr.write(problem + "\n")
            return 1
        sys.stderr.write(f"same as {golden}\n")
    else:
        sys.stdout.write(text)
    return 0


def difference(golden: Path, text: str) -> str | None:
    """None when ``text`` is exactly the golden file, else a unified diff (cut to :data:`DIFF_LINES` lines)."""
    want = golden.read_text()
    if text == want:
        return None
    diff = [f"--- {golden} (old reader)", "+++ recorded now", *_unified(want.splitlines(), text.splitlines())]
    more = f"\n... {len(diff) - DIFF_LINES} more diff lines" if len(diff) > DIFF_LINES else ""
    return "the reader no longer reads what was recorded:\n" + "\n".join(diff[:DIFF_LINES]) + more


def _unified(old: list[str], new: list[str]) -> list[str]:
    """difflib's unified diff without its "popular line" heuristic (``autojunk``), which in a recording full of
    ``],`` and ``},`` lines turns a one-line change into a diff of hundreds."""
    lines: list[str] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for group in matcher.get_grouped_opcodes(3):
        (_, i1, _, j1, _), (*_, i2, _, j2) = group[0], group[-1]
        lines.append(f"@@ -{i1 + 1},{i2 - i1} +{j1 + 1},{j2 - j1} @@")
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                lines += [" " + line for line in old[a1:a2]]
                continue
            lines += ["-" + line for line in old[a1:a2]]
            lines += ["+" + line for line in new[b1:b2]]
    return lines


def load_recorder(script: str | Path) -> ModuleType:
    """Import a recorder script by path (every connector's is called ``record.py``, so each gets its own module
    name)."""
    path = Path(script).resolve()
    name = "differential_" + re.sub(r"\W", "_", str(path.with_suffix("")))
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, f"cannot load {path}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def assert_matches_golden(script: str | Path) -> None:
    """Run the recorder ``script`` (its ``record()``, written by its ``dump`` when it has one) with the current
    code, and fail with the diff unless it writes exactly its golden.json."""
    module = load_recorder(script)
    dump: Callable[[Any], str] = getattr(module, "dump", dump_json)
    problem = difference(golden_path(script), dump(module.record()))
    assert problem is None, problem
