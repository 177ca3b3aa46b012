"""``spec`` stays fast: it imports none of the heavy libraries a run needs later."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SUPPORT = Path(__file__).resolve().parent / "support"
HEAVY = ["requests", "jsonschema", "rich", "yaml", "airbyte_protocol_dataclasses", "airbyte_cdk", "pluggy"]

PROGRAM = f"""
import io, json, sys
sys.path.insert(0, {str(SUPPORT)!r})
from sdk_support import ScriptedStream, scripted_source
out = io.BytesIO()
code = scripted_source(ScriptedStream("a", [])).launch(["spec"], stdout=out)
heavy = sorted(m for m in {HEAVY!r} if m in sys.modules)
print(json.dumps({{"code": code, "heavy": heavy, "spec": b'"type":"SPEC"' in out.getvalue()}}))
"""


def test_spec_imports_no_heavy_library() -> None:
    proc = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, check=True, timeout=60)
    assert json.loads(proc.stdout) == {"code": 0, "heavy": [], "spec": True}
