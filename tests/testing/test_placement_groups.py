"""Placement groups: CRUD, joining at create or while off, at most 10 per spread group, leaving."""

from typing import Any

from hetzner_async.testing import FakeHetznerCloud, ManualClock

from .conftest import Api


async def create_group(api: Api, name: str = "spread-1", **fields: Any) -> dict[str, Any]:
    reply = await api.post("/placement_groups", {"name": name, "type": "spread", **fields})
    assert reply.status == 201, reply.body
    group: dict[str, Any] = reply.body["placement_group"]
    return group


async def off_server(api: Api, clock: ManualClock, name: str, **fields: Any) -> int:
    """A server that is off once its create action has ended."""
    sid: int = (await api.create_server(name, start_after_create=False, **fields)).body["server"][
        "id"
    ]
    clock.advance(1.0)
    return sid


async def group_servers(api: Api, gid: int) -> list[int]:
    servers: list[int] = (await api.get(f"/placement_groups/{gid}")).body["placement_group"][
        "servers"
    ]
    return servers


async def test_crud_list_filters_and_names(api: Api) -> None:
    created = await api.post(
        "/placement_groups", {"name": "pg", "type": "spread", "labels": {"env": "prod"}}
    )
    assert created.status == 201
    assert created.body["action"] is None
    group = created.body["placement_group"]
    assert (group["type"], group["servers"], group["labels"]) == ("spread", [], {"env": "prod"})
    other = await create_group(api, "other")
    listed = await api.get("/placement_groups", params={"label_selector": "env=prod"})
    assert [g["id"] for g in listed.body["placement_groups"]] == [group["id"]]
    by_type = await api.get("/placement_groups", params={"type": "spread", "sort": "name:desc"})
    assert [g["name"] for g in by_type.body["placement_groups"]] == ["pg", "other"]
    bad_type = await api.get("/placement_groups", params={"type": "cluster"})
    assert bad_type.body["error"]["code"] == "invalid_input"

    renamed = await api.put(f"/placement_groups/{group['id']}", {"name": "pg-2", "labels": {}})
    assert (renamed.body["placement_group"]["name"], renamed.body["placement_group"]["labels"]) == (
        "pg-2",
        {},
    )
    taken = await api.put(f"/placement_groups/{group['id']}", {"name": "other"})
    assert (taken.status, taken.body["error"]["code"]) == (409, "uniqueness_error")
    assert (await api.delete(f"/placement_groups/{other['id']}")).status == 204
    gone = await api.get(f"/placement_groups/{other['id']}")
    assert (gone.status, gone.body["error"]["code"]) == (404, "not_found")


async def test_create_validation(api: Api) -> None:
    for body in ({"name": "x"}, {"name": "x", "type": "cluster"}, {"type": "spread"}):
        reply = await api.post("/placement_groups", body)
        assert (reply.status, reply.body["error"]["code"]) == (422, "invalid_input"), body
    await create_group(api, "dup")
    dup = await api.post("/placement_groups", {"name": "dup", "type": "spread"})
    assert (dup.status, dup.body["error"]["code"]) == (409, "uniqueness_error")


async def test_server_created_in_a_group_shows_it(api: Api) -> None:
    group = await create_group(api)
    server = (await api.create_server("web", placement_group=group["id"])).body["server"]
    assert server["placement_group"] == {**group, "servers": [server["id"]]}
    assert await group_servers(api, group["id"]) == [server["id"]]
    listed = (await api.get("/servers")).body["servers"][0]
    assert listed["placement_group"]["id"] == group["id"]
    unknown = await api.post(
        "/servers",
        {"name": "x", "server_type": "cx22", "image": "debian-12", "placement_group": 999},
    )
    assert (unknown.status, unknown.body["error"]["code"]) == (422, "invalid_input")


async def test_a_spread_group_holds_ten_servers(api: Api, fake: FakeHetznerCloud) -> None:
    group = await create_group(api)
    for index in range(10):
        await api.create_server(f"s{index}", placement_group=group["id"])
    full = await api.post(
        "/servers",
        {
            "name": "s10",
            "server_type": "cx22",
            "image": "debian-12",
            "placement_group": group["id"],
        },
    )
    assert (full.status, full.body["error"]["code"]) == (422, "placement_error")
    assert len(fake.state.servers) == 10  # nothing was created
    assert len(await group_servers(api, group["id"])) == 10


async def test_add_to_group_only_while_off_and_only_one_group(api: Api, clock: ManualClock) -> None:
    group = await create_group(api)
    second = await create_group(api, "spread-2")
    running = (await api.create_server("running")).body["server"]["id"]
    clock.advance(2.0)
    path = f"/servers/{running}/actions/add_to_placement_group"
    not_off = await api.post(path, {"placement_group": group["id"]})
    assert (not_off.status, not_off.body["error"]["code"]) == (422, "server_not_stopped")

    sid = await off_server(api, clock, "db")
    path = f"/servers/{sid}/actions/add_to_placement_group"
    missing = await api.post(path, {"placement_group": 999})
    assert missing.body["error"]["code"] == "invalid_input"
    added = await api.post(path, {"placement_group": group["id"]})
    assert added.status == 201
    action = added.body["action"]
    assert (action["command"], action["resources"]) == (
        "add_to_placement_group",
        [{"id": sid, "type": "server"}],
    )
    server = (await api.get(f"/servers/{sid}")).body["server"]
    assert (server["locked"], server["placement_group"]["id"]) == (True, group["id"])
    locked = await api.post(f"/servers/{sid}/actions/poweron")
    assert (locked.status, locked.body["error"]["code"]) == (423, "locked")
    clock.advance(1.0)
    assert (await api.get(f"/actions/{action['id']}")).body["action"]["status"] == "success"
    again = await api.post(path, {"placement_group": second["id"]})
    assert (again.status, again.body["error"]["code"]) == (422, "already_in_placement_group")
    assert await group_servers(api, group["id"]) == [sid]
    assert await group_servers(api, second["id"]) == []


async def test_add_to_a_full_group(api: Api, clock: ManualClock) -> None:
    group = await create_group(api)
    for index in range(10):
        await api.create_server(f"s{index}", placement_group=group["id"])
    sid = await off_server(api, clock, "late")
    full = await api.post(
        f"/servers/{sid}/actions/add_to_placement_group", {"placement_group": group["id"]}
    )
    assert (full.status, full.body["error"]["code"]) == (422, "placement_error")


async def test_remove_from_group(api: Api, clock: ManualClock) -> None:
    group = await create_group(api)
    sid = (await api.create_server("web", placement_group=group["id"])).body["server"]["id"]
    clock.advance(2.0)
    removed = await api.post(f"/servers/{sid}/actions/remove_from_placement_group")
    assert removed.status == 201
    assert removed.body["action"]["command"] == "remove_from_placement_group"
    clock.advance(1.0)
    assert (await api.get(f"/servers/{sid}")).body["server"]["placement_group"] is None
    assert await group_servers(api, group["id"]) == []
    # In no group: nothing to remove, and nothing goes wrong.
    again = await api.post(f"/servers/{sid}/actions/remove_from_placement_group")
    assert again.status == 201


async def test_failed_add_leaves_the_group(
    api: Api, clock: ManualClock, fake: FakeHetznerCloud
) -> None:
    group = await create_group(api)
    sid = await off_server(api, clock, "db")
    fake.fail_next_action("add_to_placement_group")
    await api.post(
        f"/servers/{sid}/actions/add_to_placement_group", {"placement_group": group["id"]}
    )
    clock.advance(1.0)
    assert await group_servers(api, group["id"]) == []
    assert (await api.get(f"/servers/{sid}")).body["server"]["placement_group"] is None


async def test_deleted_server_leaves_and_deleted_group_frees(api: Api, clock: ManualClock) -> None:
    group = await create_group(api)
    a = (await api.create_server("a", placement_group=group["id"])).body["server"]["id"]
    b = (await api.create_server("b", placement_group=group["id"])).body["server"]["id"]
    clock.advance(2.0)
    await api.delete(f"/servers/{a}")
    clock.advance(1.0)
    assert await group_servers(api, group["id"]) == [b]
    await api.put(f"/placement_groups/{group['id']}", {"name": "renamed"})
    assert (await api.get(f"/servers/{b}")).body["server"]["placement_group"]["name"] == "renamed"
    assert (await api.delete(f"/placement_groups/{group['id']}")).status == 204
    assert (await api.get(f"/servers/{b}")).body["server"]["placement_group"] is None


async def test_group_edited_in_place_is_seen_after_dirty(api: Api, fake: FakeHetznerCloud) -> None:
    group = await create_group(api)
    sid = (await api.create_server("web")).body["server"]["id"]
    fake.state.placement_groups[group["id"]]["servers"].append(sid)
    fake.state.dirty = True
    assert (await api.get(f"/servers/{sid}")).body["server"]["placement_group"]["id"] == group["id"]
