"""Catalog building and metadata validation on a small repository made in tmp_path (two scaffolded
connectors)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from staffwire.catalog import (
    CatalogProblems,
    build_catalog,
    check_catalog,
    dockerfile_problems,
    find_root,
    metadata_problems,
    write_catalog,
)
from staffwire.cli import main
from staffwire.errors import ConfigError
from staffwire.scaffold import generate

SOURCE_ID = "0a0a0a0a-1111-4222-8333-444444444444"
DEST_ID = "0b0b0b0b-1111-4222-8333-444444444444"
META = "connectors/source-acme/metadata.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "mini"\n')
    connectors = tmp_path / "connectors"
    connectors.mkdir()
    generate("source-acme", connectors, definition_id=SOURCE_ID, format_code=False)
    generate("destination-acme", connectors, definition_id=DEST_ID, format_code=False)
    return tmp_path


def edit_metadata(repo: Path, change: Callable[[dict[str, Any]], None], name: str = "source-acme") -> None:
    path = repo / "connectors" / name / "metadata.yaml"
    document = yaml.safe_load(path.read_text())
    change(document["data"])
    path.write_text(yaml.safe_dump(document))


def test_the_catalog_has_one_sorted_entry_per_connector(repo: Path) -> None:
    catalog = build_catalog(repo)
    assert catalog["connectors"] == [
        {
            "name": "destination-acme",
            "title": "Acme",
            "type": "destination",
            "definitionId": DEST_ID,
            "dockerRepository": "staffwire/destination-acme",
            "dockerImageTag": "0.1.0",
            "version": "0.1.0",
            "package": "destination-acme",
            "documentationUrl": "https://github.com/staffwire/staffwire/tree/main/connectors/destination-acme",
            "releaseStage": "alpha",
            "allowedHosts": ["api.acme.example.com"],
            "path": "connectors/destination-acme",
        },
        {
            "name": "source-acme",
            "title": "Acme",
            "type": "source",
            "definitionId": SOURCE_ID,
            "dockerRepository": "staffwire/source-acme",
            "dockerImageTag": "0.1.0",
            "version": "0.1.0",
            "package": "source-acme",
            "documentationUrl": "https://github.com/staffwire/staffwire/tree/main/connectors/source-acme",
            "releaseStage": "alpha",
            "allowedHosts": ["api.acme.example.com"],
            "path": "connectors/source-acme",
        },
    ]


def test_building_twice_writes_the_same_bytes(repo: Path) -> None:
    first = write_catalog(repo).read_bytes()
    assert write_catalog(repo).read_bytes() == first
    assert first.endswith(b"}\n")
    assert json.loads(first)["connectors"][0]["name"] == "destination-acme"


def test_a_current_catalog_checks_clean(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_catalog(repo)
    assert check_catalog(repo) == []
    assert main(["catalog", "check", "--root", str(repo)]) == 0


def test_a_stale_catalog_fails_the_check_with_a_diff(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_catalog(repo)
    edit_metadata(repo, lambda data: data.update(releaseStage="beta"))
    diff = check_catalog(repo)
    assert '-      "releaseStage": "alpha",\n' in diff
    assert '+      "releaseStage": "beta",\n' in diff
    assert main(["catalog", "check", "--root", str(repo)]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("--- catalog.json (committed)\n+++ catalog.json (built)\n")
    assert (
        captured.err
        == "error: catalog.json is stale (diff above); run `staffwire catalog build` and commit it.\n"
    )


def test_a_missing_catalog_is_stale(repo: Path) -> None:
    assert check_catalog(repo)[0] == "--- catalog.json (committed)\n"


def test_catalog_build_from_the_cli(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "build", "--root", str(repo)]) == 0
    assert capsys.readouterr().out == f"wrote {repo / 'catalog.json'} (2 connectors)\n"


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        for key in parents:
            data = data[key]
        data[last] = value

    return change


INVALID = [
    (
        "definitionId",
        _set("definitionId", "not-a-uuid"),
        f"{META}: $.data.definitionId: 'not-a-uuid' is not a 'uuid'",
    ),
    (
        "releaseStage",
        _set("releaseStage", "ga"),
        f"{META}: $.data.releaseStage: 'ga' is not one of ['alpha', 'beta', 'generally_available', 'custom']",
    ),
    ("license missing", lambda d: d.pop("license"), f"{META}: $.data: 'license' is a required property"),
    (
        "unknown field",
        _set("colour", "blue"),
        f"{META}: $.data: Additional properties are not allowed ('colour' was unexpected)",
    ),
    (
        "hosts not a list",
        _set("allowedHosts.hosts", "api.acme.example.com"),
        f"{META}: $.data.allowedHosts.hosts: 'api.acme.example.com' is not of type 'array'",
    ),
    (
        "nested $ref",
        _set("resourceRequirements", {"jobSpecific": [{"jobType": "nap", "resourceRequirements": {}}]}),
        f"{META}: $.data.resourceRequirements.jobSpecific[0].jobType: 'nap' is not one of ['get_spec', "
        "'check_connection', 'discover_schema', 'sync', 'reset_connection', 'connection_updater', 'replicate']",
    ),
    (
        "type vs name",
        _set("connectorType", "destination"),
        f"{META}: $.data.connectorType: 'destination' does not match the connector name 'source-acme'",
    ),
    (
        "image tag vs version",
        _set("dockerImageTag", "9.9.9"),
        f"{META}: $.data.dockerImageTag: must equal the pyproject version '0.1.0', found '9.9.9'",
    ),
    (
        "repository name",
        _set("dockerRepository", "staffwire/source-other"),
        f"{META}: $.data.dockerRepository: must end with '/source-acme', found 'staffwire/source-other'",
    ),
    (
        "documentation over http",
        _set("documentationUrl", "http://example.com/docs"),
        f"{META}: $.data.documentationUrl: must be an https:// URL, found 'http://example.com/docs'",
    ),
]


@pytest.mark.parametrize(("change", "problem"), [r[1:] for r in INVALID], ids=[r[0] for r in INVALID])
def test_invalid_metadata_is_reported_with_file_and_json_path(
    repo: Path, change: Callable[[dict[str, Any]], None], problem: str
) -> None:
    edit_metadata(repo, change)
    with pytest.raises(CatalogProblems) as caught:
        build_catalog(repo)
    assert caught.value.problems == [problem]
    assert str(caught.value).endswith(f"\n  {problem}")


def test_every_problem_is_reported_at_once(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit_metadata(repo, _set("releaseStage", "ga"))
    generate("source-beta", repo / "connectors", definition_id=DEST_ID, format_code=False)
    (repo / "connectors" / "source-zoo").mkdir()
    (repo / "connectors" / "source-zoo" / "pyproject.toml").write_text('[project]\nname = "source-zoo"\n')
    assert main(["catalog", "build", "--root", str(repo)]) == 1
    assert capsys.readouterr().err == (
        "error: 3 problem(s) in the connectors' metadata; fix them and run `staffwire catalog build` again:\n"
        "  connectors/source-acme/metadata.yaml: $.data.releaseStage: 'ga' is not one of ['alpha', 'beta', "
        "'generally_available', 'custom']\n"
        f"  connectors/source-beta/metadata.yaml: $.data.definitionId: {DEST_ID} is already used by "
        "destination-acme; generate a new UUID\n"
        "  connectors/source-zoo/metadata.yaml: missing: every connector needs a metadata.yaml\n"
    )
    assert not (repo / "catalog.json").exists()


DOCKERFILES = [
    (
        'FROM python:3.11-slim\nENV AIRBYTE_ENTRYPOINT="python /airbyte/integration_code/main.py"\n'
        'ENTRYPOINT ["python", "/airbyte/integration_code/main.py"]\nLABEL io.airbyte.name=staffwire/source-acme\n'
        "LABEL io.airbyte.version=0.1.0\n",
        [
            'ENTRYPOINT must be ["source-acme"] (the console script, exec form), found '
            "['python', '/airbyte/integration_code/main.py']",
            "ENV AIRBYTE_ENTRYPOINT must be \"source-acme\", found 'python /airbyte/integration_code/main.py'",
        ],
    ),
    (
        "FROM python:3.11-slim\nENTRYPOINT source-acme\nLABEL io.airbyte.version=0.0.9\n",
        [
            "ENTRYPOINT must be [\"source-acme\"] (the console script, exec form), found 'source-acme'",
            'ENV AIRBYTE_ENTRYPOINT must be "source-acme", found None',
            "LABEL io.airbyte.name is missing",
            "LABEL io.airbyte.version must be '0.1.0', found '0.0.9'",
        ],
    ),
    (
        'FROM python:3.11-slim\nENV AIRBYTE_ENTRYPOINT source-acme\nENTRYPOINT ["source-acme"]\n'
        'LABEL io.airbyte.name="staffwire/source-acme" \\\n      io.airbyte.version="0.1.0"\n',
        [],
    ),
]


@pytest.mark.parametrize(
    ("text", "problems"), DOCKERFILES, ids=["cdk-main-py", "shell-form", "legacy-env-ok"]
)
def test_dockerfile_convention(tmp_path: Path, text: str, problems: list[str]) -> None:
    (tmp_path / "Dockerfile").write_text(text)
    assert dockerfile_problems(tmp_path / "Dockerfile", "source-acme", "0.1.0") == problems


def test_a_missing_dockerfile_is_a_problem(repo: Path) -> None:
    (repo / "connectors" / "source-acme" / "Dockerfile").unlink()
    assert metadata_problems(repo / "connectors" / "source-acme", repo) == [
        "connectors/source-acme/Dockerfile: missing: every connector needs a Dockerfile (see the scaffold's template)"
    ]


def test_the_root_is_found_from_inside_the_repository(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "connectors" / "source-acme" / "source_acme")
    assert find_root() == repo


def test_outside_a_repository_the_root_must_be_given(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^No Staffwire repository found at or above .* or pass --root\.$"):
        find_root(tmp_path)
