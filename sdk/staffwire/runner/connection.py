"""Connection files: which source feeds which destination, with what config and streams.

A connection is a YAML file::

    name: bullhorn-to-wingspan
    source:
      connector: source-bullhorn          # a plugin name, a path to an executable, or a PyPI airbyte-source-*
      config:
        client_id: ${BULLHORN_CLIENT_ID}
        client_secret: ${BULLHORN_CLIENT_SECRET}   # secrets only as ${ENV_VAR} references
      mapping: {...}                      # optional: merged into the config under "mapping"
    destination:
      connector: destination-wingspan
      config: {api_token: ${WINGSPAN_API_TOKEN}}
    streams:
      - {name: candidates, sync_mode: incremental, destination_sync_mode: append_dedup}

A stream may go to one of the destination's objects (data activation, for destinations that answer ``discover``
with a DESTINATION_CATALOG)::

    streams:
      - name: workers
        destination_object: Candidate          # -> destination_object_name of the configured stream
        destination_sync_mode: update          # the default for a destination object
        matching_keys: [[id]]                  # optional: which of the object's matching keys (-> primary_key)
        mapping: {id: link_id, customText5: onboarding_status}   # object field -> field spec
        owned_fields: [customText5]            # optional: the only fields this connection writes
        write_nulls: false                     # optional: a null never blanks a field unless true or listed

``mapping``, ``when``, ``owned_fields`` and ``write_nulls`` reach the destination's config as
``streams.<name>`` (see staffwire.activation.config.StreamWrite).

``${VAR}`` (or ``${VAR:-default}``) is replaced by the environment variable anywhere inside a string; ``$${`` is
a literal ``${``. Secrets are checked against the connector's spec once it is known
(:func:`check_no_literal_secrets`): a value in a field marked ``airbyte_secret`` must be a ``${VAR}`` reference.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from staffwire.errors import ConfigError
from staffwire.runner.heartbeat import parse_duration
from staffwire.secrets import secret_paths

__all__ = [
    "Connection",
    "ConnectorRef",
    "StreamSelection",
    "check_no_literal_secrets",
    "load_connection",
    "parse_connection",
    "resolve_env",
]

_REF = re.compile(r"\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
_ONLY_REFS = re.compile(r"^(?:\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\})+$")


class ConnectorRef(BaseModel):
    """One side of a connection."""

    model_config = ConfigDict(extra="forbid")

    connector: str = Field(
        description="Plugin name, path to an Airbyte-protocol executable, or PyPI package."
    )
    config: dict[str, Any] = Field(default_factory=dict)
    mapping: dict[str, Any] | None = Field(default=None, description="Merged into config['mapping'].")
    rules: dict[str, Any] | list[Any] | None = Field(default=None, description="Merged into config['rules'].")

    def effective_config(self, env: Mapping[str, str], where: str) -> dict[str, Any]:
        """The config the connector receives: ``${VAR}`` resolved, mapping/rule overrides merged in."""
        config = resolve_env(self.config, env, f"{where}.config")
        if self.mapping is not None:
            merged = dict(config.get("mapping") or {})
            merged.update(resolve_env(self.mapping, env, f"{where}.mapping"))
            config["mapping"] = merged
        if self.rules is not None:
            config["rules"] = resolve_env(self.rules, env, f"{where}.rules")
        return config


class StreamSelection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    namespace: str | None = None
    sync_mode: Literal["full_refresh", "incremental"] = "incremental"
    destination_sync_mode: Literal["append", "overwrite", "append_dedup", "update", "soft_delete"] = (
        "append_dedup"
    )
    cursor_field: list[str] | None = None
    primary_key: list[list[str]] | None = None
    destination_object: str | None = Field(
        default=None, description="The destination object this stream writes (data activation)."
    )
    matching_keys: list[list[str]] | None = Field(
        default=None, description="The object's matching keys to find records by, tried in order."
    )
    mapping: dict[str, Any] | None = Field(default=None, description="Object field -> field spec.")
    when: dict[str, Any] | None = Field(default=None, description="Only records matching it are written.")
    owned_fields: list[str] | None = Field(
        default=None, description="The only fields this connection writes."
    )
    write_nulls: bool | list[str] | None = Field(
        default=None, description="Whether (or for which fields) a null blanks the target's value."
    )

    def write_settings(self) -> dict[str, Any] | None:
        """This stream's settings for the destination's ``streams.<name>`` config entry (None when it has none)."""
        settings = {
            key: value
            for key, value in (
                ("mapping", self.mapping),
                ("when", self.when),
                ("owned_fields", self.owned_fields),
                ("write_nulls", self.write_nulls),
            )
            if value is not None
        }
        return settings or None

    @property
    def effective_destination_sync_mode(self) -> str:
        """``update`` for a destination object unless the file says otherwise."""
        if self.destination_object and "destination_sync_mode" not in self.model_fields_set:
            return "update"
        return self.destination_sync_mode


class Connection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    source: ConnectorRef
    destination: ConnectorRef
    streams: list[StreamSelection] = Field(min_length=1)
    heartbeat_timeout: float | None = Field(
        default=None,
        description="Stop a connector that shows no sign of life for this long: seconds, or e.g. 3h, 45m, 90s "
        "(default 3h). See docs/runner.md, Heartbeat.",
    )
    mapping: dict[str, Any] | None = Field(
        default=None,
        description="Map the source's raw streams into standard streams in the runner: pack, file or document "
        "(+ patch, value_map_overrides, default_country). See docs/mirror.md.",
    )
    mirror: bool | str | dict[str, Any] | None = Field(
        default=None,
        description="Land every record in a warehouse: true (DuckDB next to the run history), a path, or a "
        "postgresql:// URL. See docs/mirror.md.",
    )
    #: Directory that relative connector paths are resolved against (the connection file's folder).
    base_dir: Path = Field(default_factory=Path.cwd, exclude=True)

    def destination_config(self, env: Mapping[str, str]) -> dict[str, Any]:
        """The destination's effective config with the streams' write settings merged into ``streams``."""
        config = self.destination.effective_config(env, "destination")
        for stream in self.streams:
            settings = stream.write_settings()
            if settings is None:
                continue
            merged = dict(config.get("streams") or {})
            merged[stream.name] = {
                **(merged.get(stream.name) or {}),
                **resolve_env(settings, env, f"streams.{stream.name}"),
            }
            config["streams"] = merged
        return config

    @field_validator("heartbeat_timeout", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> float | None:
        return None if value is None else parse_duration(value)


def parse_connection(data: Any, *, origin: str = "connection", base_dir: Path | None = None) -> Connection:
    """Validate a parsed connection document; errors name the field and say what to change."""
    if not isinstance(data, Mapping):
        raise ConfigError(
            f"{origin}: a connection must be a YAML mapping with name, source, destination, streams."
        )
    data = {k: v for k, v in data.items() if k != "base_dir"}  # not a file field: where the file lives
    try:
        connection = Connection.model_validate({**data, **({"base_dir": base_dir} if base_dir else {})})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(
            f"{origin} is not a valid connection: {problems}. Fix the file and run again."
        ) from None
    seen: set[tuple[str, str | None]] = set()
    for stream in connection.streams:
        key = (stream.name, stream.namespace)
        if key in seen:
            raise ConfigError(f"{origin}: stream {stream.name!r} is listed twice; keep one entry.")
        seen.add(key)
    return connection


def load_connection(path: str | os.PathLike[str]) -> Connection:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read connection file {file}: {exc.strerror}. Check the path.") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"connection file {file} is not valid YAML: {exc}") from None
    return parse_connection(data, origin=f"connection file {file}", base_dir=file.resolve().parent)


def resolve_env(value: Any, env: Mapping[str, str], where: str) -> Any:
    """Replace ``${VAR}`` references inside every string of ``value``."""
    if isinstance(value, str):

        def substitute(match: re.Match[str]) -> str:
            if match.group(0) == "$${":
                return "${"
            name, default = match.group(1), match.group(2)
            if name in env:
                return env[name]
            if default is not None:
                return default
            raise ConfigError(
                f"{where} refers to ${{{name}}}, which is not set in the environment. "
                f"Set it (export {name}=...) and run again."
            )

        return _REF.sub(substitute, value)
    if isinstance(value, Mapping):
        return {k: resolve_env(v, env, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_env(v, env, f"{where}[{i}]") for i, v in enumerate(value)]
    return value


def check_no_literal_secrets(ref: ConnectorRef, spec_schema: Mapping[str, Any], where: str) -> None:
    """Refuse a literal value in a field the connector's spec marks ``airbyte_secret``."""
    for path in secret_paths(spec_schema):
        if not path:
            continue
        node: Any = ref.config
        for part in path:
            node = node.get(part) if isinstance(node, Mapping) else None
        if node is None:
            continue
        if not (isinstance(node, str) and _ONLY_REFS.match(node)):
            field = ".".join(path)
            raise ConfigError(
                f"{where}.config.{field} is a secret ({ref.connector} marks it airbyte_secret) but the file holds "
                f"its value. Write it as ${{SOME_ENV_VAR}} and set that variable; never put secrets in the file."
            )
