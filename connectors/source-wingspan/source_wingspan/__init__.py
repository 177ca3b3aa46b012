"""Staffwire connector source-wingspan: contractors (payees, collaborators), payables, invoices and bulk batches out
of Wingspan, plus the standard ``workers`` and ``payables``, reading only what changed."""

from __future__ import annotations

from source_wingspan.source import SourceWingspan

__all__ = ["SourceWingspan"]
