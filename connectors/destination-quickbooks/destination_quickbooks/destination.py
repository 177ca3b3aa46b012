"""``DestinationQuickBooks``: check the company and the accounts, answer ``discover`` with a DESTINATION_CATALOG of
its objects (Customer, Job, Item, Vendor, Bill, declared through the SDK's data activation layer), bind the
configured catalog's streams to them (:mod:`destination_quickbooks.routes`), open a :class:`QuickBooksWriter`.

Only what ``spec`` needs is imported at module level; the HTTP client, the mapping engine and the writer are
imported by ``check`` and ``open``, so ``destination-quickbooks spec`` starts fast.

Intuit rotates refresh tokens: whenever the token endpoint answers a new one, the destination emits a CONTROL
connectorConfig message carrying the whole config with the new ``refresh_token`` (the platform, or ``staffwire
sync``, stores it for the next run; the old one keeps working for a grace period, so a run killed before the
platform stored it is not locked out).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import SecretStr
from staffwire.activation import DestinationObject, ObjectBinding
from staffwire.destination import Destination

from destination_quickbooks.config import QuickBooksConfig
from destination_quickbooks.objects import destination_objects

if TYPE_CHECKING:
    from airbyte_protocol_dataclasses.models import ConfiguredAirbyteCatalog

    from destination_quickbooks.api import QuickBooksApi
    from destination_quickbooks.writer import QuickBooksWriter

__all__ = ["DestinationQuickBooks"]


class DestinationQuickBooks(Destination[QuickBooksConfig]):
    name: ClassVar[str] = "destination-quickbooks"
    config_model: ClassVar[type[Any]] = QuickBooksConfig
    documentation_url: ClassVar[str | None] = (
        "https://github.com/staffwire/staffwire/tree/main/connectors/destination-quickbooks"
    )
    #: ``append`` is written as ``append_dedup`` (see :mod:`destination_quickbooks.routes`)
    supported_destination_sync_modes: ClassVar[list[str]] = ["append", "append_dedup"]
    objects: ClassVar[tuple[DestinationObject, ...]] = destination_objects()

    def __init__(self) -> None:
        super().__init__()
        #: stream -> the objects it writes (a placement: Job and Item), set by :meth:`bind` before :meth:`open`
        self.routes: dict[str, list[ObjectBinding]] = {}

    def bind(self, config: QuickBooksConfig, catalog: ConfiguredAirbyteCatalog) -> dict[str, ObjectBinding]:
        """Every route checked as the SDK checks a binding (:mod:`destination_quickbooks.routes`); ``bindings``
        keeps each stream's first object, :attr:`routes` all of them."""
        from destination_quickbooks.routes import route_streams

        self.routes = route_streams(catalog, config, self.objects, connector=self.name)
        return {stream: bound[0] for stream, bound in self.routes.items() if bound}

    def check(self, config: QuickBooksConfig) -> None:
        from destination_quickbooks.company import load_company
        from destination_quickbooks.mapping import compile_objects

        compile_objects(config)  # config mistakes fail here, before any request
        api = self._api(config)
        try:
            load_company(api)
        finally:
            api.close()

    def open(self, config: QuickBooksConfig, catalog: ConfiguredAirbyteCatalog) -> QuickBooksWriter:
        from destination_quickbooks.company import load_company
        from destination_quickbooks.mapping import compile_objects
        from destination_quickbooks.writer import QuickBooksWriter

        if not self.routes:  # opened without the write command's binding
            self.bind(config, catalog)
        streams = {binding.object.name: stream for stream, bound in self.routes.items() for binding in bound}
        objects = compile_objects(config, streams)
        api = self._api(config)
        try:
            settings = load_company(api)
        except BaseException:
            api.close()
            raise
        return QuickBooksWriter(config, api, objects, settings)

    def _api(self, config: QuickBooksConfig) -> QuickBooksApi:
        from destination_quickbooks.api import QuickBooksApi

        holder = {"config": config}

        def rotated(token: str) -> None:
            holder["config"] = holder["config"].model_copy(update={"refresh_token": SecretStr(token)})
            self.emit_config(holder["config"])

        return QuickBooksApi(config, self.secrets, on_rotated=rotated)
