"""Wire cases of ``hz.volumes``."""

from __future__ import annotations

from typing import Any

from ..._spec import response_example
from ._core import PAGE, WireCase, action_listing_cases, page_of

CREATED = response_example("POST", "/v1/volumes")
# The spec has no example of a single volume's GET; its create and update answers carry one.
VOLUME = response_example("PUT", "/v1/volumes/4711")


def _volume_action(name: str, body: dict[str, Any] | None = None, **kw: Any) -> WireCase:
    path = f"/v1/volumes/4711/actions/{name}"
    return WireCase(
        f"volumes.{name}", (4711,), kw, "POST", path, [], body, 201, response_example("POST", path)
    )


CASES = [
    WireCase(
        "volumes.list",
        (),
        {
            "name": "db-1",
            "label_selector": "run=42",
            "status": ["available", "creating"],
            "sort": ["created:desc"],
        },
        "GET",
        "/v1/volumes",
        [
            ("name", "db-1"),
            ("label_selector", "run=42"),
            ("status", "available"),
            ("status", "creating"),
            ("sort", "created:desc"),
            *PAGE,
        ],
        None,
        200,
        page_of("volumes", VOLUME["volume"]),
    ),
    WireCase(
        "volumes.iter",
        (),
        {"status": "creating"},
        "GET",
        "/v1/volumes",
        [("status", "creating"), *PAGE],
        None,
        200,
        page_of("volumes", VOLUME["volume"]),
    ),
    WireCase("volumes.get", (4711,), {}, "GET", "/v1/volumes/4711", [], None, 200, VOLUME),
    WireCase(
        "volumes.get_by_name",
        ("db-1",),
        {},
        "GET",
        "/v1/volumes",
        [("name", "db-1"), *PAGE],
        None,
        200,
        page_of("volumes", VOLUME["volume"]),
    ),
    WireCase(
        "volumes.create",
        (),
        {
            "name": "db-1",
            "size": 42,
            "server": 12,
            "automount": True,
            "format": "ext4",
            "labels": {"run": "42"},
        },
        "POST",
        "/v1/volumes",
        [],
        {
            "size": 42,
            "name": "db-1",
            "labels": {"run": "42"},
            "automount": True,
            "format": "ext4",
            "server": 12,
        },
        201,
        CREATED,
    ),
    WireCase(
        "volumes.update",
        (4711,),
        {"name": "db-2", "labels": {"a": "b"}},
        "PUT",
        "/v1/volumes/4711",
        [],
        {"name": "db-2", "labels": {"a": "b"}},
        200,
        VOLUME,
    ),
    WireCase("volumes.delete", (4711,), {}, "DELETE", "/v1/volumes/4711", [], None, 204, None),
    _volume_action("attach", {"server": 43, "automount": False}, server=43, automount=False),
    _volume_action("detach"),
    _volume_action("resize", {"size": 100}, size=100),
    _volume_action("change_protection", {"delete": True}, delete=True),
    *action_listing_cases("volumes", "volumes", 4711),
]
