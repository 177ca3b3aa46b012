"""`staffwire new` creates a complete package whose own tests pass right after generation."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from staffwire.catalog import metadata_problems, read_pyproject, validate_metadata
from staffwire.cli import main
from staffwire.errors import ConfigError
from staffwire.scaffold import generate

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent

COMMON = [
    "Dockerfile",
    "README.md",
    "icon.svg",
    "integration_tests/config.json",
    "integration_tests/configured_catalog.json",
    "integration_tests/invalid_config.json",
    "metadata.yaml",
    "pyproject.toml",
    "{pkg}/__init__.py",
    "{pkg}/plugin.py",
    "{pkg}/py.typed",
    "{pkg}/run.py",
    "{pkg}/sandbox.py",
]
FILES = {
    "source-acme-ats": [
        *COMMON,
        "{pkg}/schemas/candidates.json",
        "{pkg}/source.py",
        "{pkg}/streams.py",
        "tests/test_plugin.py",
        "tests/test_source.py",
        "tests/test_standard_suite.py",
    ],
    "destination-acme-crm": [
        *COMMON,
        "{pkg}/destination.py",
        "{pkg}/writer.py",
        "tests/test_destination.py",
        "tests/test_plugin.py",
        "tests/test_standard_suite.py",
    ],
}


def files_under(path: Path) -> list[str]:
    return sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file())


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_package_has_every_file_a_connector_needs(tmp_path: Path, name: str) -> None:
    path = generate(name, tmp_path)
    assert path == tmp_path / name
    pkg = name.replace("-", "_")
    assert files_under(path) == sorted(f.format(pkg=pkg) for f in FILES[name])


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_generated_tests_pass(tmp_path: Path, name: str) -> None:
    path = generate(name, tmp_path)
    env = {**os.environ, "PYTHONPATH": str(path), "STAFFWIRE_DISABLE_PLUGIN_AUTOLOAD": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "tests"],
        cwd=path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    expected = {"source-acme-ats": "15 passed, 10 skipped", "destination-acme-crm": "12 passed, 7 skipped"}[
        name
    ]
    assert expected in result.stdout.splitlines()[-1]


@pytest.mark.parametrize(
    ("name", "format_code"),
    [("source-a", False), ("destination-acme-crm", False), ("destination-northwind-recruiting-cloud", True)],
)
def test_the_generated_code_is_lint_and_format_clean_in_the_repository(
    tmp_path: Path, name: str, format_code: bool
) -> None:
    """The template itself is clean for typical names; ruff re-wraps what very long names push past the limit."""
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")  # the repository's ruff settings
    (tmp_path / "connectors").mkdir()
    path = generate(name, tmp_path / "connectors", format_code=format_code)
    ruff = str(VENV_BIN / "ruff")
    for command in ([ruff, "check", "--no-cache", "."], [ruff, "format", "--no-cache", "--check", "."]):
        result = subprocess.run(command, cwd=path, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr


def code_lines(path: Path) -> int:
    """Lines of code in a module: not blank, not a comment, not part of a docstring."""
    text = path.read_text()
    docstrings: set[int] = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            is_docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            if is_docstring and isinstance(first.value.value, str) and first.end_lineno is not None:
                docstrings.update(range(first.lineno, first.end_lineno + 1))
    return sum(
        1
        for number, line in enumerate(text.splitlines(), 1)
        if line.strip() and not line.lstrip().startswith("#") and number not in docstrings
    )


def test_the_generated_source_is_written_the_short_way(tmp_path: Path) -> None:
    """One paginated endpoint, bearer auth, incremental on updated_at: the stream says only what is particular to
    its endpoint (HttpStream pages, de-duplicates the boundary and checkpoints), its schema is a JSON file, and the
    source names its API, its default URL and its streams (HttpSource builds the bearer-token client, the check and
    the streams). Counted as generated in the repository (its ruff settings); the templates this replaced had
    50 + 55 and then 19 + 38 such lines."""
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "connectors").mkdir()
    package = generate("source-acme-ats", tmp_path / "connectors") / "source_acme_ats"
    streams, source = (package / "streams.py").read_text(), (package / "source.py").read_text()
    assert "class CandidatesStream(HttpStream):" in streams
    assert "Checkpoint" not in streams  # HttpStream checkpoints; the stream does not
    assert "class SourceAcmeAts(HttpSource[AcmeAtsConfig]):" in source
    assert "stream_classes = (CandidatesStream,)" in source
    # HttpSource signs the requests, checks and builds the streams: the source defines no method
    assert ("BearerAuth" in source, "def " in source) == (False, False)
    assert (code_lines(package / "streams.py"), code_lines(package / "source.py")) == (19, 12)


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_metadata_validates_and_agrees_with_the_package(tmp_path: Path, name: str) -> None:
    path = generate(name, tmp_path, definition_id="0f1e2d3c-4b5a-4697-8877-665544332211")
    document = yaml.safe_load((path / "metadata.yaml").read_text())
    assert validate_metadata(document) == []
    assert metadata_problems(path, tmp_path) == []
    data = document["data"]
    assert (data["definitionId"], data["connectorType"], data["dockerRepository"]) == (
        "0f1e2d3c-4b5a-4697-8877-665544332211",
        name.split("-")[0],
        f"staffwire/{name}",
    )


def test_inside_a_workspace_the_sdk_comes_from_the_workspace(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.uv.workspace]\nmembers = ["connectors/*"]\n'
    )
    (tmp_path / "connectors").mkdir()
    inside = read_pyproject(generate("source-acme", tmp_path / "connectors") / "pyproject.toml")
    outside = read_pyproject(generate("source-acme", tmp_path) / "pyproject.toml")
    assert inside["tool"]["uv"]["sources"] == {"staffwire": {"workspace": True}}
    assert "uv" not in outside.get("tool", {})
    for project in (inside["project"], outside["project"]):
        assert project["scripts"] == {"source-acme": "source_acme.run:run"}
        assert project["entry-points"] == {"staffwire.connectors": {"source-acme": "source_acme.plugin"}}
        assert project["dependencies"] == ["staffwire"]


def test_an_existing_folder_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "source-acme").mkdir()
    with pytest.raises(ConfigError, match=r"source-acme already exists; choose another name or --dir"):
        generate("source-acme", tmp_path)
    assert list((tmp_path / "source-acme").iterdir()) == []


def test_staffwire_new_creates_the_package_in_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "destination-acme", "--dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"created {tmp_path / 'destination-acme'}"
    assert (tmp_path / "destination-acme" / "destination_acme" / "destination.py").is_file()


def test_staffwire_new_reports_a_bad_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "acme", "--dir", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        "error: 'acme' is not a connector name: use source-<system> or destination-<system>, in lower case, "
        "with words separated by '-' (e.g. source-acme-ats).\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_inside_a_repository_new_connectors_go_to_its_connectors_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.uv.workspace]\nmembers = ["connectors/*"]\n'
    )
    (tmp_path / "connectors" / "source-old").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "connectors" / "source-old")
    assert main(["new", "source-acme"]) == 0
    assert (tmp_path / "connectors" / "source-acme" / "source_acme" / "source.py").is_file()
    assert capsys.readouterr().out.splitlines()[-1] == (
        "it is a workspace member: `uv sync --all-packages` installs it (console script, plugin entry point)"
    )


def test_outside_a_repository_new_connectors_go_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "destination-acme"]) == 0
    assert (tmp_path / "destination-acme" / "destination_acme" / "writer.py").is_file()
