"""SourceZoho: Zoho Recruit or Zoho CRM as an Airbyte-protocol source."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from staffwire.errors import ConfigError
from staffwire.source import Source, stream_entry

from source_zoho.config import ZohoConfig

if TYPE_CHECKING:
    from staffwire.auth import AccessToken
    from staffwire.streams import Stream

    from source_zoho.api import ZohoApi

# The HTTP client, the streams and the mapping engine are imported by the commands that use them, so `spec`
# starts with the SDK core and the config model only (see bench/spec_startup.py).

__all__ = ["SourceZoho"]


class SourceZoho(Source[ZohoConfig]):
    """Raw streams named like the Zoho modules, plus the standard staffing streams the product has data for.

    One :class:`ZohoApi` per config and run: its token and its metadata (which costs API credits) are shared by
    check, discover and every stream.
    """

    name: ClassVar[str] = "source-zoho"
    config_model = ZohoConfig
    documentation_url: ClassVar[str | None] = (
        "https://github.com/staffwire/staffwire/tree/main/connectors/source-zoho"
    )

    def __init__(self) -> None:
        super().__init__()
        self._apis: dict[str, ZohoApi] = {}

    def api(self, config: ZohoConfig) -> ZohoApi:
        key = (
            config.model_dump_json()
            + config.client_secret.get_secret_value()
            + config.refresh_token.get_secret_value()
        )
        api = self._apis.get(key)
        if api is None:
            from source_zoho.api import ZohoApi

            api = self._apis[key] = ZohoApi(
                config, masker=self.secrets, on_access_token=lambda token: self._keep_token(config, token)
            )
        return api

    def _keep_token(self, config: ZohoConfig, token: AccessToken) -> None:
        """Emit the config with the new access token (CONTROL), so the next process reuses it."""
        from pydantic import SecretStr
        from staffwire.token_fields import expiry_iso

        if token.expires_at is None:
            return
        update = {"access_token": SecretStr(token.token), "token_expiry_date": expiry_iso(token.expires_at)}
        self.emit_config(config.model_copy(update=update))

    def check(self, config: ZohoConfig) -> None:
        """A token plus one cheap call (the module list, which discover needs anyway)."""
        api = self.api(config)
        if not api.modules():
            raise ConfigError(
                f"{api.system} ({api.api_host}) lists no module the API can read for this user. Check the user's "
                "profile permissions and the refresh token's scopes."
            )

    def streams(self, config: ZohoConfig) -> list[Stream]:
        from source_zoho.api import parse_time
        from source_zoho.standard import specs_for
        from source_zoho.streams import ModuleStream, StandardStream

        api = self.api(config)
        start = parse_time(config.start_date)
        modules = [str(m["api_name"]) for m in api.modules()]
        streams: list[Stream] = [
            ModuleStream(api, module, start, config.raw_stream_prefix) for module in modules
        ]
        available = set(modules)
        for spec in specs_for(config.product):
            module = spec.module_in(available)
            if module is not None:
                streams.append(StandardStream(api, replace(spec, module=module), start, config.status_maps))
        folded: dict[str, str] = {}
        for stream in streams:
            name = stream.get_name()
            other = folded.setdefault(name.casefold(), name)
            if other != name:
                raise ConfigError(
                    f"raw_stream_prefix {config.raw_stream_prefix!r} makes stream {other!r} and {name!r} differ "
                    "only in case, which destinations that fold case would merge; choose another prefix."
                )
        return streams

    def discover(self, config: ZohoConfig) -> dict[str, Any]:
        """Modules whose field metadata Zoho will not give (204, 401, 403) are left out with a warning."""
        from source_zoho.streams import ModuleStream, StandardStream

        entries = []
        for stream in self._streams(config):
            if isinstance(stream, ModuleStream | StandardStream) and not stream.has_metadata():
                continue
            if isinstance(stream, StandardStream):
                stream.resolved_fields()  # says once which standard field this tenant's metadata lacks
            entries.append(stream_entry(stream))
        return {"streams": entries}
