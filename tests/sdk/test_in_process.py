"""Connectors run in-process (threads and pipes, as the runner drives them) without touching each other."""

from __future__ import annotations

import gc
import io
import json
import logging
import os
import sys
import tempfile
import threading
from typing import Any

import pytest
from sdk_support import SCRIPT_CONFIG, ScriptedStream, configured_catalog, scripted_source
from source_example import SourceExample
from staffwire.state import Checkpoint
from staffwire.testing.conformance import assert_conformant, parse_output, run_connector

log = logging.getLogger("source_scripted.streams")


def test_two_connectors_in_threads_keep_their_logs_and_records_apart(tmp_path: Any) -> None:
    barrier = threading.Barrier(2, timeout=60)
    outputs: dict[str, bytes] = {}
    # Each thread gets its own files, written before either starts: a shared catalog file rewritten by one thread
    # while the other reads it is a race in the test, not in the SDK.
    for name in ("one", "two"):
        (tmp_path / f"{name}.json").write_text(json.dumps({"token": f"{name}-secret-token"}))
        (tmp_path / f"{name}-catalog.json").write_text(json.dumps(configured_catalog("a")))

    def script(name: str) -> list[Any]:
        return [
            lambda: barrier.wait(),
            lambda: log.info("hello from %s", name),
            {"id": name},
            lambda: barrier.wait(),
        ]

    def run(name: str) -> None:
        source = scripted_source(ScriptedStream("a", script(name)))
        out = io.BytesIO()
        code = source.launch(
            [
                "read",
                "--config",
                str(tmp_path / f"{name}.json"),
                "--catalog",
                str(tmp_path / f"{name}-catalog.json"),
            ],
            stdout=out,
        )
        outputs[name] = out.getvalue() if code == 0 else b"failed"

    threads = [threading.Thread(target=run, args=(n,)) for n in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    one = parse_output(["read"], 0, outputs["one"])
    two = parse_output(["read"], 0, outputs["two"])
    assert_conformant(one)
    assert_conformant(two)
    assert [m for m in one.log_messages() if m.startswith("hello")] == ["hello from one"]
    assert [m for m in two.log_messages() if m.startswith("hello")] == ["hello from two"]
    assert one.records("a") == [{"id": "one"}] and two.records("a") == [{"id": "two"}]


def test_a_run_leaves_no_logging_handler_behind_and_restores_the_root_level() -> None:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    run_connector(
        scripted_source(ScriptedStream("a", [{"id": 1}])),
        "read",
        config=SCRIPT_CONFIG,
        catalog=configured_catalog("a"),
    )
    assert (root.handlers, root.level) == (handlers, level)


def test_launch_streams_through_a_pipe_while_the_reader_consumes_it() -> None:
    page = [{"id": i, "payload": "x" * 100} for i in range(500)]
    script = [page, Checkpoint({"c": 1}), page, Checkpoint({"c": 2})]
    source = scripted_source(ScriptedStream("a", script, cursor=["c"]))
    read_fd, write_fd = os.pipe()
    codes: list[int] = []
    with tempfile.TemporaryDirectory() as tmp:
        config, catalog = os.path.join(tmp, "config.json"), os.path.join(tmp, "catalog.json")
        with open(config, "w") as fh:
            json.dump(SCRIPT_CONFIG, fh)
        with open(catalog, "w") as fh:
            json.dump(configured_catalog("a", mode="incremental"), fh)

        def produce() -> None:
            with os.fdopen(write_fd, "wb") as out:
                codes.append(source.launch(["read", "--config", config, "--catalog", catalog], stdout=out))

        thread = threading.Thread(target=produce)
        thread.start()
        with os.fdopen(read_fd, "rb") as pipe:
            data = pipe.read()
        thread.join(20)
    assert codes == [0]
    result = parse_output(["read"], 0, data)
    assert_conformant(result)
    assert len(result.records("a")) == 1000
    assert [s["sourceStats"]["recordCount"] for s in result.states] == [500.0, 500.0]


def test_launch_without_argv_reads_sys_argv_and_exits_with_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["source-example", "bogus"])
    stdout = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(stdout))
    with pytest.raises(SystemExit) as caught:
        SourceExample.launch()
    assert caught.value.code == 1


def test_launch_without_argv_leaves_no_frozen_objects_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    # launch() freezes start-up objects out of the collector's view for a console-script run; a process that
    # embeds it (this one) gets every object back under collection, on success and on failure alike
    assert gc.get_freeze_count() == 0
    for argv, code in ((["source-example", "spec"], 0), (["source-example", "bogus"], 1)):
        monkeypatch.setattr(sys, "argv", argv)
        stdout = io.BytesIO()
        monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(stdout))
        with pytest.raises(SystemExit) as caught:
            SourceExample.launch()
        assert caught.value.code == code
        assert gc.get_freeze_count() == 0


def test_a_source_runs_as_a_subprocess_through_the_conformance_helper(config: dict[str, Any]) -> None:
    here = os.path.join(os.path.dirname(__file__), "source-example")
    command = [
        sys.executable,
        "-c",
        f"import sys; sys.path.insert(0, {here!r}); from source_example import SourceExample; SourceExample.launch()",
    ]
    result = run_connector(command, "read", config=config, catalog=configured_catalog("items", "people"))
    assert_conformant(result)
    assert (result.exit_code, result.stderr) == (0, "")
    assert [r["id"] for r in result.records("items")] == [1, 2, 3, 4, 5]


def test_a_worker_thread_logs_into_its_run_when_its_function_is_bound() -> None:
    from concurrent.futures import ThreadPoolExecutor

    from staffwire.logs import bound

    def fetch(n: int) -> dict[str, int]:
        log.info("fetched page %d", n)
        return {"id": n}

    def pool_step() -> None:
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(bound(fetch), [1, 2]))

    result = run_connector(
        scripted_source(ScriptedStream("a", [pool_step])),
        "read",
        config=SCRIPT_CONFIG,
        catalog=configured_catalog("a"),
    )
    assert sorted(m for m in result.log_messages("INFO") if m.startswith("fetched")) == [
        "fetched page 1",
        "fetched page 2",
    ]


class HungUp(io.RawIOBase):
    """A stdout whose reader went away."""

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_reader_that_hangs_up_ends_the_run_with_exit_1_without_raising(tmp_path: Any) -> None:
    source = scripted_source(ScriptedStream("a", [{"id": 1}]))
    (tmp_path / "config.json").write_text(json.dumps(SCRIPT_CONFIG))
    (tmp_path / "catalog.json").write_text(json.dumps(configured_catalog("a")))
    argv = ["read", "--config", str(tmp_path / "config.json"), "--catalog", str(tmp_path / "catalog.json")]
    assert source.launch(argv, stdout=HungUp()) == 1  # type: ignore[arg-type]


def test_launch_writes_to_a_text_stdout_without_a_binary_buffer(monkeypatch: pytest.MonkeyPatch) -> None:
    text = io.StringIO()  # like a notebook's stdout: no .buffer
    monkeypatch.setattr(sys, "stdout", text)
    assert SourceExample.launch(["spec"]) == 0
    assert parse_output(["spec"], 0, text.getvalue().encode()).spec is not None
