"""Meta-test: every public method of every resource group has a test that pins its behaviour."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

from hetzner_async import HetznerClient
from hetzner_async.resources._base import ResourceGroup

from .cases import CASES, COVERED


def _groups() -> dict[str, type[ResourceGroup]]:
    """Return every resource group a client has, by attribute path (``servers``, ...).

    A group nested in another (``zones.rrsets``) is listed under its dotted path.
    """
    client = HetznerClient("t", endpoint="http://127.0.0.1:9/v1")
    found: dict[str, type[ResourceGroup]] = {}
    for name, value in vars(client).items():
        if isinstance(value, ResourceGroup):
            found[name] = type(value)
            for inner, nested in vars(value).items():
                if isinstance(nested, ResourceGroup) and not inner.startswith("_"):
                    found[f"{name}.{inner}"] = type(nested)
    return found


def _public_methods() -> set[str]:
    found = set()
    for group, cls in _groups().items():
        for name, _ in inspect.getmembers(cls, inspect.isfunction):
            if not name.startswith("_"):
                found.add(f"{group}.{name}")
    return found


def _covered() -> set[str]:
    # Importing every test module that pins methods runs its @covers decorators.
    tests = Path(__file__).parent.parent
    for folder in ("resources", "integration"):
        for path in (tests / folder).glob("test_*.py"):
            importlib.import_module(f"tests.{folder}.{path.stem}")
    return {case.call for case in CASES} | COVERED


def test_every_public_resource_method_has_a_test() -> None:
    """A new public method fails this test until a wire case or a named test covers it."""
    missing = sorted(_public_methods() - _covered())
    assert not missing, f"public resource methods without a test: {missing}"


def test_the_meta_test_sees_the_methods() -> None:
    """Guard against the meta-test passing because it found nothing."""
    assert {"servers.create", "actions.wait", "firewalls.set_rules"} <= _public_methods()
    assert {"servers", "ssh_keys", "firewalls", "actions"} <= set(_groups())
    # A nested group's methods count too.
    assert "zones.rrsets.set_records" in _public_methods()
