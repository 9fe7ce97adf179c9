"""Floating IPs: create, assign to any server (and move), unassign, PTRs, deletion rules."""

from typing import Any

from hetzner_async.testing import FakeHetznerCloud, ManualClock

from .conftest import Api


async def create_ip(api: Api, **fields: Any) -> dict[str, Any]:
    body = {"type": "ipv4", **fields}
    if "server" not in fields:
        body.setdefault("home_location", "fsn1")
    reply = await api.post("/floating_ips", body)
    assert reply.status == 201, reply.body
    return reply.body  # type: ignore[no-any-return]


async def ip_of(api: Api, ip_id: int) -> dict[str, Any]:
    return (await api.get(f"/floating_ips/{ip_id}")).body["floating_ip"]  # type: ignore[no-any-return]


async def floating_of(api: Api, sid: int) -> list[int]:
    return (await api.get(f"/servers/{sid}")).body["server"]["public_net"]["floating_ips"]  # type: ignore[no-any-return]


async def test_create_list_update(api: Api) -> None:
    created = await create_ip(api, name="web", description="front", labels={"env": "prod"})
    assert "action" not in created
    ip = created["floating_ip"]
    assert (ip["name"], ip["description"], ip["server"], ip["home_location"]["name"]) == (
        "web",
        "front",
        None,
        "fsn1",
    )
    assert ip["dns_ptr"] == [
        {
            "ip": ip["ip"],
            "dns_ptr": ".".join(
                ["static", *reversed(ip["ip"].split(".")), "clients.your-server.de"]
            ),
        }
    ]
    v6 = (await create_ip(api, type="ipv6", home_location="hel1"))["floating_ip"]
    assert (v6["name"], v6["dns_ptr"]) == (str(v6["id"]), [])
    assert v6["ip"].endswith("::/64")
    primary = (await api.create_server("web")).body["server"]["public_net"]
    assert ip["ip"] != primary["ipv4"]["ip"]
    assert v6["ip"] != primary["ipv6"]["ip"]

    by_label = await api.get("/floating_ips", params={"label_selector": "env"})
    assert [i["id"] for i in by_label.body["floating_ips"]] == [ip["id"]]
    by_name = await api.get("/floating_ips", params={"name": "web"})
    assert [i["id"] for i in by_name.body["floating_ips"]] == [ip["id"]]
    newest = await api.get("/floating_ips", params={"sort": "id:desc"})
    assert [i["id"] for i in newest.body["floating_ips"]] == [v6["id"], ip["id"]]

    updated = await api.put(f"/floating_ips/{ip['id']}", {"description": None, "name": "front"})
    assert (updated.body["floating_ip"]["description"], updated.body["floating_ip"]["name"]) == (
        None,
        "front",
    )
    for body in (
        {"type": "ipv4"},
        {"type": "ipv7", "home_location": "fsn1"},
        {"home_location": "fsn1"},
    ):
        reply = await api.post("/floating_ips", body)
        assert (reply.status, reply.body["error"]["code"]) == (422, "invalid_input"), body
    dup = await api.post(
        "/floating_ips", {"type": "ipv4", "home_location": "fsn1", "name": "front"}
    )
    assert (dup.status, dup.body["error"]["code"]) == (409, "uniqueness_error")
    ghost = await api.post("/floating_ips", {"type": "ipv4", "server": 999})
    assert ghost.body["error"]["code"] == "invalid_input"


async def test_create_for_a_server(api: Api, clock: ManualClock) -> None:
    sid = (await api.create_server("web", location="nbg1")).body["server"]["id"]
    created = await create_ip(api, server=sid)
    ip, action = created["floating_ip"], created["action"]
    assert (ip["server"], ip["home_location"]["name"]) == (sid, "nbg1")
    assert action["command"] == "assign_floating_ip"
    assert action["resources"] == [
        {"id": sid, "type": "server"},
        {"id": ip["id"], "type": "floating_ip"},
    ]
    assert await floating_of(api, sid) == [ip["id"]]
    locked = await api.post(f"/floating_ips/{ip['id']}/actions/unassign")
    assert (locked.status, locked.body["error"]["code"]) == (423, "locked")
    clock.advance(1.0)
    assert (await api.get(f"/actions/{action['id']}")).body["action"]["status"] == "success"


async def test_assign_anywhere_move_and_unassign(api: Api, clock: ManualClock) -> None:
    ip = (await create_ip(api))["floating_ip"]
    a = (await api.create_server("a", location="hel1")).body["server"]["id"]
    b = (await api.create_server("b", location="nbg1")).body["server"]["id"]
    path = f"/floating_ips/{ip['id']}/actions/assign"
    assigned = await api.post(path, {"server": a})  # another location, a running server
    assert assigned.status == 201
    assert assigned.body["action"]["command"] == "assign_floating_ip"
    clock.advance(1.0)
    assert await floating_of(api, a) == [ip["id"]]
    same = await api.post(path, {"server": a})
    assert (same.status, same.body["error"]["code"]) == (422, "floating_ip_assigned")
    moved = await api.post(path, {"server": b})
    assert moved.status == 201
    clock.advance(1.0)
    assert (await floating_of(api, a), await floating_of(api, b)) == ([], [ip["id"]])
    assert (await ip_of(api, ip["id"]))["server"] == b
    ghost = await api.post(path, {"server": 999})
    assert ghost.body["error"]["code"] == "invalid_input"

    unassigned = await api.post(f"/floating_ips/{ip['id']}/actions/unassign")
    assert unassigned.body["action"]["command"] == "unassign_floating_ip"
    assert unassigned.body["action"]["resources"] == [
        {"id": b, "type": "server"},
        {"id": ip["id"], "type": "floating_ip"},
    ]
    assert await floating_of(api, b) == []
    clock.advance(1.0)
    idle = await api.post(f"/floating_ips/{ip['id']}/actions/unassign")
    assert idle.body["action"]["resources"] == [{"id": ip["id"], "type": "floating_ip"}]


async def test_delete_only_unassigned_and_unprotected(api: Api, clock: ManualClock) -> None:
    sid = (await api.create_server("web")).body["server"]["id"]
    ip = (await create_ip(api, server=sid))["floating_ip"]
    clock.advance(1.0)
    assigned = await api.delete(f"/floating_ips/{ip['id']}")
    assert (assigned.status, assigned.body["error"]["code"]) == (422, "must_be_unassigned")
    protected = await api.post(
        f"/floating_ips/{ip['id']}/actions/change_protection", {"delete": True}
    )
    assert protected.body["action"]["command"] == "change_protection"
    clock.advance(1.0)
    await api.post(f"/floating_ips/{ip['id']}/actions/unassign")
    clock.advance(1.0)
    refused = await api.delete(f"/floating_ips/{ip['id']}")
    assert (refused.status, refused.body["error"]["code"]) == (423, "protected")
    await api.post(f"/floating_ips/{ip['id']}/actions/change_protection", {"delete": False})
    clock.advance(1.0)
    assert (await api.delete(f"/floating_ips/{ip['id']}")).status == 204


async def test_server_deletion_unassigns(api: Api, clock: ManualClock) -> None:
    sid = (await api.create_server("web")).body["server"]["id"]
    ips = [(await create_ip(api, server=sid))["floating_ip"]["id"] for _ in range(2)]
    assert await floating_of(api, sid) == sorted(ips)
    clock.advance(2.0)
    await api.delete(f"/servers/{sid}")
    clock.advance(1.0)
    for ip_id in ips:
        assert (await ip_of(api, ip_id))["server"] is None


async def test_change_dns_ptr(api: Api, clock: ManualClock) -> None:
    v4 = (await create_ip(api))["floating_ip"]
    v6 = (await create_ip(api, type="ipv6"))["floating_ip"]
    path = f"/floating_ips/{v4['id']}/actions/change_dns_ptr"
    changed = await api.post(path, {"ip": v4["ip"], "dns_ptr": "lb.example.com"})
    assert changed.body["action"]["resources"] == [{"id": v4["id"], "type": "floating_ip"}]
    clock.advance(1.0)
    assert (await ip_of(api, v4["id"]))["dns_ptr"] == [
        {"ip": v4["ip"], "dns_ptr": "lb.example.com"}
    ]
    await api.post(path, {"ip": v4["ip"], "dns_ptr": None})
    clock.advance(1.0)
    assert (await ip_of(api, v4["id"]))["dns_ptr"] == v4["dns_ptr"]
    host = v6["ip"].replace("::/64", "::2")
    v6_path = f"/floating_ips/{v6['id']}/actions/change_dns_ptr"
    await api.post(v6_path, {"ip": host, "dns_ptr": "six.example.com"})
    clock.advance(1.0)
    assert (await ip_of(api, v6["id"]))["dns_ptr"] == [{"ip": host, "dns_ptr": "six.example.com"}]
    wrong = await api.post(v6_path, {"ip": v4["ip"], "dns_ptr": "x.example.com"})
    assert (wrong.status, wrong.body["error"]["code"]) == (422, "invalid_input")


async def test_failed_assign_goes_back(
    api: Api, clock: ManualClock, fake: FakeHetznerCloud
) -> None:
    a = (await api.create_server("a")).body["server"]["id"]
    b = (await api.create_server("b")).body["server"]["id"]
    ip = (await create_ip(api, server=a))["floating_ip"]
    clock.advance(1.0)
    fake.fail_next_action("assign_floating_ip")
    await api.post(f"/floating_ips/{ip['id']}/actions/assign", {"server": b})
    assert await floating_of(api, b) == [ip["id"]]
    clock.advance(1.0)
    assert (await ip_of(api, ip["id"]))["server"] == a
    assert (await floating_of(api, a), await floating_of(api, b)) == ([ip["id"]], [])
    actions = await api.get(f"/floating_ips/{ip['id']}/actions", params={"sort": "id"})
    assert [a["status"] for a in actions.body["actions"]] == ["success", "error"]
