"""A faithful emulator of Wingspan's Payments API, for tests, the demo and benchmarks.

What it emulates (see README "Sandbox"): bearer-token sessions (``GET /users/session/token/{token}``), acting as a
child account (``X-WINGSPAN-USER``) and the write rate limit (default 100 writes/s, 429 when exceeded)
(:mod:`.server`); collaborators and payees, two views of one contractor, with ``409`` for a repeated email
(:mod:`.contractors`); payables, member clients and invoices (:mod:`.payables`); bulk collaborator and bulk
payable batches (:mod:`.bulk`), with ``208 Already Reported`` for a repeated ``bulkPayableItemReference``, that
process *asynchronously* in a background thread (Open -> Pending -> Processing -> Complete | Failed, with
per-item results; :mod:`.processing`); request bodies validated against the request schemas of Wingspan's
OpenAPI file, so a body the real API would refuse is refused with 400 (:mod:`.validation`); onboarding of a
contractor (invited -> onboarding -> ready), moved on by an admin switch, with its requirements, tax status and
collaborator events (:mod:`.onboarding`); payable and invoice lifecycles with their events (paid dates); an
optional seeded account for sources (:mod:`.seed`). Every fault switch of :class:`staffwire.testing.sandbox.Faults`
applies.

Run it on its own with ``python -m destination_wingspan.sandbox [--port 8477]``.
"""

from __future__ import annotations

import argparse

from destination_wingspan.sandbox.common import DEMO_CHILD_USER_ID, DEMO_TOKEN, DEMO_USER_ID
from destination_wingspan.sandbox.server import WingspanSandbox

__all__ = ["DEMO_CHILD_USER_ID", "DEMO_TOKEN", "DEMO_USER_ID", "WingspanSandbox", "main"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the Wingspan Payments API sandbox on loopback.")
    parser.add_argument("--port", type=int, default=8477)
    parser.add_argument("--process-delay", type=float, default=0.5)
    parser.add_argument("--rate-limit", type=float, default=100.0)
    parser.add_argument("--seed", action="store_true", help="start with the demo account's data")
    args = parser.parse_args(argv)
    sandbox = WingspanSandbox(
        port=args.port, process_delay=args.process_delay, rate_limit_per_s=args.rate_limit, seed=args.seed
    )
    print(f"demo token: {DEMO_TOKEN}  (acting users: {DEMO_USER_ID}, {DEMO_CHILD_USER_ID})", flush=True)
    sandbox.serve_forever()
