"""Staffwire: a connector SDK for staffing integrations that speaks the Airbyte protocol.

The public surface is re-exported lazily, so ``import staffwire`` (and a connector's ``spec``) stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from staffwire.lazy import lazy_exports

__version__ = "0.1.0"

_EXPORTS = {
    "Source": "staffwire.source",
    "HttpSource": "staffwire.http_source",
    "HttpSourceConfig": "staffwire.http_source",
    "Destination": "staffwire.destination",
    "Writer": "staffwire.destination",
    "Stream": "staffwire.streams",
    "Checkpoint": "staffwire.state",
    "Estimate": "staffwire.streams",
    "ConfigError": "staffwire.errors",
    "TransientError": "staffwire.errors",
    "InternalError": "staffwire.errors",
    "RecordRejected": "staffwire.errors",
    "Rejection": "staffwire.errors",
    "StaffwireError": "staffwire.errors",
    "SecretMasker": "staffwire.secrets",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    from staffwire.destination import Destination as Destination
    from staffwire.destination import Writer as Writer
    from staffwire.errors import ConfigError as ConfigError
    from staffwire.errors import InternalError as InternalError
    from staffwire.errors import RecordRejected as RecordRejected
    from staffwire.errors import Rejection as Rejection
    from staffwire.errors import StaffwireError as StaffwireError
    from staffwire.errors import TransientError as TransientError
    from staffwire.http_source import HttpSource as HttpSource
    from staffwire.http_source import HttpSourceConfig as HttpSourceConfig
    from staffwire.secrets import SecretMasker as SecretMasker
    from staffwire.source import Source as Source
    from staffwire.state import Checkpoint as Checkpoint
    from staffwire.streams import Estimate as Estimate
    from staffwire.streams import Stream as Stream

__getattr__ = lazy_exports(__name__, _EXPORTS)
