"""The reader on the SDK's HttpStream reads exactly what the hand-written reader before it read (golden.json,
recorded with that reader by record.py): the same ids, estimates and final state for every stream and mode."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


def _recorder() -> Any:
    spec = importlib.util.spec_from_file_location("source_greenhouse_differential_record", HERE / "record.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_reader_reads_exactly_what_the_reader_before_it_read() -> None:
    golden = json.loads((HERE / "golden.json").read_text())
    assert _recorder().record() == golden
