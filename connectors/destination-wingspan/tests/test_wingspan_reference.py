"""The vendored Wingspan reference data is present, attributed and in sync with what the sandbox loads."""

from __future__ import annotations

import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
REFERENCE = HERE / "destination_wingspan" / "reference"


def _extractor():  # the script is not a module of the package; load it from its file
    spec = importlib.util.spec_from_file_location(
        "extract_request_schemas", HERE / "scripts" / "extract_request_schemas.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_request_schemas_json_is_fresh_from_the_openapi_file() -> None:
    assert (REFERENCE / "request_schemas.json").read_text(encoding="utf-8") == _extractor().render(), (
        "request_schemas.json is stale: run python connectors/destination-wingspan/scripts/extract_request_schemas.py"
    )


def test_the_openapi_file_carries_its_source_note() -> None:
    source = (REFERENCE / "SOURCE.txt").read_text(encoding="utf-8")
    assert "wingspanHQ/client-sdk-typescript" in source
    assert "b031d42a5e299c29b783684c9290d335a21ccc6a" in source
