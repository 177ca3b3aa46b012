"""Fixtures that install throw-away plugins: modules written to a temporary folder on sys.path, optionally with
a ``*.dist-info`` folder declaring them in the ``staffwire.connectors`` entry-point group (that is all
importlib.metadata needs to discover an installed distribution)."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from staffwire.plugins import AUTOLOAD_ENV, PLUGINS_ENV, reset_plugin_manager

WritePlugin = Callable[..., Path]


@pytest.fixture
def plugin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh import folder; plugin discovery starts from nothing (no autoload of the workspace's packages)."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    before = set(sys.modules)
    monkeypatch.setenv(AUTOLOAD_ENV, "1")
    monkeypatch.delenv(PLUGINS_ENV, raising=False)
    reset_plugin_manager()
    yield folder
    reset_plugin_manager()
    for name in set(sys.modules) - before:  # the next test may write a module of the same name
        if getattr(sys.modules[name], "__file__", "") and str(folder) in str(sys.modules[name].__file__):
            del sys.modules[name]


@pytest.fixture
def write_plugin(plugin_dir: Path) -> WritePlugin:
    """write_plugin(module, source, dist=None, version="1.0.0", entry_name=None): write ``module.py``; with
    ``dist``, also a dist-info declaring it as entry point ``entry_name`` (default: ``dist``)."""

    def write(
        module: str,
        source: str,
        *,
        dist: str | None = None,
        version: str = "1.0.0",
        entry_name: str | None = None,
    ) -> Path:
        path = plugin_dir / f"{module}.py"
        path.write_text(textwrap.dedent(source))
        if dist is not None:
            info = plugin_dir / f"{dist.replace('-', '_')}-{version}.dist-info"
            info.mkdir()
            (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
            (info / "entry_points.txt").write_text(
                f"[staffwire.connectors]\n{entry_name or dist} = {module}\n"
            )
        return path

    return write


ACME = """
from staffwire.destination import Destination
from staffwire.plugins import hookimpl
from staffwire.source import Source


class SourceAcme(Source):
    name = "source-acme"


class DestinationAcme(Destination):
    name = "destination-acme"


@hookimpl
def staffwire_connectors():
    return [SourceAcme, DestinationAcme]
"""


@pytest.fixture
def acme_source() -> str:
    """A plugin module providing source-acme and destination-acme."""
    return ACME
