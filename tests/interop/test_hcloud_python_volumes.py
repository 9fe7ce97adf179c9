"""hcloud-python (the official Python client) against the fake: a volume's whole cycle.

Create (in a location and for a server), get, list, update, attach, resize, detach, protection,
actions and delete, a server created with volumes, and the API's errors, with hcloud's own
action waiting (``BoundAction.wait_until_finished``).
"""

from __future__ import annotations

import pytest
from hcloud import APIException, Client
from hcloud.images import Image
from hcloud.locations import Location
from hcloud.server_types import ServerType

from .pyclient import api_code, finish, make_server

pytestmark = pytest.mark.interop


def test_volume_cycle(hcloud_client: Client) -> None:
    server = make_server(hcloud_client, "vol-host")  # in fsn1
    fsn1 = hcloud_client.locations.get_by_name("fsn1")
    assert fsn1 is not None

    created = hcloud_client.volumes.create(
        10, "data", labels={"app": "db"}, location=fsn1, format="xfs"
    )
    assert created.volume.status == "creating"
    assert created.next_actions == []
    finish(created.action)
    volume = hcloud_client.volumes.get_by_id(created.volume.id)
    assert (volume.status, volume.size, volume.format) == ("available", 10, "xfs")
    assert volume.location.name == "fsn1"
    assert volume.server is None
    assert hcloud_client.volumes.get_by_name("data").id == volume.id
    assert [v.id for v in hcloud_client.volumes.get_all(label_selector="app=db")] == [volume.id]
    assert hcloud_client.volumes.get_all(status=["creating"]) == []

    updated = volume.update(name="data-1", labels={"app": "db", "tier": "a"})
    assert (updated.name, updated.labels) == ("data-1", {"app": "db", "tier": "a"})

    finish(volume.attach(server, automount=True))
    volume.reload()
    assert volume.server.id == server.id
    server.reload()
    assert [v.id for v in server.volumes] == [volume.id]

    finish(volume.resize(20))
    volume.reload()
    assert volume.size == 20

    finish(volume.detach())
    volume.reload()
    assert volume.server is None

    finish(volume.change_protection(delete=True))
    with pytest.raises(APIException) as protected:
        volume.delete()
    assert api_code(protected) == "protected"
    finish(volume.change_protection(delete=False))

    commands = [a.command for a in volume.get_actions(sort=["id"])]
    assert commands == [
        "create_volume",
        "attach_volume",
        "resize_volume",
        "detach_volume",
        "change_protection",
        "change_protection",
    ]
    assert volume.delete() is True
    assert hcloud_client.volumes.get_all() == []


def test_volume_created_for_a_server(hcloud_client: Client) -> None:
    server = make_server(hcloud_client, "vol-owner")
    created = hcloud_client.volumes.create(15, "owned", server=server, automount=True)
    assert [a.command for a in created.next_actions] == ["attach_volume"]
    finish([created.action, *created.next_actions])
    volume = hcloud_client.volumes.get_by_id(created.volume.id)
    assert volume.server.id == server.id
    assert volume.location.name == server.location.name

    with pytest.raises(APIException) as attached:
        volume.delete()
    assert api_code(attached) == "service_error"
    other = make_server(hcloud_client, "vol-other")
    with pytest.raises(APIException) as taken:
        volume.attach(other)
    assert api_code(taken) == "volume_already_attached"

    finish(server.delete())
    volume.reload()
    assert volume.server is None
    finish(volume.attach(other))
    finish(volume.detach())
    assert volume.delete() is True


def test_server_created_with_volumes(hcloud_client: Client) -> None:
    made = [
        hcloud_client.volumes.create(10, f"boot-{i}", location=Location(name="nbg1"))
        for i in range(2)
    ]
    finish([m.action for m in made])
    volumes = [m.volume for m in made]
    created = hcloud_client.servers.create(
        "with-volumes",
        server_type=ServerType(name="cx22"),
        image=Image(name="debian-12"),
        location=Location(name="nbg1"),
        volumes=volumes,
        automount=True,
    )
    assert sorted(a.command for a in created.next_actions) == [
        "attach_volume",
        "attach_volume",
        "start_server",
    ]
    finish([created.action, *created.next_actions])
    server = hcloud_client.servers.get_by_id(created.server.id)
    assert sorted(v.id for v in server.volumes) == sorted(v.id for v in volumes)

    with pytest.raises(APIException) as elsewhere:
        hcloud_client.volumes.create(10, "wrong-place", location=Location(name="atlantis"))
    assert api_code(elsewhere) == "invalid_input"
    with pytest.raises(APIException) as taken:
        hcloud_client.volumes.create(10, "boot-0", location=Location(name="nbg1"))
    assert api_code(taken) == "uniqueness_error"
