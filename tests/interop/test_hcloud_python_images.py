"""hcloud-python (the official Python client) against the fake: snapshots, backups, metrics.

Each test is one step group of a user's cycle, with hcloud's own action waiting
(``BoundAction.wait_until_finished``), against the standalone fake in its own process.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hcloud import APIException, Client
from hcloud.images import Image
from hcloud.server_types import ServerType

from .pyclient import api_code, finish, make_server
from .standalone import StandaloneFake

pytestmark = pytest.mark.interop


def test_snapshot_cycle(hcloud_client: Client, fake: StandaloneFake) -> None:
    server = make_server(hcloud_client, "golden-1")
    finish(server.shutdown())
    made = server.create_image(description="golden", labels={"fleet": "a"})
    assert made.image.status == "creating"
    assert made.image.type == "snapshot"
    finish(made.action)

    snapshot = hcloud_client.images.get_by_id(made.image.id)
    assert snapshot.status == "available"
    assert snapshot.name is None
    assert snapshot.created_from.id == server.id
    assert snapshot.architecture == "x86"
    listed = hcloud_client.images.get_all(type=["snapshot"], label_selector="fleet=a")
    assert [image.id for image in listed] == [snapshot.id]

    # The snapshot boots a new server (by id: snapshots have no name).
    clone = hcloud_client.servers.create(
        "golden-2", server_type=ServerType(name="cx22"), image=Image(id=snapshot.id)
    )
    finish([clone.action, *clone.next_actions])
    assert hcloud_client.servers.get_by_id(clone.server.id).image.id == snapshot.id

    updated = snapshot.update(description="v2", labels={"fleet": "b"})
    assert (updated.description, updated.labels) == ("v2", {"fleet": "b"})
    finish(snapshot.change_protection(delete=True))
    with pytest.raises(APIException) as protected:
        snapshot.delete()
    assert api_code(protected) == "protected"
    finish(snapshot.change_protection(delete=False))
    commands = [a.command for a in snapshot.get_actions(sort=["id"])]
    assert commands == ["create_image", "change_protection", "change_protection"]
    assert snapshot.delete() is True
    with pytest.raises(APIException) as gone:
        hcloud_client.images.get_by_id(snapshot.id)
    assert api_code(gone) == "not_found"
    assert [i for i in fake.state()["images"] if i["id"] == snapshot.id] == []


def test_backup_cycle(hcloud_client: Client, fake: StandaloneFake) -> None:
    server = make_server(hcloud_client, "backed-1")
    with pytest.raises(APIException) as not_enabled:
        server.create_image(type="backup")
    assert api_code(not_enabled) == "invalid_input"
    finish(server.enable_backup())
    server.reload()
    assert server.backup_window is not None

    first = server.create_image(type="backup")
    finish(first.action)
    second = server.create_image(type="backup")
    finish(second.action)
    backups = hcloud_client.images.get_all(bound_to=[str(server.id)])
    assert sorted(b.id for b in backups) == sorted([first.image.id, second.image.id])
    assert {b.type for b in backups} == {"backup"}

    kept = hcloud_client.images.update(first.image, type="snapshot")
    assert (kept.type, kept.bound_to) == ("snapshot", None)
    with pytest.raises(APIException) as unsupported:
        hcloud_client.images.change_protection(second.image, delete=True)
    assert api_code(unsupported) == "unsupported_error"

    finish(server.disable_backup())
    server.reload()
    assert server.backup_window is None
    assert hcloud_client.images.get_all(type=["backup"]) == []
    finish(server.delete())
    state = fake.state()
    assert [(i["id"], i["type"]) for i in state["images"]] == [(first.image.id, "snapshot")]


def test_system_images_stay(hcloud_client: Client) -> None:
    debian = hcloud_client.images.get_by_name_and_architecture("debian-12", "x86")
    assert debian is not None
    with pytest.raises(APIException) as refused:
        debian.delete()
    assert api_code(refused) == "unsupported_error"
    with pytest.raises(APIException) as not_updated:
        debian.update(description="mine")
    assert api_code(not_updated) == "unsupported_error"


def test_server_metrics(hcloud_client: Client) -> None:
    server = make_server(hcloud_client, "metered-1")
    end = dt.datetime(2023, 11, 14, 21, 0, tzinfo=dt.UTC)
    start = end - dt.timedelta(hours=1)
    got = server.get_metrics(type=["cpu", "disk"], start=start, end=end, step=60)
    metrics = got.metrics
    assert (metrics.start, metrics.end, metrics.step) == (start, end, 60)
    assert set(metrics.time_series) == {
        "cpu",
        "disk.0.iops.read",
        "disk.0.iops.write",
        "disk.0.bandwidth.read",
        "disk.0.bandwidth.write",
    }
    values = metrics.time_series["cpu"]["values"]
    assert len(values) == 61
    assert values[0][0] == start.timestamp()
    assert all(0 <= float(value) <= 100 for _, value in values)
    # No step: at most 200 samples.
    day = server.get_metrics(type="network", start=end - dt.timedelta(days=1), end=end)
    assert 0 < len(day.metrics.time_series["network.0.pps.in"]["values"]) <= 200
    with pytest.raises(APIException) as backwards:
        server.get_metrics(type="cpu", start=end, end=start)
    assert api_code(backwards) == "invalid_input"
