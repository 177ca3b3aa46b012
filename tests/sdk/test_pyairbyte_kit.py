"""``staffwire.testing.pyairbyte``: PyAirbyte runs in a child interpreter that writes only under ``tmp_path``."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from staffwire.testing.pyairbyte import PyAirbyteError, pyairbyte_environment, run_pyairbyte

REPO_ROOT = Path(__file__).resolve().parents[2]
WATCHED = [REPO_ROOT / ".cache", Path(tempfile.gettempdir()) / "airbyte"]

# find_spec, not importorskip: importing PyAirbyte here would cost seconds and is what the kit exists to avoid.
pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("airbyte") is None, reason="PyAirbyte is not installed"
)


def _snapshot() -> set[Path]:
    return {p for root in WATCHED if root.exists() for p in [root, *root.rglob("*")]}


def test_the_environment_puts_every_pyairbyte_folder_under_home_and_stays_offline(tmp_path: Path) -> None:
    env = pyairbyte_environment(tmp_path, base={"PATH": "/usr/bin"})

    assert env == {
        "PATH": "/usr/bin",
        "AIRBYTE_OFFLINE_MODE": "1",
        "DO_NOT_TRACK": "1",
        "AIRBYTE_LOCAL_REGISTRY": str(tmp_path / "registry.json"),
        "AIRBYTE_PROJECT_DIR": str(tmp_path),
        "AIRBYTE_INSTALL_DIR": str(tmp_path / "install"),
        "AIRBYTE_CACHE_ROOT": str(tmp_path / "cache"),
        "AIRBYTE_TEMP_DIR": str(tmp_path / "tmp"),
        "AIRBYTE_LOGGING_ROOT": str(tmp_path / "logs"),
        "TMPDIR": str(tmp_path / "tmp"),
    }
    assert (tmp_path / "registry.json").read_text() == '{"sources": [], "destinations": []}'
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == ["cache", "install", "logs", "tmp"]


def test_importing_the_kit_does_not_import_pyairbyte() -> None:
    child = subprocess.run(
        [sys.executable, "-c", "import sys, staffwire.testing.pyairbyte; print('airbyte' in sys.modules)"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (child.returncode, child.stdout.strip()) == (0, "False")


def test_the_script_gets_inputs_on_stdin_and_home_and_its_report_is_the_result(tmp_path: Path) -> None:
    script = """
    import os
    print("noise a client may print")
    report({"inputs": inputs, "home": str(home), "cwd": os.getcwd(), "tmp": os.environ["TMPDIR"]})
    """
    result = run_pyairbyte(script, tmp_path, inputs={"config": {"token": "t-1"}, "ids": [1, 2]})

    assert result == {
        "inputs": {"config": {"token": "t-1"}, "ids": [1, 2]},
        "home": str(tmp_path),
        "cwd": str(tmp_path),
        "tmp": str(tmp_path / "tmp"),
    }


@pytest.mark.parametrize(
    ("script", "timeout", "message"),
    [
        ("raise SystemExit(3)", 30, "The PyAirbyte script exited with 3:"),
        ("raise ValueError('boom from the child')", 30, "ValueError: boom from the child"),
        ("print('done')", 30, "The PyAirbyte script exited 0 without calling report(value)"),
        ("import time; time.sleep(5)", 0.5, "The PyAirbyte script did not finish within 0.5s"),
    ],
)
def test_a_failing_or_silent_script_is_an_assertion_with_the_reason(
    tmp_path: Path, script: str, timeout: float, message: str
) -> None:
    with pytest.raises(PyAirbyteError) as caught:
        run_pyairbyte(script, tmp_path, timeout=timeout)
    assert message in str(caught.value)
    assert isinstance(caught.value, AssertionError)


@pytest.mark.slow
def test_pyairbyte_writes_nothing_to_the_repo_cache_or_the_system_temp_logs(tmp_path: Path) -> None:
    """The default cache, temp files and logs PyAirbyte creates all land under ``tmp_path``."""
    before = _snapshot()
    script = """
    import airbyte as ab
    import airbyte._util.temp_files as temp_files
    import airbyte.logs

    cache = ab.get_default_cache()
    cache.processor._execute_sql("CREATE TABLE probe AS SELECT 1 AS id")
    airbyte.logs.get_global_file_logger().warning("probe")
    with temp_files.as_temp_files([{"probe": 1}]) as paths:
        temp_file = paths[0]
    report({
        "db": str(cache.db_path),
        "logs": str(airbyte.logs.AIRBYTE_LOGGING_ROOT),
        "temp_file": temp_file,
    })
    """
    result = run_pyairbyte(script, tmp_path)

    assert result["db"] == str(tmp_path / "cache" / "default_cache" / "default_cache.duckdb")
    assert Path(result["db"]).is_file()
    assert result["logs"] == str(tmp_path / "logs")
    assert any((tmp_path / "logs").rglob("*.log"))
    assert Path(result["temp_file"]).parent == tmp_path / "tmp"
    assert _snapshot() - before == set()
