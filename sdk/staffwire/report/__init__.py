"""``staffwire report``: the seeds' KPIs from the mirror and the run history, as a self-contained HTML page with
charts and as JSON (:func:`build_report`, :func:`render_html`). Each figure carries its definition."""

from __future__ import annotations

from staffwire.report.html import render_html
from staffwire.report.kpis import DEFINITIONS, build_report

__all__ = ["DEFINITIONS", "build_report", "render_html"]
