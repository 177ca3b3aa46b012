"""Console script ``destination-bullhorn``."""

from __future__ import annotations

from destination_bullhorn.destination import DestinationBullhorn


def run() -> None:
    DestinationBullhorn.launch()


if __name__ == "__main__":
    run()
