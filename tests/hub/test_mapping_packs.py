"""Point 1 of issue 18: a connection maps a third-party Airbyte source's raw streams into standard streams with a
mapping pack; tested on records in the real output shape of Airbyte's Lever and Salesforce sources."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hub_support import (
    HIRED_REASON,
    LEVER_PATCH,
    LEVER_RECORDS,
    SALESFORCE_PATCH,
    SALESFORCE_RECORDS,
    SALESFORCE_STREAMS,
    Hub,
)
from staffwire.plugins import installed_mappings
from staffwire.standard import model_for


def by_stream(rows: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["stream"], []).append(row)
    return grouped


def test_the_packs_ship_through_the_staffwire_mappings_hook() -> None:
    packs = installed_mappings()
    assert {"lever", "salesforce-jobscience"} <= set(packs)
    assert set(packs["lever"]["mappings"]) == {"candidates", "submissions", "placements", "jobs"}
    assert set(packs["salesforce-jobscience"]["mappings"]) == {
        "clients",
        "candidates",
        "contacts",
        "jobs",
        "placements",
    }


def test_lever_pack_turns_recorded_opportunities_and_applications_into_standard_streams(hub: Hub) -> None:
    result = hub.run(mapping={"pack": "lever", "patch": LEVER_PATCH}, mirror=None)
    assert result.status == "succeeded", result.error
    written = by_stream(hub.written())
    # The destination gets the standard streams, never the raw streams they were made from.
    assert set(written) <= {"candidates", "submissions", "placements", "jobs"}
    stages = {r["id"]: (r["stage"], r["original_status"], r["candidate_id"]) for r in written["submissions"]}
    assert stages == {
        "lever:a739d309-dfae-408d-a316-7f06fcd9150f": (
            "submitted",
            "applicant-new",
            "lever:3b324296-1112-42b3-8524-fd434452a839",
        ),
        "lever:784ff8e2-4536-4d65-8b29-e2dbeb0e8bef": (
            "other",
            "f1a0cadd-9eff-4ecc-9edc-ff24d04fe393",
            "lever:935c7a34-98dd-4e04-b87b-512cf28c274f",
        ),
        "lever:9ea413b6-432a-4806-a6cb-683e55dda4c2": (
            "other",
            "b0072803-e9e5-403f-b028-085646c1e7a6",
            "lever:4546e868-b9ff-46eb-ae2d-6748947788bc",
        ),
        "lever:7bf8c1ac-4a68-450f-bea0-a1e2c3f5aeaf": (
            "other",
            "8dacc223-ea45-404e-a6bb-f6b45638709e",
            "lever:935c7a34-98dd-4e04-b87b-512cf28c274f",
        ),
        "lever:2a4e55a9-42f6-4039-acf8-238ff099fa35": (
            "offer",
            "offer",
            "lever:3b324296-1112-42b3-8524-fd434452a839",
        ),
    }
    # Only the opportunity archived with the tenant's Hired reason is a placement; archivedAt is epoch ms.
    [placement] = written["placements"]
    assert (placement["id"], placement["status"], placement["start_date"]) == (
        "lever:7bf8c1ac-4a68-450f-bea0-a1e2c3f5aeaf",
        "approved",
        "2021-08-09",
    )
    assert [r["id"] for r in written["jobs"]] == [
        "lever:2200dd68-757d-4ed2-a9b7-e1856196b513",
        "lever:f45efa75-63f3-466c-93c2-643d3147968d",
        "lever:2200dd68-757d-4ed2-a9b7-e1856196b513",
        "lever:f45efa75-63f3-466c-93c2-643d3147968d",
        "lever:2200dd68-757d-4ed2-a9b7-e1856196b513",
    ]
    for stream, rows in written.items():
        for row in rows:
            model_for(stream).model_validate({k: v for k, v in row.items() if k != "stream"})
    # Airbyte's Lever test tenant holds +1(1)5555555555 (a possible US number: kept, in E.164), +1098765432 and
    # +1234567890 (not possible numbers): those become null, with a record meta change, and nothing is rejected.
    assert [(r["id"], r["phone"]) for r in written["candidates"]] == [
        ("lever:3b324296-1112-42b3-8524-fd434452a839", "+15555555555"),
        ("lever:935c7a34-98dd-4e04-b87b-512cf28c274f", None),
        ("lever:4546e868-b9ff-46eb-ae2d-6748947788bc", None),
        ("lever:935c7a34-98dd-4e04-b87b-512cf28c274f", None),
        ("lever:3b324296-1112-42b3-8524-fd434452a839", "+15555555555"),
    ]
    assert result.rejected_records == []
    assert result.streams["opportunities"]["records_rejected"] == 0


def test_salesforce_pack_maps_a_jobscience_org(hub: Hub) -> None:
    result = hub.run(
        records=SALESFORCE_RECORDS,
        streams=SALESFORCE_STREAMS,
        mapping={"pack": "salesforce-jobscience", "patch": SALESFORCE_PATCH},
        mirror=None,
    )
    assert result.status == "succeeded", result.error
    written = by_stream(hub.written())
    candidates = {r["id"]: r for r in written["candidates"]}
    assert list(candidates) == [
        "salesforce:0034W00003Kq1AAQAZ",
        "salesforce:0034W00003Kq1ABQAZ",
        "salesforce:0034W00003Kq1ACQAZ",
    ]
    dana = candidates["salesforce:0034W00003Kq1AAQAZ"]
    assert (dana["last_name"], dana["email"], dana["phone"], dana["mobile"], dana["status"]) == (
        "Reyes",
        "dana.reyes@example.com",
        "+15034217855",
        None,
        "active",
    )
    assert dana["address"]["country"] == "US"
    assert dana["custom_fields"] == {
        "ts2__People_Status__c": "Active",
        "Shift_Preference__c": "Nights;Weekends",
    }
    # A soft delete stays a record, marked deleted.
    assert candidates["salesforce:0034W00003Kq1ACQAZ"]["remote_deleted_at"] == "2024-02-28T17:45:00Z"
    [contact] = written["contacts"]
    assert (contact["id"], contact["client_id"], contact["title"]) == (
        "salesforce:0034W00003Kq1ADQAZ",
        "salesforce:0014W000027f6V2QAI",
        "Warehouse Operations Manager",
    )
    [job] = written["jobs"]
    assert (job["title"], job["status"], job["employment_type"], job["openings"]) == (
        "Forklift Operator (Nights)",
        "open",
        "contract",
        3,
    )
    [placement] = written["placements"]
    assert (
        placement["candidate_id"],
        placement["job_id"],
        placement["start_date"],
        placement["pay_rate"],
        placement["bill_rate"],
    ) == ("salesforce:0034W00003Kq1ABQAZ", "salesforce:a0K4W00000Xy7QzUAJ", "2024-03-04", 21.5, 32.25)
    clients = [r["id"] for r in written["clients"]]
    # The Paris account's "(014) 427-4427" is a number nowhere.
    assert clients == [
        "salesforce:0014W000027f6V3QAI",
        "salesforce:0014W000027f6V2QAI",
        "salesforce:0014W000027f6UyQAI",
    ]
    assert result.rejected_records == []


def test_a_mapping_file_next_to_the_connection_and_an_inline_document_work_alike(
    hub: Hub, tmp_path: Path
) -> None:
    document = {
        "system": "lever",
        "mappings": {
            "submissions": {
                "standard": "submissions",
                "source": "opportunities",
                "fields": {"remote_id": "id", "stage": {"const": "submitted"}},
            }
        },
    }
    (tmp_path / "lever-mapping.yaml").write_text(yaml.safe_dump(document))
    assert hub.run(mapping={"file": "lever-mapping.yaml"}, mirror=None).status == "succeeded"
    from_file = [(r["stream"], r["id"]) for r in hub.written()]
    hub.out.unlink()
    assert hub.run(name="inline", mapping={"document": document}, mirror=None).status == "succeeded"
    from_inline = [(r["stream"], r["id"]) for r in hub.written()]
    # The unmapped raw stream (applications) still reaches the destination as it is.
    assert from_file == from_inline
    assert [s for s, _ in from_file].count("submissions") == 5
    assert [s for s, _ in from_file].count("applications") == 5


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (
            {"pack": "greenhouse"},
            "mapping.pack: no installed plugin ships a mapping pack named 'greenhouse' (installed packs: ",
        ),
        (
            {"file": "nowhere.yaml"},
            "nowhere.yaml does not exist. Fix the path (relative to the connection file).",
        ),
        ({"pack": "lever", "file": "x.yaml"}, "mapping: give exactly one of pack"),
    ],
)
def test_a_mapping_that_cannot_be_found_fails_the_run_saying_what_to_do(
    hub: Hub, mapping: dict, message: str
) -> None:
    result = hub.run(mapping=mapping, mirror=None)
    assert result.status == "failed"
    assert result.failure_type == "config_error"
    assert message in (result.error or "")
    assert hub.written() == []


def test_the_hired_reason_is_the_tenants_own(hub: Hub) -> None:
    # Without the patch, no opportunity is archived with a reason called "hired": no placements.
    assert HIRED_REASON not in str(installed_mappings()["lever"])
    assert hub.run(mapping={"pack": "lever"}, mirror=None).status == "succeeded"
    assert "placements" not in by_stream(hub.written())
    assert LEVER_RECORDS.exists()
