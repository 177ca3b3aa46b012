"""``staffwire report``: the seeds' KPIs from the mirror and the run history, as a self-contained HTML page with
charts and as JSON (:func:`build_report`, :func:`render_html`). Each figure carries its definition.

The names are loaded on first use, so that registering the ``report`` command (``staffwire --help``) stays light.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DEFINITIONS", "build_report", "render_html"]


def __getattr__(name: str) -> Any:
    if name == "render_html":
        from staffwire.report.html import render_html

        return render_html
    if name in ("DEFINITIONS", "build_report"):
        from staffwire.report import kpis

        return getattr(kpis, name)
    raise AttributeError(f"module 'staffwire.report' has no attribute {name!r}")
