"""A throw-away plugin module on sys.path, registered through STAFFWIRE_PLUGINS (autoload off), so CLI output
depends only on what the test installs."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from staffwire.plugins import AUTOLOAD_ENV, PLUGINS_ENV, reset_plugin_manager

PLUGIN = """
from staffwire.destination import Destination
from staffwire.plugins import hookimpl
from staffwire.source import Source
from staffwire.testing.sandbox import Sandbox, json_response, route


class SourcePets(Source):
    name = "source-pets"


class DestinationPetshop(Destination):
    name = "destination-petshop"


class PetsSandbox(Sandbox):
    name = "pets"

    @route("GET", "/pets")
    def pets(self, request):
        return json_response([{"id": 1, "name": "Rex"}])


@hookimpl
def staffwire_connectors():
    return [SourcePets, DestinationPetshop, dict]


@hookimpl
def staffwire_sandboxes():
    return {"pets": PetsSandbox}
"""


@pytest.fixture
def pets_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Installs module ``cli_pets_plugin``; yields the folder holding it (for subprocesses' PYTHONPATH)."""
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "cli_pets_plugin.py").write_text(PLUGIN)
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setenv(AUTOLOAD_ENV, "1")
    monkeypatch.setenv(PLUGINS_ENV, "cli_pets_plugin")
    reset_plugin_manager()
    yield folder
    reset_plugin_manager()
    sys.modules.pop("cli_pets_plugin", None)
