"""Operator checks that touch no state: ``staffwire check CONNECTION`` and ``staffwire sync --dry-run``.

Both prepare a connection exactly as a sync does (the same connectors, the configs a sync would use -- a token or
refresh token stored from an earlier run included --, both specs, the source's discover, the configured catalog);
``check`` then runs each connector's ``check``, and the dry run reads the source with the committed state and counts
what would be sent per stream. Neither writes to the destination, commits state or adds a run to the history;
both keep a config a connector updates on the way (CONTROL), as a sync would.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from staffwire.errors import ConfigError, TransientError
from staffwire.runner.connection import Connection
from staffwire.runner.executors import private_workdir
from staffwire.runner.messages import BadMessage, parse_message
from staffwire.runner.stats import stream_label
from staffwire.runner.store import StateStore
from staffwire.runner.sync import (
    _configure,
    _one_shot,
    _prepare,
    _secret_json,
    _Side,
    _sides,
    _wait,
    _write_json,
)
from staffwire.secrets import SecretMasker

__all__ = ["CheckReport", "DryRun", "check_connection", "dry_run"]

SAMPLES = 3


@dataclass
class CheckReport:
    statuses: dict[str, tuple[str, str, str | None]]  # role -> (connector, SUCCEEDED|FAILED, message)
    catalog: dict[str, Any]

    @property
    def ok(self) -> bool:
        return all(status == "SUCCEEDED" for _, status, _ in self.statuses.values())


@dataclass
class DryRun:
    source: str
    streams: dict[str, int] = field(default_factory=dict)  # stream -> records the sync would send
    samples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # first records, secrets masked
    errors: list[str] = field(default_factory=list)


def _keep_controls(
    store: StateStore, connection: Connection, side: _Side, controls: list[dict[str, Any]]
) -> None:
    if controls:
        side.config = controls[-1]
        store.save_rotated_config(connection.name, side.role, side.config, side.fingerprint)


def check_connection(
    connection: Connection,
    *,
    store: StateStore,
    env: Mapping[str, str] | None = None,
    pm: object | None = None,
    cache_dir: Path | None = None,
    prefer_subprocess: bool = False,
) -> CheckReport:
    """Both connectors' ``check`` with the configs a sync would use, and the catalog it would configure."""
    env = os.environ if env is None else env
    masker = SecretMasker()
    sides = _sides(connection, pm, cache_dir, prefer_subprocess)
    statuses: dict[str, tuple[str, str, str | None]] = {}
    with store.lock(connection.name), contextlib.ExitStack() as in_memory:
        _prepare(connection, store, sides, env, masker, in_memory)
        for side in sides:
            controls: list[dict[str, Any]] = []
            config = _secret_json(in_memory, f"{side.role}-check.json", side.config)
            message = _one_shot(side, ["check", "--config", str(config)], "CONNECTION_STATUS", controls)
            _keep_controls(store, connection, side, controls)
            status = message["connectionStatus"]
            text = status.get("message")
            statuses[side.role] = (side.name, str(status["status"]), masker.mask(text) if text else None)
        catalog, _ = _configure(connection, sides[0].catalog, sides[0].name, 0)
    return CheckReport(statuses, catalog)


def dry_run(
    connection: Connection,
    *,
    store: StateStore,
    env: Mapping[str, str] | None = None,
    pm: object | None = None,
    cache_dir: Path | None = None,
    prefer_subprocess: bool = False,
    samples: int = SAMPLES,
) -> DryRun:
    """Read the source from the committed state, as a sync would, and count (and sample) what it would send."""
    env = os.environ if env is None else env
    masker = SecretMasker()
    sides = _sides(connection, pm, cache_dir, prefer_subprocess)
    source = sides[0]
    with store.lock(connection.name), private_workdir() as workdir, contextlib.ExitStack() as in_memory:
        source_config = _prepare(connection, store, sides, env, masker, in_memory)
        configured, selected = _configure(connection, source.catalog, source.name, 0)
        committed = store.states(connection.name)
        states = [s for key, s in committed.items() if key == ("", "") or selected.get(key) == "incremental"]
        catalog = _write_json(workdir / "catalog.json", configured)
        state = _write_json(workdir / "state.json", states)
        report = DryRun(source.name, {stream_label(key): 0 for key in selected})
        controls: list[dict[str, Any]] = []
        argv = ["read", "--config", str(source_config), "--catalog", str(catalog), "--state", str(state)]
        process = source.executor.start(argv)
        for line in process.stdout:
            try:
                message = parse_message(line.strip())
            except BadMessage:
                continue
            kind = message["type"]
            if kind == "RECORD":
                record = message["record"]
                label = stream_label((record.get("namespace") or "", record["stream"]))
                report.streams[label] = report.streams.get(label, 0) + 1
                shown = report.samples.setdefault(label, [])
                if len(shown) < samples:
                    shown.append(masker.mask_obj(record.get("data")))
            elif kind == "CONTROL":
                controls.append(message["control"]["connectorConfig"]["config"])
            elif kind == "TRACE" and message["trace"].get("type") == "ERROR":
                error = message["trace"].get("error") or {}
                report.errors.append(masker.mask(str(error.get("message") or "failed without a message")))
        code = _wait(process)
        _keep_controls(store, connection, source, controls)
    if code != 0 and not report.errors:
        report.errors.append(f"source {source.name} exited with code {code}")
    return report


def raise_for(report: CheckReport | DryRun) -> None:
    """Nothing when the check or dry run went through; a ConfigError / TransientError naming what failed."""
    if isinstance(report, CheckReport):
        failed = [
            f"{role} {name}: {text or 'FAILED'}"
            for role, (name, s, text) in report.statuses.items()
            if s != "SUCCEEDED"
        ]
        if failed:
            raise ConfigError("the check failed: " + "; ".join(failed))
    elif report.errors:
        raise TransientError(f"the dry run's read of {report.source} failed: " + "; ".join(report.errors))
