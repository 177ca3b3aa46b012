"""The Bullhorn REST calls the source makes, on one shared :class:`~staffwire.http.HttpClient` (its connection
pool, rate limiter and login session are shared by every stream and worker thread)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from staffwire.auth import LoginSession
from staffwire.http import BadResponseError, HttpClient, RateLimiter, RetryPolicy
from staffwire.secrets import SecretMasker
from staffwire.token_fields import expiry_epoch

from source_bullhorn.auth import SYSTEM, BullhornLogin, check_url
from source_bullhorn.config import BullhornConfig

__all__ = ["BullhornApi", "ListPage", "list_body"]

#: Bullhorn answers a GET whose URL is longer than this badly; longer queries go in a POST body.
MAX_GET_QUERY = 7_500


class ListPage:
    """One answer of ``search/`` or ``query/``: ``total`` (None when not reported), ``count``, ``data``."""

    __slots__ = ("count", "data", "total")

    def __init__(self, body: Mapping[str, Any]) -> None:
        data = body.get("data")
        self.data: list[dict[str, Any]] = data if isinstance(data, list) else []
        count = body.get("count")
        self.count: int = int(count) if isinstance(count, int) else len(self.data)
        total = body.get("total")
        self.total: int | None = int(total) if total is not None else None


def stored_session(config: BullhornConfig) -> LoginSession | None:
    """The REST session an earlier process stored in the config (CONTROL message), if complete and usable."""
    expires_at = expiry_epoch(config.token_expiry_date)
    if config.access_token is None or not config.rest_url or expires_at is None:
        return None
    try:
        base_url = check_url(config.rest_url, "rest_url")
    except ValueError:
        return None
    return LoginSession(config.access_token.get_secret_value(), base_url.rstrip("/") + "/", expires_at)


class BullhornApi:
    def __init__(
        self,
        config: BullhornConfig,
        masker: SecretMasker,
        on_login: Callable[[LoginSession, str | None], None] | None = None,
    ) -> None:
        self.config = config
        self.auth = BullhornLogin(
            client_id=config.client_id,
            client_secret=config.client_secret.get_secret_value(),
            username=config.username,
            password=config.password.get_secret_value(),
            login_info_url=config.login_info_url,
            ttl_minutes=config.session_ttl_minutes,
            refresh_token=config.refresh_token.get_secret_value() if config.refresh_token else None,
            session=stored_session(config),
            on_login=on_login,
        )
        self.client = HttpClient(
            system=SYSTEM,
            auth=self.auth,
            masker=masker,
            retry=RetryPolicy(
                base_delay=config.retry_base_seconds, max_delay=max(1.0, config.retry_base_seconds * 30)
            ),
            rate_limiter=RateLimiter(
                per_minute=config.requests_per_minute, max_concurrency=config.max_concurrency
            ),
            pool_size=max(4, config.max_concurrency * 2),
        )

    def close(self) -> None:
        self.client.close()

    # ------------------------------------------------------------------------------------------ calls
    def get(self, path: str, params: Mapping[str, Any] | None = None, *, stream: str | None = None) -> Any:
        return self.client.request_json("GET", path, params=params, stream=stream)

    def ping(self) -> Any:
        return self.get("ping")

    def meta_entities(self) -> list[str]:
        body = self.get("meta")
        if not isinstance(body, list):
            raise BadResponseError(
                f"{SYSTEM} answered GET /meta with something other than a list of entities.",
                system=SYSTEM,
                method="GET",
                path="/meta",
            )
        return [str(item["entity"]) for item in body if isinstance(item, dict) and item.get("entity")]

    def meta(self, entity: str) -> dict[str, Any]:
        body = self.get(f"meta/{entity}", {"fields": "*", "meta": "full"}, stream=entity)
        if not isinstance(body, dict) or not isinstance(body.get("fields"), list):
            raise BadResponseError(
                f"{SYSTEM} answered GET /meta/{entity} without a field list.",
                system=SYSTEM,
                method="GET",
                path=f"/meta/{entity}",
                stream=entity,
            )
        return body

    def list_page(
        self,
        entity: str,
        *,
        searchable: bool,
        query: str,
        fields: str,
        count: int,
        sort: str = "id",
        start: int = 0,
        stream: str | None = None,
    ) -> ListPage:
        """One page of ``search/{entity}`` (Lucene ``query``) or ``query/{entity}`` (``where`` clause)."""
        params: dict[str, Any] = {"fields": fields, "count": count, "start": start}
        if searchable:
            params["sort"] = sort
            key, path = "query", f"search/{entity}"
        else:
            params["orderBy"] = sort
            params["showTotalMatched"] = "true"
            key, path = "where", f"query/{entity}"
        if len(query) > MAX_GET_QUERY:
            body = self.client.request_json(
                "POST", path, params=params, json={key: query}, stream=stream, idempotent=True
            )
        else:
            body = self.get(path, {key: query, **params}, stream=stream)
        return ListPage(list_body(body, path, stream))

    def entities(
        self, entity: str, ids: Sequence[int], fields: str, *, stream: str | None = None
    ) -> list[dict[str, Any]]:
        """``entity/{Entity}/{id,id,...}``: the rows that still exist (missing ids are left out)."""
        if not ids:
            return []
        joined = ",".join(str(i) for i in ids)
        response = self.client.request(
            "GET", f"entity/{entity}/{joined}", params={"fields": fields}, stream=stream, ok_statuses=(404,)
        )
        if response.status_code == 404:
            return []
        body = self.client.decode(response, stream=stream)
        data = body.get("data") if isinstance(body, dict) else None
        if isinstance(data, dict):
            return [data]
        return [d for d in data or [] if isinstance(d, dict)]

    # ------------------------------------------------------------------------------------- events (CDC)
    def subscribe(self, subscription: str, entity_names: Sequence[str]) -> bool:
        """Create the subscription; False when it already exists (then it is reused)."""
        response = self.client.request(
            "PUT",
            f"event/subscription/{subscription}",
            params={
                "type": "entity",
                "names": ",".join(entity_names),
                "eventTypes": "INSERTED,UPDATED,DELETED",
            },
            ok_statuses=(400, 409),
        )
        if response.status_code in (400, 409):
            text = response.content.decode("utf-8", "replace").lower()
            if "exist" in text:
                return False
            self.client.decode(response)
            from staffwire.http import error_for_response

            raise error_for_response(
                response, system=SYSTEM, masker=self.client.masker, what="event subscription"
            )
        return True

    def last_request_id(self, subscription: str, *, stream: str | None = None) -> int | None:
        """The id of the last batch Bullhorn handed out for the subscription; None when it does not exist."""
        response = self.client.request(
            "GET", f"event/subscription/{subscription}/lastRequestId", stream=stream, ok_statuses=(404,)
        )
        if response.status_code == 404:
            return None
        body = self.client.decode(response, stream=stream)
        result = body.get("result") if isinstance(body, dict) else None
        return int(result) if isinstance(result, int) else 0

    def events(
        self, subscription: str, *, max_events: int, request_id: int | None = None, stream: str | None = None
    ) -> tuple[int | None, list[dict[str, Any]], bool]:
        """One batch: (requestId, events, subscription exists). An empty body means no events."""
        params: dict[str, Any] = {"maxEvents": max_events}
        if request_id is not None:
            params["requestId"] = request_id
        response = self.client.request(
            "GET", f"event/subscription/{subscription}", params=params, stream=stream, ok_statuses=(404,)
        )
        if response.status_code == 404:
            return None, [], False
        body = self.client.decode(response, stream=stream)
        if not isinstance(body, dict):
            return None, [], True
        events = body.get("events") or []
        rid = body.get("requestId")
        return (int(rid) if rid is not None else None), [e for e in events if isinstance(e, dict)], True


def list_body(body: Any, path: str, stream: str | None) -> dict[str, Any]:
    """A list answer's body (``{"total", "start", "count", "data"}``), or a transient error naming the request."""
    if not isinstance(body, dict):
        raise BadResponseError(
            f"{SYSTEM} answered GET /{path} without a list body; try again later.",
            system=SYSTEM,
            method="GET",
            path=f"/{path}",
            stream=stream,
        )
    return body
