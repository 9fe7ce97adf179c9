"""Wire cases of ``hz.networks``."""

from __future__ import annotations

from typing import Any

from hetzner_async.models import NetworkRoute, NewSubnet

from ..._spec import response_example
from ..._synth import synthesized
from ._core import PAGE, WireCase, action_listing_cases, page_of

NETWORK = synthesized("GET", "/networks/4711")


def _action(name: str, body: dict[str, Any], **kw: Any) -> WireCase:
    path = f"/v1/networks/4711/actions/{name}"
    return WireCase(
        f"networks.{name}", (4711,), kw, "POST", path, [], body, 201, response_example("POST", path)
    )


CASES = [
    WireCase(
        "networks.list",
        (),
        {"name": "fleet", "label_selector": {"run": "42"}, "sort": "name:asc"},
        "GET",
        "/v1/networks",
        [("name", "fleet"), ("label_selector", "run=42"), ("sort", "name:asc"), *PAGE],
        None,
        200,
        page_of("networks", NETWORK["network"]),
    ),
    WireCase(
        "networks.iter",
        (),
        {},
        "GET",
        "/v1/networks",
        PAGE,
        None,
        200,
        page_of("networks", NETWORK["network"]),
    ),
    WireCase("networks.get", (4711,), {}, "GET", "/v1/networks/4711", [], None, 200, NETWORK),
    WireCase(
        "networks.get_by_name",
        ("fleet",),
        {},
        "GET",
        "/v1/networks",
        [("name", "fleet"), *PAGE],
        None,
        200,
        page_of("networks", NETWORK["network"]),
    ),
    WireCase(
        "networks.create",
        (),
        {
            "name": "fleet",
            "ip_range": "10.0.0.0/16",
            "subnets": [
                NewSubnet(type="cloud", network_zone="eu-central", ip_range="10.0.1.0/24"),
                NewSubnet(type="vswitch", network_zone="eu-central", vswitch_id=1000),
            ],
            "routes": [NetworkRoute("10.100.1.0/24", "10.0.1.2")],
            "expose_routes_to_vswitch": True,
            "labels": {"run": "42"},
        },
        "POST",
        "/v1/networks",
        [],
        {
            "name": "fleet",
            "ip_range": "10.0.0.0/16",
            "subnets": [
                {"type": "cloud", "network_zone": "eu-central", "ip_range": "10.0.1.0/24"},
                {"type": "vswitch", "network_zone": "eu-central", "vswitch_id": 1000},
            ],
            "routes": [{"destination": "10.100.1.0/24", "gateway": "10.0.1.2"}],
            "expose_routes_to_vswitch": True,
            "labels": {"run": "42"},
        },
        201,
        synthesized("POST", "/networks"),
    ),
    WireCase(
        "networks.update",
        (4711,),
        {"name": "fleet-2", "labels": {"run": "43"}, "expose_routes_to_vswitch": False},
        "PUT",
        "/v1/networks/4711",
        [],
        {"name": "fleet-2", "labels": {"run": "43"}, "expose_routes_to_vswitch": False},
        200,
        NETWORK,
    ),
    WireCase("networks.delete", (4711,), {}, "DELETE", "/v1/networks/4711", [], None, 204, None),
    _action(
        "add_subnet",
        {"type": "cloud", "network_zone": "eu-central", "ip_range": "10.0.2.0/24"},
        type="cloud",
        network_zone="eu-central",
        ip_range="10.0.2.0/24",
    ),
    _action("delete_subnet", {"ip_range": "10.0.2.0/24"}, ip_range="10.0.2.0/24"),
    _action(
        "add_route",
        {"destination": "0.0.0.0/0", "gateway": "10.0.1.2"},
        destination="0.0.0.0/0",
        gateway="10.0.1.2",
    ),
    _action(
        "delete_route",
        {"destination": "10.100.1.0/24", "gateway": "10.0.1.2"},
        destination="10.100.1.0/24",
        gateway="10.0.1.2",
    ),
    _action("change_ip_range", {"ip_range": "10.0.0.0/15"}, ip_range="10.0.0.0/15"),
    _action("change_protection", {"delete": True}, delete=True),
    *action_listing_cases("networks", "networks", 4711),
]
