"""Render the connector template into a new package folder.

The template lives in ``template/``: ``common/`` (files every connector has) overlaid with ``source/`` or
``destination/``. Paths and contents use ``{{placeholder}}`` markers (see :class:`Names`); a ``.tmpl`` suffix is
dropped (it keeps linters and test collectors away from the unrendered files) and the ``__package__`` folder is
renamed to the connector's import package.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from staffwire.errors import ConfigError

__all__ = ["TEMPLATE_DIR", "Names", "generate", "parse_name", "tidy"]

TEMPLATE_DIR = Path(__file__).parent / "template"
_NAME = re.compile(r"^(source|destination)-([a-z][a-z0-9]*(?:-[a-z0-9]+)*)$")
_MARKER = re.compile(r"\{\{(\w+)\}\}")


@dataclass(frozen=True)
class Names:
    """Every spelling of a connector's name the template needs (for ``source-acme-ats``: package
    ``source_acme_ats``, class ``SourceAcmeAts``, system ``acme_ats``, title ``Acme Ats``)."""

    name: str
    type: Literal["source", "destination"]
    system: str
    package: str
    class_name: str
    title: str
    sandbox_class: str
    config_class: str
    definition_id: str
    version: str = "0.1.0"
    uv_sources: str = ""

    @property
    def exports(self) -> str:
        """The connector and config class names, sorted as ruff's isort wants them, one per line with a trailing
        comma (so formatting never depends on how long the names are)."""
        return "".join(f"\n    {n}," for n in sorted((self.class_name, self.config_class))) + "\n"

    @property
    def exports_all(self) -> str:
        return "".join(f'\n    "{n}",' for n in sorted((self.class_name, self.config_class))) + "\n"

    @property
    def exports_line(self) -> str:
        """The same names on one line, for a module where they are all it defines (ruff re-wraps a long one)."""
        return ", ".join(f'"{n}"' for n in sorted((self.class_name, self.config_class)))

    def values(self) -> dict[str, str]:
        values = {k: str(v) for k, v in vars(self).items()}
        values.update(exports=self.exports, exports_all=self.exports_all, exports_line=self.exports_line)
        return values


def parse_name(name: str, *, definition_id: str | None = None) -> Names:
    """Validate ``source-<system>`` / ``destination-<system>`` and derive the other spellings."""
    match = _NAME.match(name)
    if match is None:
        raise ConfigError(
            f"{name!r} is not a connector name: use source-<system> or destination-<system>, in lower case, "
            "with words separated by '-' (e.g. source-acme-ats)."
        )
    kind, system = match.group(1), match.group(2)
    words = system.split("-")
    camel = "".join(w[:1].upper() + w[1:] for w in words)
    return Names(
        name=name,
        type=kind,  # type: ignore[arg-type]
        system=system.replace("-", "_"),
        package=name.replace("-", "_"),
        class_name=kind.capitalize() + camel,
        title=" ".join(w[:1].upper() + w[1:] for w in words),
        sandbox_class=f"{camel}Sandbox",
        config_class=f"{camel}Config",
        definition_id=definition_id or str(uuid.uuid4()),
    )


def _render(text: str, values: dict[str, str], where: Path) -> str:
    def sub(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise KeyError(f"template {where} uses unknown placeholder {{{{{key}}}}}")
        return values[key]

    return _MARKER.sub(sub, text)


def _target_path(relative: Path, names: Names) -> Path:
    parts = [names.package if part == "__package__" else part for part in relative.parts]
    if parts[-1].endswith(".tmpl"):
        parts[-1] = parts[-1][: -len(".tmpl")]
    return Path(*parts)


def _in_workspace(target: Path) -> bool:
    """True when ``target`` is ``connectors/`` of a Staffwire uv workspace (the SDK then comes from it)."""
    root = target.parent
    pyproject = root / "pyproject.toml"
    return (
        target.name == "connectors" and pyproject.is_file() and "[tool.uv.workspace]" in pyproject.read_text()
    )


def _ruff() -> str | None:
    beside = Path(sys.executable).parent / "ruff"
    return str(beside) if beside.is_file() else shutil.which("ruff")


def tidy(path: Path) -> bool:
    """Sort imports and format the generated code with ruff, under the settings that apply where it was
    generated (the template is written for typical names; very long names need re-wrapping). Skipped, returning
    False, when ruff is not installed."""
    ruff = _ruff()
    if ruff is None:
        return False
    for command in (["check", "--fix", "--select", "I,RUF022", "--quiet"], ["format", "--quiet"]):
        subprocess.run(
            [ruff, *command, "--no-cache", "."], cwd=path, capture_output=True, timeout=60, check=False
        )
    return True


def generate(
    name: str, directory: Path, *, definition_id: str | None = None, format_code: bool = True
) -> Path:
    """Create the connector package ``directory/<name>`` and return its path.

    Refuses to overwrite an existing folder. Inside a Staffwire checkout (``directory`` is its ``connectors/``)
    the package takes the SDK from the uv workspace; elsewhere it depends on the published ``staffwire``.
    With ``format_code`` the result is tidied with ruff when it is installed (see :func:`tidy`).
    """
    names = parse_name(name, definition_id=definition_id)
    directory = directory.resolve()
    destination = directory / name
    if destination.exists():
        raise ConfigError(f"{destination} already exists; choose another name or --dir, or remove it first.")
    if _in_workspace(directory):
        names = Names(
            **{**vars(names), "uv_sources": "\n[tool.uv.sources]\nstaffwire = { workspace = true }\n"}
        )
    values = names.values()
    files: dict[Path, str] = {}
    for layer in ("common", names.type):
        base = TEMPLATE_DIR / layer
        for path in sorted(base.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                files[_target_path(path.relative_to(base), names)] = _render(path.read_text(), values, path)
    for relative, text in files.items():
        out = destination / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)
    if format_code:
        tidy(destination)
    return destination
