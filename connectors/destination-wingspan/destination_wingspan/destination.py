"""``DestinationWingspan``: check the token and the account, open a :class:`WingspanWriter`.

Only what ``spec`` needs is imported here (the SDK core and the config model); the HTTP client, the API modules
and the mapping engine are imported by ``check`` and ``open``, so ``destination-wingspan spec`` starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from staffwire.destination import Destination

from destination_wingspan.config import WingspanConfig

if TYPE_CHECKING:
    from airbyte_protocol_dataclasses.models import ConfiguredAirbyteCatalog

    from destination_wingspan.writer import WingspanWriter

__all__ = ["DestinationWingspan"]


class DestinationWingspan(Destination[WingspanConfig]):
    name: ClassVar[str] = "destination-wingspan"
    config_model: ClassVar[type[Any]] = WingspanConfig
    documentation_url: ClassVar[str | None] = (
        "https://github.com/staffwire/staffwire/tree/main/connectors/destination-wingspan"
    )
    supported_destination_sync_modes: ClassVar[list[str]] = ["append", "append_dedup"]

    def check(self, config: WingspanConfig) -> None:
        from destination_wingspan.account import check_account
        from destination_wingspan.mapping import compile_config

        compile_config(config)  # config mistakes fail here, before any request
        check_account(config, self.secrets)

    def open(self, config: WingspanConfig, catalog: ConfiguredAirbyteCatalog) -> WingspanWriter:
        from destination_wingspan.api import WingspanApi
        from destination_wingspan.mapping import compile_config
        from destination_wingspan.writer import WingspanWriter

        compiled = compile_config(config)  # config mistakes fail here, before any request
        return WingspanWriter(config, WingspanApi(config, self.secrets), compiled)
