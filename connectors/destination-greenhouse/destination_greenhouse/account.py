"""What the destination checks once per run: the credential's scopes and the agency's source in Greenhouse."""

from __future__ import annotations

from typing import Any

from source_greenhouse.api import GreenhouseApi
from staffwire.errors import ConfigError
from staffwire.http import HttpClient

from destination_greenhouse.config import GreenhouseDestinationConfig

__all__ = ["agency_source", "introspect_url", "missing_scopes"]


def introspect_url(token_url: str) -> str:
    """Greenhouse's token introspection endpoint, beside its token endpoint (``.../token`` -> ``.../introspect``)."""
    base = token_url.rstrip("/")
    return (base[: -len("/token")] if base.endswith("/token") else base) + "/introspect"


def missing_scopes(api: GreenhouseApi, needed: tuple[str, ...]) -> list[str]:
    """The scopes in ``needed`` that the credential's token does not carry (RFC 7662 introspection, client
    authenticated with HTTP basic like the token request)."""
    api.get("/jobs", per_page=1)  # obtains the token (a refused credential fails here) and proves list access
    token = api.auth.access_token
    auth = api.auth.token_request().headers["Authorization"]
    with HttpClient(system="Greenhouse", masker=api.client.masker, retry=api.client.retry) as client:
        body: Any = client.post_json(
            introspect_url(api.config.token_url),
            json=None,
            data={"token": token},
            headers={"Authorization": auth},
        )
    if not isinstance(body, dict) or not body.get("active"):
        raise ConfigError(
            "Greenhouse says the access token it just issued is not active: the API credential was revoked or "
            "disabled. Create a new Harvest V3 credential and update client_id and client_secret."
        )
    granted = set(str(body.get("scope") or "").split())
    return [s for s in needed if s not in granted]


def agency_source(api: GreenhouseApi, config: GreenhouseDestinationConfig) -> int:
    """The id of the agency's source: ``source_id`` when it exists, else the source named like ``agency_name``."""
    sources = api.get("/sources", per_page=500) or []
    if config.source_id is not None:
        if any(s.get("id") == config.source_id for s in sources):
            return config.source_id
        raise ConfigError(
            f"Greenhouse has no source with id {config.source_id} (source_id). Use the id of the agency's source "
            "(Configure > Sources), or leave source_id empty to use the source named like agency_name."
        )
    wanted = config.agency_name.strip().lower()
    for source in sources:
        if str(source.get("name") or "").strip().lower() == wanted:
            return int(source["id"])
    names = ", ".join(repr(s.get("name")) for s in sources if (s.get("type") or {}).get("name") == "Agencies")
    raise ConfigError(
        f"Greenhouse has no source named {config.agency_name!r} (agency_name). Ask the client to add the agency "
        f"as a source, or set source_id. Agency sources there: {names or 'none'}."
    )
