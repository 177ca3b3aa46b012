"""The reader gives exactly what the reader of main at c784faa gave (issue 15's differential proof): for every raw and
standard stream, full refresh and incremental (first, resumed inside a window, again), with one and three parallel
requests, the same sorted ids, id order, estimates and final state as the golden file recorded by
``differential/record.py`` with the old code."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent / "differential"


def test_reader_matches_the_golden_recording_of_the_old_reader() -> None:
    spec = importlib.util.spec_from_file_location("bullhorn_differential_record", HERE / "record.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    golden = json.loads((HERE / "golden.json").read_text())
    got = module.record()
    for run, modes in golden.items():
        for mode, streams in modes.items():
            assert got[run][mode] == streams, (run, mode)
    assert got == golden
