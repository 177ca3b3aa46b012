"""Console script ``destination-wingspan``."""

from __future__ import annotations

from destination_wingspan.destination import DestinationWingspan


def run() -> None:
    DestinationWingspan.launch()


if __name__ == "__main__":
    run()
