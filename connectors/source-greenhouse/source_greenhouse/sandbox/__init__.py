"""An emulator of Greenhouse's token endpoint and Harvest v3 on loopback (see :mod:`.server`), seeded with a
client organisation's requisitions, candidates, applications, interviews, offers and hires (:mod:`.seed`).

Run it with ``python -m source_greenhouse.sandbox --port 8766`` (or ``staffwire sandbox run greenhouse``).
"""

from __future__ import annotations

import argparse

from source_greenhouse.sandbox.seed import AGENCY_SOURCE_ID, CLOSED_JOB_ID, CUSTOM_FIELD_JOB_ID
from source_greenhouse.sandbox.server import (
    ALL_SCOPES,
    CLIENT_ID,
    CLIENT_SECRET,
    NO_OFFERS_CLIENT,
    READ_ONLY_CLIENT,
    REVOKED_CLIENT,
    GreenhouseSandbox,
)

__all__ = [
    "AGENCY_SOURCE_ID",
    "ALL_SCOPES",
    "CLIENT_ID",
    "CLIENT_SECRET",
    "CLOSED_JOB_ID",
    "CUSTOM_FIELD_JOB_ID",
    "NO_OFFERS_CLIENT",
    "READ_ONLY_CLIENT",
    "REVOKED_CLIENT",
    "GreenhouseSandbox",
    "main",
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Greenhouse Harvest v3 emulator on loopback")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8766, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--candidates", type=int, default=36)
    args = parser.parse_args(argv)
    GreenhouseSandbox(
        seed=args.seed, candidates=args.candidates, host=args.host, port=args.port
    ).serve_forever()
