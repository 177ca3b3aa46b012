"""An emulator of QuickBooks Online (Accounting API + Intuit OAuth) for tests, the demo and benchmarks.

``QuickBooksSandbox`` (:mod:`.server`) serves one company file (:mod:`.company`) with Intuit's rules: rotating
refresh tokens, the query language (:mod:`.query`), Fault bodies (:mod:`.faults`), ``requestid`` idempotency,
SyncToken concurrency, DisplayName uniqueness, /batch, and the per-realm rate limits. Run it on its own with
``python -m destination_quickbooks.sandbox`` or ``staffwire sandbox run quickbooks``.
"""

from __future__ import annotations

from destination_quickbooks.sandbox.server import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_REALM,
    DEMO_REFRESH_TOKEN,
    QuickBooksSandbox,
)

__all__ = ["DEMO_CLIENT_ID", "DEMO_CLIENT_SECRET", "DEMO_REALM", "DEMO_REFRESH_TOKEN", "QuickBooksSandbox"]
