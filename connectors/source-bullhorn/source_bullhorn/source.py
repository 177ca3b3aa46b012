"""``SourceBullhorn``: check, discover (from Bullhorn's meta) and read (raw entity streams + standard streams).

``spec`` needs only the config model, so the HTTP client, the API, the mapping engine (standard streams) and the
meta/streams modules are imported inside the methods that use them: ``source-bullhorn spec`` starts about as fast
as a minimal Staffwire source.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from staffwire.errors import ConfigError
from staffwire.source import Source

from source_bullhorn.config import BullhornConfig
from source_bullhorn.reference_data import SEARCHABLE

if TYPE_CHECKING:
    from staffwire.auth import LoginSession
    from staffwire.streams import Stream

    from source_bullhorn.api import BullhornApi
    from source_bullhorn.meta import EntityInfo

__all__ = ["CORE_ENTITIES", "SEARCHABLE", "SourceBullhorn"]

#: the entities a tenant must expose for the standard streams (and that every Bullhorn tenant has)
CORE_ENTITIES = (
    "Candidate",
    "JobOrder",
    "JobSubmission",
    "Placement",
    "ClientCorporation",
    "ClientContact",
    "Appointment",
    "Note",
    "Sendout",
    "CorporateUser",
    "Tearsheet",
)


class SourceBullhorn(Source[BullhornConfig]):
    name = "source-bullhorn"
    config_model = BullhornConfig
    documentation_url: ClassVar[str | None] = (
        "https://github.com/staffwire/staffwire/tree/main/connectors/source-bullhorn"
    )

    def __init__(self) -> None:
        super().__init__()
        self._api: BullhornApi | None = None
        self._infos: dict[str, EntityInfo] = {}  # by entity, fetched on demand (see entity_infos)
        self._fetched: set[str] = set()  # the entities whose meta was asked (a nameless answer is left out)
        self._wanted: list[str] | None = None  # the raw entities to offer, from /meta and the config
        self._needed: set[str] = set()  # those and the standard streams' entities the tenant has
        self._raw_names: list[str] = []  # the raw streams to offer, set with _infos

    def _spec_extras(self) -> dict[str, Any]:
        return {"supports_incremental": True}

    def api(self, config: BullhornConfig) -> BullhornApi:
        from source_bullhorn.api import BullhornApi

        if self._api is None or self._api.config is not config:
            self._api = BullhornApi(
                config,
                self.secrets,
                on_login=lambda session, refresh: self._keep_login(config, session, refresh),
            )
            self._infos, self._fetched, self._wanted, self._needed = {}, set(), None, set()
        return self._api

    def _keep_login(self, config: BullhornConfig, session: LoginSession, refresh_token: str | None) -> None:
        """Emit the config with the new session and single-use refresh token (CONTROL) for the next process."""
        from pydantic import SecretStr
        from staffwire.token_fields import expiry_iso

        if session.expires_at is None:
            return
        update = {
            "refresh_token": SecretStr(refresh_token) if refresh_token else None,
            "access_token": SecretStr(session.token),
            "rest_url": session.base_url,
            "token_expiry_date": expiry_iso(session.expires_at),
        }
        self.emit_config(config.model_copy(update=update))

    # ------------------------------------------------------------------------------------------- check
    def check(self, config: BullhornConfig) -> None:
        """The status maps compile; the full login, then one cheap call (``ping``)."""
        from source_bullhorn.standard import compile_standard

        compile_standard(config.status_maps)
        api = self.api(config)
        body = api.ping()
        if not isinstance(body, dict) or "sessionExpires" not in body:
            raise ConfigError(
                "Bullhorn: the REST session works but GET /ping did not answer like Bullhorn "
                "(no sessionExpires). Check login_info_url."
            )

    # ---------------------------------------------------------------------------------------- discover
    def entity_infos(self, config: BullhornConfig, entities: set[str] | None = None) -> dict[str, EntityInfo]:
        """The meta of the raw entities offered and of the standard streams' entities, fetched once per entity;
        ``entities`` narrows the fetch to those (a read that selects few streams asks /meta of only their
        entities). Also sets the raw streams to offer."""
        from concurrent.futures import ThreadPoolExecutor

        from source_bullhorn.meta import entity_info
        from source_bullhorn.standard import STANDARD

        api = self.api(config)
        if self._wanted is None:
            available = api.meta_entities()
            wanted = list(available)
            if config.entities is not None:
                unknown = sorted(set(config.entities) - set(available))
                if unknown:
                    raise ConfigError(
                        f"Bullhorn: the config lists entities this tenant does not expose in /meta: {', '.join(unknown)}. "
                        f"Known entities: {', '.join(sorted(available))}."
                    )
                wanted = [e for e in available if e in config.entities]
            self._wanted = wanted
            self._needed = set(wanted) | ({d.entity for d in STANDARD} & set(available))
        needed = self._needed if entities is None else self._needed & entities
        missing = sorted(needed - self._fetched)
        if missing:
            with ThreadPoolExecutor(max_workers=config.max_concurrency) as pool:
                metas = list(pool.map(api.meta, missing))
            self._infos.update((info.name, info) for info in map(entity_info, metas) if info.name)
            self._fetched.update(missing)
        infos = self._infos
        self._raw_names = [e for e in self._wanted if e in infos]
        return infos

    def streams(self, config: BullhornConfig) -> list[Stream]:
        return self._build(config, None)

    def streams_for_read(self, config: BullhornConfig, selected: set[str]) -> list[Stream]:
        """Only the selected streams, with the meta of only their entities and only their mappings compiled (a
        read of one raw stream makes one /meta/{entity} request and compiles no standard mapping)."""
        from source_bullhorn.standard import STANDARD

        entity_of = {d.stream: d.entity for d in STANDARD}
        entities = {entity_of.get(name, name) for name in selected}
        return self._build(config, selected, entities)

    def _build(
        self, config: BullhornConfig, selected: set[str] | None, entities: set[str] | None = None
    ) -> list[Stream]:
        """The raw streams, then the standard streams whose entity the tenant has; ``selected`` keeps only those
        names. A standard stream's custom-field labels are resolved (and missing labels reported) only when it is
        built; every mapping a status map names is still compiled, so a wrong status map fails every read; with
        neither, nothing is compiled (nor the mapping engine imported)."""
        import re

        from source_bullhorn.meta import is_custom
        from source_bullhorn.standard import STANDARD, compile_standard, resolve_labels
        from source_bullhorn.streams import RawStream, StandardStream

        def chosen(name: str) -> bool:
            return selected is None or name in selected

        infos = self.entity_infos(config, entities)
        api = self.api(config)
        streams: list[Stream] = [
            RawStream(api, config, infos[name]) for name in self._raw_names if chosen(name)
        ]
        standard = [d for d in STANDARD if d.entity in infos and chosen(d.stream)]
        labels_of = {d.stream: infos[d.entity].custom_fields for d in standard}
        names = {d.stream for d in STANDARD}
        wanted_labels = {
            s: keys for s, keys in config.custom_field_labels.items() if s not in names or chosen(s)
        }
        labelled = resolve_labels(wanted_labels, labels_of, self.logger.warning)
        compiled = None if selected is None else {d.stream for d in standard} | set(config.status_maps)
        mappings = (
            {}
            if compiled == set()
            else compile_standard(config.status_maps, labelled=labelled, streams=compiled)
        )
        for definition in standard:
            info = infos[definition.entity]
            customs = [f for f in info.custom_fields if is_custom(f)]
            known = [f for f in definition.fields if re.split(r"[(\[]", f, maxsplit=1)[0] in info.field_types]
            fields = ",".join(dict.fromkeys([*known, *customs]))
            streams.append(
                StandardStream(
                    api,
                    config,
                    info,
                    name=definition.stream,
                    fields=fields,
                    mapping=mappings[definition.stream],
                )
            )
        return streams
