"""``DestinationGreenhouse``: check the credential, its scopes and the agency source; open a
:class:`~destination_greenhouse.writer.GreenhouseWriter`.

Only what ``spec`` needs is imported at module level; the HTTP client and the writer come with ``check`` and
``open``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from staffwire.destination import Destination

from destination_greenhouse.config import GreenhouseDestinationConfig

if TYPE_CHECKING:
    from airbyte_protocol_dataclasses.models import ConfiguredAirbyteCatalog
    from source_greenhouse.api import GreenhouseApi

    from destination_greenhouse.writer import GreenhouseWriter

__all__ = ["WRITE_SCOPES", "DestinationGreenhouse"]

#: what submitting needs (checked through Greenhouse's token introspection)
WRITE_SCOPES = (
    "harvest:jobs:list",
    "harvest:candidates:list",
    "harvest:candidates:create",
    "harvest:candidates:update",
    "harvest:applications:list",
    "harvest:applications:create",
    "harvest:attachments:list",
    "harvest:attachments:create",
    "harvest:notes:list",
    "harvest:notes:create",
    "harvest:sources:list",
)


class DestinationGreenhouse(Destination[GreenhouseDestinationConfig]):
    name: ClassVar[str] = "destination-greenhouse"
    config_model: ClassVar[type[Any]] = GreenhouseDestinationConfig
    documentation_url: ClassVar[str | None] = (
        "https://github.com/staffwire/staffwire/tree/main/connectors/destination-greenhouse"
    )
    supported_destination_sync_modes: ClassVar[list[str]] = ["append", "append_dedup"]

    def _api(self, config: GreenhouseDestinationConfig) -> GreenhouseApi:
        from source_greenhouse.api import GreenhouseApi

        return GreenhouseApi(config, masker=self.secrets)

    def check(self, config: GreenhouseDestinationConfig) -> None:
        from destination_greenhouse.account import agency_source, missing_scopes

        api = self._api(config)
        try:
            missing = missing_scopes(api, WRITE_SCOPES)
            if missing:
                from staffwire.errors import ConfigError

                raise ConfigError(
                    "Greenhouse: the API credential lacks the scopes "
                    + ", ".join(missing)
                    + " that submitting "
                    "candidates needs. Add them to the Harvest V3 credential in Greenhouse (Configure > Dev Center "
                    "> API Credentials > Manage scopes)."
                )
            agency_source(api, config)
        finally:
            api.close()

    def open(
        self, config: GreenhouseDestinationConfig, catalog: ConfiguredAirbyteCatalog
    ) -> GreenhouseWriter:
        from destination_greenhouse.account import agency_source
        from destination_greenhouse.writer import GreenhouseWriter

        api = self._api(config)
        return GreenhouseWriter(config, api, agency_source(api, config))
