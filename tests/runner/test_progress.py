"""Progress: a live rich table on a terminal, plain log lines otherwise, a summary at the end."""

from __future__ import annotations

import io
from typing import Any

from staffwire.runner import run_sync
from staffwire.runner.progress import LogProgress, NullProgress, RichProgress, make_progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_display_is_chosen_by_the_output() -> None:
    assert isinstance(make_progress(Terminal()), RichProgress)
    assert isinstance(make_progress(io.StringIO()), LogProgress)
    assert isinstance(make_progress(io.StringIO(), plain=False), NullProgress)
    assert isinstance(make_progress(Terminal(), quiet=True), NullProgress)


def test_a_terminal_shows_a_live_table_then_the_summary(plain: Any, store: Any) -> None:
    screen = Terminal()

    result = run_sync(
        plain.connection(log_secret=True), store=store, env=plain.env, progress=make_progress(screen)
    )

    assert result.status == "succeeded"
    text = screen.getvalue()
    for column in ("stream", "status", "read", "rate", "written", "rejected"):
        assert column in text
    assert "calling the API with key ****" in text  # warnings are shown, masked
    assert "run 1 of plain: succeeded in " in text
    assert "users: 5 read, 5 written, 0 rejected (COMPLETE)" in text
    assert plain.env["PLAIN_API_KEY"] not in text


def test_plain_lines_report_counts_periodically(plain: Any, store: Any) -> None:
    out = io.StringIO()

    run_sync(plain.connection(), store=store, env=plain.env, progress=LogProgress(out, interval=0))

    lines = [line.split(" ", 1)[1] for line in out.getvalue().splitlines()]
    assert "progress: users 5 read" in "\n".join(lines)
    assert lines[-2:] == [
        "  users: 5 read, 5 written, 0 rejected (COMPLETE)",
        "  orders: 3 read, 3 written, 0 rejected (COMPLETE)",
    ]
