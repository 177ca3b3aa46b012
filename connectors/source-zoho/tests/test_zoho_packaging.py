"""Packaging: the plugin registers the connector and its sandbox, the sandbox runs as a module, metadata.yaml
and the Dockerfile agree with the package."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import requests
from source_zoho import SourceZoho
from source_zoho.sandbox import ZohoSandbox
from staffwire.testing.startup import modules_loaded_by_spec

ROOT = Path(__file__).resolve().parent.parent


def test_plugin_registers_the_connector_and_the_sandbox() -> None:
    from source_zoho import plugin

    assert plugin.staffwire_connectors() == [SourceZoho]
    assert plugin.staffwire_sandboxes() == {"zoho": ZohoSandbox}


def test_metadata_and_dockerfile_agree_with_the_package() -> None:
    from staffwire.catalog import metadata_problems

    assert metadata_problems(ROOT) == []


def test_sandbox_runs_as_a_module_and_prints_a_working_config() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "source_zoho.sandbox", "--port", "0", "--candidates", "3"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("zoho sandbox listening on http://127.0.0.1:")
        config = json.loads(proc.stdout.readline().removeprefix("config: "))
        answer = requests.post(
            f"{config['accounts_url']}/oauth/v2/token",
            data={
                "grant_type": "refresh_token",
                "client_id": config["client_id"],
                "client_secret": config["client_secret"],
                "refresh_token": config["refresh_token"],
            },
            timeout=5,
        )
        assert answer.status_code == 200 and answer.json()["access_token"].startswith("1000.us-")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


LOADED_BY_READS = [
    "requests",
    "jsonschema",
    "yaml",
    "rich",
    "pluggy",
    "airbyte_cdk",
    "staffwire.http",
    "staffwire.mapping",
    "source_zoho.api",
    "source_zoho.reads",
    "source_zoho.streams",
    "source_zoho.standard",
]


def test_spec_starts_without_the_http_client_the_mapping_engine_or_the_streams() -> None:
    assert modules_loaded_by_spec("source_zoho.source:SourceZoho", LOADED_BY_READS) == []
