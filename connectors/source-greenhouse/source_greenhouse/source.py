"""SourceGreenhouse: a client's Greenhouse (Harvest v3) as an Airbyte-protocol source."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, ClassVar

from staffwire.errors import ConfigError
from staffwire.source import Source

from source_greenhouse.config import GreenhouseConfig

if TYPE_CHECKING:
    from staffwire.streams import Stream

    from source_greenhouse.api import GreenhouseApi

# The HTTP client, the streams and the mapping engine are imported by the commands that use them, so `spec`
# starts with the SDK core and the config model only.

__all__ = ["CORE_RESOURCES", "SourceGreenhouse"]

CORE_RESOURCES = ("jobs", "candidates", "applications")  # check fails without these scopes
_log = logging.getLogger("source_greenhouse")


class SourceGreenhouse(Source[GreenhouseConfig]):
    """Raw streams named like the Harvest v3 resources behind ``harvest_`` (``harvest_jobs``: the standard
    ``jobs`` stream has the plain name), plus the standard staffing streams."""

    name: ClassVar[str] = "source-greenhouse"
    config_model = GreenhouseConfig
    documentation_url: ClassVar[str | None] = (
        "https://github.com/staffwire/staffwire/tree/main/connectors/source-greenhouse"
    )

    def __init__(self) -> None:
        super().__init__()
        self._apis: dict[str, GreenhouseApi] = {}

    def api(self, config: GreenhouseConfig) -> GreenhouseApi:
        key = config.model_dump_json() + config.client_secret.get_secret_value()
        api = self._apis.get(key)
        if api is None:
            from source_greenhouse.api import GreenhouseApi

            api = self._apis[key] = GreenhouseApi(config, masker=self.secrets)
        return api

    def check(self, config: GreenhouseConfig) -> None:
        """A token, then one record of every resource the streams read: a missing scope of jobs, candidates or
        applications fails the check; one of the other resources is a warning (deselect that stream)."""
        from source_greenhouse.streams import RAW_STREAMS

        api = self.api(config)
        missing = []
        others = [r for r in RAW_STREAMS if r not in CORE_RESOURCES]
        for resource in [*CORE_RESOURCES, *others, "openings"]:  # jobs read their openings
            try:
                api.get(f"/{resource}", per_page=1)
            except ConfigError as exc:
                if exc.status != 403 or resource in CORE_RESOURCES:
                    raise
                missing.append(f"harvest:{resource}:list")
        if missing:
            _log.warning(
                "Greenhouse: the API credential lacks %s: the streams that read them will fail; add the scopes "
                "or deselect those streams",
                ", ".join(missing),
            )

    def streams(self, config: GreenhouseConfig) -> list[Stream]:
        from staffwire.state import parse_cursor

        from source_greenhouse.standard import STANDARD_STREAMS, rule_checkers
        from source_greenhouse.streams import RAW_PREFIX, RAW_STREAMS, HarvestStream, StandardStream

        api = self.api(config)
        start = parse_cursor(config.start_date) if config.start_date else None
        checkers = rule_checkers(config.rules) if config.rules else {}
        raw: list[Stream] = [
            HarvestStream(
                api, resource, start_date=start, page_size=config.page_size, name=RAW_PREFIX + resource
            )
            for resource in RAW_STREAMS
        ]
        standard: list[Stream] = [
            StandardStream(
                api,
                stream,
                start_date=start,
                page_size=config.page_size,
                client_ref=config.client_ref,
                pay_fields=config.pay_fields,
                status_maps=config.status_maps,
                rules=checkers.get(stream),
            )
            for stream in STANDARD_STREAMS
        ]
        return raw + standard
