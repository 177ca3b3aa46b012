"""Console script ``destination-greenhouse``."""

from __future__ import annotations

from destination_greenhouse.destination import DestinationGreenhouse


def run() -> None:
    DestinationGreenhouse.launch()


if __name__ == "__main__":
    run()
