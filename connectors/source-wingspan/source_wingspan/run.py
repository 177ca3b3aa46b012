"""Console script ``source-wingspan``."""

from __future__ import annotations

from source_wingspan.source import SourceWingspan


def run() -> None:
    SourceWingspan.launch()


if __name__ == "__main__":
    run()
