"""The connector catalog: ``catalog.json`` at the repository root, generated from every
``connectors/*/metadata.yaml``, and the validation of those files.

Each ``metadata.yaml`` is validated against Airbyte's ``ConnectorMetadataDefinitionV0`` schema (vendored in
``staffwire/schemas/metadata`` together with every file it ``$ref``\\ s) and checked for consistency with its
package (the directory, ``pyproject.toml`` and ``Dockerfile`` must agree). Problems are reported as
``<file>: <JSON path>: <what is wrong>``.

``staffwire catalog build`` writes the catalog (sorted keys and connectors, so the file is stable);
``staffwire catalog check`` fails with a diff when the committed file is stale.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from staffwire.errors import ConfigError

__all__ = [
    "CATALOG_FILE",
    "SCHEMA_DIR",
    "CatalogProblems",
    "build_catalog",
    "check_catalog",
    "connector_dirs",
    "dockerfile_problems",
    "find_root",
    "metadata_problems",
    "read_pyproject",
    "register",
    "render_catalog",
    "validate_metadata",
    "write_catalog",
]

CATALOG_FILE = "catalog.json"
SCHEMA_DIR = Path(__file__).parent / "schemas" / "metadata"
ROOT_SCHEMA = "ConnectorMetadataDefinitionV0.yaml"


class CatalogProblems(ConfigError):
    """One or more connectors' metadata is invalid; ``problems`` lists each as ``file: $.path: message``."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            f"{len(problems)} problem(s) in the connectors' metadata; fix them and run "
            "`staffwire catalog build` again:\n" + "\n".join(f"  {p}" for p in problems)
        )


# ------------------------------------------------------------------------------------------- files and paths
def find_root(start: Path | None = None) -> Path:
    """The repository root: the nearest directory (from ``start``, default the working directory, upwards)
    with a ``connectors/`` folder and a ``pyproject.toml``."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "connectors").is_dir() and (candidate / "pyproject.toml").is_file():
            return candidate
    raise ConfigError(
        f"No Staffwire repository found at or above {here} (looked for a connectors/ folder next to a "
        "pyproject.toml). Run the command inside the repository or pass --root."
    )


def connector_dirs(root: Path) -> list[Path]:
    """Every connector package under ``root/connectors`` (a folder with a pyproject.toml), sorted."""
    base = root / "connectors"
    return sorted(p for p in base.iterdir() if (p / "pyproject.toml").is_file()) if base.is_dir() else []


def read_pyproject(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        try:
            import tomli as tomllib
        except ModuleNotFoundError:
            raise ConfigError(
                f"Reading {path} on Python 3.10 needs the tomli package: pip install tomli (or use Python 3.11+)."
            ) from None

    with path.open("rb") as fh:
        return tomllib.load(fh)


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


# ------------------------------------------------------------------------------------------------ validation
@lru_cache(maxsize=1)
def _validator() -> Any:
    """A Draft 7 validator for metadata.yaml, resolving the vendored schema's relative ``$ref``\\ s by file name
    (the files' own ``$id``\\ s point at several different upstream folders, so the name is what is stable)."""
    import jsonschema
    import yaml
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    def retrieve(uri: str) -> Resource[Any]:
        name = uri.rstrip("/").rsplit("/", 1)[-1]
        path = SCHEMA_DIR / name
        if not path.is_file():
            from referencing.exceptions import NoSuchResource

            raise NoSuchResource(ref=uri)  # type: ignore[call-arg]
        return Resource.from_contents(yaml.safe_load(path.read_text()), default_specification=DRAFT7)

    root = yaml.safe_load((SCHEMA_DIR / ROOT_SCHEMA).read_text())
    return jsonschema.Draft7Validator(
        root,
        registry=Registry(retrieve=retrieve),  # type: ignore[call-arg]
        format_checker=jsonschema.FormatChecker(),  # every known format, incl. uuid (not in draft 7)
    )


def validate_metadata(document: Any) -> list[tuple[str, str]]:
    """Schema problems of one parsed metadata.yaml as ``(JSON path, message)``, sorted by path."""
    errors = sorted(_validator().iter_errors(document), key=lambda e: (e.json_path, e.message))
    return [(error.json_path, error.message) for error in errors]


_DOCKER_INSTR = re.compile(r"^\s*(ENTRYPOINT|ENV|LABEL|FROM)\s+(.*)$", re.IGNORECASE)


def dockerfile_problems(path: Path, script: str, version: str | None = None) -> list[str]:
    """Problems with a connector's Dockerfile against Airbyte's python connector convention: the image's
    ``ENTRYPOINT`` is the console script (exec form), ``AIRBYTE_ENTRYPOINT`` names the same command, and the
    ``io.airbyte.name`` / ``io.airbyte.version`` labels are set (version = the package version)."""
    if not path.is_file():
        return ["missing: every connector needs a Dockerfile (see the scaffold's template)"]
    text = re.sub(r"\\\n", " ", path.read_text())  # join continuation lines
    entrypoint: Any = None
    env: dict[str, str] = {}
    labels: dict[str, str] = {}
    for line in text.splitlines():
        match = _DOCKER_INSTR.match(line)
        if not match:
            continue
        instr, rest = match.group(1).upper(), match.group(2).strip()
        if instr == "ENTRYPOINT":
            try:
                entrypoint = json.loads(rest)
            except json.JSONDecodeError:
                entrypoint = rest
        elif instr in ("ENV", "LABEL"):
            target = env if instr == "ENV" else labels
            pairs = re.findall(r'([\w.\-]+)=("(?:[^"\\]|\\.)*"|\S+)', rest)
            if not pairs and " " in rest:  # legacy `ENV KEY value`
                key, value = rest.split(None, 1)
                pairs = [(key, value)]
            for key, value in pairs:
                target[key] = value[1:-1] if value.startswith('"') and value.endswith('"') else value
    problems = []
    if entrypoint != [script]:
        problems.append(
            f'ENTRYPOINT must be ["{script}"] (the console script, exec form), found {entrypoint!r}'
        )
    if env.get("AIRBYTE_ENTRYPOINT") != script:
        problems.append(f'ENV AIRBYTE_ENTRYPOINT must be "{script}", found {env.get("AIRBYTE_ENTRYPOINT")!r}')
    if not labels.get("io.airbyte.name"):
        problems.append("LABEL io.airbyte.name is missing")
    if version is not None and labels.get("io.airbyte.version") != version:
        problems.append(
            f"LABEL io.airbyte.version must be {version!r}, found {labels.get('io.airbyte.version')!r}"
        )
    return problems


@dataclass(frozen=True)
class _Connector:
    directory: Path
    metadata: dict[str, Any]
    project: dict[str, Any]


def _load(directory: Path, root: Path, problems: list[str]) -> _Connector | None:
    import yaml

    meta_path = directory / "metadata.yaml"
    where = _rel(meta_path, root)
    if not meta_path.is_file():
        problems.append(f"{where}: missing: every connector needs a metadata.yaml")
        return None
    try:
        document = yaml.safe_load(meta_path.read_text())
    except yaml.YAMLError as exc:
        problems.append(f"{where}: not valid YAML: {exc}")
        return None
    schema_problems = validate_metadata(document)
    problems.extend(f"{where}: {path}: {message}" for path, message in schema_problems)
    if schema_problems:
        return None
    project = read_pyproject(directory / "pyproject.toml").get("project", {})
    return _Connector(directory, document["data"], project)


def metadata_problems(connector: Path, root: Path | None = None) -> list[str]:
    """Every problem with one connector folder: its metadata.yaml against the schema and against the package
    (names, versions, the Dockerfile)."""
    root = root or connector.parent.parent
    problems: list[str] = []
    loaded = _load(connector, root, problems)
    if loaded is not None:
        problems.extend(_consistency(loaded, root))
    return problems


def _consistency(c: _Connector, root: Path) -> list[str]:
    where = _rel(c.directory / "metadata.yaml", root)
    data, project = c.metadata, c.project
    name = c.directory.name
    problems = []
    if project.get("name") != name:
        problems.append(
            f"{_rel(c.directory / 'pyproject.toml', root)}: $.project.name: must be {name!r} "
            f"(the folder name), found {project.get('name')!r}"
        )
    if not name.startswith(f"{data['connectorType']}-"):
        problems.append(
            f"{where}: $.data.connectorType: {data['connectorType']!r} does not match the "
            f"connector name {name!r}"
        )
    if not data["dockerRepository"].endswith(f"/{name}"):
        problems.append(
            f"{where}: $.data.dockerRepository: must end with '/{name}', found {data['dockerRepository']!r}"
        )
    if not re.match(r"https://[^\s/]+\.[^\s/]+", data["documentationUrl"]):
        problems.append(
            f"{where}: $.data.documentationUrl: must be an https:// URL, found {data['documentationUrl']!r}"
        )
    version = project.get("version")
    if data["dockerImageTag"] != version:
        problems.append(
            f"{where}: $.data.dockerImageTag: must equal the pyproject version {version!r}, found "
            f"{data['dockerImageTag']!r}"
        )
    if name not in project.get("scripts", {}):
        problems.append(
            f"{_rel(c.directory / 'pyproject.toml', root)}: $.project.scripts: needs a console "
            f"script named {name!r}"
        )
    if "staffwire.connectors" not in project.get("entry-points", {}):
        problems.append(
            f"{_rel(c.directory / 'pyproject.toml', root)}: $.project.entry-points: needs a "
            "'staffwire.connectors' entry point (the connector's plugin module)"
        )
    docker = c.directory / "Dockerfile"
    problems.extend(f"{_rel(docker, root)}: {p}" for p in dockerfile_problems(docker, name, version))
    return problems


# ------------------------------------------------------------------------------------------------- catalog
def _entry(c: _Connector) -> dict[str, Any]:
    data = c.metadata
    return {
        "name": c.directory.name,
        "title": data["name"],
        "type": data["connectorType"],
        "definitionId": data["definitionId"],
        "dockerRepository": data["dockerRepository"],
        "dockerImageTag": data["dockerImageTag"],
        "version": c.project.get("version"),
        "package": c.project.get("name"),
        "documentationUrl": data["documentationUrl"],
        "releaseStage": data["releaseStage"],
        "allowedHosts": sorted((data.get("allowedHosts") or {}).get("hosts") or []),
        "path": f"connectors/{c.directory.name}",
    }


def build_catalog(root: Path) -> dict[str, Any]:
    """The catalog of every connector under ``root``; raises :class:`CatalogProblems` if any metadata is
    invalid (all problems at once)."""
    problems: list[str] = []
    entries = []
    ids: dict[str, str] = {}
    for directory in connector_dirs(root):
        loaded = _load(directory, root, problems)
        if loaded is None:
            continue
        problems.extend(_consistency(loaded, root))
        entry = _entry(loaded)
        other = ids.setdefault(entry["definitionId"], entry["name"])
        if other != entry["name"]:
            problems.append(
                f"{_rel(directory / 'metadata.yaml', root)}: $.data.definitionId: "
                f"{entry['definitionId']} is already used by {other}; generate a new UUID"
            )
        entries.append(entry)
    if problems:
        raise CatalogProblems(problems)
    return {
        "$comment": "Generated by `staffwire catalog build` from connectors/*/metadata.yaml; do not edit.",
        "connectors": sorted(entries, key=lambda e: e["name"]),
    }


def render_catalog(catalog: dict[str, Any]) -> str:
    return json.dumps(catalog, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_catalog(root: Path) -> Path:
    """Build and write ``root/catalog.json``; returns its path."""
    path = root / CATALOG_FILE
    path.write_text(render_catalog(build_catalog(root)))
    return path


def check_catalog(root: Path) -> list[str]:
    """The unified diff (lines) between the committed catalog.json and a fresh build; empty when current."""
    path = root / CATALOG_FILE
    fresh = render_catalog(build_catalog(root))
    current = path.read_text() if path.is_file() else ""
    if current == fresh:
        return []
    return list(
        difflib.unified_diff(
            current.splitlines(keepends=True),
            fresh.splitlines(keepends=True),
            f"{CATALOG_FILE} (committed)",
            f"{CATALOG_FILE} (built)",
        )
    )


# ----------------------------------------------------------------------------------------------------- CLI
def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "catalog", help="build or check catalog.json from the connectors' metadata"
    )
    actions = parser.add_subparsers(dest="catalog_command", metavar="<action>", required=True)
    for action, func, text in (
        ("build", _cli_build, "validate every connectors/*/metadata.yaml and write catalog.json"),
        ("check", _cli_check, "fail if catalog.json is stale or any metadata.yaml is invalid"),
    ):
        sub = actions.add_parser(action, help=text, description=text[0].upper() + text[1:] + ".")
        sub.add_argument("--root", type=Path, default=None, help="repository root (default: found from here)")
        sub.set_defaults(func=func)


def _cli_build(args: argparse.Namespace) -> int:
    root = args.root or find_root()
    path = write_catalog(root)
    count = len(json.loads(path.read_text())["connectors"])
    print(f"wrote {path} ({count} connectors)")
    return 0


def _cli_check(args: argparse.Namespace) -> int:
    root = args.root or find_root()
    diff = check_catalog(root)
    if not diff:
        print(f"{root / CATALOG_FILE} is up to date")
        return 0
    sys.stdout.writelines(diff)
    print(
        f"error: {CATALOG_FILE} is stale (diff above); run `staffwire catalog build` and commit it.",
        file=sys.stderr,
    )
    return 1
