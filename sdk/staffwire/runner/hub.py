"""The runner as the hub between connectors: the mapping step and the mirror tap.

A connection may carry two optional sections (docs/mirror.md):

``mapping``: turn a source's raw streams into standard streams inside the runner, with a
:mod:`staffwire.mapping` document given inline (``document``), as a file (``file``, relative to the connection
file) or by name (``pack``: a mapping pack a plugin ships through the ``staffwire_mappings`` hook). ``patch`` is
deep-merged into the document (a tenant's stage ids, a ``when``), ``value_map_overrides`` and ``default_country``
go to the engine. Each mapping reads the raw stream named by its ``source`` and writes the stream named like the
mapping; the destination gets the standard streams instead of the raw streams they came from.

``mirror``: also land every record (raw and standard) in a warehouse: ``true`` for the embedded DuckDB file next
to the run history, a path, or a ``postgresql://`` URL (``${VAR}`` references allowed, for the password).

:class:`Hub` is built once the source's streams are known; the relay hands it every record (:meth:`Hub.tap`)
and forwards what it returns; :meth:`Hub.finish` lands the mirror.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from staffwire.errors import ConfigError, RecordRejected
from staffwire.runner.connection import Connection, resolve_env
from staffwire.runner.stats import RunError, RunStats, StreamKey
from staffwire.runner.store import StateStore
from staffwire.secrets import SecretMasker

if TYPE_CHECKING:
    from staffwire.mapping import CompiledMapping

__all__ = ["Hub", "deep_merge", "load_mapping_document", "mirror_target", "standard_line", "warm_up_mirror"]

_STANDARD_CURSOR = ["remote_updated_at"]
_STANDARD_KEY = [["id"]]


def deep_merge(base: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """``patch`` over ``base``: mappings merge key by key, anything else (lists included) replaces."""
    merged = dict(base)
    for key, value in patch.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_mapping_document(
    spec: Mapping[str, Any], base_dir: Path, pm: object | None = None
) -> dict[str, Any]:
    """The mapping document a connection's ``mapping`` section names, with its ``patch`` applied."""
    from staffwire.mapping import load_document

    given = [key for key in ("pack", "file", "document") if spec.get(key) is not None]
    if len(given) != 1:
        raise ConfigError(
            "mapping: give exactly one of pack (a named mapping pack), file (a mapping document) or document "
            f"(inline){'; found ' + ', '.join(given) if given else ''}."
        )
    if "pack" in given:
        from staffwire.plugins import installed_mappings

        packs = installed_mappings(pm)  # type: ignore[arg-type]
        name = str(spec["pack"])
        if name not in packs:
            known = ", ".join(sorted(packs)) or "none"
            raise ConfigError(
                f"mapping.pack: no installed plugin ships a mapping pack named {name!r} (installed packs: {known}). "
                "Check the name, install the plugin that ships it, or give the document as mapping.file."
            )
        document = load_document(packs[name])
    elif "file" in given:
        path = Path(str(spec["file"]))
        path = path if path.is_absolute() else base_dir / path
        if not path.is_file():
            raise ConfigError(
                f"mapping.file: {path} does not exist. Fix the path (relative to the connection file)."
            )
        document = load_document(path)
    else:
        if not isinstance(spec["document"], Mapping):
            raise ConfigError(
                "mapping.document must be a mapping document (a YAML mapping), not a list or text."
            )
        document = dict(spec["document"])
    patch = spec.get("patch")
    if patch is not None:
        if not isinstance(patch, Mapping):
            raise ConfigError("mapping.patch must be a YAML mapping merged into the document.")
        document = deep_merge(document, patch)
    return document


def mirror_target(setting: Any, history_db: Path, env: Mapping[str, str]) -> str | None:
    """Where the mirror lives for a ``mirror:`` setting (or ``--mirror``): None when off."""
    from staffwire.mirror import default_mirror_path

    if setting in (None, False):
        return None
    if setting is True or setting == "default":
        return str(default_mirror_path(history_db))
    if isinstance(setting, Mapping):
        setting = setting.get("url") or setting.get("path") or True
        return mirror_target(setting, history_db, env)
    return str(resolve_env(str(setting), env, "mirror"))


def warm_up_mirror(setting: Any) -> None:
    """Import the embedded mirror's driver on a background thread while the connectors start (spec, discover):
    ``import duckdb`` takes about 0.2 s, which otherwise lies between the catalog and the first record."""
    if isinstance(setting, Mapping):
        setting = setting.get("url") or setting.get("path") or True
    if setting in (None, False) or str(setting).startswith(("postgresql://", "postgres://")):
        return
    import importlib
    import threading

    def load() -> None:
        with contextlib.suppress(ImportError):  # Hub.build says what to install
            importlib.import_module("duckdb")

    threading.Thread(target=load, name="staffwire-mirror-import", daemon=True).start()


class _Mapped:
    def __init__(self, name: str, source: str, compiled: CompiledMapping, standard: str | None):
        self.name = name
        self.source = source
        self.compiled = compiled
        self.standard = standard


class Hub:
    """The mapping step and the mirror tap for one run."""

    def __init__(
        self,
        *,
        mappings: list[_Mapped],
        mirror: Any | None,
        store: StateStore,
        stats: RunStats,
        masker: SecretMasker,
        on_log: Callable[[str, str, str], None],
    ) -> None:
        self.by_source: dict[str, list[_Mapped]] = {}
        for mapped in mappings:
            self.by_source.setdefault(mapped.source, []).append(mapped)
        self.mirror = mirror
        self.store = store
        self.stats = stats
        self.masker = masker
        self.on_log = on_log

    @property
    def active(self) -> bool:
        return bool(self.by_source) or self.mirror is not None

    # ---------------------------------------------------------------------------------------------- building
    @classmethod
    def build(
        cls,
        connection: Connection,
        configured: dict[str, Any],
        *,
        store: StateStore,
        stats: RunStats,
        masker: SecretMasker,
        env: Mapping[str, str],
        on_log: Callable[[str, str, str], None],
        mirror_setting: Any = None,
        pm: object | None = None,
    ) -> tuple[Hub, dict[str, Any]]:
        """The hub and the destination's configured catalog (the source's, with mapped streams swapped in)."""
        mappings: list[_Mapped] = []
        entries = {entry["stream"]["name"]: entry for entry in configured["streams"]}
        destination_streams: list[dict[str, Any]] = []
        consumed: set[str] = set()
        if connection.mapping is not None:
            mappings = _compile(connection, entries, pm)
            consumed = {m.source for m in mappings}
            for mapped in mappings:
                destination_streams.append(_standard_entry(mapped, entries[mapped.source]))
        destination_streams[:0] = [e for name, e in entries.items() if name not in consumed]
        target = mirror_target(
            mirror_setting if mirror_setting is not None else connection.mirror, store.path, env
        )
        mirror = None
        if target is not None:
            from staffwire.mirror import MirrorWriter, StreamIdentity

            identities = {name: StreamIdentity.from_configured(e) for name, e in entries.items()}
            for entry in destination_streams:
                identities.setdefault(entry["stream"]["name"], StreamIdentity.from_configured(entry))
            for value in masker_values(target):
                masker.add(value)
            mirror = MirrorWriter(target, connection.name, stats.run_id, identities)
        hub = cls(mappings=mappings, mirror=mirror, store=store, stats=stats, masker=masker, on_log=on_log)
        return hub, {"streams": destination_streams}

    # ---------------------------------------------------------------------------------------------- per record
    def tap(self, line: bytes, message: dict[str, Any]) -> list[bytes]:
        """The lines to forward for one RECORD message (the line itself unless its stream is mapped)."""
        record = message["record"]
        stream = record["stream"]
        if self.mirror is not None:
            self.mirror.add_line(line)
        targets = self.by_source.get(stream)
        if not targets:
            return [line]
        out: list[bytes] = []
        data = record.get("data")
        for mapped in targets:
            try:
                result, changes = mapped.compiled.map_one(data)
            except RecordRejected as rejected:
                self._rejected(record, mapped, rejected)
                continue
            if result is None:
                continue  # the mapping's `when` does not hold: not this stream's record
            if changes:  # values that could not be normalised became null: counted per field for `runs show`
                counted = self.stats.counts((record.get("namespace") or "", mapped.source)).changes
                for change in changes:
                    counted[(change["field"], change["change"], change["reason"])] += 1
            standard = standard_line(mapped.name, result, record, changes)
            if self.mirror is not None:
                self.mirror.add_line(standard)
            out.append(standard)
        return out

    def _rejected(self, record: Mapping[str, Any], mapped: _Mapped, rejected: RecordRejected) -> None:
        reasons = [
            {"rule": r.rule, "field": r.field, "value": r.value, "message": r.message}
            for r in rejected.reasons
        ]
        text = self.masker.mask(
            f"runner mapping stream '{mapped.name}': record {rejected.record_id or '(no id)'} rejected: "
            f"{rejected.reasons_text()}"
        )
        entry = {
            "origin": "runner",
            "stream": mapped.name,
            "record_id": rejected.record_id,
            "message": text,
            "reasons": self.masker.mask_obj(reasons),
        }
        self.stats.rejected.append(entry)
        key: StreamKey = (record.get("namespace") or "", mapped.source)
        self.stats.counts(key).source_rejected += 1
        self.store.add_rejection(
            self.stats.run_id, "runner", mapped.name, rejected.record_id, text, entry["reasons"]
        )
        self.on_log("runner", "WARN", text)

    # ---------------------------------------------------------------------------------------------- the end
    def finish(self) -> None:
        """Land the mirror; a failure is a run error (the destination's states are already committed)."""
        if self.mirror is None:
            return
        mirror, self.mirror = self.mirror, None
        try:
            landed = mirror.finish()
        except Exception as exc:
            self.stats.errors.append(
                RunError(
                    "runner",
                    "system_error",
                    self.masker.mask(
                        f"the mirror ({mirror.where}) could not land this run's records: "
                        f"{type(exc).__name__}: {exc}. The destination's committed states are kept; the next run "
                        "lands its records again."
                    ),
                )
            )
            return
        self.on_log(
            "runner",
            "INFO",
            f"mirror: {landed['records']} record(s) landed, {landed['changed']} new or changed ({mirror.where})",
        )

    def abandon(self) -> None:
        """Close the mirror without landing (the run stopped before its records were relayed)."""
        if self.mirror is not None:
            mirror, self.mirror = self.mirror, None
            mirror.abandon()


def standard_line(
    stream: str, data: dict[str, Any], raw: Mapping[str, Any], changes: list[dict[str, str]] | None = None
) -> bytes:
    """The RECORD line of a standard record mapped from the raw record ``raw`` (its time and Airbyte meta), with
    the mapping's own meta changes (values it made null) added to the raw record's."""
    record: dict[str, Any] = {"stream": stream, "data": data, "emitted_at": raw.get("emitted_at")}
    meta = raw.get("meta")
    if changes:
        before = meta.get("changes") if isinstance(meta, dict) else None
        meta = {**(meta if isinstance(meta, dict) else {}), "changes": [*(before or []), *changes]}
    if meta:
        record["meta"] = meta
    return b'{"type":"RECORD","record":' + orjson.dumps(record) + b"}"


def masker_values(target: str) -> list[str]:
    """A URL's password, to be masked wherever the run writes text."""
    from urllib.parse import unquote, urlsplit

    if "://" not in target:
        return []
    password = urlsplit(target).password
    return [password, unquote(password)] if password else []


def _compile(connection: Connection, entries: Mapping[str, Any], pm: object | None) -> list[_Mapped]:
    from staffwire.mapping import MappingDocument, compile_mappings

    spec = connection.mapping or {}
    document = load_mapping_document(spec, connection.base_dir, pm)
    compiled = compile_mappings(  # checks the whole document first: its errors name the exact entry
        document,
        value_map_overrides=spec.get("value_map_overrides"),
        default_country=spec.get("default_country"),
    )
    parsed = MappingDocument.model_validate(document)
    mapped: list[_Mapped] = []
    for name, mapping in compiled.items():
        source = parsed.mappings[name].source
        if not source:
            raise ConfigError(
                f"mapping: mappings.{name} has no source (the raw stream it reads); the runner needs one."
            )
        if source not in entries:
            continue  # its raw stream is not selected in this connection
        mapped.append(_Mapped(name, source, mapping, mapping.standard))
    if not mapped:
        sources = sorted({m.source for m in parsed.mappings.values() if m.source})
        raise ConfigError(
            f"mapping: none of the document's mappings reads a selected stream (they read: {', '.join(sources)}). "
            "Add those streams to the connection's streams list."
        )
    return mapped


def _standard_entry(mapped: _Mapped, raw: Mapping[str, Any]) -> dict[str, Any]:
    from staffwire.standard import standard_stream_schema

    schema = standard_stream_schema(mapped.standard) if mapped.standard else {"type": "object"}
    stream = {
        "name": mapped.name,
        "json_schema": schema,
        "supported_sync_modes": ["full_refresh", "incremental"],
        "source_defined_cursor": True,
        "default_cursor_field": _STANDARD_CURSOR,
        "source_defined_primary_key": _STANDARD_KEY if mapped.standard else [],
    }
    return {
        **{k: v for k, v in raw.items() if k != "stream"},
        "stream": stream,
        "cursor_field": _STANDARD_CURSOR,
        "primary_key": _STANDARD_KEY if mapped.standard else [],
    }
