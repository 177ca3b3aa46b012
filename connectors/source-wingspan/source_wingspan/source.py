"""``SourceWingspan``: a Wingspan payer account as an Airbyte-protocol source.

``spec`` needs only the config model: the HTTP client and the streams are imported by the commands that use them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from staffwire.source import Source

from source_wingspan.config import SourceWingspanConfig

if TYPE_CHECKING:
    from staffwire.streams import Stream

    from source_wingspan.api import WingspanReader

__all__ = ["SourceWingspan"]


class SourceWingspan(Source[SourceWingspanConfig]):
    """Raw streams named like Wingspan's schemas (Payee, Collaborator, Payable, Invoice, BulkCollaboratorBatch,
    BulkPayableBatch) and the standard ``workers`` and ``payables``."""

    name: ClassVar[str] = "source-wingspan"
    config_model = SourceWingspanConfig
    documentation_url: ClassVar[str | None] = (
        "https://github.com/staffwire/staffwire/tree/main/connectors/source-wingspan"
    )

    def __init__(self) -> None:
        super().__init__()
        self._api: WingspanReader | None = None

    def _spec_extras(self) -> dict[str, Any]:
        return {"supports_incremental": True}

    def api(self, config: SourceWingspanConfig) -> WingspanReader:
        from source_wingspan.api import WingspanReader

        if self._api is None or self._api.config is not config:
            self._api = WingspanReader(config, self.secrets)
        return self._api

    def check(self, config: SourceWingspanConfig) -> None:
        """The token opens a session and the account (or acting user) may use the Payments API: the same test
        destination-wingspan's check makes."""
        from destination_wingspan.account import check_session

        check_session(self.api(config), config)

    def streams(self, config: SourceWingspanConfig) -> list[Stream]:
        from source_wingspan.streams import RAW, RawStream, StandardPayables, Workers

        api = self.api(config)
        streams: list[Stream] = [
            RawStream(api, spec, events=config.collaborator_events and spec.name == "Collaborator")
            for spec in RAW
        ]
        streams.append(Workers(api, events=config.collaborator_events))
        streams.append(StandardPayables(api))
        return streams
