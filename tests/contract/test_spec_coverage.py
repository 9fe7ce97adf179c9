"""Which operations of the spec the SDK covers: every one, except deprecated ones left out.

An operation counts as covered when a wire case (``tests/resources/cases``) sends exactly its
method and path: the claim rests on a test that pins the request, not on a hand-kept list.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from ..resources.cases import CASES

SPEC = json.loads((Path(__file__).parents[1] / "spec" / "cloud.spec.json").read_text())
METHODS = ("get", "post", "put", "delete", "patch")

#: Deprecated operations the SDK leaves out on purpose, with the reason.
LEFT_OUT = {
    # "GET /<resource>/{id}/actions/{action_id}" was deprecated on 2026-04-30
    # (changelog 2026-04-30-deprecate-get-resource-action-endpoints): ``get_action`` and
    # ``hz.actions.get`` read the same action through the endpoints that stay.
    (method, path): "deprecated: use get_action / hz.actions.get"
    for method, path in (
        ("get", f"/{kind}/{{id}}/actions/{{action_id}}")
        for kind in (
            "certificates",
            "firewalls",
            "floating_ips",
            "images",
            "load_balancers",
            "networks",
            "primary_ips",
            "servers",
            "volumes",
        )
    )
} | {("get", "/zones/{id_or_name}/actions/{action_id}"): "deprecated: use zones.get_action"}

#: Operations not covered yet, by tag: each resource group removes its lines as it lands.
PENDING_TAGS = {}


def _operations() -> dict[tuple[str, str], dict[str, object]]:
    return {
        (method, path): op
        for path, ops in SPEC["paths"].items()
        for method, op in ops.items()
        if method in METHODS
    }


def _template(path: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$")


_TEMPLATES = [(_template(path), path) for path in SPEC["paths"]]


def _operation_of(method: str, path: str) -> tuple[str, str] | None:
    """Return the spec operation a concrete request hits (literal segments win)."""
    path = path.removeprefix("/v1")
    hits = [template for pattern, template in _TEMPLATES if pattern.match(path)]
    if not hits:
        return None
    best = max(hits, key=lambda t: sum(not seg.startswith("{") for seg in t.split("/")))
    return (method.lower(), best)


def _covered() -> set[tuple[str, str]]:
    found = {_operation_of(case.method, case.path) for case in CASES}
    return {op for op in found if op is not None}


def test_every_wire_case_hits_an_operation_of_the_spec() -> None:
    stray = [c.call for c in CASES if _operation_of(c.method, c.path) not in _operations()]
    assert stray == []


def test_every_operation_is_covered_or_left_out_with_a_reason() -> None:
    operations = _operations()
    covered = _covered()
    missing = []
    for key, op in operations.items():
        if key in covered or key in LEFT_OUT:
            continue
        missing.append((op.get("tags", ["?"])[0], *key))  # type: ignore[index]
    assert missing == [], "operations without a wire case"


def test_left_out_operations_are_deprecated_and_not_covered() -> None:
    operations = _operations()
    for key in LEFT_OUT:
        assert operations[key].get("deprecated") is True, key
    assert set(LEFT_OUT) & _covered() == set()


def test_coverage_report() -> None:
    """Report the share of non-deprecated operations covered (printed with ``-rA``)."""
    operations = {k: op for k, op in _operations().items() if not op.get("deprecated")}
    covered = _covered() & operations.keys()
    by_tag = Counter(op["tags"][0] for k, op in operations.items() if k not in covered)  # type: ignore[index]
    share = len(covered) / len(operations)
    print(f"covered {len(covered)} of {len(operations)} operations ({share:.0%}); open: {by_tag}")
    assert covered, "the coverage check found nothing: the matching is broken"
    assert share == 1.0, f"operations without a wire case, by tag: {by_tag}"
