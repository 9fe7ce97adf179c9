"""The fake cloud's resources: one module each, registered with the core by ``register``.

To add a resource, write its module (see ``core/README.md``) and add one line to ``MODULES``.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from functools import cache
from types import ModuleType

from ..core import Registry

__all__ = ["MODULES", "build_registry", "default_registry"]

#: The resource modules of this package, registered in this order (one line each).
MODULES = (
    "actions",
    "catalog",
    "images",
    "servers",
    "server_create",
    "server_actions",
    "server_images",
    "server_metrics",
    "ssh_keys",
    "firewalls",
    "volumes",
    "certificates",
    "zones",
    "zone_rrsets",
    "networks",
    "placement_groups",
    "primary_ips",
    "floating_ips",
    "load_balancers",
)


def build_registry(extra: Iterable[ModuleType] = ()) -> Registry:
    """Return a registry of every module in ``MODULES``, then of ``extra`` modules."""
    registry = Registry()
    modules = [importlib.import_module(f".{name}", __name__) for name in MODULES]
    for module in [*modules, *extra]:
        module.register(registry)
    return registry


@cache
def default_registry() -> Registry:
    """Return the registry every fake uses unless it is given another (built once)."""
    return build_registry()
