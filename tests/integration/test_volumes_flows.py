"""``hz.volumes`` end to end against the fake cloud: create, attach, resize, detach, delete."""

from __future__ import annotations

import pytest

from hetzner_async import HetznerClient
from hetzner_async.errors import (
    ActionFailedError,
    APIError,
    InvalidInputError,
    LockedError,
    NotFoundError,
    ProtectedError,
    ServiceError,
    UniquenessError,
)
from hetzner_async.models import VolumeStatus
from hetzner_async.resources._base import CREATE_MARKER
from hetzner_async.testing import FakeHetznerCloud
from hetzner_async.testing.resources.volume_links import VolumeLinks


async def running_server(hz: HetznerClient, name: str, location: str = "fsn1") -> int:
    server = await hz.servers.create_and_wait(
        name=name, server_type="cx22", image="debian-12", location=location
    )
    return server.id


async def test_volume_lifecycle_in_a_location(hz: HetznerClient, fake: FakeHetznerCloud) -> None:
    created = await hz.volumes.create(
        name="data", size=10, location="nbg1", format="ext4", labels={"app": "db"}
    )
    assert created.volume.status is VolumeStatus.CREATING
    assert created.next_actions == []
    [done] = await hz.actions.wait(created.action)
    assert done.command == "create_volume"
    vid = created.volume.id
    volume = await hz.volumes.get(vid)
    assert (volume.status, volume.server, volume.format) == (VolumeStatus.AVAILABLE, None, "ext4")
    assert volume.location.name == "nbg1"
    assert volume.linux_device.endswith(f"_{vid}")
    assert volume.labels["app"] == "db"
    assert volume.labels[CREATE_MARKER]

    found = await hz.volumes.get_by_name("data")
    assert found is not None
    assert found.id == vid
    assert [v.id for v in await hz.volumes.list(label_selector="app=db", status="available")] == [
        vid
    ]
    assert [v.name async for v in hz.volumes.iter(status=VolumeStatus.CREATING)] == []

    renamed = await hz.volumes.update(vid, name="data-2", labels={"app": "db", "tier": "1"})
    assert (renamed.name, renamed.labels) == ("data-2", {"app": "db", "tier": "1"})
    await hz.actions.wait(await hz.volumes.resize(vid, size=25))
    assert (await hz.volumes.get(vid)).size == 25
    with pytest.raises(InvalidInputError):
        await hz.volumes.resize(vid, size=20)  # volumes never shrink

    await hz.actions.wait(await hz.volumes.change_protection(vid, delete=True))
    with pytest.raises(ProtectedError):
        await hz.volumes.delete(vid)
    await hz.actions.wait(await hz.volumes.change_protection(vid, delete=False))
    actions = await hz.volumes.list_actions(vid, sort="id")
    assert [a.command for a in actions] == [
        "create_volume",
        "resize_volume",
        "change_protection",
        "change_protection",
    ]
    assert (await hz.volumes.get_action(actions[1].id)).command == "resize_volume"
    assert len(await hz.volumes.list_actions(status=["success"])) == 4

    await hz.volumes.delete(vid)
    with pytest.raises(NotFoundError):
        await hz.volumes.get(vid)
    assert fake.state.volumes == {}


async def test_volume_for_a_server_attach_detach_cycle(
    hz: HetznerClient, fake: FakeHetznerCloud
) -> None:
    web = await running_server(hz, "web")
    other = await running_server(hz, "other")
    far = await running_server(hz, "far", location="nbg1")

    created = await hz.volumes.create(name="web-data", size=10, server=web, automount=True)
    assert [a.command for a in created.next_actions] == ["attach_volume"]
    await hz.actions.wait(created.action, *created.next_actions)
    vid = created.volume.id
    assert (await hz.volumes.get(vid)).server == web
    assert (await hz.servers.get(web)).volumes == [vid]

    with pytest.raises(APIError) as taken:
        await hz.volumes.attach(vid, server=other)
    assert (taken.value.status, taken.value.code) == (422, "volume_already_attached")
    with pytest.raises(ServiceError) as attached:
        await hz.volumes.delete(vid)
    assert "still attached" in attached.value.message

    detach = await hz.volumes.detach(vid)
    with pytest.raises(LockedError):
        await hz.volumes.attach(vid, server=other)  # the detach still runs
    await hz.actions.wait(detach)
    assert (await hz.servers.get(web)).volumes == []
    with pytest.raises(InvalidInputError) as away:
        await hz.volumes.attach(vid, server=far)
    assert away.value.fields == {"server": ["server and volume must be in the same location"]}
    await hz.actions.wait(await hz.volumes.attach(vid, server=other, automount=False))
    assert (await hz.servers.get(other)).volumes == [vid]
    await hz.actions.wait(await hz.volumes.detach(vid))
    await hz.volumes.delete(vid)
    assert fake.state.volumes == {}


async def test_server_created_with_volumes_then_deleted(
    hz: HetznerClient, fake: FakeHetznerCloud
) -> None:
    made = [await hz.volumes.create(name=f"v{i}", size=10, location="hel1") for i in range(2)]
    await hz.actions.wait(*(m.action for m in made))
    ids = sorted(m.volume.id for m in made)
    result = await hz.servers.create(
        name="db",
        server_type="cx22",
        image="debian-12",
        location="hel1",
        volumes=ids,
        automount=True,
    )
    commands = sorted(a.command for a in result.next_actions)
    assert commands == ["attach_volume", "attach_volume", "start_server"]
    await hz.actions.wait(result.action, *result.next_actions)
    assert (await hz.servers.get(result.server.id)).volumes == ids
    with pytest.raises(APIError) as taken:
        await hz.servers.create(
            name="db2", server_type="cx22", image="debian-12", location="hel1", volumes=ids[:1]
        )
    assert taken.value.code == "volume_already_attached"

    await hz.actions.wait(await hz.servers.delete(result.server.id))
    volumes = await hz.volumes.list(sort="id")
    assert [(v.id, v.server, v.status) for v in volumes] == [
        (vid, None, VolumeStatus.AVAILABLE) for vid in ids
    ]
    for vid in ids:
        await hz.volumes.delete(vid)
    assert fake.state.volumes == {}


async def test_volume_errors_surface_as_their_classes(
    hz: HetznerClient, fake: FakeHetznerCloud
) -> None:
    await hz.volumes.create(name="dup", size=10, location="fsn1")
    with pytest.raises(UniquenessError):
        await hz.volumes.create(name="dup", size=10, location="fsn1")
    busy = await hz.servers.create(name="busy", server_type="cx22", image="debian-12")
    with pytest.raises(LockedError):
        await hz.volumes.create(name="for-busy", size=10, server=busy.server.id)
    with pytest.raises(InvalidInputError):
        await hz.volumes.create(name="nowhere", size=10, location="atlantis")
    fake.state.part(VolumeLinks).limits["fsn1"] = 15
    with pytest.raises(APIError) as full:
        await hz.volumes.create(name="big", size=10, location="fsn1")
    assert (full.value.status, full.value.code) == (422, "no_space_left_in_location")
    fake.fail_next_action("create_volume")
    failed = await hz.volumes.create(name="broken", size=10, location="nbg1")
    with pytest.raises(ActionFailedError):
        await hz.actions.wait(failed.action)


async def test_ambiguous_create_adopts_the_volume_and_its_attach(
    hz: HetznerClient, fake: FakeHetznerCloud
) -> None:
    web = await running_server(hz, "web")
    fake.add_fault(kind="drop_after", method="POST", path="/volumes")
    result = await hz.volumes.create(name="once", size=10, server=web)
    assert [a.command for a in (result.action, *result.next_actions)] == [
        "create_volume",
        "attach_volume",
    ]
    await hz.actions.wait(result.action, *result.next_actions)
    assert [v["name"] for v in fake.state.volumes.values()] == ["once"]
    assert (await hz.servers.get(web)).volumes == [result.volume.id]


async def test_deprovision_removes_servers_and_their_volumes(
    hz: HetznerClient, fake: FakeHetznerCloud
) -> None:
    servers = [await running_server(hz, f"node-{i}") for i in range(3)]
    for i, sid in enumerate(servers):
        made = await hz.volumes.create(
            name=f"node-{i}-data", size=10, server=sid, labels={"fleet": "f1"}
        )
        await hz.actions.wait(made.action, *made.next_actions)
    for sid in servers:
        await hz.servers.update(sid, labels={"fleet": "f1"})
    kept = await hz.volumes.create(name="kept", size=10, location="fsn1")
    report = await hz.deprovision("fleet=f1", kinds=("servers", "volumes"))
    assert report.complete
    assert len(report.deleted["servers"]) == 3
    assert len(report.deleted["volumes"]) == 3
    assert fake.state.servers == {}
    assert list(fake.state.volumes) == [kept.volume.id]
