from __future__ import annotations

import inspect

import pluggy
from staffwire.plugins import PluginManager, hookimpl, hookspecs


def test_hookimpl_is_the_staffwire_project_marker() -> None:
    assert isinstance(hookimpl, pluggy.HookimplMarker)
    assert hookimpl.project_name == "staffwire"
    assert hookspecs.hookspec.project_name == "staffwire"


def test_the_contract_is_three_documented_hooks_without_arguments() -> None:
    specs = {name: func for name, func in vars(hookspecs).items() if name.startswith("staffwire_")}
    assert sorted(specs) == ["staffwire_connectors", "staffwire_mappings", "staffwire_sandboxes"]
    for func in specs.values():
        assert func.__doc__ and len(func.__doc__) > 80
        assert inspect.signature(func).parameters == {}
        assert "staffwire_spec" in vars(func)  # marked by HookspecMarker("staffwire")


def test_a_fresh_manager_knows_the_specs_and_has_no_plugins() -> None:
    pm = PluginManager()
    assert pm.project_name == "staffwire"
    assert pm.get_plugins() == set()
    assert pm.hook.staffwire_connectors.spec is not None
    assert pm.hook.staffwire_sandboxes.spec is not None
    assert pm.hook.staffwire_mappings.spec is not None
