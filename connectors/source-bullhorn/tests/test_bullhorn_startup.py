"""``source-bullhorn spec`` starts like a minimal Staffwire source: it imports the config model and the SDK core,
none of what check, discover and read need (HTTP client, API, mapping engine, meta and stream modules)."""

from __future__ import annotations

import json
import subprocess
import sys

LATER = [
    "requests",
    "staffwire.http",
    "staffwire.mapping",
    "source_bullhorn.api",
    "source_bullhorn.auth",
    "source_bullhorn.meta",
    "source_bullhorn.standard",
    "source_bullhorn.streams",
    "source_bullhorn.sandbox",
]

PROGRAM = f"""
import io, json, sys
from source_bullhorn.source import SourceBullhorn
out = io.BytesIO()
code = SourceBullhorn.launch(["spec"], stdout=out)
loaded = sorted(m for m in {LATER!r} if m in sys.modules)
print(json.dumps({{"code": code, "loaded": loaded, "spec": b'"type":"SPEC"' in out.getvalue()}}))
"""


def test_spec_imports_nothing_that_check_discover_or_read_need() -> None:
    proc = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, check=True, timeout=60)
    assert json.loads(proc.stdout) == {"code": 0, "loaded": [], "spec": True}
