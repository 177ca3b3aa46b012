"""Rotated configs (tokens a connector hands back in CONTROL) live in ``<db>.credentials`` (0600), never in the
history database that `runs`, reports and audits read."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from staffwire.runner.store import StateStore

TOKEN = "rotated-refresh-token-5b1e"


def test_a_rotated_config_is_kept_in_the_credentials_file_and_never_in_the_history(tmp_path: Path) -> None:
    db = tmp_path / "staffwire.db"
    store = StateStore(db)
    store.save_rotated_config("c", "source", {"refresh_token": TOKEN}, "fp")
    assert store.rotated_config("c", "source", "fp") == {"refresh_token": TOKEN}
    assert store.rotated_config("c", "source", "edited") is None  # the file's config changed: it wins
    store.close()
    credentials = tmp_path / "staffwire.db.credentials"
    assert credentials.stat().st_mode & 0o777 == 0o600
    assert TOKEN.encode() not in b"".join(
        p.read_bytes() for p in tmp_path.glob("staffwire.db*") if "cred" not in p.name
    )


def test_a_database_from_before_the_split_has_its_rotated_configs_moved_out(tmp_path: Path) -> None:
    db = tmp_path / "staffwire.db"
    with sqlite3.connect(db) as old:
        old.execute(
            "CREATE TABLE connector_config (connection TEXT NOT NULL, role TEXT NOT NULL, config TEXT NOT NULL, "
            "based_on TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (connection, role))"
        )
        old.execute(
            "INSERT INTO connector_config VALUES ('c', 'destination', ?, 'fp', '2026-12-01T00:00:00Z')",
            (f'{{"refresh_token": "{TOKEN}"}}',),
        )
    store = StateStore(db)
    assert store.rotated_config("c", "destination", "fp") == {"refresh_token": TOKEN}
    store.close()
    with sqlite3.connect(db) as moved:
        assert (
            moved.execute("SELECT name FROM sqlite_master WHERE name = 'connector_config'").fetchall() == []
        )
    assert TOKEN.encode() not in db.read_bytes()
