"""Start-up checks: which modules a connector's ``spec`` loads.

``spec`` is what a platform runs most often, so a connector should answer it with the SDK core and its config
model only, and import its HTTP client, API and mapping code inside ``check()`` / ``streams()`` / ``open()``. A
connector's tests pin that::

    def test_spec_starts_light() -> None:
        assert modules_loaded_by_spec("source_foo.source:SourceFoo", ["requests", "staffwire.http"]) == []

The check runs in a fresh interpreter, since the test process has imported everything already.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence

__all__ = ["modules_loaded_by_spec"]

_PROGRAM = """
import io, json, sys
module, _, name = sys.argv[1].partition(":")
watched = json.loads(sys.argv[2])
connector = getattr(__import__(module, fromlist=[name]), name)
out = io.BytesIO()
code = connector.launch(["spec"], stdout=out)
print(json.dumps({
    "code": code,
    "spec": b'"type":"SPEC"' in out.getvalue(),
    "loaded": sorted(m for m in watched if m in sys.modules),
}))
"""


def modules_loaded_by_spec(connector: str, watched: Sequence[str], *, timeout: float = 60) -> list[str]:
    """The modules of ``watched`` that ``spec`` of ``connector`` ("package.module:Class") imports.

    Fails (AssertionError) if ``spec`` does not answer a SPEC message with exit code 0.
    """
    proc = subprocess.run(
        [sys.executable, "-c", _PROGRAM, connector, json.dumps(list(watched))],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise AssertionError(f"{connector} spec crashed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.splitlines()[-1])
    if result["code"] != 0 or not result["spec"]:
        raise AssertionError(f"{connector} spec did not answer a SPEC message (exit code {result['code']})")
    return list(result["loaded"])
