"""``python -m source_zoho.sandbox``: serve the Zoho sandbox until Ctrl-C."""

from __future__ import annotations

from source_zoho.sandbox import main

main()
