"""Data activation in the SDK: the DESTINATION_CATALOG a destination declares, how a configured catalog binds to it,
compare-before-write, and the outcomes echoed with every state."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import pytest
from pydantic import BaseModel
from staffwire.activation import (
    DestinationObject,
    Outcome,
    Outcomes,
    SafeWriter,
    WritePolicy,
    bind_streams,
    changes,
    same,
)
from staffwire.destination import Destination
from staffwire.errors import ConfigError, RecordRejected, Rejection, TransientError
from staffwire.testing.conformance import assert_conformant, run_connector

PEOPLE = DestinationObject(
    "Person",
    {
        "type": "object",
        "properties": {"id": {"type": "integer"}, "email": {"type": "string"}, "status": {"type": "string"}},
    },
    ("update", "append_dedup"),
    (("id",), ("email",)),
)


def _catalog(**stream: Any) -> dict[str, Any]:
    entry = {
        "stream": {"name": "people", "json_schema": {}, "supported_sync_modes": ["full_refresh"]},
        "sync_mode": "full_refresh",
        "destination_sync_mode": "update",
        **stream,
    }
    return {"streams": [entry]}


@pytest.mark.parametrize(
    ("stream", "message"),
    [
        (
            {},
            "dest: stream 'people' names no destination_object_name and no object is called like it. Set "
            "destination_object_name to one of its objects: Person.",
        ),
        (
            {"destination_object_name": "Pet"},
            "dest: stream 'people' asks for destination object 'Pet', which it does not have (its objects: Person; "
            "run discover to see them).",
        ),
        (
            {"destination_object_name": "Person", "destination_sync_mode": "soft_delete"},
            "dest: stream 'people' asks for destination_sync_mode 'soft_delete' on object Person, which supports "
            "update, append_dedup. Change destination_sync_mode of the stream.",
        ),
        (
            {"destination_object_name": "Person", "primary_key": [["phone"]]},
            "dest: stream 'people' matches Person records by phone, which is not a matching key of Person (its "
            "matching keys: id, email). Fix the stream's primary_key.",
        ),
    ],
    ids=["no object", "unknown object", "unsupported mode", "unknown key"],
)
def test_a_catalog_that_asks_for_what_the_destination_lacks_is_a_config_error(
    stream: Any, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        bind_streams(_catalog(**stream), [PEOPLE], connector="dest")
    assert caught.value.message == message


def test_binding_keeps_the_chosen_matching_keys_or_the_objects_own() -> None:
    chosen = bind_streams(
        _catalog(destination_object_name="Person", primary_key=[["email"]]), [PEOPLE], connector="d"
    )
    assert chosen["people"].keys == (("email",),)
    default = bind_streams(_catalog(destination_object_name="Person"), [PEOPLE], connector="d")
    assert (default["people"].keys, default["people"].creates) == ((("id",), ("email",)), False)
    assert default["people"].key_value({"email": "a@x.org"}) == (("email",), "a@x.org")


@pytest.mark.parametrize(
    ("desired", "current", "expected"),
    [
        (None, "", True),
        ("", None, True),
        (42, "42", True),
        (42, 42.0, True),
        ("02134", "2134", False),
        (True, 1, False),
        ({"id": 7}, {"id": 7, "firstName": "Ada"}, True),
        ({"id": 7}, 7, True),
        (["a", "b"], ["a", "b"], True),
        (["a", "b"], ["b", "a"], False),
        ("Active", "active", False),
    ],
)
def test_same_compares_like_for_like(desired: Any, current: Any, expected: bool) -> None:
    assert same(desired, current) is expected


def test_changes_send_only_owned_differing_fields_and_nulls_only_where_asked() -> None:
    current = {"id": 1, "status": "Active", "note": "keep", "phone": "555"}
    desired = {"status": "Placed", "note": None, "phone": "555", "extra": "x"}
    assert changes(desired, current) == {"status": "Placed", "extra": "x"}
    assert changes(desired, current, WritePolicy.of(owned_fields=["status", "note"])) == {"status": "Placed"}
    assert changes(desired, current, WritePolicy.of(write_nulls=["note"])) == {
        "status": "Placed",
        "note": None,
        "extra": "x",
    }


class _Store:
    """An in-memory target that loses the answer of its first ``lose`` creates (after making them)."""

    def __init__(self, lose: int = 0) -> None:
        self.rows: dict[int, dict[str, Any]] = {1: {"id": 1, "email": "a@x.org", "status": "Active"}}
        self.lose = lose
        self.calls: list[str] = []

    def find(
        self, key: tuple[str, ...], values: Sequence[Any], fields: Sequence[str]
    ) -> dict[Any, dict[str, Any]]:
        self.calls.append(f"find {key[0]} {len(values)}")
        return {v: dict(r) for v in values for r in self.rows.values() if r.get(key[0]) == v}

    def create(self, values: Mapping[str, Any]) -> Any:
        new_id = max(self.rows) + 1
        self.rows[new_id] = {**values, "id": new_id}
        self.calls.append("create")
        if self.lose:
            self.lose -= 1
            raise TransientError("the connection dropped after the create")
        return new_id

    def update(self, current: Mapping[str, Any], values: Mapping[str, Any]) -> None:
        if values.get("status") == "Bogus":
            raise RecordRejected([Rejection("picklist", "status", "Bogus", "'Bogus' is not an option")])
        self.rows[current["id"]].update(values)
        self.calls.append(f"update {current['id']} {sorted(values)}")


def _writer(store: _Store, mode: str = "append_dedup") -> tuple[SafeWriter, Outcomes]:
    binding = bind_streams(
        _catalog(destination_object_name="Person", destination_sync_mode=mode, primary_key=[["email"]]),
        [PEOPLE],
        connector="d",
    )["people"]
    outcomes = Outcomes()
    return SafeWriter(binding, store, outcomes), outcomes


def test_the_safe_writer_reads_once_per_batch_and_counts_every_outcome() -> None:
    store = _Store()
    writer, outcomes = _writer(store)
    writer.add("r1", {"email": "a@x.org", "status": "Active"})
    writer.add("r2", {"email": "b@x.org", "status": "New"})
    writer.add("r3", {"email": "b@x.org", "status": "Placed"})
    writer.add("r4", {"email": "a@x.org", "status": "Bogus"})
    rejected = writer.commit()
    assert store.calls == ["find email 2", "create", "update 2 ['status']"]
    assert [(r.record_id, r.reasons[0].field) for r in rejected] == [("r4", "status")]
    assert outcomes.totals("people") == {Outcome.UNCHANGED: 1, Outcome.CREATED: 1, Outcome.UPDATED: 1}


def test_a_create_whose_answer_was_lost_is_found_by_its_key_and_not_sent_again() -> None:
    store = _Store(lose=1)
    writer, outcomes = _writer(store)
    writer.add("r1", {"email": "new@x.org", "status": "New"})
    assert writer.commit() == []
    assert store.calls == ["find email 1", "create", "find email 1"]
    assert [r["email"] for r in store.rows.values()] == ["a@x.org", "new@x.org"]
    assert outcomes.totals("people") == {Outcome.CREATED: 1}


def test_update_mode_rejects_what_matches_nothing() -> None:
    store = _Store()
    writer, _ = _writer(store, mode="update")
    writer.add("r9", {"email": "nobody@x.org", "status": "New"})
    (rejected,) = writer.commit()
    assert rejected.reasons_text() == "no Person has email 'nobody@x.org': nothing to update"


class _Config(BaseModel):
    pass


class _Writer:
    def __init__(self) -> None:
        self.outcomes = Outcomes(reported=[Outcome.UPDATED, Outcome.IGNORED])

    def write(self, stream: str, record: Mapping[str, Any]) -> None:
        self.outcomes.add(stream, Outcome.UPDATED if record.get("n", 0) % 2 else Outcome.IGNORED)

    def flush(self) -> list[RecordRejected]:
        return []

    def close(self) -> None:
        pass


class _PeopleDestination(Destination[_Config]):
    name = "destination-people"
    config_model = _Config
    objects: ClassVar[tuple[DestinationObject, ...]] = (PEOPLE,)

    def open(self, config: _Config, catalog: Any) -> _Writer:
        assert set(self.bindings) == {"people"}
        return _Writer()


def test_a_destination_with_objects_answers_discover_with_a_destination_catalog() -> None:
    result = run_connector(_PeopleDestination, "discover", config={})
    assert_conformant(result)
    assert result.destination_catalog == {
        "operations": [
            {
                "object_name": "Person",
                "sync_mode": mode,
                "json_schema": dict(PEOPLE.json_schema),
                "matching_keys": [["id"], ["email"]],
            }
            for mode in ("update", "append_dedup")
        ]
    }
    assert run_connector(_PeopleDestination, "spec").spec["supported_destination_sync_modes"] == [
        "append",
        "overwrite",
        "append_dedup",
        "update",
    ]


def test_every_echoed_state_carries_the_outcomes_since_the_streams_previous_state() -> None:
    def record(n: int) -> dict[str, Any]:
        return {"type": "RECORD", "record": {"stream": "people", "data": {"n": n}, "emitted_at": 1}}

    def state(n: int) -> dict[str, Any]:
        stream = {"stream_descriptor": {"name": "people"}, "stream_state": {"n": n}}
        return {"type": "STATE", "state": {"type": "STREAM", "stream": stream}}

    result = run_connector(
        _PeopleDestination,
        "write",
        config={},
        catalog=_catalog(destination_object_name="Person"),
        stdin=[record(1), record(2), record(3), state(1), record(4), state(2)],
    )
    assert_conformant(result)
    assert [s["destinationStats"] for s in result.states] == [
        {
            "recordCount": 3.0,
            "rejectedRecordCount": 0.0,
            "updatedRecordCount": 2.0,
            "ignoredRecordCount": 1.0,
        },
        {
            "recordCount": 1.0,
            "rejectedRecordCount": 0.0,
            "updatedRecordCount": 0.0,
            "ignoredRecordCount": 1.0,
        },
    ]


def test_the_conformance_kit_flags_a_matching_key_outside_the_objects_schema() -> None:
    from staffwire.testing.conformance import parse_output

    bad = DestinationObject(
        "Person", {"type": "object", "properties": {"id": {}}}, ("update",), (("email",),)
    )
    line = {"type": "DESTINATION_CATALOG", "destination_catalog": {"operations": bad.operations()}}
    import orjson

    result = parse_output(["discover"], 0, orjson.dumps(line) + b"\n")
    with pytest.raises(AssertionError) as caught:
        assert_conformant(result)
    assert "matching key email is not a property of its json_schema" in str(caught.value)


def test_a_connection_stream_sent_to_a_destination_object_configures_both_sides() -> None:
    from staffwire.runner.connection import parse_connection
    from staffwire.runner.sync import _configure

    connection = parse_connection(
        {
            "name": "back",
            "source": {"connector": "source-x"},
            "destination": {"connector": "destination-y", "config": {"region": "us"}},
            "streams": [
                {
                    "name": "workers",
                    "sync_mode": "full_refresh",
                    "destination_object": "Candidate",
                    "matching_keys": [["email"]],
                    "mapping": {"email": "email", "customText3": "onboarding_status"},
                    "owned_fields": ["customText3"],
                }
            ],
        }
    )
    assert connection.destination_config({}) == {
        "region": "us",
        "streams": {
            "workers": {
                "mapping": {"email": "email", "customText3": "onboarding_status"},
                "owned_fields": ["customText3"],
            }
        },
    }
    source_catalog = {
        "streams": [
            {
                "name": "workers",
                "json_schema": {},
                "supported_sync_modes": ["full_refresh"],
                "source_defined_primary_key": [["id"]],
            }
        ]
    }
    configured, _ = _configure(connection, source_catalog, "source-x", 1)
    (stream,) = configured["streams"]
    assert (stream["destination_object_name"], stream["destination_sync_mode"], stream["primary_key"]) == (
        "Candidate",
        "update",
        [["email"]],
    )
