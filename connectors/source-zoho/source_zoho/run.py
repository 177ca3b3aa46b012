"""Console script ``source-zoho``."""

from __future__ import annotations

from source_zoho.source import SourceZoho


def run() -> None:
    SourceZoho.launch()


if __name__ == "__main__":
    run()
