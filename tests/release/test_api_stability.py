"""The public API breaks only where the CHANGELOG says so, release by release (see api_surface)."""

from __future__ import annotations

import pytest

from hetzner_async import __version__

from .api_surface import (
    ROOT,
    SNAPSHOTS,
    announced,
    breaking_changes,
    is_announced,
    load,
    read,
    snapshots,
    surface,
)


def unannounced(changes: list[tuple[str, str]], release: str) -> list[str]:
    names = announced(release)
    return [f"{path}: {what}" for path, what in changes if not is_announced(path, names)]


def test_the_current_version_has_a_snapshot() -> None:
    # Releasing a version includes its snapshot: python -m tests.release.api_surface > api/V.json
    assert (SNAPSHOTS / f"{__version__}.json").exists()


@pytest.mark.parametrize(
    ("before", "after"),
    [(a[1], b[1]) for a, b in zip(snapshots(), snapshots()[1:], strict=False)],
    ids=[b[1].stem for b in snapshots()[1:]],
)
def test_each_release_announces_what_it_broke(before: object, after: object) -> None:
    changes = list(breaking_changes(read(before), read(after)))  # type: ignore[arg-type]
    assert not unannounced(changes, after.stem)  # type: ignore[attr-defined]


def test_the_code_breaks_nothing_unannounced_since_the_last_release() -> None:
    _, newest = snapshots()[-1]
    changes = list(breaking_changes(read(newest), surface(load(ROOT))))
    assert not unannounced(changes, "Unreleased")


# --- the rules themselves ----------------------------------------------------------------------

FUNCTION = {"kind": "function", "returns": "Server"}


def test_removals_kind_changes_parameters_and_annotations_break() -> None:
    old = {
        "m.A": {"kind": "class"},
        "m.A.gone": {"kind": "attribute", "annotation": "int"},
        "m.A.typed": {"kind": "attribute", "annotation": "int"},
        "m.A.untyped": {"kind": "attribute", "annotation": None},
        "m.f": {**FUNCTION, "parameters": [["server_id", "positional or keyword", None, "int"]]},
        "m.g": {**FUNCTION, "parameters": [["x", "positional or keyword", None, "int"]]},
        "m.h": {"kind": "function", "parameters": [], "returns": None},
    }
    new = {
        "m.A": {"kind": "class"},
        "m.A.typed": {"kind": "attribute", "annotation": "int | None"},
        "m.A.untyped": {"kind": "attribute", "annotation": "str"},
        "m.f": {**FUNCTION, "parameters": [["resource_id", "positional-only", None, "int"]]},
        "m.g": {
            **FUNCTION,
            "parameters": [
                ["x", "positional or keyword", None, "int"],
                ["y", "keyword-only", "None", "int"],
            ],
        },
        "m.h": {"kind": "class"},
        "m.new": {"kind": "class"},
    }
    found = {(path, what.split()[0]) for path, what in breaking_changes(old, new)}
    assert found == {
        ("m.A.gone", "removed"),
        ("m.A.typed", "annotation"),
        ("m.f", "parameter"),
        ("m.h", "was"),
    }


CHANGELOG = """# Changelog

## [Unreleased]

### Added
- `Servers.get` is fast.

## [0.2.0] - 2026-11-29

### Breaking
- `Servers.get(resource_id, /)` takes the ID positionally.
- `hetzner_async.testing.catalog` is gone.
- `FakeState` lost its helpers.

### Changed
- `Server.datacenter` may be None.
"""


def test_announced_names_come_from_the_breaking_part_of_the_release() -> None:
    assert announced("0.2.0", CHANGELOG) == {
        "Servers.get",
        "hetzner_async.testing.catalog",
    }
    assert announced("Unreleased", CHANGELOG) == set()
    assert announced("0.3.0", CHANGELOG) == set()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("hetzner_async.resources.Servers.get", True),
        ("hetzner_async.testing.catalog.CATALOG", True),  # a parent is named
        ("hetzner_async.resources.SSHKeys.get", False),  # `get` alone names nothing
        ("hetzner_async.models.Server.datacenter", False),  # not under Breaking
        ("hetzner_async.testing.FakeState.catalog", False),  # one name is not enough
    ],
)
def test_a_change_is_announced_by_a_dotted_name_of_it_or_a_parent(
    path: str, expected: bool
) -> None:
    assert is_announced(path, announced("0.2.0", CHANGELOG)) is expected
