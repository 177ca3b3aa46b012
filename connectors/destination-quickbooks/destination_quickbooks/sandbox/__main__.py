"""``python -m destination_quickbooks.sandbox [--port 8479]``: serve the QuickBooks emulator until Ctrl-C."""

from __future__ import annotations

import argparse

from destination_quickbooks.sandbox import QuickBooksSandbox

parser = argparse.ArgumentParser(description="Run the QuickBooks Online sandbox on loopback.")
parser.add_argument("--port", type=int, default=8479)
parser.add_argument("--requests-per-minute", type=int, default=500, help="Intuit's limit per company (500)")
args = parser.parse_args()
QuickBooksSandbox(port=args.port, requests_per_minute=args.requests_per_minute).serve_forever()
