"""The whole Staffwire extension contract: the hooks a plugin may implement.

A plugin is any module (or object) with functions marked ``@staffwire.plugins.hookimpl`` whose names match the
specs below. Installed packages are discovered through the entry-point group ``staffwire.connectors``::

    [project.entry-points."staffwire.connectors"]
    source-foo = "source_foo.plugin"

Every hook is called with no arguments and its results from all plugins are collected into a list (one item per
plugin), so a plugin only implements the hooks it needs. Specs may gain (keyword) arguments later: an
implementation may always accept a subset of a spec's arguments, so plugins written today keep working.

Built-in connectors register through these same hooks; nothing is special-cased for them.
"""

from __future__ import annotations

from typing import Any

import pluggy

__all__ = ["hookspec", "staffwire_connectors", "staffwire_mappings", "staffwire_sandboxes"]

#: Marks a function below as a hook specification of the ``staffwire`` project.
hookspec = pluggy.HookspecMarker("staffwire")


@hookspec
def staffwire_connectors() -> list[type]:
    """Return the connector classes this plugin provides.

    Each item is a subclass of :class:`staffwire.source.Source` or :class:`staffwire.destination.Destination`
    with a class attribute ``name`` (the connector's name, which is also its console script and distribution
    name, e.g. ``"source-bullhorn"``). The connector type (``source`` / ``destination``) is derived from the base
    class; the name must start with it.

    Called when connectors are listed (``staffwire connectors``) or looked up by name (``staffwire sync``); it must
    be cheap: import the classes, do no I/O.
    """
    raise NotImplementedError  # pragma: no cover - a spec has no body


@hookspec
def staffwire_sandboxes() -> dict[str, type]:
    """Return the API emulators this plugin provides, by system name (e.g. ``{"bullhorn": BullhornSandbox}``).

    Each value is a subclass of :class:`staffwire.testing.sandbox.Sandbox` that can be constructed with no
    arguments (``host``/``port`` keywords optional). Used by ``staffwire sandbox run <system>``, the demo and the
    tests; never on a production path.
    """
    raise NotImplementedError  # pragma: no cover


@hookspec
def staffwire_mappings() -> dict[str, Any]:
    """Return named mapping definitions this plugin ships (name -> a definition accepted by
    :mod:`staffwire.mapping`), e.g. default status value maps that a connection can refer to by name.

    Optional; most plugins do not implement it.
    """
    raise NotImplementedError  # pragma: no cover
