"""The SDK's ``hz.networks`` and the server network actions against the fake, end to end."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hetzner_async import HetznerClient, RetryPolicy
from hetzner_async.errors import (
    APIError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    ProtectedError,
    ServiceError,
    UniquenessError,
)
from hetzner_async.models import NetworkRoute, NewSubnet
from hetzner_async.testing import FakeHetznerCloud

CLOUD = NewSubnet(type="cloud", network_zone="eu-central", ip_range="10.0.1.0/24")


async def test_network_lifecycle(hz: HetznerClient, fake: FakeHetznerCloud) -> None:
    network = await hz.networks.create(
        name="backend",
        ip_range="10.0.0.0/16",
        subnets=[CLOUD],
        routes=[NetworkRoute(destination="10.100.0.0/24", gateway="10.0.1.10")],
        labels={"fleet": "a"},
    )
    assert (network.ip_range, network.servers, network.expose_routes_to_vswitch) == (
        "10.0.0.0/16",
        [],
        False,
    )
    assert [(s.ip_range, s.gateway) for s in network.subnets] == [("10.0.1.0/24", "10.0.0.1")]
    assert network.labels["fleet"] == "a"
    with pytest.raises(UniquenessError):
        await hz.networks.create(name="backend", ip_range="10.1.0.0/16")
    assert (await hz.networks.get_by_name("backend")) == network
    assert [n.id for n in await hz.networks.list(label_selector="fleet=a")] == [network.id]

    await hz.actions.wait(
        await hz.networks.add_subnet(network.id, type="cloud", network_zone="eu-central")
    )
    await hz.actions.wait(
        await hz.networks.add_route(network.id, destination="10.200.0.0/16", gateway="10.0.1.11")
    )
    await hz.actions.wait(await hz.networks.change_ip_range(network.id, ip_range="10.0.0.0/12"))
    grown = await hz.networks.get(network.id)
    assert grown.ip_range == "10.0.0.0/12"
    assert [s.ip_range for s in grown.subnets] == ["10.0.1.0/24", "10.0.0.0/24"]
    assert [r.destination for r in grown.routes] == ["10.100.0.0/24", "10.200.0.0/16"]
    with pytest.raises(InvalidInputError) as shrink:
        await hz.networks.change_ip_range(network.id, ip_range="10.0.0.0/16")
    assert shrink.value.code == "invalid_input"

    await hz.actions.wait(
        await hz.networks.delete_route(network.id, destination="10.200.0.0/16", gateway="10.0.1.11")
    )
    await hz.actions.wait(await hz.networks.delete_subnet(network.id, ip_range="10.0.0.0/24"))
    renamed = await hz.networks.update(
        network.id, name="backend-2", expose_routes_to_vswitch=True, labels={"fleet": "b"}
    )
    assert (renamed.name, renamed.expose_routes_to_vswitch) == ("backend-2", True)
    assert len(renamed.subnets) == len(renamed.routes) == 1

    await hz.actions.wait(await hz.networks.change_protection(network.id, delete=True))
    with pytest.raises(ProtectedError):
        await hz.networks.delete(network.id)
    await hz.actions.wait(await hz.networks.change_protection(network.id, delete=False))
    actions = await hz.networks.list_actions(network.id)
    assert [a.command for a in actions][:3] == ["add_subnet", "add_route", "change_ip_range"]
    await hz.networks.delete(network.id)
    with pytest.raises(NotFoundError):
        await hz.networks.get(network.id)
    assert fake.state.networks == {}


async def test_servers_join_and_leave_a_network(hz: HetznerClient, fake: FakeHetznerCloud) -> None:
    network = await hz.networks.create(name="lan", ip_range="10.0.0.0/16", subnets=[CLOUD])
    created = await hz.servers.create(
        name="db-1", server_type="cx22", image="debian-12", networks=[network.id]
    )
    done = await hz.actions.wait(created.action, *created.next_actions)
    assert sorted(a.command for a in done) == ["attach_to_network", "create_server", "start_server"]
    db = await hz.servers.get(created.server.id)
    assert [(p.network, p.ip) for p in db.private_net] == [(network.id, "10.0.1.1")]

    web = await hz.servers.create(name="web-1", server_type="cx22", image="debian-12")
    await hz.actions.wait(web.action, *web.next_actions)
    await hz.actions.wait(
        await hz.servers.attach_to_network(
            web.server.id, network=network.id, ip="10.0.1.20", alias_ips=["10.0.1.21"]
        )
    )
    assert (await hz.networks.get(network.id)).servers == [db.id, web.server.id]
    with pytest.raises(APIError) as twice:
        await hz.servers.attach_to_network(web.server.id, network=network.id)
    assert (twice.value.status, twice.value.code) == (422, "server_already_attached")
    with pytest.raises(APIError) as taken:
        await hz.servers.change_alias_ips(db.id, network=network.id, alias_ips=["10.0.1.20"])
    assert taken.value.code == "ip_not_available"
    await hz.actions.wait(
        await hz.servers.change_alias_ips(
            web.server.id, network=network.id, alias_ips=["10.0.1.21", "10.0.1.22"]
        )
    )
    (attached,) = (await hz.servers.get(web.server.id)).private_net
    assert (attached.ip, attached.alias_ips) == ("10.0.1.20", ["10.0.1.21", "10.0.1.22"])
    assert attached.mac_address

    with pytest.raises(ServiceError):
        await hz.networks.delete_subnet(network.id, ip_range="10.0.1.0/24")
    await hz.actions.wait(await hz.servers.detach_from_network(web.server.id, network=network.id))
    assert (await hz.servers.get(web.server.id)).private_net == []
    with pytest.raises(NotFoundError):
        await hz.servers.detach_from_network(web.server.id, network=network.id)

    bare = await hz.networks.create(name="bare", ip_range="10.1.0.0/16")
    with pytest.raises(APIError) as no_subnet:
        await hz.servers.attach_to_network(web.server.id, network=bare.id)
    assert no_subnet.value.code == "no_subnet_available"

    # Deleting the network detaches its servers; deleting a server leaves the network.
    await hz.networks.delete(network.id)
    assert (await hz.servers.get(db.id)).private_net == []


async def test_a_network_change_in_progress(
    make_client: Callable[..., HetznerClient], fake: FakeHetznerCloud
) -> None:
    """``conflict`` while a change runs: the SDK retries it; without retries it surfaces."""
    patient = RetryPolicy(base=0.05, cap=0.2, max_attempts=8)
    async with (
        make_client(retry=patient) as hz,
        make_client(retry=RetryPolicy(max_attempts=1)) as once,
    ):
        network = await hz.networks.create(name="busy", ip_range="10.0.0.0/16", subnets=[CLOUD])
        first = await hz.networks.add_subnet(network.id, type="cloud", network_zone="eu-central")
        with pytest.raises(ConflictError):
            await once.networks.add_route(network.id, destination="10.9.0.0/24", gateway="10.0.1.9")
        second = await hz.networks.add_route(
            network.id, destination="10.9.0.0/24", gateway="10.0.1.9"
        )
        await hz.actions.wait(first, second)
        assert len((await hz.networks.get(network.id)).routes) == 1


async def test_deprovision_removes_servers_then_networks(
    hz: HetznerClient, fake: FakeHetznerCloud
) -> None:
    network = await hz.networks.create(
        name="fleet-net", ip_range="10.0.0.0/16", subnets=[CLOUD], labels={"fleet": "x"}
    )
    results = [
        await hz.servers.create(
            name=f"fleet-{i}",
            server_type="cx22",
            image="debian-12",
            networks=[network.id],
            labels={"fleet": "x"},
        )
        for i in range(3)
    ]
    await hz.actions.wait(*(a for r in results for a in (r.action, *r.next_actions)))
    assert len((await hz.networks.get(network.id)).servers) == 3
    report = await hz.deprovision("fleet=x", kinds=("servers", "networks"))
    assert report.complete
    assert sorted(report.deleted["servers"]) == sorted(r.server.id for r in results)
    assert report.deleted["networks"] == [network.id]
    assert fake.state.servers == {}
    assert fake.state.networks == {}
