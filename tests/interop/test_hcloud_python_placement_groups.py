"""hcloud-python (the official Python client) against the fake: placement groups.

A cycle a user runs with the official client: create groups, create servers in them, move a
powered-off server between groups, list and rename, errors, delete. Actions are awaited with
hcloud's own poller.
"""

from __future__ import annotations

import pytest
from hcloud import APIException, Client
from hcloud.images import Image
from hcloud.placement_groups import PlacementGroup
from hcloud.server_types import ServerType

from .pyclient import api_code, finish
from .standalone import StandaloneFake

pytestmark = pytest.mark.interop


def test_placement_group_cycle(hcloud_client: Client, fake: StandaloneFake) -> None:
    created = hcloud_client.placement_groups.create("spread-a", "spread", labels={"run": "pg"})
    assert created.action is None
    group = created.placement_group
    assert (group.type, group.servers, group.labels) == ("spread", [], {"run": "pg"})
    other = hcloud_client.placement_groups.create("spread-b", "spread").placement_group

    made = hcloud_client.servers.create(
        "pg-web-1",
        server_type=ServerType(name="cx22"),
        image=Image(name="debian-12"),
        placement_group=group,
    )
    finish([made.action, *made.next_actions])
    server = hcloud_client.servers.get_by_id(made.server.id)
    assert server.placement_group is not None
    assert server.placement_group.id == group.id
    group.reload()
    assert group.servers == [server.id]

    with pytest.raises(APIException) as running:
        server.add_to_placement_group(other)
    assert api_code(running) == "server_not_stopped"
    finish(server.power_off())
    with pytest.raises(APIException) as already:
        server.add_to_placement_group(other)
    assert api_code(already) == "already_in_placement_group"
    finish(server.remove_from_placement_group())
    finish(server.add_to_placement_group(PlacementGroup(id=other.id)))
    server.reload()
    assert server.placement_group is not None
    assert server.placement_group.name == "spread-b"

    page = hcloud_client.placement_groups.get_list(type="spread", sort=["name:desc"])
    assert [g.name for g in page.placement_groups] == ["spread-b", "spread-a"]
    assert [g.id for g in hcloud_client.placement_groups.get_all(label_selector="run=pg")] == [
        group.id
    ]
    renamed = group.update(name="spread-c", labels={})
    assert (renamed.name, renamed.labels) == ("spread-c", {})
    found = hcloud_client.placement_groups.get_by_name("spread-c")
    assert found is not None
    assert found.id == group.id
    with pytest.raises(APIException) as taken:
        hcloud_client.placement_groups.create("spread-b", "spread")
    assert api_code(taken) == "uniqueness_error"

    assert other.delete() is True
    server.reload()
    assert server.placement_group is None
    assert hcloud_client.placement_groups.delete(group) is True
    assert fake.state()["placement_groups"] == []


def test_full_group(hcloud_client: Client, fake: StandaloneFake) -> None:
    group = hcloud_client.placement_groups.create("full", "spread").placement_group
    for i in range(10):
        fake.api(
            "POST",
            "/servers",
            {
                "name": f"full-{i}",
                "server_type": "cx22",
                "image": "debian-12",
                "placement_group": group.id,
            },
        )
    with pytest.raises(APIException) as full:
        hcloud_client.servers.create(
            "full-10",
            server_type=ServerType(name="cx22"),
            image=Image(name="debian-12"),
            placement_group=group,
        )
    assert api_code(full) == "placement_error"
    group.reload()
    assert len(group.servers) == 10
