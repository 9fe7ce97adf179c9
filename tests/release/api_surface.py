"""The public API as data: read it with griffe, snapshot it per release, find what breaks.

The surface is every name exported (``__all__``) by the public modules, and the public methods
and attributes of the classes among them, keyed by the path a user imports: one JSON object per
release in ``api/<version>.json``. Comparing two surfaces lists the breaking changes: a name
removed or turned into another kind of object, a function whose parameters changed
incompatibly (griffe's rules: removed, renamed, moved, now required, another kind), an
attribute whose annotation changed.

A breaking change is *announced* when the CHANGELOG section of the release that makes it (or
``[Unreleased]``) has a ``### Breaking`` subsection naming it in backticks: the object or one of
its parents, as a dotted path of at least two names (`` `Servers.get` ``,
`` `hetzner_async.testing.catalog` ``), or the full path.

Make a snapshot of the code in a directory (a release's checkout, or the working tree):
``python -m tests.release.api_surface [SOURCE_DIR] > api/<version>.json``.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import griffe

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = ROOT / "api"
CHANGELOG = ROOT / "CHANGELOG.md"

#: The modules whose exported names are public API (docs/guides/compatibility.md says so too).
PUBLIC_MODULES = (
    "hetzner_async",
    "hetzner_async.errors",
    "hetzner_async.hooks",
    "hetzner_async.models",
    "hetzner_async.redis_budget",
    "hetzner_async.resources",
    "hetzner_async.testing",
    "hetzner_async.testing.pytest_plugin",
)

Surface = dict[str, dict[str, Any]]


def load(source: Path) -> griffe.Module:
    """Load ``hetzner_async`` from ``source`` (never from the installed package) with griffe."""
    module = griffe.load(
        "hetzner_async",
        search_paths=[str(source)],
        try_relative_path=False,
        resolve_aliases=True,
        resolve_implicit=False,
        resolve_external=False,
    )
    assert isinstance(module, griffe.Module)
    return module


_BOUND = ("self", "cls")


def _final(obj: griffe.Object | griffe.Alias) -> griffe.Object | None:
    try:
        return obj.final_target if isinstance(obj, griffe.Alias) else obj
    except (griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None  # an import of something outside the package


def _text(expr: object) -> str | None:
    return None if expr is None else str(expr)


def _entry(obj: griffe.Object) -> dict[str, Any]:
    if isinstance(obj, griffe.Function):
        parameters = [
            [p.name, p.kind.value, _text(p.default), _text(p.annotation)] for p in obj.parameters
        ]
        if isinstance(obj.parent, griffe.Class) and parameters and parameters[0][0] in _BOUND:
            del parameters[0]  # nobody passes self: its kind is no concern of the caller
        return {"kind": "function", "parameters": parameters, "returns": _text(obj.returns)}
    if isinstance(obj, griffe.Attribute):
        return {"kind": "attribute", "annotation": _text(obj.annotation)}
    return {"kind": obj.kind.value}


def _exports(module: griffe.Module) -> list[str]:
    if module.exports is not None:
        return [str(name) for name in module.exports]
    return [name for name in module.members if not name.startswith("_")]


def surface(package: griffe.Module) -> Surface:
    """Return the public surface of a loaded package, by import path."""
    found: Surface = {}
    for path in PUBLIC_MODULES:
        inner = path.removeprefix("hetzner_async").removeprefix(".")
        try:
            module = package[inner] if inner else package
        except KeyError:
            continue  # a module the release did not have yet
        for name in _exports(module):
            obj = _final(module[name])
            if obj is None:
                continue
            found[f"{path}.{name}"] = _entry(obj)
            if isinstance(obj, griffe.Class):
                for member_name, member in obj.all_members.items():
                    if member_name.startswith("_") and member_name != "__init__":
                        continue
                    target = _final(member)
                    if isinstance(target, griffe.Function | griffe.Attribute):
                        found[f"{path}.{name}.{member_name}"] = _entry(target)
    return dict(sorted(found.items()))


def _function(path: str, entry: dict[str, Any]) -> griffe.Function:
    parameters = griffe.Parameters(
        *(
            griffe.Parameter(name, kind=griffe.ParameterKind(kind), default=default, annotation=ann)
            for name, kind, default, ann in entry["parameters"]
        )
    )
    return griffe.Function(path.rsplit(".", 1)[-1], parameters=parameters, returns=entry["returns"])


def _retyped(before: str | None, after: str | None) -> bool:
    """Gaining an annotation breaks nobody; changing one may break a type checker's user."""
    return before is not None and before != after


def breaking_changes(old: Surface, new: Surface) -> Iterator[tuple[str, str]]:
    """Yield ``(path, what)`` for each change from ``old`` to ``new`` that can break a user."""
    for path, before in old.items():
        after = new.get(path)
        if after is None:
            yield path, "removed"
        elif after["kind"] != before["kind"]:
            yield path, f"was a {before['kind']}, is a {after['kind']}"
        elif before["kind"] == "function":
            # griffe compares what a module holds: wrap each version of the function in one.
            versions = []
            for entry in (before, after):
                module = griffe.Module("api")
                module.set_member("function", _function(path, entry))
                versions.append(module)
            for breakage in griffe.find_breaking_changes(*versions):
                yield path, breakage.kind.value.lower()
        elif before["kind"] == "attribute" and _retyped(before["annotation"], after["annotation"]):
            yield path, f"annotation {before['annotation']} is now {after['annotation']}"


def snapshots() -> list[tuple[tuple[int, ...], Path]]:
    """Return the committed snapshots, oldest first, with their versions."""
    found = []
    for file in SNAPSHOTS.glob("*.json"):
        found.append((tuple(int(part) for part in file.stem.split(".")), file))
    return sorted(found)


def read(file: Path) -> Surface:
    """Read one snapshot."""
    data: Surface = json.loads(file.read_text())
    return data


_SECTION = re.compile(r"^## \[([^\]]+)\]", re.MULTILINE)
_NAME = re.compile(r"`([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)+)")


def announced(release: str, changelog: str | None = None) -> set[str]:
    """Return the dotted names the ``### Breaking`` part of a release's section names."""
    text = CHANGELOG.read_text() if changelog is None else changelog
    sections = _SECTION.split(text)
    # split() alternates: prose before the first section, then (name, body) pairs.
    bodies = dict(zip(sections[1::2], sections[2::2], strict=True))
    body = bodies.get(release, "")
    names: set[str] = set()
    for part in re.split(r"^### ", body, flags=re.MULTILINE)[1:]:
        title, _, entries = part.partition("\n")
        if title.strip().lower() == "breaking":
            names.update(_NAME.findall(entries))
    return names


def is_announced(path: str, names: set[str]) -> bool:
    """Tell whether ``path`` or one of its parents is named by one of ``names``."""
    parts = path.split(".")
    for end in range(len(parts), 1, -1):
        prefix = parts[:end]
        for start in range(len(prefix) - 1):
            if ".".join(prefix[start:]) in names:
                return True
    return False


if __name__ == "__main__":
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT
    print(json.dumps(surface(load(source)), indent=0))
