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

from staffwire.plugins import manager
from staffwire.plugins.manager import *  # noqa: F403  (discovery and the registry: the manager's own __all__)

__all__ = ["hookimpl"]
__all__ += manager.__all__

#: Marks a function in a plugin module as the implementation of a Staffwire hook.
hookimpl = pluggy.HookimplMarker("staffwire")
