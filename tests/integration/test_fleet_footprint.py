"""A fleet's whole footprint against the fake, then ``hz.deprovision`` by label removes all of it.

30 servers in 3 spread placement groups (a spread group holds at most 10), on a private network,
each with its own Primary IPv4 and a volume; one server snapshotted and a new server booted from
the snapshot. Deprovisioning by the run's label leaves nothing behind.
"""

from __future__ import annotations

import asyncio

from hetzner_async import HetznerClient
from hetzner_async.models import NewSubnet, Server
from hetzner_async.testing import FakeHetznerCloud

FLEET = {"fleet": "f1"}
SIZE = 30
GROUP_SIZE = 10


async def _server(
    hz: HetznerClient, index: int, group: int, network: int, ipv4: int
) -> tuple[Server, int]:
    server = await hz.servers.create_and_wait(
        name=f"fleet-{index}",
        server_type="cx22",
        image="debian-12",
        location="fsn1",
        placement_group=group,
        networks=[network],
        ipv4=ipv4,
        labels=FLEET,
    )
    created = await hz.volumes.create(
        name=f"fleet-data-{index}", size=10, server=server.id, labels=FLEET
    )
    await hz.actions.wait(created.action, *created.next_actions)
    return server, created.volume.id


async def test_a_fleet_with_groups_network_volumes_ips_and_a_snapshot_is_removed_by_label(
    hz: HetznerClient, fake: FakeHetznerCloud
) -> None:
    network = await hz.networks.create(
        name="fleet-net",
        ip_range="10.0.0.0/16",
        subnets=[NewSubnet(type="cloud", network_zone="eu-central", ip_range="10.0.1.0/24")],
        labels=FLEET,
    )
    groups = [
        (await hz.placement_groups.create(name=f"fleet-pg-{n}", type="spread", labels=FLEET))
        for n in range(SIZE // GROUP_SIZE)
    ]
    ips = await asyncio.gather(
        *(
            hz.primary_ips.create(
                name=f"fleet-ip-{n}", type="ipv4", location="fsn1", auto_delete=False, labels=FLEET
            )
            for n in range(SIZE)
        )
    )
    built = await asyncio.gather(
        *(
            _server(
                hz,
                n,
                groups[n // GROUP_SIZE].placement_group.id,
                network.id,
                ips[n].primary_ip.id,
            )
            for n in range(SIZE)
        )
    )

    fleet = {server.id: await hz.servers.get(server.id) for server, _ in built}
    for (server, volume), ip in zip(built, ips, strict=True):
        current = fleet[server.id]
        assert current.status == "running"
        assert current.public_net.ipv4 is not None
        assert current.public_net.ipv4.id == ip.primary_ip.id
        assert [net.network for net in current.private_net] == [network.id]
        assert current.volumes == [volume]
        assert current.placement_group is not None
    per_group = {
        g.placement_group.id: len((await hz.placement_groups.get(g.placement_group.id)).servers)
        for g in groups
    }
    assert sorted(per_group.values()) == [GROUP_SIZE] * len(groups)

    snapshot = await hz.servers.create_image(
        built[0][0].id, description="fleet image", labels=FLEET
    )
    await hz.actions.wait(snapshot.action)
    clone = await hz.servers.create_and_wait(
        name="fleet-clone",
        server_type="cx22",
        image=snapshot.image.id,
        location="fsn1",
        networks=[network.id],
        labels=FLEET,
    )
    assert clone.image is not None
    assert clone.image.id == snapshot.image.id

    report = await hz.deprovision("fleet=f1")

    assert report.complete, report.failed
    assert len(report.deleted["servers"]) == SIZE + 1
    assert len(report.deleted["volumes"]) == SIZE
    assert len(report.deleted["primary_ips"]) == SIZE
    assert len(report.deleted["placement_groups"]) == len(groups)
    assert report.deleted["networks"] == [network.id]
    assert report.deleted["images"] == [snapshot.image.id]
    assert await hz.servers.list() == []
    assert await hz.volumes.list() == []
    assert await hz.primary_ips.list() == []  # the auto-deleted IPv6 addresses went with them
    assert await hz.placement_groups.list() == []
    assert await hz.networks.list() == []
    assert await hz.images.list(type="snapshot") == []
