"""``hz.primary_ips`` and a server's own addresses against the fake, end to end."""

from __future__ import annotations

import pytest

from hetzner_async import HetznerClient
from hetzner_async.errors import APIError, InvalidInputError, LockedError, ProtectedError
from hetzner_async.models import IPType
from hetzner_async.testing import FakeHetznerCloud


async def test_a_server_keeps_a_stable_address_across_servers(
    hz: HetznerClient, fake: FakeHetznerCloud
) -> None:
    """A Primary IP made first, given to a server, moved to its successor while both are off."""
    made = await hz.primary_ips.create(
        name="stable", type=IPType.IPV4, location="fsn1", labels={"app": "shop"}
    )
    assert made.action is None
    ip = made.primary_ip
    assert (ip.assignee_id, ip.auto_delete, ip.location.name) == (None, False, "fsn1")
    old = await hz.servers.create_and_wait(
        name="shop-1", server_type="cx22", image="debian-12", location="fsn1", ipv4=ip.id
    )
    assert old.public_net.ipv4 is not None
    assert (old.public_net.ipv4.id, old.public_net.ipv4.ip) == (ip.id, ip.ip)
    assert old.public_net.ipv6 is not None  # made for it, deleted with it
    own_v6 = await hz.primary_ips.get(old.public_net.ipv6.id)
    assert (own_v6.type, own_v6.auto_delete, own_v6.assignee_id) == (IPType.IPV6, True, old.id)

    with pytest.raises(APIError) as assigned:
        await hz.primary_ips.delete(ip.id)
    assert (assigned.value.status, assigned.value.code) == (422, "must_be_unassigned")
    with pytest.raises(APIError) as running:
        await hz.primary_ips.unassign(ip.id)
    assert running.value.code == "server_not_stopped"
    await hz.actions.wait(await hz.servers.power_off(old.id))
    await hz.actions.wait(await hz.primary_ips.unassign(ip.id))
    assert (await hz.servers.get(old.id)).public_net.ipv4 is None

    new = await hz.servers.create(
        name="shop-2",
        server_type="cx22",
        image="debian-12",
        location="fsn1",
        start_after_create=False,
        enable_ipv4=False,
    )
    await hz.actions.wait(new.action)
    await hz.actions.wait(await hz.primary_ips.assign(ip.id, assignee_id=new.server.id))
    moved = await hz.servers.get(new.server.id)
    assert moved.public_net.ipv4 is not None
    assert moved.public_net.ipv4.ip == ip.ip
    with pytest.raises(APIError) as taken:
        await hz.primary_ips.assign(ip.id, assignee_id=old.id)
    assert taken.value.code == "primary_ip_already_assigned"

    await hz.actions.wait(await hz.servers.delete(old.id))
    remaining = {p.id for p in await hz.primary_ips.list()}
    assert own_v6.id not in remaining  # auto_delete: gone with its server
    assert ip.id in remaining
    assert [p.id for p in await hz.primary_ips.list(label_selector="app=shop")] == [ip.id]
    assert [p.id for p in await hz.primary_ips.list(ip=ip.ip)] == [ip.id]

    await hz.actions.wait(await hz.servers.power_on(new.server.id))
    report = await hz.deprovision("app=shop", kinds=("primary_ips",))
    failed = report.failed["primary_ips"][ip.id]
    assert isinstance(failed, APIError)
    assert failed.code == "server_not_stopped"  # its server is running: not unassigned
    await hz.actions.wait(await hz.servers.delete(new.server.id))
    report = await hz.deprovision("app=shop", kinds=("primary_ips",))
    assert (report.deleted, report.complete) == ({"primary_ips": [ip.id]}, True)
    assert fake.state.primary_ips == {}


async def test_create_for_a_server_dns_and_protection(hz: HetznerClient) -> None:
    server = await hz.servers.create(
        name="db",
        server_type="cx22",
        image="debian-12",
        location="hel1",
        start_after_create=False,
        enable_ipv6=False,
    )
    await hz.actions.wait(server.action)
    sid = server.server.id
    made = await hz.primary_ips.create(name="db-v6", type="ipv6", assignee_id=sid)
    assert made.action is not None
    assert made.action.command == "assign_primary_ip"
    with pytest.raises(LockedError):
        await hz.primary_ips.change_protection(made.primary_ip.id, delete=True)
    await hz.actions.wait(made.action)
    v6 = await hz.primary_ips.get(made.primary_ip.id)
    assert (v6.assignee_id, v6.location.name, v6.auto_delete) == (sid, "hel1", False)

    host = v6.ip.replace("::/64", "::1")
    await hz.actions.wait(await hz.servers.change_dns_ptr(sid, ip=host, dns_ptr="db.example.com"))
    shown = (await hz.servers.get(sid)).public_net.ipv6
    assert shown is not None
    assert [(p.ip, p.dns_ptr) for p in shown.dns_ptr or []] == [(host, "db.example.com")]
    await hz.actions.wait(await hz.primary_ips.change_dns_ptr(v6.id, ip=host, dns_ptr=None))
    assert (await hz.primary_ips.get(v6.id)).dns_ptr == []
    with pytest.raises(InvalidInputError) as outside:
        await hz.primary_ips.change_dns_ptr(v6.id, ip="2001:db8:ffff::1", dns_ptr="x.example.com")
    assert "ip" in outside.value.fields

    own_v4 = (await hz.servers.get(sid)).public_net.ipv4
    assert own_v4 is not None
    assert own_v4.id is not None
    with pytest.raises(InvalidInputError):
        await hz.primary_ips.change_protection(own_v4.id, delete=True)  # auto_delete is on
    await hz.primary_ips.update(own_v4.id, auto_delete=False, name="db-v4")
    await hz.actions.wait(await hz.primary_ips.change_protection(own_v4.id, delete=True))
    await hz.actions.wait(await hz.primary_ips.unassign(own_v4.id))
    with pytest.raises(ProtectedError):
        await hz.primary_ips.delete(own_v4.id)
    actions = await hz.primary_ips.list_actions(own_v4.id)
    assert [a.command for a in actions] == ["change_protection", "unassign_primary_ip"]


async def test_server_create_refuses_primary_ips_it_cannot_use(hz: HetznerClient) -> None:
    v6 = (await hz.primary_ips.create(name="v6", type="ipv6", location="fsn1")).primary_ip
    far = (await hz.primary_ips.create(name="far", type="ipv4", location="nbg1")).primary_ip
    base = {"server_type": "cx22", "image": "debian-12", "location": "fsn1"}
    with pytest.raises(APIError) as version:
        await hz.servers.create(name="a", ipv4=v6.id, **base)
    assert (version.value.status, version.value.code) == (412, "primary_ip_version_mismatch")
    with pytest.raises(APIError) as mismatch:
        await hz.servers.create(name="a", ipv4=far.id, **base)
    assert mismatch.value.code == "primary_ip_datacenter_mismatch"
    await hz.servers.create(name="a", ipv6=v6.id, **base)
    with pytest.raises(APIError) as assigned:
        await hz.servers.create(name="b", ipv6=v6.id, **base)
    assert assigned.value.code == "primary_ip_assigned"
    with pytest.warns(DeprecationWarning, match="datacenter"):
        legacy = await hz.primary_ips.create(name="legacy", type="ipv4", datacenter="nbg1-dc3")
    assert legacy.primary_ip.datacenter is not None
    assert legacy.primary_ip.datacenter.name == "nbg1-dc3"


async def test_unassigned_primary_ips_read_unassigned(
    hz: HetznerClient, fake: FakeHetznerCloud
) -> None:
    """Since 1 August 2026 the API shows ``assignee_type: "unassigned"`` on an IP assigned to
    nothing; the SDK reads it, and ``deprovision`` decides by ``assignee_id`` alone."""
    spare = (await hz.primary_ips.create(name="spare", type="ipv4", location="fsn1")).primary_ip
    assert (spare.assignee_type, spare.assignee_id) == ("unassigned", None)
    server = await hz.servers.create(
        name="off",
        server_type="cx22",
        image="debian-12",
        location="fsn1",
        start_after_create=False,
        enable_ipv4=False,
    )
    await hz.actions.wait(server.action)
    given = await hz.primary_ips.create(
        name="given", type="ipv4", assignee_id=server.server.id, labels={"run": "u"}
    )
    await hz.actions.wait(given.action)
    assert (given.primary_ip.assignee_type, given.primary_ip.assignee_id) == (
        "server",
        server.server.id,
    )
    await hz.actions.wait(await hz.primary_ips.unassign(given.primary_ip.id))
    freed = await hz.primary_ips.get(given.primary_ip.id)
    assert (freed.assignee_type, freed.assignee_id) == ("unassigned", None)
    report = await hz.deprovision("run=u", kinds=("primary_ips",))
    assert (report.deleted, report.complete) == ({"primary_ips": [freed.id]}, True)
    assert fake.stats.count(method="POST", path="/primary_ips/{id}/actions/unassign") == 1
