"""The reader gives exactly what the hand-written loops it replaced gave (issue 15): every raw and standard stream
of Recruit and CRM, full refresh and incremental around changes and deletions, same sorted ids and same final
state per stream as ``differential/golden.json``, which ``differential/record.py`` recorded with the old code."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent / "differential"


def _recorder() -> Any:
    spec = importlib.util.spec_from_file_location("zoho_differential_record", HERE / "record.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_reader_reads_exactly_what_the_recorded_reader_read() -> None:
    want = json.loads((HERE / "golden.json").read_text())
    got = _recorder().record()
    assert sorted(got) == ["crm", "recruit"]
    for product in ("recruit", "crm"):
        assert sorted(got[product]) == sorted(want[product]), product
        for stream, phases in want[product].items():
            for phase, expected in phases.items():
                assert got[product][stream][phase] == expected, f"{product} {stream} {phase}"
