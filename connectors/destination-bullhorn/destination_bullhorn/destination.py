"""``DestinationBullhorn``: status write-back into Bullhorn through the Airbyte protocol's data activation
(DESTINATION_CATALOG on ``discover``; ``write`` honours destination_object_name, sync modes and matching keys).

Only what ``spec`` needs is imported at module level; the HTTP client, source-bullhorn's auth and the mapping
engine are imported by ``check``, ``discover`` and ``open``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from staffwire.activation import DestinationObject
from staffwire.destination import Destination

from destination_bullhorn.config import BullhornDestinationConfig
from destination_bullhorn.objects import OBJECTS

if TYPE_CHECKING:
    from airbyte_protocol_dataclasses.models import ConfiguredAirbyteCatalog
    from source_bullhorn.api import BullhornApi

    from destination_bullhorn.writer import BullhornWriter

__all__ = ["DestinationBullhorn"]


class DestinationBullhorn(Destination[BullhornDestinationConfig]):
    name: ClassVar[str] = "destination-bullhorn"
    config_model: ClassVar[type[Any]] = BullhornDestinationConfig
    documentation_url: ClassVar[str | None] = (
        "https://github.com/staffwire/staffwire/tree/main/connectors/destination-bullhorn"
    )
    supported_destination_sync_modes: ClassVar[list[str]] = []
    objects: ClassVar[tuple[DestinationObject, ...]] = OBJECTS

    def __init__(self) -> None:
        super().__init__()
        self._api: BullhornApi | None = None
        self._metas: dict[str, dict[str, Any]] = {}

    def api(self, config: BullhornDestinationConfig) -> BullhornApi:
        """source-bullhorn's client (its login, retries and rate budget), with the requests paced evenly: at most
        ``requests_per_minute`` in any minute and a sixtieth of it in any second, so a write-back never bursts a
        minute's budget into a system people are working in."""
        if self._api is None:
            from source_bullhorn.api import BullhornApi
            from staffwire.http import RateLimiter

            self._api = BullhornApi(config.source_config(), self.secrets)
            per_second = max(1.0, config.requests_per_minute / 60.0)
            self._api.client.rate_limiter = RateLimiter(
                per_minute=config.requests_per_minute, per_second=per_second, max_concurrency=1
            )
        return self._api

    def metas(self, config: BullhornDestinationConfig) -> dict[str, dict[str, Any]]:
        """The tenant's meta of every object (one request each, once per run)."""
        if not self._metas:
            api = self.api(config)
            self._metas = {obj.name: api.meta(obj.name) for obj in OBJECTS}
        return self._metas

    def check(self, config: BullhornDestinationConfig) -> None:
        for stream, settings in config.streams.items():  # mapping mistakes fail here, before any request
            settings.compile(stream, f"streams.{stream}")
        try:
            self.api(config).ping()
        finally:
            self._close()

    def destination_objects(self, config: BullhornDestinationConfig) -> Sequence[DestinationObject]:
        from destination_bullhorn.objects import build_objects

        return build_objects(self.metas(config))

    def open(self, config: BullhornDestinationConfig, catalog: ConfiguredAirbyteCatalog) -> BullhornWriter:
        from destination_bullhorn.writer import BullhornWriter

        try:
            return BullhornWriter(config, self.api(config), self.bindings, self.metas(config))
        except Exception:
            self._close()
            raise

    def _close(self) -> None:
        if self._api is not None:
            self._api.close()
            self._api = None
