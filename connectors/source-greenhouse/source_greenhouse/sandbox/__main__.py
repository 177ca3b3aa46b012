"""``python -m source_greenhouse.sandbox``: serve the Greenhouse sandbox until Ctrl-C."""

from __future__ import annotations

from source_greenhouse.sandbox import main

main()
