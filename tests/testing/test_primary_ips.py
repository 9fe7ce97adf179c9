"""Primary IPs: a server's own IPs as resources, create, assign/unassign rules, PTRs, deletion."""

import copy
from typing import Any

import pytest

from hetzner_async.testing import FakeHetznerCloud, ManualClock
from hetzner_async.testing.resources.primary_ip_links import Assignments

from .conftest import Api


async def off_server(api: Api, clock: ManualClock, name: str, **fields: Any) -> int:
    """A server that is off once its create action has ended."""
    reply = await api.create_server(name, start_after_create=False, **fields)
    clock.advance(1.0)
    sid: int = reply.body["server"]["id"]
    return sid


async def create_ip(api: Api, name: str, ip_type: str = "ipv4", **fields: Any) -> dict[str, Any]:
    body = {"name": name, "type": ip_type, "assignee_type": "server", **fields}
    if "assignee_id" not in fields and "datacenter" not in fields:
        body.setdefault("location", "fsn1")
    reply = await api.post("/primary_ips", body)
    assert reply.status == 201, reply.body
    return reply.body  # type: ignore[no-any-return]


async def ip_of(api: Api, ip_id: int) -> dict[str, Any]:
    return (await api.get(f"/primary_ips/{ip_id}")).body["primary_ip"]  # type: ignore[no-any-return]


async def public_net(api: Api, sid: int) -> dict[str, Any]:
    return (await api.get(f"/servers/{sid}")).body["server"]["public_net"]  # type: ignore[no-any-return]


async def test_a_new_server_owns_two_primary_ips(api: Api) -> None:
    server = (await api.create_server("web", location="nbg1")).body["server"]
    net = server["public_net"]
    ips = {ip["type"]: ip for ip in (await api.get("/primary_ips")).body["primary_ips"]}
    assert set(ips) == {"ipv4", "ipv6"}
    v4, v6 = ips["ipv4"], ips["ipv6"]
    assert net["ipv4"] == {
        "id": v4["id"],
        "ip": v4["ip"],
        "blocked": False,
        "dns_ptr": v4["dns_ptr"][0]["dns_ptr"],
    }
    assert net["ipv6"] == {"id": v6["id"], "ip": v6["ip"], "blocked": False, "dns_ptr": []}
    for ip in (v4, v6):
        assert ip["name"] == f"primary_ip-{ip['id']}"
        assert (ip["assignee_id"], ip["assignee_type"], ip["auto_delete"]) == (
            server["id"],
            "server",
            True,
        )
        assert ip["location"]["name"] == ip["datacenter"]["location"]["name"] == "nbg1"
    assert v4["dns_ptr"] == [
        {
            "ip": v4["ip"],
            "dns_ptr": ".".join(
                ["static", *reversed(v4["ip"].split(".")), "clients.your-server.de"]
            ),
        }
    ]
    by_ip = await api.get("/primary_ips", params={"ip": v6["ip"]})
    assert [ip["id"] for ip in by_ip.body["primary_ips"]] == [v6["id"]]
    v4_only = (await api.create_server("v4", public_net={"enable_ipv6": False})).body["server"]
    assert v4_only["public_net"]["ipv6"] is None
    assert v4_only["public_net"]["ipv4"]["id"] not in (v4["id"], v6["id"])
    assert len((await api.get("/primary_ips")).body["primary_ips"]) == 3
    other = (await api.create_server("other")).body["server"]["public_net"]
    assert other["ipv4"]["ip"] != net["ipv4"]["ip"]
    assert other["ipv6"]["ip"] != net["ipv6"]["ip"]


async def test_create_in_a_location_or_datacenter(api: Api) -> None:
    created = await create_ip(api, "v4", labels={"env": "prod"}, auto_delete=False)
    assert "action" not in created
    ip = created["primary_ip"]
    assert (ip["type"], ip["assignee_id"], ip["location"]["name"], ip["labels"]) == (
        "ipv4",
        None,
        "fsn1",
        {"env": "prod"},
    )
    assert ip["protection"] == {"delete": False}
    legacy = (await create_ip(api, "legacy", "ipv6", datacenter="nbg1-dc3"))["primary_ip"]
    assert (legacy["location"]["name"], legacy["datacenter"]["name"]) == ("nbg1", "nbg1-dc3")
    assert legacy["ip"].endswith("::/64")
    # hcloud-python 2.27 leaves assignee_type out when it assigns nothing.
    quiet = await api.post("/primary_ips", {"name": "quiet", "type": "ipv4", "location": "hel1"})
    assert quiet.status == 201
    for body in (
        {"name": "x", "type": "ipv4"},
        {"name": "x", "type": "ipv5", "location": "fsn1"},
        {"type": "ipv4", "location": "fsn1"},
        {"name": "x", "type": "ipv4", "location": "fsn1", "datacenter": "fsn1-dc14"},
        {"name": "x", "type": "ipv4", "location": "mars1"},
        {"name": "x", "type": "ipv4", "location": "fsn1", "assignee_type": "volume"},
    ):
        reply = await api.post("/primary_ips", body)
        assert (reply.status, reply.body["error"]["code"]) == (422, "invalid_input"), body
    dup = await api.post("/primary_ips", {"name": "v4", "type": "ipv4", "location": "fsn1"})
    assert (dup.status, dup.body["error"]["code"]) == (409, "uniqueness_error")


async def test_create_for_a_server(api: Api, clock: ManualClock) -> None:
    running = (await api.create_server("running", public_net={"enable_ipv4": False})).body
    clock.advance(2.0)
    body = {"name": "x", "type": "ipv4", "assignee_type": "server"}
    not_off = await api.post("/primary_ips", {**body, "assignee_id": running["server"]["id"]})
    assert (not_off.status, not_off.body["error"]["code"]) == (422, "server_not_stopped")
    has_v4 = await off_server(api, clock, "has-v4")
    taken = await api.post("/primary_ips", {**body, "assignee_id": has_v4})
    assert (taken.status, taken.body["error"]["code"]) == (422, "server_has_ipv4")
    ghost = await api.post("/primary_ips", {**body, "assignee_id": 999})
    assert ghost.body["error"]["code"] == "invalid_input"

    sid = await off_server(
        api, clock, "v6-only", location="hel1", public_net={"enable_ipv4": False}
    )
    elsewhere = await api.post("/primary_ips", {**body, "assignee_id": sid, "location": "fsn1"})
    assert elsewhere.body["error"]["code"] == "invalid_input"
    created = await create_ip(api, "mine", assignee_id=sid)
    ip, action = created["primary_ip"], created["action"]
    assert (ip["assignee_id"], ip["location"]["name"], ip["auto_delete"]) == (sid, "hel1", False)
    assert action["command"] == "assign_primary_ip"
    assert action["resources"] == [
        {"id": sid, "type": "server"},
        {"id": ip["id"], "type": "primary_ip"},
    ]
    assert (await public_net(api, sid))["ipv4"]["id"] == ip["id"]
    locked = await api.post(f"/primary_ips/{ip['id']}/actions/unassign")
    assert (locked.status, locked.body["error"]["code"]) == (423, "locked")


async def test_assign_rules(api: Api, clock: ManualClock) -> None:
    ip = (await create_ip(api, "floating-ish"))["primary_ip"]
    path = f"/primary_ips/{ip['id']}/actions/assign"
    running = (await api.create_server("running", public_net={"enable_ipv4": False})).body
    clock.advance(2.0)
    not_off = await api.post(
        path, {"assignee_type": "server", "assignee_id": running["server"]["id"]}
    )
    assert (not_off.status, not_off.body["error"]["code"]) == (422, "server_not_stopped")
    has_v4 = await off_server(api, clock, "has-v4", location="fsn1")
    taken = await api.post(path, {"assignee_type": "server", "assignee_id": has_v4})
    assert (taken.status, taken.body["error"]["code"]) == (422, "server_has_ipv4")
    far = await off_server(api, clock, "far", location="hel1", public_net={"enable_ipv4": False})
    mismatch = await api.post(path, {"assignee_type": "server", "assignee_id": far})
    assert (mismatch.status, mismatch.body["error"]["code"]) == (
        422,
        "primary_ip_datacenter_mismatch",
    )
    missing_type = await api.post(path, {"assignee_id": far})
    assert missing_type.body["error"]["code"] == "invalid_input"

    sid = await off_server(api, clock, "near", location="fsn1", public_net={"enable_ipv4": False})
    assigned = await api.post(path, {"assignee_type": "server", "assignee_id": sid})
    assert assigned.status == 201
    assert assigned.body["action"]["command"] == "assign_primary_ip"
    clock.advance(1.0)
    assert (await public_net(api, sid))["ipv4"]["ip"] == ip["ip"]
    again = await api.post(path, {"assignee_type": "server", "assignee_id": far})
    assert (again.status, again.body["error"]["code"]) == (422, "primary_ip_already_assigned")
    v6 = (await create_ip(api, "v6", "ipv6"))["primary_ip"]
    has_v6 = await api.post(
        f"/primary_ips/{v6['id']}/actions/assign", {"assignee_type": "server", "assignee_id": sid}
    )
    assert (has_v6.status, has_v6.body["error"]["code"]) == (422, "server_has_ipv6")


async def test_unassign_only_while_off_and_delete_only_unassigned(
    api: Api, clock: ManualClock
) -> None:
    server = (await api.create_server("web")).body["server"]
    clock.advance(2.0)
    v4 = server["public_net"]["ipv4"]["id"]
    assigned = await api.delete(f"/primary_ips/{v4}")
    assert (assigned.status, assigned.body["error"]["code"]) == (422, "must_be_unassigned")
    not_off = await api.post(f"/primary_ips/{v4}/actions/unassign")
    assert (not_off.status, not_off.body["error"]["code"]) == (422, "server_not_stopped")
    await api.post(f"/servers/{server['id']}/actions/poweroff")
    clock.advance(1.0)
    unassigned = await api.post(f"/primary_ips/{v4}/actions/unassign")
    assert unassigned.status == 201
    assert unassigned.body["action"]["command"] == "unassign_primary_ip"
    assert unassigned.body["action"]["resources"] == [
        {"id": server["id"], "type": "server"},
        {"id": v4, "type": "primary_ip"},
    ]
    assert (await public_net(api, server["id"]))["ipv4"] is None
    assert (await ip_of(api, v4))["assignee_id"] is None
    clock.advance(1.0)
    assert (await api.delete(f"/primary_ips/{v4}")).status == 204


async def test_protection_needs_auto_delete_off(api: Api, clock: ManualClock) -> None:
    server = (await api.create_server("web")).body["server"]
    v4 = server["public_net"]["ipv4"]["id"]
    path = f"/primary_ips/{v4}/actions/change_protection"
    refused = await api.post(path, {"delete": True})
    assert (refused.status, refused.body["error"]["code"]) == (422, "invalid_input")
    updated = await api.put(f"/primary_ips/{v4}", {"auto_delete": False, "name": "keep"})
    assert (updated.body["primary_ip"]["auto_delete"], updated.body["primary_ip"]["name"]) == (
        False,
        "keep",
    )
    protected = await api.post(path, {"delete": True})
    assert protected.status == 201
    assert protected.body["action"]["command"] == "change_protection"
    assert (await ip_of(api, v4))["protection"] == {"delete": True}
    back = await api.put(f"/primary_ips/{v4}", {"auto_delete": True})
    assert back.body["error"]["code"] == "invalid_input"
    clock.advance(2.0)
    await api.post(f"/servers/{server['id']}/actions/poweroff")
    clock.advance(1.0)
    await api.post(f"/primary_ips/{v4}/actions/unassign")
    clock.advance(1.0)
    refused_delete = await api.delete(f"/primary_ips/{v4}")
    assert (refused_delete.status, refused_delete.body["error"]["code"]) == (423, "protected")


async def test_server_deletion_deletes_auto_delete_ips_and_frees_the_others(
    api: Api, clock: ManualClock
) -> None:
    server = (await api.create_server("web")).body["server"]
    v4, v6 = server["public_net"]["ipv4"]["id"], server["public_net"]["ipv6"]["id"]
    await api.put(f"/primary_ips/{v4}", {"auto_delete": False})
    clock.advance(2.0)
    await api.delete(f"/servers/{server['id']}")
    assert (await ip_of(api, v4))["assignee_id"] == server["id"]  # until the action ends
    clock.advance(1.0)
    kept = await ip_of(api, v4)
    assert kept["assignee_id"] is None
    assert (await api.get(f"/primary_ips/{v6}")).status == 404
    assert [ip["id"] for ip in (await api.get("/primary_ips")).body["primary_ips"]] == [v4]


async def test_server_create_with_primary_ip_ids(api: Api, clock: ManualClock) -> None:
    v4 = (await create_ip(api, "v4"))["primary_ip"]
    v6 = (await create_ip(api, "v6", "ipv6"))["primary_ip"]
    far = (await create_ip(api, "far", location="hel1"))["primary_ip"]
    base = {"name": "web", "server_type": "cx22", "image": "debian-12", "location": "fsn1"}
    cases = [
        ({"ipv4": v6["id"]}, 412, "primary_ip_version_mismatch"),
        ({"ipv4": far["id"]}, 422, "primary_ip_datacenter_mismatch"),
        ({"ipv4": 999}, 422, "invalid_input"),
        ({"ipv4": v4["id"], "enable_ipv4": False}, 422, "invalid_input"),
        ({"enable_ipv4": "no"}, 422, "invalid_input"),
    ]
    for public, status, code in cases:
        reply = await api.post("/servers", {**base, "public_net": public})
        assert (reply.status, reply.body["error"]["code"]) == (status, code), public
    created = await api.post(
        "/servers", {**base, "public_net": {"ipv4": v4["id"], "ipv6": v6["id"]}}
    )
    assert created.status == 201
    net = created.body["server"]["public_net"]
    assert (net["ipv4"]["id"], net["ipv6"]["id"]) == (v4["id"], v6["id"])
    assert len((await api.get("/primary_ips")).body["primary_ips"]) == 3  # none made
    taken = await api.post("/servers", {**base, "name": "web-2", "public_net": {"ipv4": v4["id"]}})
    assert (taken.status, taken.body["error"]["code"]) == (422, "primary_ip_assigned")
    clock.advance(2.0)
    await api.delete(f"/servers/{created.body['server']['id']}")
    clock.advance(1.0)
    assert (await ip_of(api, v4["id"]))["assignee_id"] is None  # not auto_delete: it stays


async def test_change_dns_ptr_of_a_primary_ip(api: Api, clock: ManualClock) -> None:
    v4 = (await create_ip(api, "v4"))["primary_ip"]
    v6 = (await create_ip(api, "v6", "ipv6"))["primary_ip"]
    default = v4["dns_ptr"]
    path = f"/primary_ips/{v4['id']}/actions/change_dns_ptr"
    changed = await api.post(path, {"ip": v4["ip"], "dns_ptr": "mail.example.com"})
    assert changed.status == 201
    assert changed.body["action"]["command"] == "change_dns_ptr"
    assert (await ip_of(api, v4["id"]))["dns_ptr"] == default  # until the action ends
    clock.advance(1.0)
    assert (await ip_of(api, v4["id"]))["dns_ptr"] == [
        {"ip": v4["ip"], "dns_ptr": "mail.example.com"}
    ]
    await api.post(path, {"ip": v4["ip"], "dns_ptr": None})
    clock.advance(1.0)
    assert (await ip_of(api, v4["id"]))["dns_ptr"] == default
    for body in (
        {"ip": "100.64.9.9", "dns_ptr": "x"},
        {"dns_ptr": "x"},
        {"ip": v4["ip"], "dns_ptr": ""},
    ):
        wrong = await api.post(path, body)
        assert (wrong.status, wrong.body["error"]["code"]) == (422, "invalid_input"), body

    v6_path = f"/primary_ips/{v6['id']}/actions/change_dns_ptr"
    host = v6["ip"].replace("::/64", "::0001")
    await api.post(v6_path, {"ip": host, "dns_ptr": "a.example.com"})
    clock.advance(1.0)
    canonical = host.replace("::0001", "::1")
    assert (await ip_of(api, v6["id"]))["dns_ptr"] == [
        {"ip": canonical, "dns_ptr": "a.example.com"}
    ]
    await api.post(v6_path, {"ip": canonical, "dns_ptr": None})
    clock.advance(1.0)
    assert (await ip_of(api, v6["id"]))["dns_ptr"] == []
    outside = await api.post(v6_path, {"ip": "2001:db8:ffff::1", "dns_ptr": "x.example.com"})
    assert outside.body["error"]["code"] == "invalid_input"


async def test_server_change_dns_ptr_sets_its_primary_ips(api: Api, clock: ManualClock) -> None:
    server = (await api.create_server("web")).body["server"]
    sid, net = server["id"], server["public_net"]
    clock.advance(2.0)
    path = f"/servers/{sid}/actions/change_dns_ptr"
    changed = await api.post(path, {"ip": net["ipv4"]["ip"], "dns_ptr": "web.example.com"})
    assert changed.status == 201
    assert changed.body["action"]["resources"] == [{"id": sid, "type": "server"}]
    v6_host = net["ipv6"]["ip"].replace("::/64", "::1")
    await api.post(path, {"ip": v6_host, "dns_ptr": "web6.example.com"})
    locked = await api.post(path, {"ip": v6_host, "dns_ptr": "web6.example.com"})
    assert locked.status == 423  # the first action still runs
    clock.advance(1.0)
    await api.post(path, {"ip": v6_host, "dns_ptr": "web6.example.com"})
    clock.advance(1.0)
    now = await public_net(api, sid)
    assert now["ipv4"]["dns_ptr"] == "web.example.com"
    assert now["ipv6"]["dns_ptr"] == [{"ip": v6_host, "dns_ptr": "web6.example.com"}]
    assert (await ip_of(api, net["ipv4"]["id"]))["dns_ptr"][0]["dns_ptr"] == "web.example.com"
    floating = await api.post("/floating_ips", {"type": "ipv4", "server": sid})
    not_primary = await api.post(
        path, {"ip": floating.body["floating_ip"]["ip"], "dns_ptr": "f.example.com"}
    )
    assert (not_primary.status, not_primary.body["error"]["code"]) == (422, "invalid_input")


async def test_action_lists(api: Api, clock: ManualClock) -> None:
    sid = await off_server(api, clock, "v6", public_net={"enable_ipv4": False})
    ip = (await create_ip(api, "mine", assignee_id=sid))["primary_ip"]
    clock.advance(1.0)
    await api.post(f"/primary_ips/{ip['id']}/actions/change_protection", {"delete": True})
    own = await api.get(f"/primary_ips/{ip['id']}/actions", params={"sort": "id"})
    assert [a["command"] for a in own.body["actions"]] == ["assign_primary_ip", "change_protection"]
    first = own.body["actions"][0]["id"]
    assert (await api.get(f"/primary_ips/actions/{first}")).body["action"]["id"] == first
    running = await api.get("/primary_ips/actions", params={"status": "running"})
    assert [a["command"] for a in running.body["actions"]] == ["change_protection"]


async def test_failed_assign_is_taken_back(
    api: Api, clock: ManualClock, fake: FakeHetznerCloud
) -> None:
    ip = (await create_ip(api, "v4"))["primary_ip"]
    sid = await off_server(api, clock, "web", public_net={"enable_ipv4": False})
    fake.fail_next_action("assign_primary_ip")
    await api.post(
        f"/primary_ips/{ip['id']}/actions/assign", {"assignee_type": "server", "assignee_id": sid}
    )
    clock.advance(1.0)
    assert (await ip_of(api, ip["id"]))["assignee_id"] is None
    assert (await public_net(api, sid))["ipv4"] is None


async def test_assignment_edited_in_place_is_seen_after_dirty(
    api: Api, clock: ManualClock, fake: FakeHetznerCloud
) -> None:
    ip = (await create_ip(api, "v4"))["primary_ip"]
    sid = await off_server(api, clock, "web", public_net={"enable_ipv4": False})
    fake.state.primary_ips[ip["id"]]["assignee_id"] = sid
    fake.state.dirty = True
    assert (await public_net(api, sid))["ipv4"]["id"] == ip["id"]


@pytest.mark.parametrize("stored", [2000])
async def test_a_server_create_does_not_walk_the_ips(
    api: Api, fake: FakeHetznerCloud, monkeypatch: pytest.MonkeyPatch, stored: int
) -> None:
    """With thousands of servers and their IPs stored, a create derives only its own server."""
    template = (await api.create_server("seed")).body["server"]
    state = fake.state
    ips = state.primary_ips
    seed_ip = next(iter(ips.values()))
    for index in range(stored):
        server = copy.deepcopy(template)
        server.update(id=state.next_id("server"), name=f"s-{index}")
        state.servers[server["id"]] = server
        ip = copy.deepcopy(seed_ip)
        ip.update(id=state.next_id("primary_ip"), name=f"ip-{index}", assignee_id=server["id"])
        ips[ip["id"]] = ip
    await api.get("/servers", params={"per_page": "1"})
    derived: list[int] = []
    rebuilt: list[bool] = []
    derive, refresh = Assignments.derive, Assignments.refresh

    def counting(self: Assignments, server_id: int, server: dict[str, Any]) -> None:
        derived.append(server_id)
        derive(self, server_id, server)

    def watching(self: Assignments, everything: bool) -> None:
        rebuilt.append(everything)
        refresh(self, everything)

    monkeypatch.setattr(Assignments, "derive", counting)
    monkeypatch.setattr(Assignments, "refresh", watching)
    created = (await api.create_server("one-more")).body["server"]
    assert created["public_net"]["ipv4"]["id"] in ips
    assert derived == [created["id"]]
    assert True not in rebuilt
    seventh = next(i for i in ips.values() if i["name"] == "ip-7")
    listed = await api.get("/servers", params={"name": "s-7"})
    assert listed.body["servers"][0]["public_net"]["ipv4"]["id"] == seventh["id"]
