"""The SDK's images, backups and server metrics against the fake cloud over loopback."""

from __future__ import annotations

import datetime as dt

import pytest

from hetzner_async import HetznerClient
from hetzner_async.errors import (
    InvalidInputError,
    NotFoundError,
    ProtectedError,
    UnsupportedError,
)
from hetzner_async.testing import FakeHetznerCloud
from hetzner_async.testing.faults import FaultKind

DEBIAN_X86 = 114690387


async def running(hz: HetznerClient, name: str, server_type: str = "cx22") -> int:
    res = await hz.servers.create(name=name, server_type=server_type, image="debian-12")
    await hz.actions.wait(res.action, *res.next_actions)
    return res.server.id


async def test_snapshot_boot_update_protect_delete(hz: HetznerClient) -> None:
    sid = await running(hz, "base")
    await hz.actions.wait(await hz.servers.shutdown(sid))
    made = await hz.servers.create_image(sid, description="golden", labels={"fleet": "a"})
    assert made.image.status == "creating"
    assert made.image.name is None
    assert made.image.created_from is not None
    assert made.image.created_from.name == "base"
    await hz.actions.wait(made.action)
    snapshot = await hz.images.get(made.image.id)
    assert snapshot.status == "available"
    assert snapshot.image_size is not None
    assert snapshot.disk_size == 40
    # A snapshot has no name: it boots a server by id.
    clone = await hz.servers.create(name="clone", server_type="cx22", image=snapshot.id)
    await hz.actions.wait(clone.action, *clone.next_actions)
    assert (await hz.servers.get(clone.server.id)).image.id == snapshot.id

    found = await hz.images.list(type="snapshot", label_selector="fleet=a")
    assert [image.id for image in found] == [snapshot.id]
    updated = await hz.images.update(snapshot.id, description="v2", labels={"fleet": "b"})
    assert (updated.description, updated.labels) == ("v2", {"fleet": "b"})

    await hz.actions.wait(await hz.images.change_protection(snapshot.id, delete=True))
    assert (await hz.images.get(snapshot.id)).protection.delete is True
    with pytest.raises(ProtectedError):
        await hz.images.delete(snapshot.id)
    await hz.actions.wait(await hz.images.change_protection(snapshot.id, delete=False))
    await hz.images.delete(snapshot.id)
    with pytest.raises(NotFoundError):
        await hz.images.get(snapshot.id)
    actions = await hz.images.list_actions(sort="id")
    assert [a.command for a in actions] == [
        "create_image",
        "change_protection",
        "change_protection",
    ]


async def test_backups_enable_convert_disable(hz: HetznerClient) -> None:
    sid = await running(hz, "db")
    with pytest.raises(InvalidInputError) as not_enabled:
        await hz.servers.create_image(sid, type="backup")
    assert list(not_enabled.value.fields) == ["type"]
    await hz.actions.wait(await hz.servers.enable_backup(sid))
    assert (await hz.servers.get(sid)).backup_window is not None
    first = await hz.servers.create_image(sid, type="backup")
    await hz.actions.wait(first.action)
    second = await hz.servers.create_image(sid, type="backup")
    await hz.actions.wait(second.action)
    backups = await hz.images.list(bound_to=sid)
    assert [(b.type, b.bound_to) for b in backups] == [("backup", sid), ("backup", sid)]

    kept = await hz.images.update(first.image.id, type="snapshot")
    assert (kept.type, kept.bound_to) == ("snapshot", None)
    with pytest.raises(UnsupportedError):
        await hz.images.change_protection(second.image.id, delete=True)

    await hz.actions.wait(await hz.servers.disable_backup(sid))
    assert (await hz.servers.get(sid)).backup_window is None
    assert await hz.images.list(type="backup") == []
    await hz.actions.wait(await hz.servers.delete(sid))
    left = await hz.images.list(type=["snapshot", "backup"])
    assert [image.id for image in left] == [first.image.id]


async def test_what_the_api_refuses(hz: HetznerClient) -> None:
    with pytest.raises(UnsupportedError):
        await hz.images.delete(DEBIAN_X86)
    with pytest.raises(UnsupportedError):
        await hz.images.update(DEBIAN_X86, description="mine")
    sid = await running(hz, "big", server_type="cx32")
    # (That an image still creating cannot boot a server is tested on a manual clock, in
    # tests/testing/test_images.py: here the action's 50 ms may be over before the request.)
    made = await hz.servers.create_image(sid)
    await hz.actions.wait(made.action)
    with pytest.raises(InvalidInputError):  # 80 GB disk on a 40 GB type
        await hz.servers.create(name="small", server_type="cx22", image=made.image.id)
    with pytest.raises(InvalidInputError):  # x86 image on an arm type
        await hz.servers.create(name="arm", server_type="cax21", image=made.image.id)


async def test_rebuild_keeps_a_stopped_server_off(hz: HetznerClient) -> None:
    sid = await running(hz, "idle")
    await hz.actions.wait(await hz.servers.power_off(sid))
    rebuilt = await hz.servers.rebuild(sid, image="ubuntu-24.04")
    await hz.actions.wait(rebuilt.action)
    server = await hz.servers.get(sid)
    assert (server.status, server.image.name) == ("off", "ubuntu-24.04")


async def test_create_image_is_not_repeated_when_the_answer_is_lost(
    hz: HetznerClient, fake: FakeHetznerCloud
) -> None:
    sid = await running(hz, "flaky")
    fake.add_fault(
        kind=FaultKind.DROP_AFTER, method="POST", path="/servers/{id}/actions/create_image"
    )
    made = await hz.servers.create_image(sid, labels={"k": "v"})
    assert fake.stats.faults.get("drop_after") == 1
    snapshots = fake.sync().images
    own = [i for i in snapshots.values() if i["type"] == "snapshot"]
    assert [i["id"] for i in own] == [made.image.id]
    assert made.action.command == "create_image"
    await hz.actions.wait(made.action)
    assert (await hz.images.get(made.image.id)).labels["k"] == "v"


async def test_server_metrics(hz: HetznerClient) -> None:
    sid = await running(hz, "busy")
    end = dt.datetime(2023, 11, 14, 21, 0, tzinfo=dt.UTC)
    start = end - dt.timedelta(hours=1)
    metrics = await hz.servers.metrics(sid, type=["cpu", "network"], start=start, end=end, step=60)
    assert (metrics.start, metrics.end, metrics.step) == (start, end, 60)
    assert set(metrics.time_series) == {
        "cpu",
        "network.0.pps.in",
        "network.0.pps.out",
        "network.0.bandwidth.in",
        "network.0.bandwidth.out",
    }
    points = metrics.time_series["cpu"].points
    assert len(points) == 61
    assert (points[0].time, points[-1].time) == (start, end)
    assert all(0 <= p.value <= 100 for p in points)
    day = await hz.servers.metrics(sid, type="disk", start=end - dt.timedelta(days=1), end=end)
    assert 0 < len(day.time_series["disk.0.iops.read"].values) <= 200
    again = await hz.servers.metrics(sid, type=["cpu", "network"], start=start, end=end, step=60)
    assert again == metrics
