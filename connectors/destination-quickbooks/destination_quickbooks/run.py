"""Console script ``destination-quickbooks``."""

from __future__ import annotations

from destination_quickbooks.destination import DestinationQuickBooks


def run() -> None:
    DestinationQuickBooks.launch()


if __name__ == "__main__":
    run()
