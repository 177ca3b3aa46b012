"""``python -m staffwire.mapping``: check a document, map records, show the generated code."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from staffwire.mapping.__main__ import main

DATA = Path(__file__).with_name("data")
DOC = str(DATA / "bullhorn_candidates.yaml")
ROWS = json.loads((DATA / "bullhorn_candidate.json").read_text(encoding="utf-8"))["data"]


def run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_check_reports_the_mappings_of_a_good_document() -> None:
    assert run(["check", DOC]) == (0, "ok: 1 mappings (candidates)\n", "")


def test_check_reports_the_first_mistake_with_its_path(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "system: bullhorn\nmappings:\n  c:\n    standard: candidates\n    fields:\n"
        "      remote_id: id\n      email: {path: email, transforms: [lowercase]}\n",
        encoding="utf-8",
    )
    assert run(["check", str(bad)]) == (
        2,
        "",
        "error: mappings.c.fields.email.transforms[0]: unknown transform 'lowercase' (did you mean 'lower'?)\n",
    )


def test_map_writes_records_and_reports_rejections_and_counts() -> None:
    lines = "\n".join(json.dumps(row) for row in [*ROWS, {"id": None, "firstName": "No identity"}])
    code, out, err = run(["map", DOC, "candidates"], lines)
    assert code == 1
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == [f"bullhorn:{i}" for i in range(1, 21)]
    assert records[19]["phone"] is None  # '40 403-6466866': not a possible number; the raw row keeps it
    changed, rejected, counts = err.splitlines()
    assert json.loads(changed) == {
        "record": "bullhorn:20",
        "stream": "candidates",
        "meta": {"changes": [{"field": "phone", "change": "NULLED", "reason": "SOURCE_SERIALIZATION_ERROR"}]},
    }
    assert json.loads(rejected) == {
        "rejected": None,
        "stream": "candidates",
        "reasons": [
            {
                "rule": "required",
                "field": "id",
                "value": None,
                "message": "id is required (every standard record has one)",
            },
            {
                "rule": "required",
                "field": "remote_id",
                "value": None,
                "message": "remote_id is required (every standard record has one)",
            },
        ],
    }
    assert counts == "mapped 20, skipped 0, rejected 1, phone nulled 1"


def test_map_takes_a_json_array_too() -> None:
    code, out, err = run(["map", DOC, "candidates"], json.dumps(ROWS[:2]))
    assert (code, len(out.splitlines()), err) == (0, 2, "mapped 2, skipped 0, rejected 0\n")


def test_map_reports_input_that_is_not_json() -> None:
    code, out, err = run(["map", DOC, "candidates"], '{"id": 1}\nnot json\n')
    assert (code, len(out.splitlines())) == (2, 1)  # the records before the bad line went out
    assert err.startswith("error: input line 2 is not JSON: ")


def test_an_unknown_mapping_name_is_an_error() -> None:
    assert run(["map", DOC, "candidate"]) == (
        2,
        "",
        "error: mappings: no mapping named 'candidate' (did you mean 'candidates'?)\n",
    )


def test_code_shows_the_generated_function() -> None:
    code, out, _ = run(["code", DOC, "candidates"])
    assert code == 0 and out.startswith("def fields(src, out, reasons, *,") and "# [1] 'first_name'" in out


def test_the_module_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "staffwire.mapping", "check", DOC], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout) == (0, "ok: 1 mappings (candidates)\n")
