"""spec, check and discover: the DESTINATION_CATALOG is built from the tenant's meta."""

from __future__ import annotations

from typing import Any

from source_bullhorn.sandbox import BullhornSandbox


def test_discover_answers_a_destination_catalog_of_the_objects_with_modes_and_matching_keys(
    writeback: Any,
) -> None:
    result = writeback.run("discover", writeback.config())
    operations = result.destination_catalog["operations"]
    assert [(o["object_name"], o["sync_mode"]) for o in operations] == [
        ("Candidate", "update"),
        ("JobSubmission", "update"),
        ("Placement", "update"),
        ("JobOrder", "update"),
        ("JobOrder", "append_dedup"),
        ("Note", "append_dedup"),
    ]
    keys = {o["object_name"]: o["matching_keys"] for o in operations}
    assert keys["Candidate"] == [["id"], ["email"]]
    assert keys["Note"] == [["externalID"]]
    assert keys["JobOrder"][:4] == [["id"], ["externalID"], ["customText1"], ["customText10"]]
    assert ["customText5"] not in keys["JobOrder"]  # read-only in this tenant's meta: not a key


def test_the_catalog_schema_holds_writable_fields_with_picklists_from_meta(writeback: Any) -> None:
    result = writeback.run("discover", writeback.config())
    candidate = next(o for o in result.destination_catalog["operations"] if o["object_name"] == "Candidate")
    properties = candidate["json_schema"]["properties"]
    assert properties["status"]["enum"][:3] == ["New Lead", "Active", "Inactive"]
    assert properties["status"]["type"] == ["string", "null"]
    assert properties["owner"] == {"type": ["object", "null"], "properties": {"id": {"type": "integer"}}}
    assert "dateAdded" not in properties  # read-only in meta: never written
    assert "customText3" in properties  # custom fields included


def test_spec_lists_the_objects_sync_modes_and_marks_secrets(writeback: Any) -> None:
    spec = writeback.run("spec", None).spec
    assert spec["supported_destination_sync_modes"] == ["update", "append_dedup"]
    properties = spec["connectionSpecification"]["properties"]
    assert properties["client_secret"]["airbyte_secret"] is True
    assert properties["password"]["airbyte_secret"] is True


def test_check_succeeds_with_the_demo_login_and_fails_on_a_wrong_password(
    writeback: Any, sandbox: BullhornSandbox
) -> None:
    good = writeback.run("check", writeback.config())
    assert good.connection_status == {"status": "SUCCEEDED"}
    bad = writeback.run("check", {**writeback.config(), "password": "not-the-password"})
    assert bad.connection_status["status"] == "FAILED"
    assert "the username or password is wrong" in bad.connection_status["message"]


def test_spec_starts_without_the_http_client_the_api_or_the_mapping_engine() -> None:
    from staffwire.testing.startup import modules_loaded_by_spec

    heavy = [
        "requests",
        "staffwire.http",
        "staffwire.mapping",
        "source_bullhorn.api",
        "destination_bullhorn.store",
    ]
    assert modules_loaded_by_spec("destination_bullhorn.run:DestinationBullhorn", heavy) == []


def test_check_fails_on_a_mapping_mistake_naming_its_config_path(writeback: Any) -> None:
    config = writeback.config(
        {"workers": {"mapping": {"customText3": {"path": "s", "transforms": ["lowr"]}}}}
    )
    status = writeback.run("check", config).connection_status
    assert status == {
        "status": "FAILED",
        "message": "streams.workers.mapping.customText3.transforms[0]: unknown transform 'lowr' (did you mean 'lower'?)",
    }
