"""The worked examples of docs/mapping.md run as written: their mapping, input and output blocks agree."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from staffwire.errors import RecordRejected
from staffwire.mapping import TRANSFORMS, compile_mappings

REPO = Path(__file__).resolve().parents[2]
PAGE = (REPO / "docs" / "mapping.md").read_text(encoding="utf-8")
BLOCKS = dict(re.findall(r"<!-- check: ([\w-]+) -->\n```\w+\n(.*?)```", PAGE, re.S))


def test_the_bullhorn_example_is_the_tested_mapping_file_and_maps_the_row_as_shown() -> None:
    assert BLOCKS["bullhorn-mapping"] == (
        Path(__file__).with_name("data") / "bullhorn_candidates.yaml"
    ).read_text(encoding="utf-8")
    mapping = compile_mappings(yaml.safe_load(BLOCKS["bullhorn-mapping"]))["candidates"]
    assert mapping(json.loads(BLOCKS["bullhorn-row"])) == json.loads(BLOCKS["bullhorn-record"])


def test_the_bullhorn_example_row_is_the_real_row() -> None:
    real = json.loads(
        (Path(__file__).with_name("data") / "bullhorn_candidate.json").read_text(encoding="utf-8")
    )
    row = json.loads(BLOCKS["bullhorn-row"])
    assert {key: real["data"][14].get(key) for key in row} == row


def test_the_wingspan_example_maps_as_shown() -> None:
    mapping = compile_mappings(yaml.safe_load(BLOCKS["wingspan-mapping"]))["payees"]
    assert mapping(json.loads(BLOCKS["wingspan-record"])) == json.loads(BLOCKS["wingspan-payload"])


def test_the_rule_set_example_rejects_as_shown() -> None:
    mapping = compile_mappings(yaml.safe_load(BLOCKS["rules-mapping"]))["placements"]
    row = json.loads(BLOCKS["rules-row"])
    with pytest.raises(RecordRejected) as caught:
        mapping(row)
    assert [r.as_dict() for r in caught.value.reasons] == json.loads(BLOCKS["rules-rejection"])
    with pytest.raises(RecordRejected) as caught:
        mapping({**row, "clientCorporation": {"id": 7}})
    assert [r.rule for r in caught.value.reasons] == ["compare"]


def test_every_transform_is_documented() -> None:
    table = PAGE.split("### Transforms", 1)[1].split("### Value maps", 1)[0]
    assert [name for name in TRANSFORMS if f"`{name}`" not in table] == []


def test_the_record_meta_example_is_what_the_mapping_gives_the_real_row_and_valid_on_the_wire() -> None:
    from staffwire.testing.conformance import validate_line

    shown = json.loads(BLOCKS["meta-record"])
    mapping = compile_mappings(yaml.safe_load(BLOCKS["bullhorn-mapping"]))["candidates"]
    real = json.loads(
        (Path(__file__).with_name("data") / "bullhorn_candidate.json").read_text(encoding="utf-8")
    )
    record, changes = mapping.map_one(real["data"][19])
    assert record is not None
    assert {"meta": {"changes": changes}} == {"meta": shown["record"]["meta"]}
    assert (record["id"], record["remote_id"], record["phone"]) == ("bullhorn:20", "20", None)
    validate_line(json.dumps({**shown, "record": {**shown["record"], "data": record}}))
