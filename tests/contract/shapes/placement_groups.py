"""Response shapes of ``/placement_groups``."""

from __future__ import annotations

from hetzner_async.models import CreatePlacementGroupResult, PlacementGroup

from ._core import Shape, page

GROUP = {"placement_group": PlacementGroup}

OPERATIONS: dict[tuple[str, str], Shape] = {
    ("get", "/placement_groups"): page("placement_groups", PlacementGroup),
    ("post", "/placement_groups"): CreatePlacementGroupResult,
    ("get", "/placement_groups/{id}"): GROUP,
    ("put", "/placement_groups/{id}"): GROUP,
}
NO_CONTENT = [("delete", "/placement_groups/{id}")]
