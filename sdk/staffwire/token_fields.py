"""Access tokens that outlive the process: the config fields that carry them, and their expiry on the wire.

Every ``check``, ``discover`` and ``read`` is a new process. A vendor that rations tokens (Zoho: about ten access
tokens per refresh token per ten minutes) or spends refresh tokens on use (Bullhorn) needs the token of the last
process to be used by the next one. The connector emits the token and its expiry in the Airbyte CONTROL
``connectorConfig`` message (:meth:`staffwire.entrypoint.Connector.emit_config`); the platform -- an Airbyte
deployment, Staffwire's runner, PyAirbyte's ``config_change_callback`` -- stores the new config and passes it to the
next process, which starts with the stored token while it is valid. The field names follow airbyte-cdk's
single-use refresh token authenticator: ``access_token`` and ``token_expiry_date`` (ISO 8601 UTC); both are
``airbyte_hidden`` in the spec (the platform fills them, a person does not) and the token is ``airbyte_secret``.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from staffwire.py310 import datetime_fromisoformat

__all__ = ["HIDDEN", "expiry_epoch", "expiry_iso"]

#: ``json_schema_extra`` for the token fields: filled by the platform, not shown in a config form.
HIDDEN: dict[str, Any] = {"airbyte_hidden": True}


def expiry_iso(epoch: float) -> str:
    """An expiry moment (seconds since the epoch) as ISO 8601 UTC with a ``Z``, to the second."""
    return datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def expiry_epoch(text: str | None) -> float | None:
    """The moment ``token_expiry_date`` names, or None when absent or unreadable (the token is then not used)."""
    if not text:
        return None
    try:
        moment = datetime_fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()
