"""Point 2 of issue 18, the server option: the mirror in a real PostgreSQL server (Debian's package, started by
the tests on a loopback port), and a server that refuses the connection."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from hub_support import LEVER_PATCH, Hub, advanced_lever_records
from postgres_server import PASSWORD, USER, Server, free_port, postgres_server
from staffwire.audit import run_audit

LEVER = {"pack": "lever", "patch": LEVER_PATCH}
MIRROR = "postgresql://" + USER + ":${MIRROR_PASSWORD}@127.0.0.1:{port}/postgres"


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with postgres_server() as running:
        yield running


def test_the_mirror_lands_in_postgresql_with_history_and_the_stage_trail(
    server: Server, hub: Hub, tmp_path: Path
) -> None:
    mirror = MIRROR.replace("{port}", str(server.port))
    env = {"MIRROR_PASSWORD": PASSWORD}
    first = hub.run(env=env, mapping=LEVER, mirror=mirror)
    second = hub.run(env=env, records=advanced_lever_records(tmp_path), mapping=LEVER, mirror=mirror)
    assert (first.status, second.status) == ("succeeded", "succeeded"), (first.error, second.error)
    with psycopg.connect(server.url()) as db:
        counts = dict(db.execute("SELECT stream, count(*) FROM mirror_records GROUP BY stream").fetchall())
        assert {
            k: counts[k] for k in ("applications", "opportunities", "submissions", "placements", "jobs")
        } == {
            "applications": 5,
            "opportunities": 5,
            "submissions": 5,
            "placements": 1,
            "jobs": 2,
        }
        trail = db.execute(
            "SELECT old_value, new_value, run_id FROM mirror_stage_changes WHERE record_id = %s ORDER BY run_id",
            ["lever:9ea413b6-432a-4806-a6cb-683e55dda4c2"],
        ).fetchall()
        assert trail == [(None, "other", first.run_id), ("other", "offer", second.run_id)]
        [(meta,)] = db.execute(
            "SELECT meta FROM mirror_current WHERE stream = 'opportunities' AND record_id = %s",
            ["9ea413b6-432a-4806-a6cb-683e55dda4c2"],
        ).fetchall()
        assert meta == {
            "changes": [
                {"field": "headline", "change": "TRUNCATED", "reason": "SOURCE_RECORD_SIZE_LIMITATION"}
            ]
        }
    report = run_audit(
        hub.file(records=advanced_lever_records(tmp_path), mapping=LEVER, mirror=mirror),
        db=hub.db,
        env={"MIRROR_PASSWORD": PASSWORD, "REPLAY_API_KEY": "x"},
    )
    assert report.consistent, report.as_dict()
    assert report.mirror == f"PostgreSQL host 127.0.0.1, port {server.port}, user {USER}, database postgres"


@pytest.mark.parametrize("wrong", ["port", "password"])
def test_a_postgresql_server_that_refuses_names_host_port_and_user_never_the_password(
    server: Server, hub: Hub, wrong: str
) -> None:
    port = free_port() if wrong == "port" else server.port
    password = PASSWORD if wrong == "port" else "not-the-pw-1618"
    result = hub.run(
        env={"MIRROR_PASSWORD": password}, mirror=MIRROR.replace("{port}", str(port)), mapping=LEVER
    )
    assert result.status == "failed"
    assert result.failure_type == "config_error"
    error = result.error or ""
    assert (
        f"the mirror's PostgreSQL server refused the connection (host 127.0.0.1, port {port}, user {USER}, database postgres)"
        in error
    )
    assert "Check that the server runs and accepts this user" in error
    assert password not in error
    assert password not in str(hub.store_dump())
    assert hub.written() == []
