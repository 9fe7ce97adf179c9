"""hcloud-python (the official Python client) against the fake: networks and servers in them.

Each test is one step group of a user's cycle, as in the other interop modules; the client waits
on actions with its own poller. hcloud 2.27 also has ``get_member_list``
(``GET /networks/{id}/members``), which the spec this project follows does not document: not
served, not tested.
"""

from __future__ import annotations

import pytest
from hcloud import APIException, Client
from hcloud.networks import NetworkRoute, NetworkSubnet
from hcloud.servers import BoundServer

from .pyclient import api_code, finish, make_server

pytestmark = pytest.mark.interop

#: hcloud's NetworkSubnet wants an ``ip_range``; with None, add_subnet leaves it out and the API
#: picks the first free /24.
ANY_24 = NetworkSubnet(ip_range=None, type="cloud", network_zone="eu-central")  # type: ignore[arg-type]
CLOUD = NetworkSubnet(
    type=NetworkSubnet.TYPE_CLOUD, network_zone="eu-central", ip_range="10.0.1.0/24"
)


def test_network_cycle(hcloud_client: Client) -> None:
    created = hcloud_client.networks.create(
        "backend",
        ip_range="10.0.0.0/16",
        subnets=[CLOUD],
        routes=[NetworkRoute(destination="10.100.0.0/24", gateway="10.0.1.10")],
        labels={"fleet": "a"},
    )
    assert created.ip_range == "10.0.0.0/16"
    assert [(s.ip_range, s.gateway) for s in created.subnets] == [("10.0.1.0/24", "10.0.0.1")]
    network = hcloud_client.networks.get_by_name("backend")
    assert network is not None
    assert network.id == created.id
    assert [n.id for n in hcloud_client.networks.get_all(label_selector="fleet=a")] == [network.id]

    finish(network.add_subnet(ANY_24))
    finish(network.add_route(NetworkRoute(destination="10.200.0.0/16", gateway="10.0.1.11")))
    finish(network.change_ip_range("10.0.0.0/12"))
    network.reload()
    assert network.ip_range == "10.0.0.0/12"
    assert [s.ip_range for s in network.subnets] == ["10.0.1.0/24", "10.0.0.0/24"]
    assert [r.destination for r in network.routes] == ["10.100.0.0/24", "10.200.0.0/16"]

    finish(network.delete_route(NetworkRoute(destination="10.200.0.0/16", gateway="10.0.1.11")))
    finish(network.delete_subnet(NetworkSubnet(ip_range="10.0.0.0/24")))
    updated = network.update(name="backend-2", expose_routes_to_vswitch=True, labels={})
    assert (updated.name, updated.expose_routes_to_vswitch, updated.labels) == (
        "backend-2",
        True,
        {},
    )
    finish(network.change_protection(delete=True))
    with pytest.raises(APIException) as protected:
        network.delete()
    assert api_code(protected) == "protected"
    finish(network.change_protection(delete=False))
    commands = [a.command for a in network.get_actions()]
    assert commands[:3] == ["add_subnet", "add_route", "change_ip_range"]
    assert network.delete() is True
    assert hcloud_client.networks.get_by_name("backend-2") is None


def test_servers_in_a_network(hcloud_client: Client) -> None:
    network = hcloud_client.networks.create("lan", ip_range="10.0.0.0/16", subnets=[CLOUD])
    web = make_server(hcloud_client, "web-1")
    finish(web.attach_to_network(network, ip="10.0.1.20", alias_ips=["10.0.1.21"]))
    web.reload()
    (attached,) = web.private_net
    assert (attached.network.id, attached.ip, attached.alias_ips) == (
        network.id,
        "10.0.1.20",
        ["10.0.1.21"],
    )
    assert attached.mac_address
    finish(web.change_alias_ips(network, ["10.0.1.22"]))
    web.reload()
    assert web.private_net[0].alias_ips == ["10.0.1.22"]
    with pytest.raises(APIException) as twice:
        web.attach_to_network(network)
    assert api_code(twice) == "server_already_attached"

    created = hcloud_client.servers.create(
        "db-1",
        server_type=web.server_type,
        image=web.image,
        networks=[network],
    )
    finish([created.action, *created.next_actions])
    db = hcloud_client.servers.get_by_id(created.server.id)
    assert [(p.network.id, p.ip) for p in db.private_net] == [(network.id, "10.0.1.1")]
    network.reload()
    assert sorted(s.id for s in network.servers) == sorted([web.id, db.id])

    finish(web.detach_from_network(network))
    web.reload()
    assert web.private_net == []
    finish(db.delete())
    network.reload()
    assert network.servers == []


def test_network_rules_come_back_as_api_errors(hcloud_client: Client) -> None:
    bare = hcloud_client.networks.create("bare", ip_range="10.1.0.0/16")
    server: BoundServer = make_server(hcloud_client, "lonely-1")
    with pytest.raises(APIException) as no_subnet:
        server.attach_to_network(bare)
    assert api_code(no_subnet) == "no_subnet_available"
    with pytest.raises(APIException) as public:
        hcloud_client.networks.create("public", ip_range="8.8.0.0/16")
    assert api_code(public) == "invalid_input"
    with pytest.raises(APIException) as shrink:
        bare.change_ip_range("10.1.0.0/24")
    assert api_code(shrink) == "invalid_input"
    # Deleting a network detaches what is attached to it.
    finish(bare.add_subnet(ANY_24))
    finish(server.attach_to_network(bare))
    bare.delete()
    server.reload()
    assert server.private_net == []
