"""Which hosts may be reached over plain ``http://``: loopback only (sandboxes and tests).

One implementation shared by the HTTP client (checked before every send) and by
:data:`staffwire.spec.SecureUrl` (checked when a config is validated). Standard library only, so importing it
from a config module costs nothing.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from urllib.parse import urlsplit

__all__ = ["is_loopback_host", "plain_http_allowed"]


@lru_cache(maxsize=256)
def is_loopback_host(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ``::1``); host names are not resolved."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def plain_http_allowed(url: str) -> bool:
    """Whether ``url`` may be used: anything not ``http://``, or ``http://`` to a loopback host."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "http":
        return True
    return is_loopback_host(parts.hostname or "")
