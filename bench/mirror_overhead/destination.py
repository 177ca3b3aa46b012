#!/usr/bin/env python3
"""The mirror benchmark's destination: confirms every state, keeps nothing (a plain Airbyte-protocol executable, stdlib only; see bench/mirror_overhead.py)."""

from __future__ import annotations

import json
import sys


def _emit(line: dict) -> None:
    sys.stdout.write(json.dumps(line) + "\n")


def destination(argv: list[str]) -> int:
    if argv[0] == "spec":
        _emit({"type": "SPEC", "spec": {"connectionSpecification": {"type": "object", "properties": {}}}})
        return 0
    out = sys.stdout
    for line in sys.stdin.buffer:
        if line.startswith(b'{"type":"STATE"') or b'"type": "STATE"' in line[:20]:
            out.write(line.decode())
            out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(destination(sys.argv[1:]))
