"""A Bullhorn REST API emulator on loopback, faithful to Bullhorn's documented and observed behaviour.

* The four auth hops: ``GET /rest-services/loginInfo`` answers 307 to a data-center path on the same server, whose
  loginInfo names ``oauthUrl`` and ``restUrl``; ``GET {oauthUrl}/authorize`` answers 302 with the URL-encoded code
  in ``Location`` (or 200 with an HTML page and no Location for a wrong password or a user who has not accepted
  the terms of service in a browser); ``POST {oauthUrl}/token`` (authorization_code, and single-use rotating
  refresh tokens); ``GET {restUrl}/login?version=*&access_token=..&ttl=..`` -> ``BhRestToken`` and a ``restUrl``
  with the corp token path. Missing BhRestToken: 412; bad or timed-out: 401 with Bullhorn's exact body.
* ``meta``, ``meta/{Entity}?fields=*&meta=full`` from Bullhorn's real metas (custom fields with tenant labels);
  ``search/{Entity}`` (Lucene subset) for searchable entities and ``query/{Entity}`` (where subset) for every
  entity, both answering 400 on invalid syntax and on ``fields=*``; ``entity/{Entity}/{ids}``; ``start``/``count``/
  ``sort``/``orderBy``; count capped at 500, and at 200 for wide field lists; to-many values as ``{total, data}``.
* Soft deletes: ``isDeleted`` rows are hidden unless the query constrains ``isDeleted``.
* Event subscriptions: ``PUT/GET/DELETE event/subscription/{id}``, ``requestId`` replay, purge on read.
* Writes: ``PUT entity/{Entity}``, ``POST entity/{Entity}/{id}``, ``DELETE entity/{Entity}/{id}``.
* A Python mutation API (:meth:`BullhornSandbox.add`, ``update``, ``soft_delete``, ``hard_delete``) that also
  produces events; the toolkit's fault switches (``sandbox.faults``).

Modules: :mod:`.server` (``BullhornSandbox``: meta, entities, search/query, mutation API), :mod:`.auth` (the login
hops), :mod:`.events` (subscriptions), :mod:`.query` (Lucene/where/fields/sort parsers), :mod:`.projection` (wire
shapes, encoded rows), :mod:`.ranges` (cached, id-sliced result lists), :mod:`.seed` (the seeded tenant).

Run it: ``python -m source_bullhorn.sandbox --candidates 1000`` prints a config the connector can use.
"""

from __future__ import annotations

import argparse
import json
import time

from source_bullhorn.sandbox.common import CORP_TOKEN, DATA_CENTER
from source_bullhorn.sandbox.seed import Sizes
from source_bullhorn.sandbox.server import BullhornSandbox

__all__ = ["CORP_TOKEN", "DATA_CENTER", "BullhornSandbox", "Sizes", "main"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m source_bullhorn.sandbox", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--candidates", type=int, default=200)
    args = parser.parse_args(argv)
    sandbox = BullhornSandbox(seed=args.seed, candidates=args.candidates, port=args.port, log_requests=False)
    sandbox.start()
    print(f"Bullhorn sandbox listening on {sandbox.url}; source-bullhorn config:", flush=True)
    print(json.dumps(sandbox.demo_config(), indent=2), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        sandbox.stop()
