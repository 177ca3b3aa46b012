"""The sandbox's write API (sandbox/writes.py) with Bullhorn's semantics, over real HTTP: the answers name the
change, refusals list every offending field in Bullhorn's error shape, and every accepted write bumps
dateLastModified and produces a change-data-capture event."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from source_bullhorn.sandbox import BullhornSandbox

from .test_bullhorn_sandbox import Client


@pytest.fixture
def client(sandbox: BullhornSandbox) -> Iterator[Client]:
    c = Client(sandbox)
    yield c
    c.http.close()


def _refused(entity: str, *errors: tuple[str, str]) -> dict[str, Any]:
    return {
        "errorMessage": f"error persisting an entity of type: {entity}",
        "errorMessageKey": "errors.cannotPersistEntity",
        "errorCode": 400,
        "errors": [{"propertyName": name, "severity": "ERROR", "type": kind} for name, kind in errors],
        "entityName": entity,
    }


def test_an_update_bumps_date_last_modified_emits_an_event_and_answers_the_change(
    client: Client, sandbox: BullhornSandbox
) -> None:
    client.http.put(client.base + "event/subscription/w", params={"type": "entity", "names": "Candidate"})
    sandbox.clock = lambda: 1_800_000_000_000
    answer = client.http.post(
        client.base + "entity/Candidate/3", json={"customText3": "ready", "status": "Active"}
    )
    assert answer.json() == {
        "changedEntityType": "Candidate",
        "changedEntityId": 3,
        "changeType": "UPDATE",
        "data": {"customText3": "ready", "status": "Active"},
    }
    row = sandbox.rows["Candidate"][3]
    assert (row["customText3"], row["status"], row["dateLastModified"]) == (
        "ready",
        "Active",
        1_800_000_000_000,
    )
    (event,) = client.get("event/subscription/w", maxEvents=10).json()["events"]
    assert (event["entityId"], event["entityEventType"], event["updatedProperties"]) == (
        3,
        "UPDATED",
        ["customText3", "status"],
    )


def test_the_same_values_sent_again_still_count_as_a_change(client: Client, sandbox: BullhornSandbox) -> None:
    client.http.post(client.base + "entity/Candidate/4", json={"customText3": "x"})
    sandbox.clock = lambda: 1_900_000_000_000
    client.http.post(client.base + "entity/Candidate/4", json={"customText3": "x"})
    assert sandbox.rows["Candidate"][4]["dateLastModified"] == 1_900_000_000_000
    assert [(w.method, w.entity_id) for w in sandbox.writes] == [("POST", 4), ("POST", 4)]


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"dateAdded": 1}, [("dateAdded", "READ_ONLY")]),
        ({"noSuchField": "x"}, [("noSuchField", "INVALID_FIELD")]),
        ({"primarySkills": [1]}, [("primarySkills", "INVALID_FIELD")]),
        ({"customInt1": "seven"}, [("customInt1", "INVALID_VALUE")]),
        ({"owner": {"id": 999999}}, [("owner", "INVALID_VALUE")]),
        ({"dateAdded": 1, "customInt1": "x"}, [("dateAdded", "READ_ONLY"), ("customInt1", "INVALID_VALUE")]),
    ],
    ids=["read-only", "unknown", "to-many", "mistyped", "missing to-one", "several"],
)
def test_a_refused_update_names_every_field_in_bullhorns_shape_and_changes_nothing(
    client: Client, sandbox: BullhornSandbox, body: dict[str, Any], errors: list[tuple[str, str]]
) -> None:
    before = dict(sandbox.rows["Candidate"][5])
    answer = client.http.post(client.base + "entity/Candidate/5", json=body)
    assert (answer.status_code, answer.json()) == (400, _refused("Candidate", *errors))
    assert sandbox.rows["Candidate"][5] == before and sandbox.writes == []


def test_a_create_without_the_fields_meta_requires_is_refused_naming_them(client: Client) -> None:
    answer = client.http.put(client.base + "entity/Candidate", json={"firstName": "Ada"})
    assert (answer.status_code, answer.json()) == (
        400,
        _refused(
            "Candidate",
            ("customText5", "MISSING_VALUE"),
            ("educationDegree", "MISSING_VALUE"),
            ("lastName", "MISSING_VALUE"),
            ("owner", "MISSING_VALUE"),
            ("status", "MISSING_VALUE"),
        ),
    )


def test_a_picklist_value_outside_the_options_is_stored_as_bullhorn_does(
    client: Client, sandbox: BullhornSandbox
) -> None:
    answer = client.http.post(client.base + "entity/Candidate/6", json={"status": "Onboarded"})
    assert answer.status_code == 200 and sandbox.rows["Candidate"][6]["status"] == "Onboarded"


def test_an_update_of_a_missing_row_is_a_404(client: Client) -> None:
    answer = client.http.post(client.base + "entity/Candidate/999999", json={"status": "Active"})
    assert (answer.status_code, answer.json()) == (
        404,
        {
            "errorMessage": "Cannot find entity of type 'Candidate' with id: 999999",
            "errorMessageKey": "errors.cannotFindEntity",
            "errorCode": 404,
        },
    )
