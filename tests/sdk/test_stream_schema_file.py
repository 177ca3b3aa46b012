"""A stream's schema can be data: ``schemas/<name>.json`` beside the module that defines the stream."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest
from staffwire.errors import InternalError

MODULE = """
from staffwire.streams import Stream


class Pets(Stream):
    name = "pets"


class Toys(Stream):
    name = "toys"
"""
SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "properties": {"id": {"type": "integer"}, "updated_at": {"type": "string", "format": "date-time"}},
}


def load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, package: str, schemas: dict[str, str]) -> object:
    (tmp_path / package / "schemas").mkdir(parents=True)
    (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / package / "streams.py").write_text(MODULE)
    for name, text in schemas.items():
        (tmp_path / package / "schemas" / f"{name}.json").write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    return importlib.import_module(f"{package}.streams")


def test_the_schema_file_beside_the_module_is_the_streams_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = load(tmp_path, monkeypatch, "schema_file_pkg_a", {"pets": json.dumps(SCHEMA)})
    pets = module.Pets()  # type: ignore[attr-defined]
    schema = pets.get_json_schema()
    assert schema == SCHEMA
    schema["properties"].clear()  # a copy: changing it changes nothing for the next caller
    assert pets.get_json_schema() == SCHEMA
    assert module.Toys().get_json_schema() == {  # type: ignore[attr-defined]
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "additionalProperties": True,
        "properties": {},
    }


def test_a_broken_schema_file_is_a_bug_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = load(tmp_path, monkeypatch, "schema_file_pkg_b", {"pets": "{not json", "toys": "[]"})
    where = tmp_path / "schema_file_pkg_b" / "schemas"
    with pytest.raises(
        InternalError, match=rf"^the stream schema {re.escape(str(where / 'pets.json'))} is not valid JSON: "
    ):
        module.Pets().get_json_schema()  # type: ignore[attr-defined]
    with pytest.raises(
        InternalError,
        match=rf"^the stream schema {re.escape(str(where / 'toys.json'))} must hold a JSON object, not a JSON list$",
    ):
        module.Toys().get_json_schema()  # type: ignore[attr-defined]
