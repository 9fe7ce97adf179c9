"""Primary IPs: a server's own IPs as resources, create, protection, deletion, action lists.

Assigning and unassigning them is in ``test_primary_ip_assignment``, their PTRs in
``test_primary_ip_dns``.
"""

from hetzner_async.testing import ManualClock

from .conftest import Api
from .primary_ip_helpers import create_ip, ip_of, off_server, public_net


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
