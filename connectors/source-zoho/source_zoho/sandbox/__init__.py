"""An emulator of Zoho's accounts server, Zoho Recruit API v2 and Zoho CRM (v2 to v8) on loopback.

Faithful to what a connector meets in the field (see the connector README "Sandbox"): the accounts server and
auth (:mod:`.accounts`), metadata, records, deleted records and limits (:mod:`.server`, :mod:`.store`), seeded
with realistic Recruit and CRM data (:mod:`.seed`, :mod:`.recruit_data`, :mod:`.crm_data`).

Run it with ``python -m source_zoho.sandbox --port 8765``.
"""

from __future__ import annotations

import argparse
import time

from source_zoho.sandbox.accounts import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN
from source_zoho.sandbox.server import ZohoSandbox

__all__ = ["CLIENT_ID", "CLIENT_SECRET", "REFRESH_TOKEN", "ZohoSandbox", "main"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Zoho accounts + Recruit v2 + CRM emulator on loopback")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--candidates", type=int, default=24)
    parser.add_argument("--leads", type=int, default=12)
    args = parser.parse_args(argv)
    sandbox = ZohoSandbox(
        seed=args.seed,
        host=args.host,
        port=args.port,
        recruit_sizes={"Candidates": args.candidates},
        crm_sizes={"Leads": args.leads},
    )
    sandbox.start()
    print(f"zoho sandbox listening on {sandbox.url} (Ctrl-C to stop)", flush=True)
    print(
        f'config: {{"client_id": "{CLIENT_ID}", "client_secret": "{CLIENT_SECRET}", '
        f'"refresh_token": "{REFRESH_TOKEN}", "accounts_url": "{sandbox.url}", "api_url": "{sandbox.url}"}}',
        flush=True,
    )
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        sandbox.stop()
