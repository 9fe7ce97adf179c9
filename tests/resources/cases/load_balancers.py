"""Wire cases of ``hz.load_balancers``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hetzner_async.models import LoadBalancerHealthCheck, LoadBalancerService, LoadBalancerTarget

from ..._spec import response_example
from ._core import ACTION, PAGE, WireCase, action_listing_cases, page_of

LB = "/v1/load_balancers"
# GET /load_balancers/{id} has no example in the spec; its update answers the same object.
LOAD_BALANCER = response_example("PUT", f"{LB}/4711")

HTTPS = LoadBalancerService.for_https(
    certificates=[897],
    redirect_http=True,
    sticky_sessions=True,
    health_check=LoadBalancerHealthCheck.for_http(
        80, domain="example.com", path="/health", status_codes=["2??"], tls=False
    ),
)
HTTPS_JSON: dict[str, Any] = {
    "protocol": "https",
    "listen_port": 443,
    "destination_port": 80,
    "proxyprotocol": False,
    "health_check": {
        "protocol": "http",
        "port": 80,
        "interval": 15,
        "timeout": 10,
        "retries": 3,
        "http": {"domain": "example.com", "path": "/health", "status_codes": ["2??"], "tls": False},
    },
    "http": {
        "cookie_name": "HCLBSTICKY",
        "cookie_lifetime": 300,
        "timeout_idle": 50,
        "sticky_sessions": True,
        "certificates": [897],
        "redirect_http": True,
    },
}
TCP_JSON = {
    "protocol": "tcp",
    "listen_port": 5432,
    "destination_port": 5432,
    "proxyprotocol": True,
    "health_check": {"protocol": "tcp", "port": 5432, "interval": 15, "timeout": 10, "retries": 3},
}
HTTP_JSON = {
    "protocol": "http",
    "listen_port": 80,
    "destination_port": 8080,
    "proxyprotocol": False,
    "health_check": {"protocol": "tcp", "port": 8080, "interval": 15, "timeout": 10, "retries": 3},
    "http": {
        "cookie_name": "HCLBSTICKY",
        "cookie_lifetime": 300,
        "timeout_idle": 50,
        "sticky_sessions": False,
    },
}
METRICS = {
    "metrics": {
        "start": "2024-03-01T00:00:00Z",
        "end": "2024-03-01T01:00:00Z",
        "step": 60,
        "time_series": {
            "requests_per_second": {"values": [[1709251200, "12.5"], [1709251260, "13"]]},
            "bandwidth.in": {"values": [[1709251200.5, "1024"]]},
        },
    }
}
START = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)


def _on_primary_ips() -> dict[str, Any]:
    """The create answer of a load balancer on Primary IPs 42 and 43: its addresses carry their
    ids (since 2026-10-05, after the spec: tests/_spec.NEWER_REQUEST_FIELDS and beside)."""
    created = response_example("POST", LB)
    public_net = created["load_balancer"]["public_net"]
    public_net["ipv4"]["id"], public_net["ipv6"]["id"] = 42, 43
    return created


def _action(command: str, args: tuple[Any, ...], kwargs: dict[str, Any], body: Any) -> WireCase:
    """A load balancer action on load balancer 4711, answered with the spec's example."""
    path = f"{LB}/4711/actions/{command}"
    return WireCase(
        f"load_balancers.{command}",
        (4711, *args),
        kwargs,
        "POST",
        path,
        [],
        body,
        201,
        response_example("POST", path),
    )


CASES = [
    WireCase(
        "load_balancers.list",
        (),
        {"name": "web", "label_selector": {"env": "prod"}, "sort": ["name:asc", "id"]},
        "GET",
        LB,
        [
            ("name", "web"),
            ("label_selector", "env=prod"),
            ("sort", "name:asc"),
            ("sort", "id"),
            *PAGE,
        ],
        None,
        200,
        page_of("load_balancers", LOAD_BALANCER["load_balancer"]),
    ),
    WireCase(
        "load_balancers.iter",
        (),
        {},
        "GET",
        LB,
        PAGE,
        None,
        200,
        page_of("load_balancers", LOAD_BALANCER["load_balancer"]),
    ),
    WireCase("load_balancers.get", (4711,), {}, "GET", f"{LB}/4711", [], None, 200, LOAD_BALANCER),
    WireCase(
        "load_balancers.get_by_name",
        ("web",),
        {},
        "GET",
        LB,
        [("name", "web"), *PAGE],
        None,
        200,
        page_of("load_balancers", LOAD_BALANCER["load_balancer"]),
    ),
    WireCase(
        "load_balancers.create",
        (),
        {
            "name": "web",
            "load_balancer_type": "lb11",
            "location": "fsn1",
            "algorithm": "least_connections",
            "services": [
                HTTPS,
                LoadBalancerService.for_tcp(5432, proxyprotocol=True),
                LoadBalancerService.for_http(80, 8080),
            ],
            "targets": [
                LoadBalancerTarget.for_server(80, use_private_ip=True),
                LoadBalancerTarget.for_label_selector("role=web"),
                LoadBalancerTarget.for_ip("203.0.113.1"),
            ],
            "network": 123,
            "public_interface": True,
            "labels": {"env": "prod"},
        },
        "POST",
        LB,
        [],
        {
            "name": "web",
            "load_balancer_type": "lb11",
            "location": "fsn1",
            "algorithm": {"type": "least_connections"},
            "services": [HTTPS_JSON, TCP_JSON, HTTP_JSON],
            "targets": [
                {"type": "server", "server": {"id": 80}, "use_private_ip": True},
                {"type": "label_selector", "label_selector": {"selector": "role=web"}},
                {"type": "ip", "ip": {"ip": "203.0.113.1"}},
            ],
            "network": 123,
            "public_interface": True,
            "labels": {"env": "prod"},
        },
        201,
        response_example("POST", LB),
    ),
    # Existing Primary IPs in public_net (2026-10-05, newer than the spec).
    WireCase(
        "load_balancers.create",
        (),
        {"name": "web", "load_balancer_type": "lb11", "location": "fsn1", "ipv4": 42, "ipv6": 43},
        "POST",
        LB,
        [],
        {
            "name": "web",
            "load_balancer_type": "lb11",
            "location": "fsn1",
            "public_net": {"ipv4": 42, "ipv6": 43},
            "labels": {},
        },
        201,
        _on_primary_ips(),
    ),
    WireCase(
        "load_balancers.update",
        (4711,),
        {"name": "web-2", "labels": {"a": "b"}},
        "PUT",
        f"{LB}/4711",
        [],
        {"name": "web-2", "labels": {"a": "b"}},
        200,
        LOAD_BALANCER,
    ),
    # The API answers the delete with an action since 2026-10-05 (tests/_spec.NEWER_THAN_SPEC).
    WireCase(
        "load_balancers.delete",
        (4711,),
        {},
        "DELETE",
        f"{LB}/4711",
        [],
        None,
        200,
        {"action": {**ACTION["action"], "command": "delete_load_balancer"}},
    ),
    WireCase(
        "load_balancers.metrics",
        (4711,),
        {
            "type": ["requests_per_second", "bandwidth"],
            "start": START,
            "end": START + dt.timedelta(hours=1),
            "step": 60,
        },
        "GET",
        f"{LB}/4711/metrics",
        [
            ("type", "requests_per_second,bandwidth"),
            ("start", "2024-03-01T00:00:00Z"),
            ("end", "2024-03-01T01:00:00Z"),
            ("step", "60"),
        ],
        None,
        200,
        METRICS,
    ),
    _action("add_service", (HTTPS,), {}, HTTPS_JSON),
    _action(
        "update_service",
        (443,),
        {
            "destination_port": 8080,
            "proxyprotocol": True,
            "health_check": LoadBalancerHealthCheck.for_tcp(8080, interval=5),
        },
        {
            "listen_port": 443,
            "destination_port": 8080,
            "proxyprotocol": True,
            "health_check": {
                "protocol": "tcp",
                "port": 8080,
                "interval": 5,
                "timeout": 10,
                "retries": 3,
            },
        },
    ),
    _action("delete_service", (443,), {}, {"listen_port": 443}),
    _action(
        "add_target",
        (LoadBalancerTarget.for_label_selector("role=web", use_private_ip=True),),
        {},
        {
            "type": "label_selector",
            "label_selector": {"selector": "role=web"},
            "use_private_ip": True,
        },
    ),
    _action(
        "remove_target",
        (LoadBalancerTarget.for_server(80, use_private_ip=True),),
        {},
        {"type": "server", "server": {"id": 80}},
    ),
    _action(
        "attach_to_network",
        (),
        {"network": 4711, "ip": "10.0.1.1", "ip_range": "10.0.1.0/24"},
        {"network": 4711, "ip": "10.0.1.1", "ip_range": "10.0.1.0/24"},
    ),
    _action("detach_from_network", (), {"network": 4711}, {"network": 4711}),
    _action("change_algorithm", (), {"type": "round_robin"}, {"type": "round_robin"}),
    _action("change_type", (), {"load_balancer_type": "lb21"}, {"load_balancer_type": "lb21"}),
    _action(
        "change_dns_ptr",
        (),
        {"ip": "2001:db8::1", "dns_ptr": "lb1.example.com"},
        {"ip": "2001:db8::1", "dns_ptr": "lb1.example.com"},
    ),
    _action("change_protection", (), {"delete": True}, {"delete": True}),
    _action("enable_public_interface", (), {}, None),
    _action("disable_public_interface", (), {}, None),
    *action_listing_cases("load_balancers", "load_balancers", 4711),
]
