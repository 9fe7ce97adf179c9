"""The guide's table of resource groups lists exactly the public methods each group has."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from hetzner_async import HetznerClient
from hetzner_async.resources._base import ResourceGroup

GUIDE = Path(__file__).parents[2] / "docs" / "guides" / "resources.md"
ROW = re.compile(r"^\| `hz\.([\w.]+)` \| (.*) \|$")


def _table() -> dict[str, set[str]]:
    rows = {}
    for line in GUIDE.read_text().splitlines():
        match = ROW.match(line)
        if match:
            rows[match.group(1)] = set(re.findall(r"`(\w+)`", match.group(2)))
    return rows


def _methods(group: ResourceGroup) -> set[str]:
    return {m for m, _ in inspect.getmembers(type(group), inspect.isfunction) if m[0] != "_"}


def _groups() -> dict[str, set[str]]:
    """Every group of a client by attribute path; a nested group (``zones.rrsets``) too."""
    client = HetznerClient("t", endpoint="http://127.0.0.1:9/v1")
    found = {}
    for name, group in vars(client).items():
        if isinstance(group, ResourceGroup):
            found[name] = _methods(group)
            for inner, nested in vars(group).items():
                if isinstance(nested, ResourceGroup) and not inner.startswith("_"):
                    found[f"{name}.{inner}"] = _methods(nested)
    return found


def test_the_guide_lists_every_group_and_method() -> None:
    table = _table()
    assert table, "the guide has no resource table rows"
    assert table == _groups()
