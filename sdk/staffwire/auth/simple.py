"""Static credentials: a bearer token, an API key (header or query parameter), HTTP basic auth."""

from __future__ import annotations

import base64
from typing import Literal

import requests

from staffwire.auth.base import Auth, AuthFlow

__all__ = ["ApiKeyAuth", "BasicAuth", "BearerAuth"]


class BearerAuth(Auth):
    """``Authorization: Bearer <token>`` (``prefix`` changes the scheme word, e.g. ``"Zoho-oauthtoken"``)."""

    def __init__(self, token: str, *, prefix: str = "Bearer", header: str = "Authorization") -> None:
        self.token = token
        self.prefix = prefix
        self.header = header

    def secrets(self) -> list[str]:
        return [self.token]

    def auth_flow(self, request: requests.PreparedRequest) -> AuthFlow:
        request.headers[self.header] = f"{self.prefix} {self.token}" if self.prefix else self.token
        yield request


class ApiKeyAuth(Auth):
    """An API key in a header (default ``X-API-Key``) or a query parameter (``location="query"``)."""

    def __init__(
        self, key: str, *, name: str = "X-API-Key", location: Literal["header", "query"] = "header"
    ) -> None:
        if location not in ("header", "query"):
            raise ValueError(f"ApiKeyAuth location must be 'header' or 'query', not {location!r}")
        self.key = key
        self.name = name
        self.location = location

    def secrets(self) -> list[str]:
        return [self.key]

    def auth_flow(self, request: requests.PreparedRequest) -> AuthFlow:
        if self.location == "header":
            request.headers[self.name] = self.key
        else:
            request.prepare_url(request.url, {self.name: self.key})
        yield request


class BasicAuth(Auth):
    """HTTP basic authentication."""

    def __init__(self, username: str, password: str) -> None:
        self.username = username
        self.password = password
        self._header = "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()

    def secrets(self) -> list[str]:
        return [self.password, self._header.split(" ", 1)[1]]

    def auth_flow(self, request: requests.PreparedRequest) -> AuthFlow:
        request.headers["Authorization"] = self._header
        yield request
