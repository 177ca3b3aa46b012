"""Discovery and validation of connector plugins (entry points, explicit modules, broken plugins)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from staffwire.errors import ConfigError
from staffwire.plugins import (
    ConnectorInfo,
    PluginManager,
    find_connector,
    get_plugin_manager,
    installed_connectors,
    reset_plugin_manager,
)

WritePlugin = Callable[..., Path]


def rows(infos: list[ConnectorInfo]) -> list[tuple[str, str, str | None, str | None]]:
    return [(i.name, i.type, i.version, i.package) for i in infos]


def test_an_installed_package_is_discovered_through_its_entry_point(
    write_plugin: WritePlugin, acme_source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_plugin("acme_plugin", acme_source, dist="staffwire-acme", version="1.2.3")
    monkeypatch.delenv("STAFFWIRE_DISABLE_PLUGIN_AUTOLOAD")
    pm = PluginManager()
    assert pm.load_entrypoint_plugins() >= 1
    acme = [i for i in pm.connectors() if i.name.endswith("-acme")]
    assert rows(acme) == [
        ("destination-acme", "destination", "1.2.3", "staffwire-acme"),
        ("source-acme", "source", "1.2.3", "staffwire-acme"),
    ]
    assert acme[1].cls.__name__ == "SourceAcme"


def test_autoload_can_be_switched_off(write_plugin: WritePlugin, acme_source: str) -> None:
    write_plugin("acme_plugin", acme_source, dist="staffwire-acme")
    assert installed_connectors() == []  # STAFFWIRE_DISABLE_PLUGIN_AUTOLOAD=1 is set by the fixture


def test_modules_listed_in_staffwire_plugins_are_registered(
    write_plugin: WritePlugin, acme_source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_plugin("acme_plugin", acme_source)
    monkeypatch.setenv("STAFFWIRE_PLUGINS", " acme_plugin ,")
    reset_plugin_manager()
    assert rows(installed_connectors()) == [
        ("destination-acme", "destination", None, None),
        ("source-acme", "source", None, None),
    ]


def test_the_manager_is_cached_until_reset(write_plugin: WritePlugin) -> None:
    first = get_plugin_manager()
    assert get_plugin_manager() is first
    reset_plugin_manager()
    assert get_plugin_manager() is not first


def test_find_connector_returns_the_installed_class(write_plugin: WritePlugin, acme_source: str) -> None:
    module = write_plugin("acme_plugin", acme_source)
    pm = PluginManager()
    assert pm.register_module("acme_plugin") is not None
    info = find_connector("destination-acme", pm)
    assert info.cls.__module__ == "acme_plugin" and module.name == "acme_plugin.py"
    assert info.type == "destination"


def test_find_connector_names_what_is_installed_when_the_name_is_unknown(
    write_plugin: WritePlugin, acme_source: str
) -> None:
    write_plugin("acme_plugin", acme_source)
    pm = PluginManager()
    pm.register_module("acme_plugin")
    with pytest.raises(ConfigError) as caught:
        find_connector("source-acmee", pm)
    assert str(caught.value) == (
        "No installed connector is named 'source-acmee' (installed: destination-acme, source-acme). Install its "
        "package (pip install <name>) or check the spelling; `staffwire connectors` lists what is installed."
    )


def test_a_plugin_that_fails_to_import_is_reported_and_the_others_still_load(
    write_plugin: WritePlugin, acme_source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_plugin("acme_plugin", acme_source, dist="staffwire-acme")
    write_plugin(
        "broken_plugin", "import does_not_exist_anywhere\n", dist="staffwire-broken", version="0.0.1"
    )
    monkeypatch.delenv("STAFFWIRE_DISABLE_PLUGIN_AUTOLOAD")
    pm = PluginManager()
    pm.load_entrypoint_plugins()
    assert {"source-acme", "destination-acme"} <= {i.name for i in pm.connectors()}
    assert (
        "plugin 'staffwire-broken' (broken_plugin, from package staffwire-broken) could not be loaded "
        "(ModuleNotFoundError: No module named 'does_not_exist_anywhere'); fix or uninstall that package."
    ) in pm.problems


def test_a_misspelt_hook_is_rejected_with_the_plugin_named(write_plugin: WritePlugin) -> None:
    write_plugin(
        "typo_plugin",
        """
        from staffwire.plugins import hookimpl

        @hookimpl
        def staffwire_conectors():
            return []
        """,
    )
    pm = PluginManager()
    assert pm.register_module("typo_plugin") is None
    assert pm.get_plugins() == set()
    assert len(pm.problems) == 1
    assert pm.problems[0].startswith("plugin typo_plugin was skipped: unknown hook 'staffwire_conectors' in ")
    assert pm.problems[0].endswith(". Fix or uninstall it.")


def test_a_hook_with_arguments_the_spec_does_not_have_is_rejected(write_plugin: WritePlugin) -> None:
    write_plugin(
        "args_plugin",
        """
        from staffwire.plugins import hookimpl

        @hookimpl
        def staffwire_connectors(config):
            return []
        """,
    )
    pm = PluginManager()
    assert pm.register_module("args_plugin") is None
    assert pm.problems == [
        "plugin args_plugin was skipped: Plugin 'args_plugin' for hook 'staffwire_connectors' hookimpl definition: "
        "staffwire_connectors(config) Argument(s) {'config'} are declared in the hookimpl but can not be found in "
        "the hookspec. Fix or uninstall it."
    ]


BAD_CONNECTORS = [
    ("'not a class'", "plugin bad_plugin: staffwire_connectors() returned 'not a class', not a class."),
    (
        "NotAConnector",
        "plugin bad_plugin: bad_plugin.NotAConnector is neither a staffwire.source.Source nor a "
        "staffwire.destination.Destination subclass.",
    ),
    (
        "Nameless",
        "plugin bad_plugin: bad_plugin.Nameless must set the class attribute name to 'source-<system>' "
        "(got '').",
    ),
    (
        "WrongPrefix",
        "plugin bad_plugin: bad_plugin.WrongPrefix must set the class attribute name to 'destination-<system>' "
        "(got 'source-wrong').",
    ),
    (
        "BarePrefix",
        "plugin bad_plugin: bad_plugin.BarePrefix must set the class attribute name to 'source-<system>' "
        "(got 'source-').",
    ),
]


@pytest.mark.parametrize(("item", "problem"), BAD_CONNECTORS, ids=[r[0] for r in BAD_CONNECTORS])
def test_invalid_connector_classes_are_left_out_with_a_reason(
    write_plugin: WritePlugin, item: str, problem: str
) -> None:
    write_plugin(
        "bad_plugin",
        f"""
        from staffwire.destination import Destination
        from staffwire.plugins import hookimpl
        from staffwire.source import Source

        class NotAConnector:
            name = "source-nope"

        class Nameless(Source):
            name = ""

        class WrongPrefix(Destination):
            name = "source-wrong"

        class BarePrefix(Source):
            name = "source-"

        class SourceGood(Source):
            name = "source-good"

        @hookimpl
        def staffwire_connectors():
            return [{item}, SourceGood]
        """,
    )
    pm = PluginManager()
    pm.register_module("bad_plugin")
    assert [i.name for i in pm.connectors()] == ["source-good"]
    assert pm.problems == [problem]


def test_a_hook_that_raises_or_returns_the_wrong_shape_is_reported(write_plugin: WritePlugin) -> None:
    write_plugin(
        "raising_plugin",
        """
        from staffwire.plugins import hookimpl

        @hookimpl
        def staffwire_connectors():
            raise RuntimeError("boom")

        @hookimpl
        def staffwire_sandboxes():
            return ["bullhorn"]
        """,
    )
    pm = PluginManager()
    pm.register_module("raising_plugin")
    assert pm.connectors() == []
    assert pm.sandboxes() == {}
    assert pm.problems == [
        "plugin raising_plugin failed in staffwire_connectors() (RuntimeError: boom); fix or uninstall it.",
        "plugin raising_plugin: staffwire_sandboxes() must return a dict {system: Sandbox subclass}, not list.",
    ]


def test_the_same_connector_name_from_two_plugins_keeps_the_first(
    write_plugin: WritePlugin, acme_source: str
) -> None:
    write_plugin("acme_plugin", acme_source)
    write_plugin("acme_again", acme_source.replace('"destination-acme"', '"destination-other"'))
    pm = PluginManager()
    first = pm.register_module("acme_plugin")
    pm.register_module("acme_again")
    infos = pm.connectors()
    assert [i.name for i in infos] == ["destination-acme", "destination-other", "source-acme"]
    assert infos[2].cls.__module__ == first.__name__  # type: ignore[union-attr]
    assert pm.problems == [
        "connector source-acme is provided twice (by code and code); the first is used. Uninstall one."
    ]
    pm.connectors()
    assert len(pm.problems) == 1  # reported once however often the hook is called
