"""The report as one self-contained HTML page: no network, no external script or style. The KPI cards are
rendered here; the charts (trend per run, funnel, drift per stream) are drawn as SVG by a small inline script
from the same JSON the page embeds (and ``--json`` writes), so the page and the JSON can never disagree."""

from __future__ import annotations

import html
from typing import Any

import orjson

__all__ = ["render_html"]

_TITLES = {
    "duplicate_record_rate": "Duplicate record rate",
    "stage_reconciliation_rate": "Stage reconciliation rate",
    "sync_error_resolution_time": "Sync error resolution time",
    "time_to_first_response": "Time to first response",
    "submission_to_interview": "Submission to interview",
    "interview_to_offer": "Interview to offer",
    "offer_acceptance": "Offer acceptance",
}

_STYLE = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;color:#1d2433;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem}.sub{color:#5b6475}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:12px}
.card{border:1px solid #d9dee8;border-radius:8px;padding:12px 14px;background:#fafbfd}
.card .value{font-size:1.7rem;font-weight:600;margin:.2rem 0}.card .def{color:#5b6475;font-size:.85rem}
.card .note{color:#9a5b00;font-size:.85rem}figure{margin:0;border:1px solid #d9dee8;border-radius:8px;padding:12px}
figcaption{color:#5b6475;font-size:.85rem;margin-top:.4rem}svg text{font-size:11px;fill:#1d2433}
.legend span{display:inline-block;margin-right:12px;font-size:.85rem}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
"""

_SCRIPT = """
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var NS = 'http://www.w3.org/2000/svg';
  var COLORS = ['#3867d6', '#20bf6b', '#eb3b5a', '#f7b731'];
  function el(name, attrs, text) {
    var node = document.createElementNS(NS, name);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function legend(figure, series) {
    var box = document.createElement('div'); box.className = 'legend';
    series.forEach(function (s, i) {
      var span = document.createElement('span'); var swatch = document.createElement('i');
      swatch.style.background = COLORS[i % COLORS.length]; span.appendChild(swatch);
      span.appendChild(document.createTextNode(s.label)); box.appendChild(span);
    });
    figure.insertBefore(box, figure.firstChild);
  }
  function grouped(id, groups, series) {
    var figure = document.getElementById(id);
    if (!groups.length) { figure.setAttribute('data-rendered', '0'); return; }
    var width = 1000, height = 260, pad = 34, bottom = 40;
    var max = 1;
    groups.forEach(function (g) { series.forEach(function (s) { max = Math.max(max, g[s.key] || 0); }); });
    var svg = el('svg', {viewBox: '0 0 ' + width + ' ' + height, width: '100%', role: 'img'});
    var slot = (width - pad) / groups.length, bar = Math.max(2, (slot * 0.8) / series.length);
    var drawn = 0;
    groups.forEach(function (g, i) {
      series.forEach(function (s, j) {
        var value = g[s.key] || 0, h = (height - bottom - 10) * value / max;
        var rect = el('rect', {x: pad + i * slot + j * bar, y: height - bottom - h, width: bar - 1,
                               height: Math.max(h, 0), fill: COLORS[j % COLORS.length]});
        rect.appendChild(el('title', {}, s.label + ': ' + value));
        svg.appendChild(rect); drawn += 1;
      });
      svg.appendChild(el('text', {x: pad + i * slot, y: height - bottom + 14}, g.label));
    });
    svg.appendChild(el('text', {x: 0, y: 12}, String(max)));
    svg.appendChild(el('line', {x1: pad, x2: width, y1: height - bottom, y2: height - bottom, stroke: '#9aa3b5'}));
    figure.insertBefore(svg, figure.querySelector('figcaption'));
    legend(figure, series);
    figure.setAttribute('data-rendered', String(drawn));
  }
  function funnel(id, stages) {
    var figure = document.getElementById(id);
    var width = 1000, row = 34, height = row * stages.length + 8, label = 110;
    var max = Math.max.apply(null, [1].concat(stages.map(function (s) { return s.submissions; })));
    var svg = el('svg', {viewBox: '0 0 ' + width + ' ' + height, width: '100%', role: 'img'});
    stages.forEach(function (s, i) {
      var w = (width - label - 60) * s.submissions / max;
      svg.appendChild(el('text', {x: 0, y: i * row + 22}, s.stage));
      var rect = el('rect', {x: label, y: i * row + 6, width: Math.max(w, 1), height: row - 10,
                             fill: COLORS[i % COLORS.length]});
      rect.appendChild(el('title', {}, s.stage + ': ' + s.submissions));
      svg.appendChild(rect);
      svg.appendChild(el('text', {x: label + Math.max(w, 1) + 6, y: i * row + 22}, String(s.submissions)));
    });
    figure.insertBefore(svg, figure.querySelector('figcaption'));
    figure.setAttribute('data-rendered', String(stages.length));
  }
  grouped('chart-trend', data.trend.map(function (r) {
    return {label: '#' + r.run_id, read: r.records_read, written: r.records_written, rejected: r.records_rejected};
  }), [{key: 'read', label: 'records read'}, {key: 'written', label: 'records written'},
       {key: 'rejected', label: 'records rejected'}]);
  funnel('chart-funnel', data.funnel);
  grouped('chart-drift', data.drift.map(function (d) {
    return {label: d.stream, missing: d.missing, extra: d.extra, changed: d.changed};
  }), [{key: 'missing', label: 'missing in the mirror'}, {key: 'extra', label: 'gone from the source'},
       {key: 'changed', label: 'changed'}]);
  document.body.setAttribute('data-charts', 'rendered');
})();
"""


def _figure(value: Any, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "ratio":
        return f"{value * 100:.1f}%"
    if unit == "seconds":
        minutes, seconds = divmod(float(value), 60)
        hours, minutes = divmod(minutes, 60)
        return f"{int(hours)}h {int(minutes)}m" if hours else f"{int(minutes)}m {seconds:.0f}s"
    if unit == "hours":
        return f"{float(value):.1f} h"
    return str(value)


def _card(name: str, figure: dict[str, Any]) -> str:
    extra = ""
    if "numerator" in figure and figure.get("denominator") is not None:
        extra = f" ({figure['numerator']} of {figure['denominator']})"
    note = f'<div class="note">{html.escape(figure["note"])}</div>' if figure.get("note") else ""
    return (
        f'<div class="card" id="kpi-{name}"><div>{html.escape(_TITLES.get(name, name))}</div>'
        f'<div class="value">{html.escape(_figure(figure.get("value"), figure.get("unit", "")))}'
        f"<small>{html.escape(extra)}</small></div>{note}"
        f'<div class="def">{html.escape(figure["definition"])}</div></div>'
    )


def render_html(report: dict[str, Any]) -> str:
    payload = orjson.dumps(report).decode().replace("</", "<\\/")
    cards = "\n".join(_card(name, figure) for name, figure in report["kpis"].items())
    connections = ", ".join(report["connections"]) or "(none)"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Staffwire report: {html.escape(connections)}</title><style>{_STYLE}</style></head>
<body>
<h1>Staffwire report</h1>
<div class="sub">Connections: {html.escape(connections)}. Generated {html.escape(report["generated_at"])} from the
mirror and the run history. The same figures are in the JSON output.</div>
<h2>KPIs</h2>
<div class="cards">
{cards}
</div>
<h2>Trend per run</h2>
<figure id="chart-trend" data-rendered="pending"><figcaption>Records read, written and rejected by each run (from the
run history).</figcaption></figure>
<h2>Funnel</h2>
<figure id="chart-funnel" data-rendered="pending"><figcaption>Submissions that reached each stage or a later one (the
stage-edit trail and the current records).</figcaption></figure>
<h2>Drift per stream</h2>
<figure id="chart-drift" data-rendered="pending"><figcaption>The latest <code>staffwire audit</code> of each connection:
records missing from the mirror, gone from the source, changed.</figcaption></figure>
<script type="application/json" id="report-data">{payload}</script>
<script>{_SCRIPT}</script>
</body></html>
"""
