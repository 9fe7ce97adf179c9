"""Wire cases of ``hz.placement_groups``."""

from __future__ import annotations

from ..._spec import response_example
from ._core import PAGE, WireCase

GROUPS = response_example("GET", "/v1/placement_groups")
GROUP = response_example("GET", "/v1/placement_groups/897")
ONE_GROUP = {**GROUPS, "placement_groups": GROUPS["placement_groups"][:1]}

CASES = [
    WireCase(
        "placement_groups.list",
        (),
        {"name": "spread-1", "label_selector": {"run": "42"}, "type": "spread", "sort": "name"},
        "GET",
        "/v1/placement_groups",
        [
            ("name", "spread-1"),
            ("label_selector", "run=42"),
            ("type", "spread"),
            ("sort", "name"),
            *PAGE,
        ],
        None,
        200,
        GROUPS,
    ),
    WireCase(
        "placement_groups.iter",
        (),
        {},
        "GET",
        "/v1/placement_groups",
        PAGE,
        None,
        200,
        GROUPS,
    ),
    WireCase(
        "placement_groups.get", (897,), {}, "GET", "/v1/placement_groups/897", [], None, 200, GROUP
    ),
    WireCase(
        "placement_groups.get_by_name",
        ("spread-1",),
        {},
        "GET",
        "/v1/placement_groups",
        [("name", "spread-1"), *PAGE],
        None,
        200,
        ONE_GROUP,
    ),
    WireCase(
        "placement_groups.create",
        (),
        {"name": "spread-1", "type": "spread", "labels": {"run": "42"}},
        "POST",
        "/v1/placement_groups",
        [],
        {"name": "spread-1", "type": "spread", "labels": {"run": "42"}},
        201,
        response_example("POST", "/v1/placement_groups"),
    ),
    WireCase(
        "placement_groups.update",
        (897,),
        {"name": "spread-2", "labels": {}},
        "PUT",
        "/v1/placement_groups/897",
        [],
        {"name": "spread-2", "labels": {}},
        200,
        response_example("PUT", "/v1/placement_groups/897"),
    ),
    WireCase(
        "placement_groups.delete",
        (897,),
        {},
        "DELETE",
        "/v1/placement_groups/897",
        [],
        None,
        204,
        None,
    ),
]
