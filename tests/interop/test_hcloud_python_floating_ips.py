"""hcloud-python (the official Python client) against the fake: Floating IPs.

A failover cycle: create a Floating IP for a server, move it to another one, change its PTR,
protect it, unassign and delete it. Actions are awaited with hcloud's own poller.
"""

from __future__ import annotations

import pytest
from hcloud import APIException, Client
from hcloud.locations import Location

from .pyclient import api_code, finish, make_server
from .standalone import StandaloneFake

pytestmark = pytest.mark.interop


def test_floating_ip_cycle(hcloud_client: Client, fake: StandaloneFake) -> None:
    first = make_server(hcloud_client, "vip-a")
    second = make_server(hcloud_client, "vip-b")
    created = hcloud_client.floating_ips.create(
        type="ipv4", server=first, name="vip", description="front", labels={"ha": "1"}
    )
    assert created.action is not None
    finish(created.action)
    vip = created.floating_ip
    assert (vip.server.id, vip.home_location.name) == (first.id, "fsn1")
    first.reload()
    assert [ip.id for ip in first.public_net.floating_ips] == [vip.id]

    finish(vip.assign(second))  # straight to the other server: a failover
    vip.reload()
    assert vip.server.id == second.id
    first.reload()
    assert first.public_net.floating_ips == []
    with pytest.raises(APIException) as same:
        vip.assign(second)
    assert api_code(same) == "floating_ip_assigned"
    with pytest.raises(APIException) as assigned:
        vip.delete()
    assert api_code(assigned) == "must_be_unassigned"

    finish(vip.change_dns_ptr(vip.ip, "vip.example.com"))
    finish(vip.change_protection(delete=True))
    found = hcloud_client.floating_ips.get_by_name("vip")
    assert found is not None
    assert found.dns_ptr == [{"ip": vip.ip, "dns_ptr": "vip.example.com"}]
    assert found.protection == {"delete": True}
    updated = found.update(description="moved", labels={"ha": "2"})
    assert (updated.description, updated.labels) == ("moved", {"ha": "2"})
    assert [ip.id for ip in hcloud_client.floating_ips.get_all(label_selector="ha=2")] == [vip.id]

    finish(vip.unassign())
    with pytest.raises(APIException) as protected:
        vip.delete()
    assert api_code(protected) == "protected"
    finish(vip.change_protection(delete=False))
    assert [a.command for a in vip.get_actions(sort=["id"])] == [
        "assign_floating_ip",
        "assign_floating_ip",
        "change_dns_ptr",
        "change_protection",
        "unassign_floating_ip",
        "change_protection",
    ]
    assert vip.delete() is True
    assert fake.state()["floating_ips"] == []


def test_home_location_and_v6(hcloud_client: Client) -> None:
    created = hcloud_client.floating_ips.create(type="ipv6", home_location=Location(name="hel1"))
    assert created.action is None
    ip = created.floating_ip
    assert (ip.home_location.name, ip.server, ip.dns_ptr) == ("hel1", None, [])
    host = ip.ip.replace("::/64", "::1")
    finish(ip.change_dns_ptr(host, "six.example.com"))
    ip.reload()
    assert ip.dns_ptr == [{"ip": host, "dns_ptr": "six.example.com"}]
    assert hcloud_client.floating_ips.delete(ip) is True
