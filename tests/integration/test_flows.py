"""End-to-end flows of the SDK against the fake cloud over loopback."""

from __future__ import annotations

import pytest

from hetzner_async import HetznerClient
from hetzner_async.errors import (
    InvalidInputError,
    LockedError,
    NotFoundError,
    ProtectedError,
    UnauthorizedError,
    UniquenessError,
)
from hetzner_async.models import FirewallResource, FirewallRule, ServerStatus
from hetzner_async.resources._base import CREATE_MARKER
from hetzner_async.testing import FakeHetznerCloud

from ..resources.cases import covers

PUBLIC_KEY = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGbYJ3Lm1m5k6ZTnJ3y0mS2fWJcKuU8bbTgW4mSgA0hX ops@example"
)
HTTPS = FirewallRule(direction="in", protocol="tcp", port="443", source_ips=["0.0.0.0/0", "::/0"])


async def test_key_firewall_server_power_firewall_listing_delete(
    hz: HetznerClient, fake: FakeHetznerCloud
) -> None:
    """The README's flow, end to end, with the fake's state checked at each step."""
    key = await hz.ssh_keys.create(name="ops", public_key=PUBLIC_KEY, labels={"team": "ops"})
    assert key.fingerprint.count(":") == 15
    assert key.labels["team"] == "ops"
    fw = (await hz.firewalls.create(name="web", rules=[HTTPS])).firewall
    res = await hz.servers.create(
        name="web-1",
        server_type="cx22",
        image="debian-12",
        location="fsn1",
        ssh_keys=[key.id],
        firewalls=[fw.id],
        labels={"role": "web"},
        user_data="#cloud-config\n",
    )
    assert res.root_password is None  # an SSH key was given
    assert res.server.status is ServerStatus.INITIALIZING
    done = await hz.actions.wait(res.action, *res.next_actions)
    assert [a.command for a in done] == ["create_server", "start_server"]
    server = await hz.servers.get(res.server.id)
    assert server.status is ServerStatus.RUNNING
    assert [f.id for f in server.public_net.firewalls or []] == [fw.id]

    await hz.actions.wait(await hz.servers.power_off(server.id))
    assert (await hz.servers.get(server.id)).status is ServerStatus.OFF
    await hz.actions.wait(await hz.servers.power_on(server.id))
    assert (await hz.servers.get(server.id)).status is ServerStatus.RUNNING

    await hz.actions.wait(
        *await hz.firewalls.remove_from_resources(fw.id, [FirewallResource.for_server(server.id)])
    )
    assert (await hz.servers.get(server.id)).public_net.firewalls == []
    await hz.actions.wait(
        *await hz.firewalls.apply_to_resources(
            fw.id, [FirewallResource.for_label_selector("role=web")]
        )
    )
    applied = await hz.firewalls.get(fw.id)
    assert [r.type for r in applied.applied_to] == ["label_selector"]

    found = [s.name async for s in hz.servers.iter(label_selector="role=web")]
    assert found == ["web-1"]

    await hz.actions.wait(await hz.servers.delete(server.id))
    assert fake.state.servers == {}
    await hz.actions.wait(
        *await hz.firewalls.remove_from_resources(
            fw.id, [FirewallResource.for_label_selector("role=web")]
        )
    )
    await hz.firewalls.delete(fw.id)
    await hz.ssh_keys.delete(key.id)
    assert fake.state.firewalls == {}
    assert fake.state.ssh_keys == {}


async def test_label_selector_listing_across_several_pages(hz: HetznerClient) -> None:
    """120 servers, 60 of them role=web: iter walks three pages and returns exactly those."""
    for i in range(120):
        await hz.servers.create(
            name=f"s-{i:03d}",
            server_type="cx22",
            image="debian-12",
            labels={"role": "web" if i % 2 else "db", "n": str(i)},
            start_after_create=False,
        )
    web = [s.name async for s in hz.servers.iter(label_selector="role=web", sort="name:desc")]
    assert web == [f"s-{i:03d}" for i in range(119, 0, -2)]
    db = await hz.servers.list(label_selector={"role": "db"})
    assert len(db) == 60
    assert len(await hz.servers.list(label_selector="role in (web,db),n notin (1,2,3)")) == 117
    assert len(await hz.servers.list(label_selector="!role")) == 0


async def test_every_server_action_against_the_fake(hz: HetznerClient) -> None:
    res = await hz.servers.create(name="box", server_type="cx22", image="debian-12")
    assert res.root_password  # no SSH key: the API generates one
    await hz.actions.wait(res.action, *res.next_actions)
    sid = res.server.id
    for call in (hz.servers.reboot, hz.servers.reset, hz.servers.shutdown, hz.servers.power_on):
        await hz.actions.wait(await call(sid))
    await hz.actions.wait(await hz.servers.power_off(sid))
    await hz.actions.wait(await hz.servers.change_type(sid, server_type="cx32", upgrade_disk=False))
    assert (await hz.servers.get(sid)).server_type.name == "cx32"
    rescue = await hz.servers.enable_rescue(sid, type="linux64")
    assert rescue.root_password
    await hz.actions.wait(rescue.action)
    await hz.actions.wait(await hz.servers.disable_rescue(sid))
    await hz.actions.wait(await hz.servers.power_on(sid))
    rebuilt = await hz.servers.rebuild(sid, image="ubuntu-24.04")
    await hz.actions.wait(rebuilt.action)
    console = await hz.servers.request_console(sid)
    assert console.wss_url.startswith("wss://")
    assert console.password
    assert console.password not in repr(console)
    await hz.actions.wait(console.action)
    reset = await hz.servers.reset_password(sid)
    assert reset.root_password
    assert reset.root_password not in repr(reset)
    await hz.actions.wait(reset.action)
    renamed = await hz.servers.update(sid, name="box-2", labels={"tier": "gold"})
    assert (renamed.name, renamed.labels) == ("box-2", {"tier": "gold"})
    assert (await hz.servers.get_by_name("box-2")) is not None
    assert (await hz.servers.get_by_name("box")) is None


async def test_protection_blocks_delete(hz: HetznerClient) -> None:
    res = await hz.servers.create(name="keep", server_type="cx22", image="debian-12")
    await hz.actions.wait(res.action, *res.next_actions)
    await hz.actions.wait(
        await hz.servers.change_protection(res.server.id, delete=True, rebuild=True)
    )
    with pytest.raises(ProtectedError) as raised:
        await hz.servers.delete(res.server.id)
    assert raised.value.status == 423
    assert raised.value.correlation_id


async def test_the_401_404_409_422_and_423_paths(
    hz: HetznerClient, make_client: object, fake: FakeHetznerCloud
) -> None:
    async with HetznerClient("wrong-token", endpoint=fake.url) as stranger:
        with pytest.raises(UnauthorizedError) as unauthorized:
            await stranger.servers.list()
        assert unauthorized.value.status == 401
    with pytest.raises(NotFoundError):
        await hz.servers.get(999_999)
    await hz.ssh_keys.create(name="ops", public_key=PUBLIC_KEY)
    with pytest.raises(UniquenessError) as duplicate:
        await hz.ssh_keys.create(name="ops-2", public_key=PUBLIC_KEY)
    assert duplicate.value.fields == ["public_key"]
    with pytest.raises(InvalidInputError) as invalid:
        await hz.servers.create(name="x", server_type="no-such-type", image="debian-12")
    assert "server_type" in invalid.value.fields
    res = await hz.servers.create(name="busy", server_type="cx22", image="debian-12")
    with pytest.raises(LockedError):
        await hz.servers.power_off(res.server.id)  # create_server is still running


async def test_rate_limit_follows_the_headers(hz: HetznerClient) -> None:
    assert hz.rate_limit is None
    await hz.servers.list()
    first = hz.rate_limit
    await hz.servers.list()
    second = hz.rate_limit
    assert first is not None
    assert second is not None
    assert (first.limit, second.remaining) == (3600, first.remaining - 1)


@covers("servers.create_and_wait", "servers.deprovision")
async def test_create_and_wait_then_deprovision_by_label(
    hz: HetznerClient, fake: FakeHetznerCloud
) -> None:
    servers = [
        await hz.servers.create_and_wait(
            name=f"fleet-{i}", server_type="cx22", image="debian-12", labels={"run": "r1"}
        )
        for i in range(3)
    ]
    assert {s.status for s in servers} == {ServerStatus.RUNNING}
    assert all(s.labels[CREATE_MARKER] for s in servers)
    await hz.servers.create(
        name="other", server_type="cx22", image="debian-12", labels={"run": "r2"}
    )
    report = await hz.servers.deprovision("run=r1")
    assert sorted(s.name for s in report.deleted) == ["fleet-0", "fleet-1", "fleet-2"]
    assert report.failed == {}
    assert [s["name"] for s in fake.state.servers.values()] == ["other"]


async def test_an_action_that_ends_in_error_raises(
    hz: HetznerClient, fake: FakeHetznerCloud
) -> None:
    from hetzner_async.errors import ActionFailedError

    fake.fail_next_action("create_server", code="no_capacity", message="no capacity left")
    with pytest.raises(ActionFailedError) as failed:
        await hz.servers.create_and_wait(name="doomed", server_type="cx22", image="debian-12")
    assert (failed.value.code, failed.value.message) == ("no_capacity", "no capacity left")


async def test_deprovision_waits_for_servers_still_being_created(
    hz: HetznerClient, fake: FakeHetznerCloud
) -> None:
    """Servers whose create action still runs are locked: deprovision waits, then deletes."""
    for i in range(5):
        await hz.servers.create(
            name=f"young-{i}", server_type="cx22", image="debian-12", labels={"run": "y"}
        )
    report = await hz.servers.deprovision({"run": "y"})
    assert report.failed == {}
    assert len(report.deleted) == 5
    assert fake.sync().servers == {}
