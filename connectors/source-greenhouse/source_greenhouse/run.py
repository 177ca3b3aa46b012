"""Console script ``source-greenhouse``."""

from __future__ import annotations

from source_greenhouse.source import SourceGreenhouse


def run() -> None:
    SourceGreenhouse.launch()


if __name__ == "__main__":
    run()
