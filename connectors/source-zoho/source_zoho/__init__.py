"""Staffwire connector source-zoho: Zoho Recruit and Zoho CRM as an Airbyte-protocol source."""

from __future__ import annotations

from source_zoho.source import SourceZoho

__all__ = ["SourceZoho"]
