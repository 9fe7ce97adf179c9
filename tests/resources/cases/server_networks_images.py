"""Wire cases of the server methods for networks, placement groups, DNS, backups, images and
metrics, and of a create that uses every field of the spec."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..._spec import response_example
from ..._synth import synthesized
from ...examples import example
from ._core import WireCase

BERLIN = dt.timezone(dt.timedelta(hours=2))


def _action(name: str, body: dict[str, Any] | None, **kw: Any) -> WireCase:
    path = f"/v1/servers/42/actions/{name}"
    return WireCase(
        f"servers.{name}", (42,), kw, "POST", path, [], body, 201, response_example("POST", path)
    )


CASES = [
    _action(
        "attach_to_network",
        {"network": 4711, "ip": "10.0.1.5", "alias_ips": ["10.0.1.6"], "ip_range": "10.0.1.0/24"},
        network=4711,
        ip="10.0.1.5",
        alias_ips=["10.0.1.6"],
        ip_range="10.0.1.0/24",
    ),
    _action("detach_from_network", {"network": 4711}, network=4711),
    _action(
        "change_alias_ips",
        {"network": 4711, "alias_ips": ["10.0.1.6", "10.0.1.7"]},
        network=4711,
        alias_ips=["10.0.1.6", "10.0.1.7"],
    ),
    _action("add_to_placement_group", {"placement_group": 897}, placement_group=897),
    _action("remove_from_placement_group", None),
    _action(
        "change_dns_ptr",
        {"ip": "1.2.3.4", "dns_ptr": "server01.example.com"},
        ip="1.2.3.4",
        dns_ptr="server01.example.com",
    ),
    _action("enable_backup", None),
    _action("disable_backup", None),
    _action(
        "create_image",
        {"description": "golden", "type": "snapshot", "labels": {"run": "42"}},
        description="golden",
        type="snapshot",
        labels={"run": "42"},
    ),
    WireCase(
        "servers.metrics",
        (42,),
        {
            "type": ["cpu", "network"],
            "start": dt.datetime(2017, 1, 1, 2, 0, tzinfo=BERLIN),
            "end": dt.datetime(2017, 1, 1, 23, 0, tzinfo=dt.UTC),
            "step": 60,
        },
        "GET",
        "/v1/servers/42/metrics",
        [
            ("type", "cpu"),
            ("type", "network"),
            ("start", "2017-01-01T00:00:00Z"),
            ("end", "2017-01-01T23:00:00Z"),
            ("step", "60"),
        ],
        None,
        200,
        synthesized("GET", "/servers/42/metrics"),
    ),
    WireCase(
        "servers.create",
        (),
        {
            "name": "web-2",
            "server_type": 22,
            "image": 114690387,
            "location": 1,
            "ssh_keys": ["ops"],
            "networks": [4711],
            "volumes": [123],
            "placement_group": 897,
            "firewalls": [38],
            "labels": {"run": "42"},
            "ipv4": 7,
            "ipv6": 8,
            "enable_ipv4": True,
        },
        "POST",
        "/v1/servers",
        [],
        {
            "name": "web-2",
            "server_type": "22",
            "image": "114690387",
            "location": "1",
            "ssh_keys": ["ops"],
            "firewalls": [{"firewall": 38}],
            "networks": [4711],
            "volumes": [123],
            "placement_group": 897,
            "labels": {"run": "42"},
            "public_net": {"enable_ipv4": True, "ipv4": 7, "ipv6": 8},
        },
        201,
        example("create_server_response"),
    ),
]
