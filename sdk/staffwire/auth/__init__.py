"""Authenticators as flows (see :mod:`staffwire.auth.base`): static keys, OAuth2 refresh tokens and client
credentials, session logins."""

from __future__ import annotations

from staffwire.auth.base import Auth, Authenticator, AuthFlow, NoAuth
from staffwire.auth.client_credentials import OAuth2ClientCredentialsAuth
from staffwire.auth.oauth2 import AccessToken, OAuth2RefreshTokenAuth
from staffwire.auth.refreshing import RefreshingAuth
from staffwire.auth.session import SESSION_BASE_URL, LoginSession, SessionLoginAuth
from staffwire.auth.simple import ApiKeyAuth, BasicAuth, BearerAuth

__all__ = [
    "SESSION_BASE_URL",
    "AccessToken",
    "ApiKeyAuth",
    "Auth",
    "AuthFlow",
    "Authenticator",
    "BasicAuth",
    "BearerAuth",
    "LoginSession",
    "NoAuth",
    "OAuth2ClientCredentialsAuth",
    "OAuth2RefreshTokenAuth",
    "RefreshingAuth",
    "SessionLoginAuth",
]
