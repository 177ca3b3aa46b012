"""``python -m destination_quickbooks.sandbox``: serve the QuickBooks emulator until Ctrl-C."""

from __future__ import annotations

from destination_quickbooks.sandbox import QuickBooksSandbox

if __name__ == "__main__":
    QuickBooksSandbox(port=8479).serve_forever()
