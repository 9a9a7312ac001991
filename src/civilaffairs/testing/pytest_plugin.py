"""pytest plugin of civilaffairs (loaded through the ``pytest11`` entry point).

It only defines fixtures; nothing runs unless a test asks for one, and importing it imports
neither hypothesis nor numpy.

Fixtures:

``civilaffairs_registry_factory``
    :func:`civilaffairs.testing.isolated_registry`: call it with your plugin module (or its
    entry-point name) to get a registry holding only your plugin and the national baseline::

        def test_loads(civilaffairs_registry_factory):
            registry = civilaffairs_registry_factory("anhui")
            assert registry.plugin("anhui").status == "loaded"

``civilaffairs_plugin_manager_factory``
    :func:`civilaffairs.testing.isolated_plugin_manager`, the same for a plugin manager.

``civilaffairs_plugin_registry``
    the same for the plugin named by the test module's ``PLUGIN`` constant.

``civilaffairs_no_autoload``
    sets ``CIVILAFFAIRS_DISABLE_PLUGIN_AUTOLOAD=1`` and resets the global registry for the
    test, so code under test that calls :func:`civilaffairs.registry.get_registry` sees only the
    national baseline.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from civilaffairs.plugin_manager import PluginManager
    from civilaffairs.registry import Registry

__all__ = [
    "civilaffairs_no_autoload",
    "civilaffairs_plugin_manager_factory",
    "civilaffairs_plugin_registry",
    "civilaffairs_registry_factory",
]


@pytest.fixture
def civilaffairs_registry_factory() -> Callable[..., Registry]:
    """:func:`civilaffairs.testing.isolated_registry`."""
    from civilaffairs.testing.plugins import isolated_registry

    return isolated_registry


@pytest.fixture
def civilaffairs_plugin_manager_factory() -> Callable[..., PluginManager]:
    """:func:`civilaffairs.testing.isolated_plugin_manager`."""
    from civilaffairs.testing.plugins import isolated_plugin_manager

    return isolated_plugin_manager


@pytest.fixture
def civilaffairs_plugin_registry(request: pytest.FixtureRequest) -> Registry:
    """An isolated registry of the plugin the test module names in ``PLUGIN`` (its
    entry-point name) and the national baseline."""
    from civilaffairs.testing.plugins import isolated_registry

    name = getattr(request.module, "PLUGIN", None)
    if not isinstance(name, str):
        raise pytest.UsageError(
            "civilaffairs_plugin_registry needs a module-level PLUGIN = '<entry-point name>'"
        )
    return isolated_registry(name)


@pytest.fixture
def civilaffairs_no_autoload() -> Iterator[None]:
    """Disable entry-point plugins and reset the global registry around the test."""
    from civilaffairs.registry import reset_registry

    name = "CIVILAFFAIRS_DISABLE_PLUGIN_AUTOLOAD"
    old = os.environ.get(name)
    os.environ[name] = "1"
    reset_registry()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old
        reset_registry()
