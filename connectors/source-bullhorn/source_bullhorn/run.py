"""Console script ``source-bullhorn``."""

from __future__ import annotations

from source_bullhorn.source import SourceBullhorn


def run() -> None:
    SourceBullhorn.launch()


if __name__ == "__main__":
    run()
