"""hcloud-python (the official Python client) against the fake: Primary IPs.

A server's own addresses are Primary IPs the client can follow; a Primary IP made first is
given to a server at create, moved to another powered-off server, has its PTR changed, is
protected, unassigned and deleted. Actions are awaited with hcloud's own poller.
"""

from __future__ import annotations

import pytest
from hcloud import APIException, Client
from hcloud.images import Image
from hcloud.locations import Location
from hcloud.server_types import ServerType
from hcloud.servers import ServerCreatePublicNetwork

from .pyclient import api_code, finish, make_server
from .standalone import StandaloneFake

pytestmark = pytest.mark.interop


def test_a_servers_own_primary_ips(hcloud_client: Client) -> None:
    server = make_server(hcloud_client, "own-ips-1")
    v4 = server.public_net.primary_ipv4
    assert v4 is not None
    v4.reload()
    assert (v4.ip, v4.type, v4.auto_delete) == (server.public_net.ipv4.ip, "ipv4", True)
    assert v4.assignee_id == server.id
    listed = {ip.id for ip in hcloud_client.primary_ips.get_all()}
    assert listed == {v4.id, server.public_net.primary_ipv6.id}
    finish(server.change_dns_ptr(server.public_net.ipv4.ip, "own.example.com"))
    server.reload()
    assert server.public_net.ipv4.dns_ptr == "own.example.com"
    finish(server.delete())
    assert hcloud_client.primary_ips.get_all() == []  # auto_delete: gone with the server


def test_primary_ip_cycle(hcloud_client: Client, fake: StandaloneFake) -> None:
    created = hcloud_client.primary_ips.create(
        type="ipv4", name="stable", location=Location(name="fsn1"), labels={"app": "shop"}
    )
    assert created.action is None
    ip = created.primary_ip
    assert (ip.assignee_id, ip.location.name, ip.auto_delete) == (None, "fsn1", False)

    made = hcloud_client.servers.create(
        "shop-1",
        server_type=ServerType(name="cx22"),
        image=Image(name="debian-12"),
        location=Location(name="fsn1"),
        public_net=ServerCreatePublicNetwork(ipv4=ip, enable_ipv6=False),
    )
    finish([made.action, *made.next_actions])
    server = hcloud_client.servers.get_by_id(made.server.id)
    assert server.public_net.primary_ipv4.id == ip.id
    assert server.public_net.ipv6 is None
    ip.reload()
    assert ip.assignee_id == server.id

    with pytest.raises(APIException) as assigned:
        ip.delete()
    assert api_code(assigned) == "must_be_unassigned"
    with pytest.raises(APIException) as running:
        ip.unassign()
    assert api_code(running) == "server_not_stopped"
    finish(server.power_off())
    finish(ip.unassign())
    other = fake.create_server(
        "shop-2", start_after_create=False, public_net={"enable_ipv4": False}
    )
    finish(ip.assign(other["id"], "server"))
    ip.reload()
    assert ip.assignee_id == other["id"]
    with pytest.raises(APIException) as taken:
        ip.assign(server.id, "server")
    assert api_code(taken) == "primary_ip_already_assigned"

    finish(ip.change_dns_ptr(ip.ip, "shop.example.com"))
    ip.reload()
    assert ip.dns_ptr == [{"ip": ip.ip, "dns_ptr": "shop.example.com"}]
    finish(ip.change_protection(delete=True))
    ip = hcloud_client.primary_ips.get_by_name("stable")
    assert ip is not None
    assert ip.protection == {"delete": True}
    finish(ip.unassign())
    with pytest.raises(APIException) as protected:
        ip.delete()
    assert api_code(protected) == "protected"
    finish(ip.change_protection(delete=False))
    commands = [a.command for a in ip.get_actions(sort=["id"])]
    assert commands == [  # the server create that took it started no action of the IP's
        "unassign_primary_ip",
        "assign_primary_ip",
        "change_dns_ptr",
        "change_protection",
        "unassign_primary_ip",
        "change_protection",
    ]
    updated = ip.update(name="stable-2", auto_delete=True, labels={"app": "gone"})
    assert (updated.name, updated.auto_delete) == ("stable-2", True)
    assert ip.delete() is True
    left = fake.state()["primary_ips"]  # shop-2's own IPv6 only
    assert [(p["type"], p["assignee_id"]) for p in left] == [("ipv6", other["id"])]


def test_create_for_a_server(hcloud_client: Client, fake: StandaloneFake) -> None:
    off = fake.create_server(
        "v6-later", start_after_create=False, public_net={"enable_ipv6": False}
    )
    created = hcloud_client.primary_ips.create(
        type="ipv6", name="later", assignee_id=off["id"], assignee_type="server"
    )
    assert created.action is not None
    finish(created.action)
    server = hcloud_client.servers.get_by_id(off["id"])
    assert server.public_net.primary_ipv6.id == created.primary_ip.id
    with pytest.raises(APIException) as has_v6:
        hcloud_client.primary_ips.create(
            type="ipv6", name="second", assignee_id=off["id"], assignee_type="server"
        )
    assert api_code(has_v6) == "server_has_ipv6"


def test_assignee_type_unassigned(hcloud_client: Client, fake: StandaloneFake) -> None:
    """hcloud-python 2.27 leaves ``assignee_type`` out of a create without an assignee (optional
    since 2026-04-27) and reads ``unassigned`` on an IP assigned to nothing (since 2026-08-01)."""
    spare = hcloud_client.primary_ips.create(type="ipv4", name="spare", location=Location("fsn1"))
    assert spare.action is None
    assert (spare.primary_ip.assignee_type, spare.primary_ip.assignee_id) == ("unassigned", None)
    off = fake.create_server("off", start_after_create=False, public_net={"enable_ipv4": False})
    given = hcloud_client.primary_ips.create(
        type="ipv4", name="given", assignee_id=off["id"], assignee_type="server"
    )
    finish(given.action)
    ip = hcloud_client.primary_ips.get_by_id(given.primary_ip.id)
    assert (ip.assignee_type, ip.assignee_id) == ("server", off["id"])
    finish(hcloud_client.servers.delete(hcloud_client.servers.get_by_id(off["id"])))
    ip.reload()
    assert (ip.assignee_type, ip.assignee_id) == ("unassigned", None)  # released, kept
    listed = {p.name: p.assignee_type for p in hcloud_client.primary_ips.get_all()}
    assert listed == {"spare": "unassigned", "given": "unassigned"}
