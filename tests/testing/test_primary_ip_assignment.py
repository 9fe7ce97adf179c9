"""Primary IP assignment: the rules of assign and unassign, failures taken back, the links kept."""

import copy
from typing import Any

import pytest

from hetzner_async.testing import FakeHetznerCloud, ManualClock
from hetzner_async.testing.resources.primary_ip_links import Assignments

from .conftest import Api
from .primary_ip_helpers import create_ip, ip_of, off_server, public_net


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
