"""Helpers for driving hcloud-python (the official Python client) in the interop tests."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from hcloud import APIException, Client
from hcloud.actions import BoundAction
from hcloud.firewalls import FirewallRule
from hcloud.images import Image
from hcloud.locations import Location
from hcloud.server_types import ServerType
from hcloud.servers import BoundServer

SSH_IN = FirewallRule(
    direction="in", protocol="tcp", port="22", source_ips=["0.0.0.0/0", "::/0"], description="ssh"
)
HTTPS_IN = FirewallRule(direction="in", protocol="tcp", port="443", source_ips=["0.0.0.0/0"])
PING_OUT = FirewallRule(direction="out", protocol="icmp", destination_ips=["10.0.0.0/8"])


def finish(actions: BoundAction | Iterable[BoundAction]) -> None:
    """Wait with hcloud's own poller; assert the actions succeeded."""
    for action in [actions] if isinstance(actions, BoundAction) else actions:
        action.wait_until_finished()
        assert action.status == "success", action.error


def make_server(client: Client, name: str, **labels: str) -> BoundServer:
    """Create a server the way hcloud's docs show it, by names; wait until it runs."""
    created = client.servers.create(
        name,
        server_type=ServerType(name="cx22"),
        image=Image(name="debian-12"),
        location=Location(name="fsn1"),
        labels=labels,
    )
    finish([created.action, *created.next_actions])
    return client.servers.get_by_id(created.server.id)


def api_code(excinfo: pytest.ExceptionInfo[APIException]) -> str:
    return str(excinfo.value.code)
