"""Progress: a live rich table on a terminal, plain log lines otherwise, a summary at the end."""

from __future__ import annotations

import io
import re
import time
from typing import Any

import pytest
from staffwire.runner import run_sync
from staffwire.runner.progress import LogProgress, NullProgress, RichProgress, make_progress, wrap_lines


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


def test_plain_lines_report_counts_and_rates_every_interval_not_every_record(plain: Any, store: Any) -> None:
    out = io.StringIO()
    started = time.monotonic()

    run_sync(
        plain.connection(counts={"users": 20, "orders": 3}, delay=0.03),
        store=store,
        env=plain.env,
        progress=LogProgress(out, interval=0.2),
    )

    took = time.monotonic() - started
    lines = [line.split(" ", 1)[1] for line in out.getvalue().splitlines()]  # drop the time stamps
    progress = [line for line in lines if line.startswith("progress")]
    assert 1 <= len(progress) <= took / 0.2 + 1  # one per interval, not one per record
    for line in progress:
        assert re.fullmatch(
            r"progress after \d+\.\ds: users \d+ read \([\d,]+/s\), \d+ written"
            r"(; orders \d read \([\d,-]+/s\), \d written)?",
            line,
        ), line
    assert lines[-2:] == [
        "  users: 20 read, 20 written, 0 rejected (COMPLETE)",
        "  orders: 3 read, 3 written, 0 rejected (COMPLETE)",
    ]


def test_plain_lines_keep_coming_while_a_stream_stalls_and_show_it_at_0_per_second(
    plain: Any, store: Any
) -> None:
    out = io.StringIO()

    result = run_sync(
        plain.connection(hang_after=4),
        store=store,
        env=plain.env,
        progress=LogProgress(out, interval=0.1),
        heartbeat_timeout=1.0,
    )

    assert result.status == "failed"
    lines = [line.split(" ", 1)[1] for line in out.getvalue().splitlines()]
    assert any(
        re.fullmatch(r"progress after \d+\.\ds: users 4 read \(0/s\), 4 written", line) for line in lines
    )
    assert any(
        line.startswith("runner error: source ") for line in lines
    )  # the heartbeat failure, as it happens


def test_a_rejection_in_the_summary_gives_its_reasons(plain: Any, store: Any) -> None:
    out = io.StringIO()

    run_sync(
        plain.connection(dest_config={"reject_ids": [2]}),
        store=store,
        env=plain.env,
        progress=LogProgress(out, level="ERROR"),
    )

    lines = [line.split(" ", 1)[1] for line in out.getvalue().splitlines()]
    assert lines[-2:] == [
        "  rejected users 2: name is not allowed",
        "  rejected orders 2: name is not allowed",
    ]


def test_the_live_display_never_draws_a_line_wider_than_the_terminal(
    plain: Any, store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    long_name = "users_with_a_really_long_stream_name_that_goes_on_and_on"
    screen = Terminal()

    result = run_sync(
        plain.connection(
            counts={long_name: 30, "orders": 3},
            delay=0.02,
            streams=[{"name": long_name, "sync_mode": "incremental"}, {"name": "orders"}],
            dest_config={"reject_ids": [3]},
        ),
        store=store,
        env=plain.env,
        progress=make_progress(screen),
    )

    assert result.status == "succeeded"
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())
    drawn = [line for chunk in text.split("\n") for line in chunk.split("\r")]
    assert max(len(line) for line in drawn) <= 60
    assert "users_with\u2026" in text  # the stream column cut with an ellipsis, not wrapped
    assert (
        f"  {long_name}:\n    30 read, 29 written, 1 rejected (COMPLETE)" in text
    )  # the summary wraps indented


@pytest.mark.parametrize(
    ("line", "width", "wrapped"),
    [
        ("short line", 20, "short line"),
        ("  rejected users 3: name is not allowed", 20, "  rejected users 3:\n    name is not\n    allowed"),
        ("a " + "x" * 30 + " b", 20, "a\n  " + "x" * 30 + "\n  b"),  # a long word stays whole
        ("one\n  two three four five", 13, "one\n  two three\n    four five"),
    ],
)
def test_long_lines_wrap_at_words_under_their_indentation(line: str, width: int, wrapped: str) -> None:
    assert wrap_lines(line, width) == wrapped


def test_a_warning_with_brackets_is_shown_as_written_not_read_as_markup() -> None:
    screen = Terminal()
    progress = RichProgress(screen)

    progress.log("source", "WARN", "page [2/5] of [bold]Candidate[/bold] was retried")

    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())
    assert shown == "source warn: page [2/5] of [bold]Candidate[/bold] was retried\n"
