"""Record meta changes (values a source nulled on the way) are counted per stream, field and reason, kept in the
run history and shown by `staffwire runs show`."""

from __future__ import annotations

import json
from typing import Any

from staffwire.cli import main


def test_runs_show_counts_record_meta_changes_per_stream_field_and_reason(
    plain: Any, monkeypatch: Any, capsys: Any
) -> None:
    monkeypatch.setenv("PLAIN_API_KEY", plain.env["PLAIN_API_KEY"])
    db = str(plain.store.path)
    assert (
        main(["sync", str(plain.file(null_name_every=2, counts={"users": 5, "orders": 3})), "-q", "--db", db])
        == 0
    )
    capsys.readouterr()
    assert main(["runs", "show", "1", "--json", "--db", db]) == 0
    detail = json.loads(capsys.readouterr().out)
    assert detail["record_changes"] == [
        {
            "stream": "orders",
            "namespace": None,
            "field": "name",
            "change": "NULLED",
            "reason": "SOURCE_SERIALIZATION_ERROR",
            "records": 1,
        },
        {
            "stream": "users",
            "namespace": None,
            "field": "name",
            "change": "NULLED",
            "reason": "SOURCE_SERIALIZATION_ERROR",
            "records": 2,
        },
    ]
    assert main(["runs", "show", "1", "--db", db]) == 0
    text = capsys.readouterr().out
    assert "record meta changes (values the source could not normalise and nulled" in text
    rows = [line.split() for line in text.splitlines() if "SOURCE_SERIALIZATION_ERROR" in line]
    assert [[cell for cell in row if cell not in "│┃|"] for row in rows] == [
        ["orders", "name", "NULLED", "SOURCE_SERIALIZATION_ERROR", "1"],
        ["users", "name", "NULLED", "SOURCE_SERIALIZATION_ERROR", "2"],
    ]
