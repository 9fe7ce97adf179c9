"""``hz.placement_groups`` and the servers' placement actions against the fake, end to end."""

from __future__ import annotations

import pytest

from hetzner_async import HetznerClient
from hetzner_async.errors import APIError, InvalidInputError, NotFoundError, UniquenessError
from hetzner_async.models import ServerStatus
from hetzner_async.testing import FakeHetznerCloud


async def test_groups_spread_a_fleet_and_servers_move_while_off(
    hz: HetznerClient, fake: FakeHetznerCloud
) -> None:
    groups = [
        (await hz.placement_groups.create(name=f"spread-{i}", type="spread", labels={"run": "a"}))
        for i in range(2)
    ]
    assert all(g.action is None for g in groups)
    first, second = (g.placement_group for g in groups)
    created = [
        await hz.servers.create(
            name=f"web-{i}", server_type="cx22", image="debian-12", placement_group=first.id
        )
        for i in range(3)
    ]
    await hz.actions.wait(*(a for c in created for a in (c.action, *c.next_actions)))
    ids = [c.server.id for c in created]
    group = await hz.placement_groups.get(first.id)
    assert group.servers == ids
    server = await hz.servers.get(ids[0])
    assert server.placement_group is not None
    assert (server.placement_group.id, server.placement_group.servers) == (first.id, ids)

    with pytest.raises(APIError) as running:
        await hz.servers.add_to_placement_group(ids[0], placement_group=second.id)
    assert (running.value.status, running.value.code) == (422, "server_not_stopped")
    await hz.actions.wait(await hz.servers.power_off(ids[0]))
    with pytest.raises(APIError) as already:
        await hz.servers.add_to_placement_group(ids[0], placement_group=second.id)
    assert already.value.code == "already_in_placement_group"
    await hz.actions.wait(await hz.servers.remove_from_placement_group(ids[0]))
    await hz.actions.wait(
        await hz.servers.add_to_placement_group(ids[0], placement_group=second.id)
    )
    assert (await hz.placement_groups.get(second.id)).servers == [ids[0]]
    assert (await hz.placement_groups.get(first.id)).servers == ids[1:]
    moved = await hz.servers.get(ids[0])
    assert moved.status is ServerStatus.OFF
    assert moved.placement_group is not None
    assert moved.placement_group.name == "spread-1"

    found = await hz.placement_groups.get_by_name("spread-0")
    assert found is not None
    assert found.id == first.id
    assert [
        g.id for g in await hz.placement_groups.list(label_selector="run=a", type="spread")
    ] == [
        first.id,
        second.id,
    ]
    renamed = await hz.placement_groups.update(first.id, name="front", labels={"run": "b"})
    assert (renamed.name, renamed.labels) == ("front", {"run": "b"})
    assert (await hz.servers.get(ids[1])).placement_group.name == "front"  # type: ignore[union-attr]

    report = await hz.deprovision("run=a", kinds=("placement_groups",))
    assert report.deleted == {"placement_groups": [second.id]}
    assert (await hz.servers.get(ids[0])).placement_group is None
    await hz.placement_groups.delete(first.id)
    assert fake.state.placement_groups == {}


async def test_a_full_group_refuses_the_eleventh_server(hz: HetznerClient) -> None:
    group = (await hz.placement_groups.create(name="ten", type="spread")).placement_group
    for i in range(10):
        await hz.servers.create(
            name=f"s-{i}", server_type="cx22", image="debian-12", placement_group=group.id
        )
    with pytest.raises(APIError) as full:
        await hz.servers.create(
            name="s-10", server_type="cx22", image="debian-12", placement_group=group.id
        )
    assert (full.value.status, full.value.code) == (422, "placement_error")
    assert len((await hz.placement_groups.get(group.id)).servers) == 10
    assert await hz.servers.get_by_name("s-10") is None


async def test_group_errors(hz: HetznerClient) -> None:
    await hz.placement_groups.create(name="pg", type="spread")
    with pytest.raises(UniquenessError):
        await hz.placement_groups.create(name="pg", type="spread")
    with pytest.raises(InvalidInputError) as bad_type:
        await hz.placement_groups.create(name="other", type="cluster")
    assert "type" in bad_type.value.fields
    with pytest.raises(NotFoundError):
        await hz.placement_groups.get(1)
    with pytest.raises(InvalidInputError) as missing:
        await hz.servers.create(
            name="x", server_type="cx22", image="debian-12", placement_group=12345
        )
    assert "placement_group" in missing.value.fields
