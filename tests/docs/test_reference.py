"""The API reference covers every public name, and every public name says what it is."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import griffe
import pytest

from hetzner_async import HetznerClient
from hetzner_async.resources._base import ResourceGroup

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs"))
from griffe_doc_comments import DocComments  # noqa: E402

#: The modules whose names are public API (see docs/guides/compatibility.md).
PUBLIC_MODULES = [
    "hetzner_async",
    "hetzner_async.errors",
    "hetzner_async.hooks",
    "hetzner_async.models",
    "hetzner_async.redis_budget",
    "hetzner_async.resources",
    "hetzner_async.testing",
    "hetzner_async.testing.pytest_plugin",
]
_DIRECTIVE = re.compile(r"^::: (\S+)\n((?:    .*\n)*)", re.MULTILINE)


def load() -> griffe.Module:
    extensions = griffe.load_extensions(DocComments())
    loader = griffe.GriffeLoader(extensions=extensions, search_paths=[str(ROOT)])
    package = loader.load("hetzner_async")
    loader.resolve_aliases(implicit=False, external=False)
    assert isinstance(package, griffe.Module)
    return package


PACKAGE = load()


def public_names() -> list[tuple[str, griffe.Object | griffe.Alias]]:
    """Every name a public module exports (``__all__``), with what it is."""
    found = []
    for path in PUBLIC_MODULES:
        inner = path.removeprefix("hetzner_async").removeprefix(".")
        module = PACKAGE[inner] if inner else PACKAGE
        exports = module.exports or [n for n in module.members if not n.startswith("_")]
        found += [(f"{path}.{name}", module[name]) for name in exports]
    return found


def documented() -> tuple[set[str], set[str]]:
    """Return what the reference pages render: single objects, and whole modules."""
    objects, modules = set(), set()
    for page in (ROOT / "docs" / "reference").glob("*.md"):
        for identifier, options in _DIRECTIVE.findall(page.read_text()):
            whole = "members:" not in options
            (modules if whole else objects).add(identifier)
            objects.add(identifier)
    return objects, modules


def test_every_public_name_is_in_the_reference() -> None:
    objects, modules = documented()

    def rendered(path: str) -> bool:
        return path in objects or path.rsplit(".", 1)[0] in modules

    missing = [
        name
        for name, obj in public_names()
        if not rendered(name) and not (isinstance(obj, griffe.Alias) and rendered(obj.target_path))
    ]
    assert not missing


@pytest.mark.parametrize("name", [name for name, _ in public_names()])
def test_every_public_name_and_its_methods_have_a_docstring(name: str) -> None:
    obj = dict(public_names())[name]
    target = obj.final_target if isinstance(obj, griffe.Alias) else obj
    assert target.docstring, f"{name} has no docstring"
    if isinstance(target, griffe.Class):
        undocumented = [
            member
            for member, value in target.members.items()
            if not member.startswith("_")
            and isinstance(value, griffe.Function)
            and not value.docstring
        ]
        assert not undocumented, f"{name}: {undocumented}"


def test_help_shows_every_resource_group() -> None:
    client = HetznerClient("t", endpoint="http://127.0.0.1:9/v1")
    groups = {name for name, value in vars(client).items() if isinstance(value, ResourceGroup)}
    assert groups
    doc = HetznerClient.__doc__ or ""
    assert {g for g in groups if f"``{g}``" not in doc} == set()
    assert groups <= set(HetznerClient.__annotations__)
    # And the reference renders each with its #: comment as its docstring.
    client_class = PACKAGE["HetznerClient"].final_target
    assert all(client_class.members[g].docstring for g in groups)
