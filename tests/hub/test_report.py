"""Point 4 of issue 18: `staffwire report` computes the seeds' KPIs from the mirror and the run history and writes
a self-contained HTML page whose charts render in a real browser (headless Chromium), plus the same figures as
JSON."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hub_support import ENV, LEVER_PATCH, Hub, advanced_lever_records
from staffwire.cli import main

LEVER = {"pack": "lever", "patch": LEVER_PATCH}
PEOPLE = {
    "document": {
        "system": "crm",
        "defaults": {"country": "US"},
        "mappings": {
            "candidates": {
                "standard": "candidates",
                "source": "people",
                "fields": {
                    "remote_id": "id",
                    "first_name": "first",
                    "last_name": "last",
                    "email": {"path": "email", "transforms": ["email"]},
                    "phone": {"path": "phone", "transforms": ["phone"]},
                    "address.postal_code": "zip",
                },
            }
        },
    }
}
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)


def people(tmp_path: Path) -> Path:
    rows = [
        {
            "id": "1",
            "first": "Ada",
            "last": "Lovelace",
            "email": "Ada@Example.org ",
            "phone": "(503) 421-7855",
            "zip": "97209",
        },
        {"id": "2", "first": "Ada", "last": "King", "email": " ada@example.org", "phone": None, "zip": None},
        {
            "id": "3",
            "first": "Charles",
            "last": "Babbage",
            "email": "cb@example.org",
            "phone": "503.421.7855",
            "zip": None,
        },
        {
            "id": "4",
            "first": "Grace",
            "last": "Hopper",
            "email": "grace@example.org",
            "phone": None,
            "zip": "10001",
        },
    ]
    path = tmp_path / "people.jsonl"
    path.write_text(
        "".join(json.dumps({"stream": "people", "data": {**r, "updated": "2024-01-01"}}) + "\n" for r in rows)
    )
    return path


def chromium_dom(page: Path, tmp_path: Path) -> str:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    assert binary, "Debian's chromium package is needed: scripts/test-deps.sh installs it"
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    done = subprocess.run(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_report_page_renders_its_charts_in_headless_chromium_with_the_json_figures(
    hub: Hub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert hub.run(mapping=LEVER).status == "succeeded"
    assert hub.run(records=tmp_path / "missing.jsonl", mapping=LEVER).status == "failed"
    assert hub.run(records=advanced_lever_records(tmp_path), mapping=LEVER).status == "succeeded"
    people_streams = {"people": {"primary_key": "id", "cursor": "updated"}}
    assert (
        hub.run(name="crm", records=people(tmp_path), streams=people_streams, mapping=PEOPLE).status
        == "succeeded"
    )
    # The source still holds the first export: Mark Smith's move to offer is not there any more.
    assert main(["audit", str(hub.file(mapping=LEVER)), "--db", str(hub.db)]) == 1
    page, figures = tmp_path / "report" / "kpis.html", tmp_path / "report" / "kpis.json"
    capsys.readouterr()
    assert main(["report", "--db", str(hub.db), "--out", str(page), "--json", str(figures)]) == 0
    assert capsys.readouterr().out == f"report on crm, replay written to {page}\n"
    report = json.loads(figures.read_text())
    kpis = report["kpis"]

    lever_candidates = 3  # Lever's three people (junk phones become null: no candidate is lost)
    assert kpis["duplicate_record_rate"]["numerator"] == 2  # Ada twice by email; Babbage's phone is Ada's
    assert kpis["duplicate_record_rate"]["denominator"] == 4 + lever_candidates
    assert kpis["duplicate_record_rate"]["by_key"] == {"email": 1, "phone": 1}
    assert kpis["stage_reconciliation_rate"]["value"] is None
    assert (
        kpis["sync_error_resolution_time"]["resolved"],
        kpis["sync_error_resolution_time"]["unresolved"],
    ) == (1, 0)
    assert kpis["sync_error_resolution_time"]["value"] > 0
    assert [(f["stage"], f["submissions"]) for f in report["funnel"]] == [
        ("submitted", 5),
        ("interview", 2),
        ("offer", 2),
        ("placed", 0),
    ]
    assert (kpis["submission_to_interview"]["value"], kpis["interview_to_offer"]["value"]) == (0.4, 1.0)
    assert (kpis["offer_acceptance"]["value"], kpis["offer_acceptance"]["denominator"]) == (0.0, 2)
    assert kpis["time_to_first_response"]["submissions"] == 2
    assert [r["status"] for r in report["trend"]] == ["succeeded", "failed", "succeeded", "succeeded"]
    assert [(d["stream"], d["changed"]) for d in report["drift"]] == [
        ("applications", 0),
        ("candidates", 1),  # Mark Smith, read from the opportunity that moved
        ("jobs", 0),
        ("opportunities", 1),
        ("placements", 0),
        ("submissions", 1),
    ]
    for figure in kpis.values():
        assert figure["definition"]

    html = page.read_text()
    assert (
        "<script src" not in html
        and "<link" not in html
        and "http://" not in html.replace("http://www.w3.org", "")
    )
    dom = chromium_dom(page, tmp_path)
    assert 'data-charts="rendered"' in dom
    rendered = {}
    for chart in ("chart-trend", "chart-funnel", "chart-drift"):
        block = re.search(rf'<figure id="{chart}" data-rendered="(\d+)">(.*?)</figure>', dom, re.S)
        assert block is not None, f"{chart} did not render"
        assert block.group(2).count("<rect") == int(block.group(1))
        rendered[chart] = int(block.group(1))
    assert rendered == {
        "chart-trend": 4 * 3,
        "chart-funnel": 4,
        "chart-drift": 6 * 3,
    }  # six audited streams, three bars each
    for name in kpis:
        assert f'id="kpi-{name}"' in dom


def test_a_report_without_a_run_history_says_what_to_do(tmp_path: Path) -> None:
    import argparse

    from staffwire.errors import ConfigError
    from staffwire.report.cli import _command

    args = argparse.Namespace(
        connection=None,
        against=None,
        db=tmp_path / "none.db",
        mirror=None,
        out=tmp_path / "r.html",
        json=None,
    )
    with pytest.raises(
        ConfigError, match=r"no run history at .*none\.db: run `staffwire sync CONNECTION --mirror` first"
    ):
        _command(args)
