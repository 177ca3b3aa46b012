"""Catalog building and metadata validation on a small repository made in tmp_path (two scaffolded
connectors)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from airbyte_connector_models.metadata.v0.connector_registry_v0 import ConnectorRegistryV0
from staffwire.catalog import (
    CatalogProblems,
    build_catalog,
    check_catalog,
    dockerfile_problems,
    find_root,
    metadata_problems,
    pyairbyte_registry,
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


def test_the_catalog_is_an_airbyte_registry_with_each_connectors_spec(repo: Path) -> None:
    catalog = build_catalog(repo)
    assert ConnectorRegistryV0.model_validate(catalog)  # Airbyte's own registry model accepts it
    [source], [destination] = catalog["sources"], catalog["destinations"]
    assert {k: source[k] for k in source if k not in ("spec", "icon")} == {
        "sourceDefinitionId": SOURCE_ID,
        "name": "Acme",
        "dockerRepository": "staffwire/source-acme",
        "dockerImageTag": "0.1.0",
        "documentationUrl": "https://github.com/staffwire/staffwire/tree/main/connectors/source-acme",
        "sourceType": "api",
        "language": "python",
        "tombstone": False,
        "public": True,
        "custom": False,
        "releaseStage": "alpha",
        "supportLevel": "community",
        "license": "MIT",
        "githubIssueLabel": "source-acme",
        "allowedHosts": {"hosts": ["api.acme.example.com"]},
        "remoteRegistries": {"pypi": {"enabled": True, "packageName": "source-acme"}},
        "tags": ["language:python", "cdk:staffwire"],
    }
    assert source["icon"].startswith("<svg ")
    assert destination["destinationDefinitionId"] == DEST_ID
    assert destination["dockerRepository"] == "staffwire/destination-acme"
    assert "sourceType" not in destination


def test_the_spec_in_the_catalog_is_what_the_connector_prints(repo: Path) -> None:
    catalog = build_catalog(repo)
    for kind, name, secret in (
        ("sources", "source-acme", "api_token"),
        ("destinations", "destination-acme", "api_key"),
    ):
        folder = repo / "connectors" / name
        printed = subprocess.run(
            [sys.executable, "-c", f"from {name.replace('-', '_')}.run import run; run()", "spec"],
            env={**os.environ, "PYTHONPATH": str(folder)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        [spec] = [json.loads(line)["spec"] for line in printed.splitlines() if '"SPEC"' in line]
        [entry] = catalog[kind]
        assert entry["spec"] == spec
        assert entry["spec"]["connectionSpecification"]["properties"][secret]["airbyte_secret"] is True


def test_pyairbyte_reads_the_registry_with_airbyte_repository_names(repo: Path) -> None:
    view = pyairbyte_registry(build_catalog(repo))
    assert [e["dockerRepository"] for e in view["sources"] + view["destinations"]] == [
        "airbyte/source-acme",
        "airbyte/destination-acme",
    ]
    assert build_catalog(repo)["sources"][0]["dockerRepository"] == "staffwire/source-acme"


def test_building_twice_writes_the_same_bytes(repo: Path) -> None:
    first = write_catalog(repo).read_bytes()
    assert write_catalog(repo).read_bytes() == first
    assert first.endswith(b"}\n")
    assert json.loads(first)["destinations"][0]["dockerRepository"] == "staffwire/destination-acme"


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
    assert capsys.readouterr().out == f"wrote {repo / 'catalog.json'} (1 sources, 1 destinations)\n"


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
        f"{META}: $.data.definitionId: uuid_parsing: Input should be a valid UUID, invalid character: found `n` at 0",
    ),
    (
        "releaseStage",
        _set("releaseStage", "ga"),
        f"{META}: $.data.releaseStage: enum: Input should be 'alpha', 'beta', 'generally_available' or 'custom'",
    ),
    ("license missing", lambda d: d.pop("license"), f"{META}: $.data.license: missing: Field required"),
    (
        "unknown field",
        _set("colour", "blue"),
        f"{META}: $.data.colour: extra_forbidden: Extra inputs are not permitted",
    ),
    (
        "the old remotePackageIndex",
        _set("remotePackageIndex", {"pypi": {"enabled": False}}),
        f"{META}: $.data.remotePackageIndex: extra_forbidden: Extra inputs are not permitted",
    ),
    (
        "hosts not a list",
        _set("allowedHosts.hosts", "api.acme.example.com"),
        f"{META}: $.data.allowedHosts.hosts: list_type: Input should be a valid list",
    ),
    (
        "nested model",
        _set("resourceRequirements", {"jobSpecific": [{"jobType": "nap", "resourceRequirements": {}}]}),
        f"{META}: $.data.resourceRequirements.jobSpecific[0].jobType: enum: Input should be 'get_spec', "
        "'check_connection', 'discover_schema', 'sync', 'reset_connection', 'connection_updater' or 'replicate'",
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
    (
        "package index not enabled",
        _set("remoteRegistries.pypi.enabled", False),
        f"{META}: $.data.remoteRegistries.pypi: must be {{enabled: true, packageName: source-acme}} (the wheel "
        "`uv build` makes), found {'enabled': False, 'packageName': 'source-acme'}",
    ),
    (
        "icon not a file",
        _set("icon", "acme.svg"),
        f"{META}: $.data.icon: 'acme.svg' is not a file in connectors/source-acme",
    ),
    (
        "no smoke tests",
        _set("connectorTestSuitesOptions", [{"suite": "unitTests"}]),
        f"{META}: $.data.connectorTestSuitesOptions: needs a 'smokeTests' suite with scenarios (the configs "
        "airbyte-cdk's standard tests run)",
    ),
    (
        "scenario config missing",
        _set(
            "connectorTestSuitesOptions",
            [{"suite": "smokeTests", "scenarios": [{"name": "x", "configFile": "no.json"}]}],
        ),
        f"{META}: $.data.connectorTestSuitesOptions[smokeTests].scenarios[0].configFile: 'no.json' is not a file "
        "in the connector folder",
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
        "  connectors/source-acme/metadata.yaml: $.data.releaseStage: enum: Input should be 'alpha', 'beta', "
        "'generally_available' or 'custom'\n"
        f"  connectors/source-beta/metadata.yaml: $.data.definitionId: {DEST_ID} is already used by "
        "destination-acme; generate a new UUID\n"
        "  connectors/source-zoo/metadata.yaml: missing: every connector needs a metadata.yaml\n"
    )
    assert not (repo / "catalog.json").exists()


CONVENTIONAL = """ARG BASE_IMAGE=docker.io/airbyte/python-connector-base:4.0.0
FROM ${BASE_IMAGE} AS builder
COPY staffwire-*.whl source_acme-*.whl ./
RUN python3 -m venv /airbyte/venv && /airbyte/venv/bin/pip install ./*.whl
FROM ${BASE_IMAGE}
COPY --from=builder /airbyte/venv /airbyte/venv
ENV AIRBYTE_ENTRYPOINT source-acme
USER airbyte
ENTRYPOINT ["source-acme"]
LABEL io.airbyte.name="staffwire/source-acme" \\
      io.airbyte.version="0.1.0"
"""
DOCKERFILES = [
    ("conventional", CONVENTIONAL, []),
    (
        "old single stage from the repository root, as root",
        "FROM python:3.11-slim\nCOPY sdk ./staffwire/sdk\nCOPY connectors/source-acme ./source-acme\n"
        'ENV AIRBYTE_ENTRYPOINT="python /airbyte/integration_code/main.py"\n'
        'ENTRYPOINT ["python", "/airbyte/integration_code/main.py"]\nLABEL io.airbyte.name=staffwire/source-acme\n'
        "LABEL io.airbyte.version=0.1.0\n",
        [
            "ARG BASE_IMAGE must be declared before the first FROM (Airbyte passes the base image)",
            "every FROM must build on ${BASE_IMAGE}, found ['python:3.11-slim']",
            "must be multi-stage: a builder stage, and a final stage that COPY --from= it",
            "the final stage must run as USER airbyte (non-root), found None",
            "COPY from the build context must take wheels only (the context is the wheel folder `uv build` "
            "writes), found ['sdk', 'connectors/source-acme']",
            'ENTRYPOINT must be ["source-acme"] (the console script, exec form), found '
            "['python', '/airbyte/integration_code/main.py']",
            "ENV AIRBYTE_ENTRYPOINT must be \"source-acme\", found 'python /airbyte/integration_code/main.py'",
        ],
    ),
    (
        "user airbyte only in the builder, shell-form entrypoint",
        CONVENTIONAL.replace("USER airbyte\n", "")
        .replace("AS builder\n", "AS builder\nUSER airbyte\n")
        .replace('ENTRYPOINT ["source-acme"]', "ENTRYPOINT source-acme")
        .replace('io.airbyte.version="0.1.0"', 'io.airbyte.version="0.0.9"'),
        [
            "the final stage must run as USER airbyte (non-root), found None",
            "ENTRYPOINT must be [\"source-acme\"] (the console script, exec form), found 'source-acme'",
            "LABEL io.airbyte.version must be '0.1.0', found '0.0.9'",
        ],
    ),
]


@pytest.mark.parametrize(("text", "problems"), [d[1:] for d in DOCKERFILES], ids=[d[0] for d in DOCKERFILES])
def test_dockerfile_convention(tmp_path: Path, text: str, problems: list[str]) -> None:
    (tmp_path / "Dockerfile").write_text(text)
    assert dockerfile_problems(tmp_path / "Dockerfile", "source-acme", "0.1.0") == problems


def test_a_leftover_acceptance_test_config_is_a_problem(repo: Path) -> None:
    (repo / "connectors" / "source-acme" / "acceptance-test-config.yml").write_text("acceptance_tests: {}\n")
    assert metadata_problems(repo / "connectors" / "source-acme", repo) == [
        "connectors/source-acme/acceptance-test-config.yml: retired: the standard-test scenarios live in "
        "metadata.yaml's connectorTestSuitesOptions (smokeTests); move them there and delete this file"
    ]


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
