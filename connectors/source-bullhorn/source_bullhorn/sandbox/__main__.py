"""``python -m source_bullhorn.sandbox``: run the Bullhorn sandbox and print a config for the connector."""

from __future__ import annotations

from source_bullhorn.sandbox import main

main()
