"""Plugin discovery and the connector registry.

:class:`PluginManager` is pluggy's manager plus discovery: it loads every module declared in the entry-point group
``staffwire.connectors`` (unless ``STAFFWIRE_DISABLE_PLUGIN_AUTOLOAD`` is set) and validates each plugin against
:mod:`staffwire.plugins.hookspecs`. A plugin that cannot be imported or does not match the specs is left out and
reported in :attr:`PluginManager.problems` (and by ``staffwire connectors``), so one broken package never hides
the others.

The only process-wide state is the cached manager behind :func:`get_plugin_manager`;
:func:`reset_plugin_manager` drops it (tests, or after installing a package at run time).
"""

from __future__ import annotations

import builtins
import importlib
import importlib.metadata as md
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Literal

import pluggy

from staffwire.errors import ConfigError
from staffwire.plugins import hookspecs

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
    "installed_connectors",
    "installed_mappings",
    "installed_sandboxes",
    "reset_plugin_manager",
]

ENTRY_POINT_GROUP = "staffwire.connectors"
AUTOLOAD_ENV = "STAFFWIRE_DISABLE_PLUGIN_AUTOLOAD"
PLUGINS_ENV = (
    "STAFFWIRE_PLUGINS"  # comma-separated plugin modules to register in addition (like PYTEST_PLUGINS)
)

ConnectorType = Literal["source", "destination"]

# The base classes, by (module, name): checked along the MRO so this module never imports the runtime.
_BASES: dict[tuple[str, str], ConnectorType] = {
    ("staffwire.source", "Source"): "source",
    ("staffwire.destination", "Destination"): "destination",
}


@dataclass(frozen=True)
class ConnectorInfo:
    """One installed connector: what ``staffwire connectors`` lists."""

    name: str
    type: ConnectorType
    version: str | None
    package: str | None  # the distribution that provides it (None for a plugin registered in code)
    cls: builtins.type = field(repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "version": self.version, "package": self.package}


def connector_type_of(cls: type) -> ConnectorType | None:
    """``"source"`` or ``"destination"`` from the connector's base class; None for anything else."""
    for klass in getattr(cls, "__mro__", ()):
        kind = _BASES.get((klass.__module__, klass.__qualname__))
        if kind is not None:
            return kind
    return None


class PluginManager(pluggy.PluginManager):
    """pluggy's manager for the ``staffwire`` project, with entry-point discovery and per-plugin validation."""

    def __init__(self) -> None:
        super().__init__("staffwire")
        self.add_hookspecs(hookspecs)
        self.problems: list[str] = []
        self._dists: dict[int, md.Distribution] = {}

    def _problem(self, message: str) -> None:
        if message not in self.problems:  # hooks may be called many times; report each problem once
            self.problems.append(message)

    # registration ---------------------------------------------------------------------------------------
    def register_validated(
        self, plugin: object, name: str | None = None, *, origin: str | None = None
    ) -> bool:
        """Register ``plugin`` and check its hooks against the specs; on failure record a problem, leave it out
        and return False."""
        label = origin or name or getattr(plugin, "__name__", repr(plugin))
        try:
            self.register(plugin, name)
            self.check_pending()
        except pluggy.PluginValidationError as exc:
            if self.is_registered(plugin):
                self.unregister(plugin)
            reason = " ".join(str(exc).split()).rstrip(".") + "."  # pluggy's message spans lines
            self._problem(f"plugin {label} was skipped: {reason} Fix or uninstall it.")
            return False
        except ValueError as exc:  # already registered under this name
            self._problem(f"plugin {label} was skipped: {exc}")
            return False
        return True

    def register_module(self, module_name: str) -> ModuleType | None:
        """Import ``module_name`` and register it as a plugin (used for explicitly listed plugins)."""
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:
            self._problem(
                f"plugin module {module_name} could not be imported ({type(exc).__name__}: "
                f"{exc}); fix or uninstall the package that provides it."
            )
            return None
        return module if self.register_validated(module, module_name) else None

    def load_entrypoint_plugins(self, group: str = ENTRY_POINT_GROUP) -> int:
        """Load every plugin declared in entry-point ``group``; return how many were registered."""
        loaded = 0
        for ep in sorted(md.entry_points(group=group), key=lambda e: (e.name, e.value)):
            if self.get_plugin(ep.name) is not None or self.is_blocked(ep.name):
                continue
            dist = getattr(ep, "dist", None)
            origin = f"{ep.name!r} ({ep.value}" + (
                f", from package {dist.name})" if dist is not None else ")"
            )
            try:
                plugin = ep.load()
            except Exception as exc:
                self._problem(
                    f"plugin {origin} could not be loaded ({type(exc).__name__}: {exc}); "
                    "fix or uninstall that package."
                )
                continue
            if self.is_registered(
                plugin
            ):  # already listed in STAFFWIRE_PLUGINS: just note where it came from
                if dist is not None:
                    self._dists[id(plugin)] = dist
                continue
            if self.register_validated(plugin, ep.name, origin=origin):
                if dist is not None:
                    self._dists[id(plugin)] = dist
                loaded += 1
        return loaded

    def distribution_of(self, plugin: object) -> md.Distribution | None:
        """The installed distribution a plugin was loaded from (None when registered in code)."""
        return self._dists.get(id(plugin))

    # hook results, per plugin ---------------------------------------------------------------------------
    def _results(self, hook_name: str) -> Iterable[tuple[object, Any]]:
        """(plugin, result) for every implementation of a no-argument hook, in registration order.

        The implementations are called one by one so each result can be attributed to its plugin (and so a
        failing plugin is reported instead of breaking the whole listing)."""
        hook = getattr(self.hook, hook_name)
        for impl in hook.get_hookimpls():  # registration order (pluggy *calls* them last-registered-first)
            try:
                result = impl.function()
            except Exception as exc:
                self._problem(
                    f"plugin {impl.plugin_name} failed in {hook_name}() "
                    f"({type(exc).__name__}: {exc}); fix or uninstall it."
                )
                continue
            if result is not None:
                yield impl.plugin, result

    def connectors(self) -> list[ConnectorInfo]:
        """Every valid connector class the plugins provide, sorted by name; invalid ones become problems."""
        found: dict[str, ConnectorInfo] = {}
        for plugin, classes in self._results("staffwire_connectors"):
            pname = self.get_name(plugin)
            if not isinstance(classes, (list, tuple)):
                self._problem(
                    f"plugin {pname}: staffwire_connectors() must return a list of connector "
                    f"classes, not {type(classes).__name__}."
                )
                continue
            for cls in classes:
                info = self._connector_info(plugin, pname, cls)
                if info is None:
                    continue
                other = found.get(info.name)
                if other is not None and other.cls is not info.cls:
                    self._problem(
                        f"connector {info.name} is provided twice (by {other.package or 'code'} "
                        f"and {info.package or 'code'}); the first is used. Uninstall one."
                    )
                    continue
                found[info.name] = info
        return [found[name] for name in sorted(found)]

    def _connector_info(self, plugin: object, pname: str | None, cls: Any) -> ConnectorInfo | None:
        if not isinstance(cls, type):
            self._problem(f"plugin {pname}: staffwire_connectors() returned {cls!r}, not a class.")
            return None
        name = getattr(cls, "name", None)
        kind = connector_type_of(cls)
        if kind is None:
            self._problem(
                f"plugin {pname}: {cls.__module__}.{cls.__qualname__} is neither a "
                "staffwire.source.Source nor a staffwire.destination.Destination subclass."
            )
            return None
        if not isinstance(name, str) or not name.startswith(f"{kind}-") or len(name) <= len(kind) + 1:
            self._problem(
                f"plugin {pname}: {cls.__module__}.{cls.__qualname__} must set the class "
                f"attribute name to '{kind}-<system>' (got {name!r})."
            )
            return None
        dist = self.distribution_of(plugin)
        return ConnectorInfo(
            name=name,
            type=kind,
            version=dist.version if dist else None,
            package=dist.name if dist else None,
            cls=cls,
        )

    def sandboxes(self) -> dict[str, type]:
        """Every API emulator class by system name, sorted by name."""
        from staffwire.testing.sandbox import Sandbox  # lazy: only sandbox users pay for http.server

        found: dict[str, type] = {}
        for plugin, mapping in self._results("staffwire_sandboxes"):
            pname = self.get_name(plugin)
            if not isinstance(mapping, dict):
                self._problem(
                    f"plugin {pname}: staffwire_sandboxes() must return a dict "
                    f"{{system: Sandbox subclass}}, not {type(mapping).__name__}."
                )
                continue
            for system, cls in mapping.items():
                if not (isinstance(cls, type) and issubclass(cls, Sandbox)):
                    self._problem(
                        f"plugin {pname}: sandbox {system!r} is {cls!r}, not a "
                        "staffwire.testing.sandbox.Sandbox subclass."
                    )
                    continue
                if system in found and found[system] is not cls:
                    self._problem(f"sandbox {system!r} is provided twice; the first is used.")
                    continue
                found[system] = cls
        return dict(sorted(found.items()))

    def mappings(self) -> dict[str, Any]:
        """Every named mapping definition the plugins ship (first plugin wins on a clash)."""
        found: dict[str, Any] = {}
        for plugin, mapping in self._results("staffwire_mappings"):
            if not isinstance(mapping, dict):
                self._problem(f"plugin {self.get_name(plugin)}: staffwire_mappings() must return a dict.")
                continue
            for key, value in mapping.items():
                found.setdefault(key, value)
        return found


# ---------------------------------------------------------------------------------------------- the registry
_lock = threading.Lock()
_cached: PluginManager | None = None


def autoload_disabled() -> bool:
    return bool(os.environ.get(AUTOLOAD_ENV, "").strip())


def get_plugin_manager() -> PluginManager:
    """The process's plugin manager: created on first use, with every installed plugin loaded unless
    ``STAFFWIRE_DISABLE_PLUGIN_AUTOLOAD`` is set, plus the modules listed in ``STAFFWIRE_PLUGINS``
    (comma-separated). Register more with :meth:`PluginManager.register_validated`."""
    global _cached
    with _lock:
        if _cached is None:
            pm = PluginManager()
            for module_name in os.environ.get(PLUGINS_ENV, "").split(","):
                if module_name.strip():
                    pm.register_module(module_name.strip())
            if not autoload_disabled():
                pm.load_entrypoint_plugins()
            _cached = pm
        return _cached


def reset_plugin_manager() -> None:
    """Forget the cached manager; the next :func:`get_plugin_manager` discovers plugins afresh."""
    global _cached
    with _lock:
        _cached = None


def installed_connectors(pm: PluginManager | None = None) -> list[ConnectorInfo]:
    """Every installed connector, sorted by name."""
    return (pm or get_plugin_manager()).connectors()


def find_connector(name: str, pm: PluginManager | None = None) -> ConnectorInfo:
    """The installed connector called ``name``; raises ConfigError naming what is installed otherwise."""
    connectors = installed_connectors(pm)
    for info in connectors:
        if info.name == name:
            return info
    known = ", ".join(c.name for c in connectors) or "none"
    raise ConfigError(
        f"No installed connector is named {name!r} (installed: {known}). Install its package "
        "(pip install <name>) or check the spelling; `staffwire connectors` lists what is installed."
    )


def installed_sandboxes(pm: PluginManager | None = None) -> dict[str, type]:
    """Every API emulator the installed plugins provide, by system name."""
    return (pm or get_plugin_manager()).sandboxes()


def find_sandbox(system: str, pm: PluginManager | None = None) -> type:
    """The sandbox class for ``system``; raises ConfigError naming the known systems otherwise."""
    sandboxes = installed_sandboxes(pm)
    if system not in sandboxes:
        known = ", ".join(sandboxes) or "none"
        raise ConfigError(f"No installed plugin provides a sandbox for {system!r} (available: {known}).")
    return sandboxes[system]


def installed_mappings(pm: PluginManager | None = None) -> dict[str, Any]:
    """Every named mapping definition the installed plugins ship."""
    return (pm or get_plugin_manager()).mappings()
