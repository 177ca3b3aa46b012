"""The `staffwire` command: subcommand registration, listings (table, plain text, JSON), errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from staffwire.cli import COMMAND_MODULES, build_parser, main, print_table

PROBLEM = (
    "warning: plugin cli_pets_plugin: builtins.dict is neither a staffwire.source.Source nor a "
    "staffwire.destination.Destination subclass.\n"
)


def test_connectors_lists_name_type_version_package_as_plain_text(
    pets_plugin: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["connectors"]) == 0
    captured = capsys.readouterr()
    assert captured.out == (
        "NAME                 TYPE         VERSION  PACKAGE\n"
        "destination-petshop  destination  -        -\n"
        "source-pets          source       -        -\n"
    )
    assert captured.err == PROBLEM


def test_connectors_json(pets_plugin: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["connectors", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"name": "destination-petshop", "type": "destination", "version": None, "package": None},
        {"name": "source-pets", "type": "source", "version": None, "package": None},
    ]


def test_sandbox_list(pets_plugin: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sandbox", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"system": "pets", "class": "cli_pets_plugin.PetsSandbox"}]


def test_an_unknown_sandbox_is_an_error_naming_the_known_ones(
    pets_plugin: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sandbox", "run", "cats"]) == 1
    assert (
        capsys.readouterr().err
        == "error: No installed plugin provides a sandbox for 'cats' (available: pets).\n"
    )


def test_no_command_prints_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    out = capsys.readouterr().out
    assert out.startswith("usage: staffwire [-h] [--version] <command> ...")
    for command in ("connectors", "sandbox", "new", "catalog"):
        assert f"    {command}" in out


def test_an_absent_command_module_is_skipped() -> None:
    parser = build_parser(["staffwire.plugins.cli", "staffwire.no_such_part.cli"])
    assert parser.parse_args(["connectors"]).command == "connectors"


def test_a_command_module_whose_own_import_fails_is_not_hidden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "broken_commands.py").write_text("import no_such_dependency_xyz\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError, match="no_such_dependency_xyz"):
        build_parser(["broken_commands"])


def test_the_runner_commands_are_registered_when_the_runner_is_installed() -> None:
    assert "staffwire.runner.cli" in COMMAND_MODULES
    parser = build_parser()
    choices = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert {"connectors", "sandbox", "new", "catalog"} <= set(choices)


def test_building_the_parser_imports_no_heavy_library() -> None:
    """`staffwire --help` stays fast: registering our subcommands imports none of their dependencies."""
    code = (
        "import sys\nfrom staffwire.cli import build_parser\n"
        f"build_parser({list(COMMAND_MODULES)!r})\n"
        "heavy = {'pydantic', 'jsonschema', 'yaml', 'rich', 'requests', 'orjson', 'airbyte_cdk', 'sqlite3'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n"
        "runner = {'connection', 'store', 'sync', 'relay', 'executors', 'resolve', 'demo', 'progress'}\n"
        "print(sorted(m for m in sys.modules if m.startswith('staffwire.runner.') and m.split('.')[2] in runner))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.splitlines() == ["[]", "[]"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_rich_table() -> None:
    out = _Terminal()
    print_table("Installed connectors", ("NAME", "TYPE"), [("source-pets", "source")], file=out)
    text = out.getvalue()
    assert "Installed connectors" in text
    assert "source-pets" in text
    assert "━" in text or "─" in text  # drawn by rich, not padded text


def test_plain_tables_align_columns_and_show_missing_values_as_dashes() -> None:
    out = io.StringIO()
    print_table("t", ("A", "LONGER"), [("x", None), ("yyyy", "z")], file=out)
    assert out.getvalue() == "A     LONGER\nx     -\nyyyy  z\n"
