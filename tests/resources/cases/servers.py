"""Wire cases of ``hz.servers``."""

from __future__ import annotations

from typing import Any

import attrs

from ...examples import example
from ._core import ACTION, PAGE, WireCase, action_listing_cases, page_of

SERVER = example("server")


def _server_action(
    name: str, command: str, body: dict[str, Any] | None = None, **kw: Any
) -> WireCase:
    return WireCase(
        f"servers.{name}",
        (42,),
        kw,
        "POST",
        f"/v1/servers/42/actions/{command}",
        [],
        body,
        201,
        example("server_action_poweron_response"),
    )


CASES = [
    WireCase(
        "servers.list",
        (),
        {
            "name": "web-1",
            "label_selector": "role=web,env!=dev",
            "status": ["running", "off"],
            "sort": ["name:asc", "created:desc"],
        },
        "GET",
        "/v1/servers",
        [
            ("name", "web-1"),
            ("label_selector", "role=web,env!=dev"),
            ("status", "running"),
            ("status", "off"),
            ("sort", "name:asc"),
            ("sort", "created:desc"),
            *PAGE,
        ],
        None,
        200,
        page_of("servers", SERVER["server"]),
    ),
    WireCase("servers.get", (42,), {}, "GET", "/v1/servers/42", [], None, 200, SERVER),
    WireCase(
        "servers.get_by_name",
        ("web-1",),
        {},
        "GET",
        "/v1/servers",
        [("name", "web-1"), *PAGE],
        None,
        200,
        page_of("servers", SERVER["server"]),
    ),
    WireCase(
        "servers.create",
        (),
        {
            "name": "web-1",
            "server_type": "cx22",
            "image": "debian-12",
            "location": "fsn1",
            "ssh_keys": [7, "ops"],
            "firewalls": [38],
            "networks": [456],
            "volumes": [123],
            "placement_group": 1,
            "user_data": "#cloud-config\n",
            "labels": {"role": "web"},
            "start_after_create": True,
            "automount": False,
            "enable_ipv4": True,
            "enable_ipv6": False,
        },
        "POST",
        "/v1/servers",
        [],
        {
            "name": "web-1",
            "server_type": "cx22",
            "image": "debian-12",
            "location": "fsn1",
            "ssh_keys": ["7", "ops"],
            "firewalls": [{"firewall": 38}],
            "networks": [456],
            "volumes": [123],
            "placement_group": 1,
            "user_data": "#cloud-config\n",
            "labels": {"role": "web"},
            "start_after_create": True,
            "automount": False,
            "public_net": {"enable_ipv4": True, "enable_ipv6": False},
        },
        201,
        example("create_server_response"),
    ),
    WireCase(
        "servers.update",
        (42,),
        {"name": "web-2", "labels": {"role": "db"}},
        "PUT",
        "/v1/servers/42",
        [],
        {"name": "web-2", "labels": {"role": "db"}},
        200,
        SERVER,
    ),
    WireCase(
        "servers.delete",
        (42,),
        {},
        "DELETE",
        "/v1/servers/42",
        [],
        None,
        200,
        example("delete_server_response"),
    ),
    _server_action("power_on", "poweron"),
    _server_action("power_off", "poweroff"),
    _server_action("shutdown", "shutdown"),
    _server_action("reboot", "reboot"),
    _server_action("reset", "reset"),
    _server_action("disable_rescue", "disable_rescue"),
    _server_action("detach_iso", "detach_iso"),
    _server_action(
        "change_type",
        "change_type",
        {"server_type": "cx32", "upgrade_disk": True},
        server_type="cx32",
        upgrade_disk=True,
    ),
    _server_action("attach_iso", "attach_iso", {"iso": "FreeBSD-11.0"}, iso="FreeBSD-11.0"),
    _server_action(
        "change_protection",
        "change_protection",
        {"delete": True, "rebuild": True},
        delete=True,
        rebuild=True,
    ),
    attrs.evolve(
        _server_action(
            "rebuild",
            "rebuild",
            {"image": "debian-12", "user_data": "#x"},
            image="debian-12",
            user_data="#x",
        ),
        response=example("server_action_rebuild_response"),
    ),
    attrs.evolve(
        _server_action(
            "enable_rescue",
            "enable_rescue",
            {"type": "linux64", "ssh_keys": [2323]},
            type="linux64",
            ssh_keys=[2323],
        ),
        response={"action": ACTION["action"], "root_password": "zCWbFhnu950dT"},
    ),
    attrs.evolve(
        _server_action("request_console", "request_console"),
        response=example("server_action_request_console_response"),
    ),
    attrs.evolve(
        _server_action("reset_password", "reset_password"),
        response={"action": ACTION["action"], "root_password": "zCWbFhnu950dT"},
    ),
    *action_listing_cases("servers", "servers", 42),
]
