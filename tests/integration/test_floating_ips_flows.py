"""``hz.floating_ips`` against the fake, end to end: failover between servers, PTRs, clean-up."""

from __future__ import annotations

import pytest

from hetzner_async import HetznerClient
from hetzner_async.errors import APIError, InvalidInputError, ProtectedError, UniquenessError
from hetzner_async.resources._base import CREATE_MARKER
from hetzner_async.testing import FakeHetznerCloud


async def test_failover_between_servers_then_deprovision(
    hz: HetznerClient, fake: FakeHetznerCloud
) -> None:
    primary = await hz.servers.create_and_wait(
        name="lb-1", server_type="cx22", image="debian-12", location="fsn1", labels={"ha": "x"}
    )
    standby = await hz.servers.create_and_wait(
        name="lb-2", server_type="cx22", image="debian-12", location="hel1", labels={"ha": "x"}
    )
    made = await hz.floating_ips.create(
        type="ipv4", server=primary.id, name="vip", description="the VIP", labels={"ha": "x"}
    )
    assert made.action is not None
    await hz.actions.wait(made.action)
    vip = made.floating_ip
    assert (vip.server, vip.home_location.name) == (primary.id, "fsn1")
    assert (await hz.servers.get(primary.id)).public_net.floating_ips == [vip.id]

    # Failover: assign straight to the standby, in another location; no unassign first.
    await hz.actions.wait(await hz.floating_ips.assign(vip.id, server=standby.id))
    assert (await hz.floating_ips.get(vip.id)).server == standby.id
    assert (await hz.servers.get(primary.id)).public_net.floating_ips == []
    assert (await hz.servers.get(standby.id)).public_net.floating_ips == [vip.id]
    with pytest.raises(APIError) as same:
        await hz.floating_ips.assign(vip.id, server=standby.id)
    assert (same.value.status, same.value.code) == (422, "floating_ip_assigned")
    with pytest.raises(APIError) as assigned:
        await hz.floating_ips.delete(vip.id)
    assert assigned.value.code == "must_be_unassigned"

    await hz.actions.wait(
        await hz.floating_ips.change_dns_ptr(vip.id, ip=vip.ip, dns_ptr="vip.example.com")
    )
    ptr = (await hz.floating_ips.get(vip.id)).dns_ptr
    assert [(p.ip, p.dns_ptr) for p in ptr] == [(vip.ip, "vip.example.com")]
    updated = await hz.floating_ips.update(vip.id, description="moved", name="vip-2")
    assert (updated.description, updated.name) == ("moved", "vip-2")
    assert (await hz.floating_ips.get_by_name("vip-2")) is not None

    report = await hz.deprovision("ha=x", kinds=("servers", "floating_ips"))
    assert report.complete
    assert report.deleted["floating_ips"] == [vip.id]
    assert fake.state.floating_ips == {}
    assert fake.state.servers == {}


async def test_nameless_ips_protection_and_errors(hz: HetznerClient) -> None:
    v6 = (await hz.floating_ips.create(type="ipv6", home_location="nbg1")).floating_ip
    assert v6.name == str(v6.id)
    assert CREATE_MARKER in v6.labels  # how a nameless create is found again after a failure
    host = v6.ip.replace("::/64", "::10")
    await hz.actions.wait(await hz.floating_ips.change_dns_ptr(v6.id, ip=host, dns_ptr="a.b.c"))
    await hz.actions.wait(await hz.floating_ips.change_protection(v6.id, delete=True))
    with pytest.raises(ProtectedError):
        await hz.floating_ips.delete(v6.id)
    await hz.actions.wait(await hz.floating_ips.change_protection(v6.id, delete=False))
    actions = await hz.floating_ips.list_actions(v6.id, sort="id")
    assert [a.command for a in actions] == [
        "change_dns_ptr",
        "change_protection",
        "change_protection",
    ]
    await hz.actions.wait(await hz.floating_ips.unassign(v6.id))  # on no server: nothing to do
    await hz.floating_ips.delete(v6.id)

    await hz.floating_ips.create(type="ipv4", home_location="fsn1", name="taken")
    with pytest.raises(UniquenessError):
        await hz.floating_ips.create(type="ipv4", home_location="fsn1", name="taken")
    with pytest.raises(InvalidInputError) as no_server:
        await hz.floating_ips.create(type="ipv4", server=424242)
    assert "server" in no_server.value.fields
