"""Wire cases of ``hz.primary_ips``."""

from __future__ import annotations

from typing import Any

from ..._spec import response_example
from ._core import PAGE, WireCase, action_listing_cases, page_of

CREATED = response_example("POST", "/v1/primary_ips")
# The spec has no example of a single Primary IP's GET or PUT; its create answer carries one.
PRIMARY_IP = {"primary_ip": CREATED["primary_ip"]}


def _ip_action(name: str, body: dict[str, Any] | None = None, **kw: Any) -> WireCase:
    path = f"/v1/primary_ips/42/actions/{name}"
    return WireCase(
        f"primary_ips.{name}",
        (42,),
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
        "primary_ips.list",
        (),
        {"name": "web-1-v4", "label_selector": "run=42", "ip": "203.0.113.1", "sort": "id"},
        "GET",
        "/v1/primary_ips",
        [
            ("name", "web-1-v4"),
            ("label_selector", "run=42"),
            ("ip", "203.0.113.1"),
            ("sort", "id"),
            *PAGE,
        ],
        None,
        200,
        page_of("primary_ips", PRIMARY_IP["primary_ip"]),
    ),
    WireCase(
        "primary_ips.iter",
        (),
        {"ip": "2001:db8::/64"},
        "GET",
        "/v1/primary_ips",
        [("ip", "2001:db8::/64"), *PAGE],
        None,
        200,
        page_of("primary_ips", PRIMARY_IP["primary_ip"]),
    ),
    WireCase("primary_ips.get", (42,), {}, "GET", "/v1/primary_ips/42", [], None, 200, PRIMARY_IP),
    WireCase(
        "primary_ips.get_by_name",
        ("web-1-v4",),
        {},
        "GET",
        "/v1/primary_ips",
        [("name", "web-1-v4"), *PAGE],
        None,
        200,
        page_of("primary_ips", PRIMARY_IP["primary_ip"]),
    ),
    WireCase(
        "primary_ips.create",
        (),
        {
            "name": "web-1-v6",
            "type": "ipv6",
            "assignee_id": 17,
            "auto_delete": True,
            "labels": {"run": "42"},
        },
        "POST",
        "/v1/primary_ips",
        [],
        {
            "name": "web-1-v6",
            "labels": {"run": "42"},
            "type": "ipv6",
            "assignee_type": "server",
            "assignee_id": 17,
            "auto_delete": True,
        },
        201,
        CREATED,
    ),
    # Without an assignee, no assignee_type: optional since 2026-04-27
    # (https://docs.hetzner.cloud/changelog#2026-04-27-primary-ips-make-assignee_type-optional).
    WireCase(
        "primary_ips.create",
        (),
        {"name": "spare-v4", "type": "ipv4", "location": "fsn1"},
        "POST",
        "/v1/primary_ips",
        [],
        {"name": "spare-v4", "labels": {}, "type": "ipv4", "location": "fsn1"},
        201,
        CREATED,
    ),
    WireCase(
        "primary_ips.update",
        (42,),
        {"name": "web-2-v6", "labels": {"a": "b"}, "auto_delete": False},
        "PUT",
        "/v1/primary_ips/42",
        [],
        {"name": "web-2-v6", "labels": {"a": "b"}, "auto_delete": False},
        200,
        PRIMARY_IP,
    ),
    WireCase("primary_ips.delete", (42,), {}, "DELETE", "/v1/primary_ips/42", [], None, 204, None),
    _ip_action("assign", {"assignee_type": "server", "assignee_id": 17}, assignee_id=17),
    _ip_action("unassign"),
    _ip_action(
        "change_dns_ptr",
        {"ip": "2001:db8::1", "dns_ptr": "web-1.example.com"},
        ip="2001:db8::1",
        dns_ptr="web-1.example.com",
    ),
    _ip_action("change_protection", {"delete": True}, delete=True),
    *action_listing_cases("primary_ips", "primary_ips", 42),
]
