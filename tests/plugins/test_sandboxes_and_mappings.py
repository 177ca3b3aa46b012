from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from staffwire.errors import ConfigError
from staffwire.plugins import PluginManager, find_sandbox, installed_mappings, installed_sandboxes

WritePlugin = Callable[..., Path]

SANDBOX_PLUGIN = """
from staffwire.plugins import hookimpl
from staffwire.testing.sandbox import Sandbox, json_response, route

class PetsSandbox(Sandbox):
    name = "pets"

    @route("GET", "/pets")
    def pets(self, request):
        return json_response([{"id": 1}])


@hookimpl
def staffwire_sandboxes():
    return {"pets": PetsSandbox, "broken": dict}


@hookimpl
def staffwire_mappings():
    return {"pets.status": {"active": "active"}}
"""


def test_sandboxes_are_listed_by_system_and_invalid_ones_reported(write_plugin: WritePlugin) -> None:
    write_plugin("pets_plugin", SANDBOX_PLUGIN)
    pm = PluginManager()
    pm.register_module("pets_plugin")
    sandboxes = installed_sandboxes(pm)
    assert list(sandboxes) == ["pets"]
    assert find_sandbox("pets", pm).__name__ == "PetsSandbox"
    assert pm.problems == [
        "plugin pets_plugin: sandbox 'broken' is <class 'dict'>, not a staffwire.testing.sandbox.Sandbox subclass."
    ]


def test_an_unknown_sandbox_names_the_available_ones(write_plugin: WritePlugin) -> None:
    write_plugin("pets_plugin", SANDBOX_PLUGIN)
    pm = PluginManager()
    pm.register_module("pets_plugin")
    with pytest.raises(
        ConfigError, match=r"^No installed plugin provides a sandbox for 'cats' \(available: pets\)\.$"
    ):
        find_sandbox("cats", pm)


def test_mappings_are_collected_by_name(write_plugin: WritePlugin) -> None:
    write_plugin("pets_plugin", SANDBOX_PLUGIN)
    pm = PluginManager()
    pm.register_module("pets_plugin")
    assert installed_mappings(pm) == {"pets.status": {"active": "active"}}
