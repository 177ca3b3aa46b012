"""SDK tests: the example connectors live beside the tests, importable by module name."""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
for folder in ("source-example", "destination-example"):
    path = str(_HERE / folder)
    if path not in sys.path:
        sys.path.insert(0, path)
