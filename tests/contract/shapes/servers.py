"""Response shapes of ``/servers``."""

from __future__ import annotations

from hetzner_async.models import (
    ConsoleResult,
    CreateImageResult,
    CreateServerResult,
    EnableRescueResult,
    Metrics,
    RebuildServerResult,
    ResetPasswordResult,
    Server,
)

from ._core import ACTION, Shape, action_listings, page

SERVER = {"server": Server}

SIMPLE_SERVER_ACTIONS = [
    "poweron",
    "poweroff",
    "shutdown",
    "reboot",
    "reset",
    "change_type",
    "disable_rescue",
    "attach_iso",
    "detach_iso",
    "change_protection",
    "attach_to_network",
    "detach_from_network",
    "change_alias_ips",
    "add_to_placement_group",
    "remove_from_placement_group",
    "change_dns_ptr",
    "enable_backup",
    "disable_backup",
]

OPERATIONS: dict[tuple[str, str], Shape] = {
    ("get", "/servers"): page("servers", Server),
    ("post", "/servers"): CreateServerResult,
    ("get", "/servers/{id}"): SERVER,
    ("put", "/servers/{id}"): SERVER,
    ("delete", "/servers/{id}"): ACTION,
    **{("post", f"/servers/{{id}}/actions/{name}"): ACTION for name in SIMPLE_SERVER_ACTIONS},
    ("post", "/servers/{id}/actions/rebuild"): RebuildServerResult,
    ("post", "/servers/{id}/actions/enable_rescue"): EnableRescueResult,
    ("post", "/servers/{id}/actions/reset_password"): ResetPasswordResult,
    ("post", "/servers/{id}/actions/request_console"): ConsoleResult,
    ("post", "/servers/{id}/actions/create_image"): CreateImageResult,
    ("get", "/servers/{id}/metrics"): {"metrics": Metrics},
    **action_listings("/servers"),
}
