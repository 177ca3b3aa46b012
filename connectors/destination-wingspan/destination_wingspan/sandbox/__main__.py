"""``python -m destination_wingspan.sandbox``: serve the Wingspan sandbox until interrupted."""

from __future__ import annotations

from destination_wingspan.sandbox import main

main()
