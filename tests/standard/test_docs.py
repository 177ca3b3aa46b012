"""docs/standard-model.md is generated from the models and must be fresh."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from staffwire.standard import STANDARD_STREAM_NAMES
from staffwire.standard.docs import DEFAULT_OUTPUT, main, render

REPO = Path(__file__).resolve().parents[2]


def test_the_committed_page_is_the_generated_page() -> None:
    assert DEFAULT_OUTPUT == REPO / "docs" / "standard-model.md"
    assert DEFAULT_OUTPUT.read_text(encoding="utf-8") == render(), (
        "docs/standard-model.md is stale: run `python -m staffwire.standard.docs`"
    )


def test_the_page_has_a_table_per_stream_with_enum_values() -> None:
    page = render()
    for stream in STANDARD_STREAM_NAMES:  # the exact names are pinned by test_models
        assert f"## `{stream}`" in page
    assert (
        "| `status` | `new` \\| `active` \\| `placed` \\| `inactive` \\| `do_not_use` \\| `other` or null |  |"
        in page
    )
    assert "| `line_items[].unit_price` | number or null | A decimal amount, in `currency`. |" in page


def test_check_fails_on_a_stale_page_and_write_fixes_it(tmp_path: Path) -> None:
    page = tmp_path / "standard-model.md"
    page.write_text("old\n", encoding="utf-8")
    assert main(["--check", "--output", str(page)]) == 1
    assert main(["--output", str(page)]) == 0
    assert main(["--check", "--output", str(page)]) == 0


def test_the_command_runs_as_a_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "staffwire.standard.docs", "--check"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr
