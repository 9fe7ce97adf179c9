"""Volumes: create, attach, detach, resize, delete, and the server fields they own."""

import copy
from typing import Any

import pytest

from hetzner_async.testing import FakeHetznerCloud, ManualClock
from hetzner_async.testing.resources.volume_links import VolumeLinks

from .conftest import Api


async def ready_server(api: Api, clock: ManualClock, name: str, **fields: Any) -> int:
    """Create a server and let its create and start actions end (it is unlocked then)."""
    sid: int = (await api.create_server(name, **fields)).body["server"]["id"]
    clock.advance(2.0)
    return sid


async def ready_volume(api: Api, clock: ManualClock, name: str, **fields: Any) -> dict[str, Any]:
    """Create a volume (in fsn1 unless told) and let its actions end."""
    body = {"name": name, "size": 10, **fields}
    if "server" not in body:
        body.setdefault("location", "fsn1")
    reply = await api.post("/volumes", body)
    assert reply.status == 201, reply.body
    clock.advance(2.0)
    volume: dict[str, Any] = (await api.get(f"/volumes/{reply.body['volume']['id']}")).body[
        "volume"
    ]
    return volume


async def server_volumes(api: Api, sid: int) -> list[int]:
    volumes: list[int] = (await api.get(f"/servers/{sid}")).body["server"]["volumes"]
    return volumes


async def volume_of(api: Api, vid: int) -> dict[str, Any]:
    volume: dict[str, Any] = (await api.get(f"/volumes/{vid}")).body["volume"]
    return volume


def error(reply: Any) -> tuple[int, str]:
    return reply.status, reply.body["error"]["code"]


async def test_create_in_a_location(api: Api, clock: ManualClock) -> None:
    reply = await api.post(
        "/volumes",
        {"name": "data", "size": 42, "location": "nbg1", "format": "xfs", "labels": {"k": "v"}},
    )
    assert reply.status == 201
    volume = reply.body["volume"]
    vid = volume["id"]
    assert vid >= 8_000_001
    assert volume["status"] == "creating"
    assert volume["server"] is None
    assert (volume["location"]["name"], volume["size"], volume["format"]) == ("nbg1", 42, "xfs")
    assert volume["linux_device"] == f"/dev/disk/by-id/scsi-0HC_Volume_{vid}"
    assert volume["protection"] == {"delete": False}
    assert volume["labels"] == {"k": "v"}
    action = reply.body["action"]
    assert action["command"] == "create_volume"
    assert action["resources"] == [{"id": vid, "type": "volume"}]
    assert reply.body["next_actions"] == []
    busy = await api.post(f"/volumes/{vid}/actions/resize", {"size": 50})
    assert error(busy) == (423, "locked")
    clock.advance(1.0)
    assert (await volume_of(api, vid))["status"] == "available"
    by_id = await api.post("/volumes", {"name": "by-id", "size": 10, "location": 1})
    assert by_id.body["volume"]["location"]["id"] == 1


async def test_create_for_a_server_attaches_it(api: Api, clock: ManualClock) -> None:
    sid = await ready_server(api, clock, "db", location="hel1")
    reply = await api.post("/volumes", {"name": "db-data", "size": 20, "server": sid})
    assert reply.status == 201
    volume = reply.body["volume"]
    vid = volume["id"]
    assert volume["location"]["name"] == "hel1"
    assert volume["server"] is None  # attached by the next action
    assert reply.body["action"]["resources"] == [
        {"id": sid, "type": "server"},
        {"id": vid, "type": "volume"},
    ]
    [attach] = reply.body["next_actions"]
    assert attach["command"] == "attach_volume"
    assert attach["resources"] == reply.body["action"]["resources"]
    assert (await api.get(f"/servers/{sid}")).body["server"]["locked"] is True
    clock.advance(1.0)
    assert (await volume_of(api, vid))["status"] == "available"
    assert (await volume_of(api, vid))["server"] is None
    clock.advance(1.0)
    assert (await volume_of(api, vid))["server"] == sid
    assert await server_volumes(api, sid) == [vid]
    own = (await api.get(f"/volumes/{vid}/actions", params={"sort": "id"})).body["actions"]
    assert [a["command"] for a in own] == ["create_volume", "attach_volume"]
    assert {a["status"] for a in own} == {"success"}


async def test_create_validation(api: Api, clock: ManualClock) -> None:
    sid = await ready_server(api, clock, "web")  # in fsn1, the cx22's first location
    cases: list[tuple[dict[str, Any], str]] = [
        ({"size": 10, "location": "fsn1"}, "name"),
        ({"name": "v", "location": "fsn1"}, "size"),
        ({"name": "v", "size": "10", "location": "fsn1"}, "size"),
        ({"name": "v", "size": 9, "location": "fsn1"}, "size"),
        ({"name": "v", "size": 10241, "location": "fsn1"}, "size"),
        ({"name": "-v", "size": 10, "location": "fsn1"}, "name"),
        ({"name": "v.", "size": 10, "location": "fsn1"}, "name"),
        ({"name": "v" * 65, "size": 10, "location": "fsn1"}, "name"),
        ({"name": "v", "size": 10, "location": "fsn1", "format": "ntfs"}, "format"),
        ({"name": "v", "size": 10, "location": "fsn1", "automount": True}, "automount"),
        ({"name": "v", "size": 10}, "location"),
        ({"name": "v", "size": 10, "location": "atlantis"}, "location"),
        ({"name": "v", "size": 10, "server": 999}, "server"),
        ({"name": "v", "size": 10, "server": sid, "location": "nbg1"}, "location"),
        ({"name": "v", "size": 10, "location": "fsn1", "labels": {"bad key!": "x"}}, "labels"),
    ]
    for body, field in cases:
        reply = await api.post("/volumes", body)
        assert error(reply) == (422, "invalid_input"), body
        assert reply.body["error"]["details"]["fields"][0]["name"] == field, body
    ok = await api.post("/volumes", {"name": "a_b.c-9", "size": 10240, "location": "fsn1"})
    assert ok.status == 201
    same_place = {"name": "both", "size": 10, "server": sid, "location": "fsn1", "automount": True}
    assert (await api.post("/volumes", same_place)).status == 201
    taken = await api.post("/volumes", {"name": "a_b.c-9", "size": 10, "location": "nbg1"})
    assert error(taken) == (409, "uniqueness_error")
    assert taken.body["error"]["details"] == {"fields": [{"name": "name"}]}


async def test_create_for_a_locked_server(api: Api) -> None:
    sid = (await api.create_server("busy")).body["server"]["id"]
    reply = await api.post("/volumes", {"name": "v", "size": 10, "server": sid})
    assert error(reply) == (423, "locked")


async def test_no_space_left_in_location(api: Api, fake: FakeHetznerCloud) -> None:
    fake.state.part(VolumeLinks).limits["fsn1"] = 30
    first = await api.post("/volumes", {"name": "a", "size": 20, "location": "fsn1"})
    assert first.status == 201
    full = await api.post("/volumes", {"name": "b", "size": 20, "location": "fsn1"})
    assert error(full) == (422, "no_space_left_in_location")
    assert (await api.post("/volumes", {"name": "c", "size": 10, "location": "fsn1"})).status == 201
    elsewhere = await api.post("/volumes", {"name": "b", "size": 20, "location": "nbg1"})
    assert elsewhere.status == 201
    last = {"name": "d", "size": 10, "location": "fsn1"}
    assert error(await api.post("/volumes", last)) == (422, "no_space_left_in_location")
    fake.state.volumes[first.body["volume"]["id"]]["size"] = 10  # in place, then dirty
    fake.state.dirty = True
    assert (await api.post("/volumes", last)).status == 201


async def test_attach_and_detach(api: Api, clock: ManualClock) -> None:
    sid = await ready_server(api, clock, "web")
    other = await ready_server(api, clock, "web2")
    far = await ready_server(api, clock, "far", location="nbg1")
    vid = (await ready_volume(api, clock, "data"))["id"]

    away = await api.post(f"/volumes/{vid}/actions/attach", {"server": far})
    assert error(away) == (422, "invalid_input")
    assert away.body["error"]["details"]["fields"][0]["name"] == "server"
    ghost = await api.post(f"/volumes/{vid}/actions/attach", {"server": 999})
    assert error(ghost) == (422, "invalid_input")
    missing = await api.post(f"/volumes/{vid}/actions/attach", {})
    assert error(missing) == (422, "invalid_input")
    await api.post(f"/servers/{sid}/actions/reboot")
    locked = await api.post(f"/volumes/{vid}/actions/attach", {"server": sid})
    assert error(locked) == (423, "locked")
    clock.advance(1.0)

    attached = await api.post(f"/volumes/{vid}/actions/attach", {"server": sid, "automount": True})
    assert attached.status == 201
    action = attached.body["action"]
    assert action["command"] == "attach_volume"
    assert action["resources"] == [{"id": sid, "type": "server"}, {"id": vid, "type": "volume"}]
    attaching = await api.post(f"/volumes/{vid}/actions/attach", {"server": other})
    assert error(attaching) == (423, "locked")
    clock.advance(1.0)
    assert (await volume_of(api, vid))["server"] == sid
    assert await server_volumes(api, sid) == [vid]
    for target in (other, sid):
        again = await api.post(f"/volumes/{vid}/actions/attach", {"server": target})
        assert error(again) == (422, "volume_already_attached")

    detached = await api.post(f"/volumes/{vid}/actions/detach")
    assert detached.status == 201
    assert detached.body["action"]["command"] == "detach_volume"
    clock.advance(1.0)
    assert (await volume_of(api, vid))["server"] is None
    assert await server_volumes(api, sid) == []
    twice = await api.post(f"/volumes/{vid}/actions/detach")
    assert error(twice) == (422, "service_error")
    moved = await api.post(f"/volumes/{vid}/actions/attach", {"server": other})
    assert moved.status == 201
    clock.advance(1.0)
    assert await server_volumes(api, other) == [vid]


async def test_detach_waits_for_the_server(api: Api, clock: ManualClock) -> None:
    sid = await ready_server(api, clock, "web")
    vid = (await ready_volume(api, clock, "data", server=sid))["id"]
    await api.post(f"/servers/{sid}/actions/poweroff")
    assert error(await api.post(f"/volumes/{vid}/actions/detach")) == (423, "locked")
    clock.advance(1.0)
    assert (await api.post(f"/volumes/{vid}/actions/detach")).status == 201


async def test_delete_rules(api: Api, clock: ManualClock) -> None:
    sid = await ready_server(api, clock, "web")
    vid = (await ready_volume(api, clock, "data", server=sid))["id"]
    attached = await api.delete(f"/volumes/{vid}")
    assert error(attached) == (422, "service_error")
    assert "still attached" in attached.body["error"]["message"]
    protect = await api.post(f"/volumes/{vid}/actions/change_protection", {"delete": True})
    assert protect.status == 201
    assert protect.body["action"]["command"] == "change_protection"
    clock.advance(1.0)
    assert (await volume_of(api, vid))["protection"] == {"delete": True}
    assert error(await api.delete(f"/volumes/{vid}")) == (423, "protected")
    await api.post(f"/volumes/{vid}/actions/change_protection", {"delete": False})
    clock.advance(1.0)
    await api.post(f"/volumes/{vid}/actions/detach")
    assert error(await api.delete(f"/volumes/{vid}")) == (423, "locked")
    clock.advance(1.0)
    assert (await api.delete(f"/volumes/{vid}")).status == 204
    assert error(await api.get(f"/volumes/{vid}")) == (404, "not_found")
    assert await server_volumes(api, sid) == []


async def test_resize_only_grows(api: Api, clock: ManualClock) -> None:
    vid = (await ready_volume(api, clock, "data", size=50))["id"]
    for size in (50, 40, 10241, 60.5, "60", None):
        reply = await api.post(f"/volumes/{vid}/actions/resize", {"size": size})
        assert error(reply) == (422, "invalid_input"), size
    grown = await api.post(f"/volumes/{vid}/actions/resize", {"size": 80.0})
    assert grown.status == 201
    assert grown.body["action"]["command"] == "resize_volume"
    assert grown.body["action"]["resources"] == [{"id": vid, "type": "volume"}]
    assert error(await api.post(f"/volumes/{vid}/actions/resize", {"size": 90})) == (423, "locked")
    assert (await volume_of(api, vid))["size"] == 50
    clock.advance(1.0)
    assert (await volume_of(api, vid))["size"] == 80


async def test_update_list_and_action_lists(api: Api, clock: ManualClock) -> None:
    a = (await ready_volume(api, clock, "a", labels={"env": "prod"}))["id"]
    b = (await ready_volume(api, clock, "b", labels={"env": "dev"}))["id"]
    creating = (await api.post("/volumes", {"name": "c", "size": 10, "location": "fsn1"})).body
    renamed = await api.put(f"/volumes/{a}", {"name": "a2", "labels": {"env": "prod", "x": "y"}})
    assert renamed.body["volume"]["name"] == "a2"
    assert error(await api.put(f"/volumes/{a}", {"name": "b"})) == (409, "uniqueness_error")
    assert error(await api.put(f"/volumes/{a}", {"name": "b!"})) == (422, "invalid_input")

    async def names(**params: Any) -> list[str]:
        return [v["name"] for v in (await api.get("/volumes", params=params)).body["volumes"]]

    assert await names(sort="name:desc") == ["c", "b", "a2"]
    assert await names(status="creating") == ["c"]
    assert await names(status="available", sort="id") == ["a2", "b"]
    assert await names(label_selector="env=prod,x") == ["a2"]
    assert await names(name="b") == ["b"]
    bad = await api.get("/volumes", params={"status": "attached"})
    assert error(bad) == (422, "invalid_input")
    page = (await api.get("/volumes", params={"per_page": 1, "page": 2, "sort": "id"})).body
    assert [v["id"] for v in page["volumes"]] == [b]
    assert page["meta"]["pagination"]["total_entries"] == 3

    every = (await api.get("/volumes/actions", params={"status": "running"})).body["actions"]
    assert [x["id"] for x in every] == [creating["action"]["id"]]
    one = await api.get(f"/volumes/actions/{creating['action']['id']}")
    assert one.body["action"]["command"] == "create_volume"


async def test_server_created_with_volumes(api: Api, clock: ManualClock) -> None:
    v1 = (await ready_volume(api, clock, "v1"))["id"]
    v2 = (await ready_volume(api, clock, "v2"))["id"]
    far = (await ready_volume(api, clock, "far", location="nbg1"))["id"]
    creating = (await api.post("/volumes", {"name": "new", "size": 10, "location": "fsn1"})).body
    base = {"server_type": "cx22", "image": "debian-12", "location": "fsn1"}
    for volumes, code in (
        ([far], "invalid_input"),
        ([999], "invalid_input"),
        (["v1"], "invalid_input"),
        (v1, "invalid_input"),
    ):
        reply = await api.post("/servers", {"name": "x", **base, "volumes": volumes})
        assert error(reply) == (422, code), volumes
        assert reply.body["error"]["details"]["fields"][0]["name"] == "volumes"
    busy = await api.post("/servers", {"name": "x", **base, "volumes": [creating["volume"]["id"]]})
    assert error(busy) == (423, "locked")

    reply = await api.create_server("db", **base, volumes=[v1, v2, v1], automount=True)
    server = reply.body["server"]
    sid = server["id"]
    assert server["volumes"] == []
    commands = [a["command"] for a in reply.body["next_actions"]]
    assert commands == ["attach_volume", "attach_volume", "start_server"]
    assert reply.body["next_actions"][0]["resources"] == [
        {"id": sid, "type": "server"},
        {"id": v1, "type": "volume"},
    ]
    taken = await api.post("/servers", {"name": "y", **base, "volumes": [v2]})
    assert error(taken) == (423, "locked")
    clock.advance(2.0)
    assert await server_volumes(api, sid) == [v1, v2]
    attached = await api.post("/servers", {"name": "y", **base, "volumes": [v2]})
    assert error(attached) == (422, "volume_already_attached")


async def test_server_deletion_detaches_its_volumes(
    api: Api, clock: ManualClock, fake: FakeHetznerCloud
) -> None:
    sid = await ready_server(api, clock, "web")
    kept = await ready_server(api, clock, "kept")
    v1 = (await ready_volume(api, clock, "v1", server=sid))["id"]
    v2 = (await ready_volume(api, clock, "v2", server=sid))["id"]
    v3 = (await ready_volume(api, clock, "v3", server=kept))["id"]
    assert await server_volumes(api, sid) == [v1, v2]
    deleting = await api.delete(f"/servers/{sid}")
    assert deleting.status == 200
    assert (await volume_of(api, v1))["server"] == sid
    clock.advance(1.0)
    for vid in (v1, v2):
        volume = await volume_of(api, vid)
        assert (volume["server"], volume["status"]) == (None, "available")
    assert (await volume_of(api, v3))["server"] == kept
    assert await server_volumes(api, kept) == [v3]
    assert (await api.delete(f"/volumes/{v1}")).status == 204
    assert set(fake.state.volumes) == {v2, v3}


async def test_volumes_stored_directly_are_seen(api: Api, clock: ManualClock) -> None:
    sid = await ready_server(api, clock, "web")
    template = await ready_volume(api, clock, "seed")
    state = api.fake.state
    volume = copy.deepcopy(template)
    volume.update(id=state.next_id("volume"), name="direct")
    state.volumes[volume["id"]] = volume
    state.volumes[volume["id"]]["server"] = sid  # in place: seen once the state is dirty
    state.dirty = True
    assert await server_volumes(api, sid) == [volume["id"]]
    in_use = await api.delete(f"/volumes/{volume['id']}")
    assert error(in_use) == (422, "service_error")


@pytest.mark.parametrize("stored", [2000])
async def test_attaching_derives_only_the_servers_concerned(
    api: Api,
    fake: FakeHetznerCloud,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    stored: int,
) -> None:
    template = (await api.create_server("seed")).body["server"]
    clock.advance(2.0)
    seed = await ready_volume(api, clock, "seed")
    state = fake.state
    for index in range(stored):
        server = copy.deepcopy(template)
        server.update(id=state.next_id("server"), name=f"s-{index}")
        state.servers[server["id"]] = server
        volume = copy.deepcopy(seed)
        volume.update(id=state.next_id("volume"), name=f"v-{index}", server=server["id"])
        state.volumes[volume["id"]] = volume
    target = server["id"]
    assert await server_volumes(api, target) == [volume["id"]]
    derived: list[int] = []
    original = VolumeLinks.derive

    def counting(self: VolumeLinks, server_id: int, server: dict[str, Any]) -> None:
        derived.append(server_id)
        original(self, server_id, server)

    monkeypatch.setattr(VolumeLinks, "derive", counting)
    await api.post(f"/volumes/{volume['id']}/actions/detach")
    clock.advance(1.0)
    await api.post(f"/volumes/{seed['id']}/actions/attach", {"server": target})
    clock.advance(1.0)
    assert await server_volumes(api, target) == [seed["id"]]
    assert len(await server_volumes(api, template["id"])) == 0
    assert len(set(derived)) <= 2
