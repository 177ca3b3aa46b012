"""Staffwire plugins: pluggy hooks through which connectors, sandboxes and mappings are registered.

A plugin module marks its hook implementations with :data:`hookimpl` (the specs live in
:mod:`staffwire.plugins.hookspecs`)::

    from staffwire.plugins import hookimpl

    @hookimpl
    def staffwire_connectors():
        return [SourceFoo]

and is declared in its package's ``[project.entry-points."staffwire.connectors"]``.
"""

from __future__ import annotations

import pluggy

from staffwire.plugins.manager import (
    AUTOLOAD_ENV,
    ENTRY_POINT_GROUP,
    PLUGINS_ENV,
    ConnectorInfo,
    PluginManager,
    connector_type_of,
    find_connector,
    find_sandbox,
    get_plugin_manager,
    installed_connectors,
    installed_mappings,
    installed_sandboxes,
    reset_plugin_manager,
)

__all__ = [
    "AUTOLOAD_ENV",
    "ENTRY_POINT_GROUP",
    "PLUGINS_ENV",
    "ConnectorInfo",
    "PluginManager",
    "connector_type_of",
    "find_connector",
    "find_sandbox",
    "get_plugin_manager",
    "hookimpl",
    "installed_connectors",
    "installed_mappings",
    "installed_sandboxes",
    "reset_plugin_manager",
]

#: Marks a function in a plugin module as the implementation of a Staffwire hook.
hookimpl = pluggy.HookimplMarker("staffwire")
