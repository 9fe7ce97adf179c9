"""Wire cases of ``hz.floating_ips``."""

from __future__ import annotations

from typing import Any

from ..._spec import response_example
from ._core import PAGE, WireCase, action_listing_cases, page_of

CREATED = response_example("POST", "/v1/floating_ips")
# The spec has no example of a single Floating IP's GET; its create and update answers carry one.
FLOATING_IP = response_example("PUT", "/v1/floating_ips/4711")


def _ip_action(name: str, body: dict[str, Any] | None = None, **kw: Any) -> WireCase:
    path = f"/v1/floating_ips/4711/actions/{name}"
    return WireCase(
        f"floating_ips.{name}",
        (4711,),
        kw,
        "POST",
        path,
        [],
        body,
        201,
        response_example("POST", path),
    )


CASES = [
    WireCase(
        "floating_ips.list",
        (),
        {"name": "frontend", "label_selector": "run=42", "sort": ["created:desc"]},
        "GET",
        "/v1/floating_ips",
        [("name", "frontend"), ("label_selector", "run=42"), ("sort", "created:desc"), *PAGE],
        None,
        200,
        page_of("floating_ips", FLOATING_IP["floating_ip"]),
    ),
    WireCase(
        "floating_ips.iter",
        (),
        {"label_selector": {"run": "42"}},
        "GET",
        "/v1/floating_ips",
        [("label_selector", "run=42"), *PAGE],
        None,
        200,
        page_of("floating_ips", FLOATING_IP["floating_ip"]),
    ),
    WireCase(
        "floating_ips.get", (4711,), {}, "GET", "/v1/floating_ips/4711", [], None, 200, FLOATING_IP
    ),
    WireCase(
        "floating_ips.get_by_name",
        ("frontend",),
        {},
        "GET",
        "/v1/floating_ips",
        [("name", "frontend"), *PAGE],
        None,
        200,
        page_of("floating_ips", FLOATING_IP["floating_ip"]),
    ),
    WireCase(
        "floating_ips.create",
        (),
        {
            "type": "ipv4",
            "home_location": "fsn1",
            "name": "frontend",
            "description": "Web frontend",
            "labels": {"run": "42"},
        },
        "POST",
        "/v1/floating_ips",
        [],
        {
            "type": "ipv4",
            "home_location": "fsn1",
            "description": "Web frontend",
            "name": "frontend",
            "labels": {"run": "42"},
        },
        201,
        CREATED,
    ),
    WireCase(
        "floating_ips.update",
        (4711,),
        {"name": "frontend-2", "description": "moved", "labels": {}},
        "PUT",
        "/v1/floating_ips/4711",
        [],
        {"name": "frontend-2", "description": "moved", "labels": {}},
        200,
        FLOATING_IP,
    ),
    WireCase(
        "floating_ips.delete", (4711,), {}, "DELETE", "/v1/floating_ips/4711", [], None, 204, None
    ),
    _ip_action("assign", {"server": 42}, server=42),
    _ip_action("unassign"),
    # None is sent as null: that is how the API is told to reset the record.
    _ip_action(
        "change_dns_ptr", {"ip": "203.0.113.7", "dns_ptr": None}, ip="203.0.113.7", dns_ptr=None
    ),
    _ip_action("change_protection", {"delete": False}, delete=False),
    *action_listing_cases("floating_ips", "floating_ips", 4711),
]
