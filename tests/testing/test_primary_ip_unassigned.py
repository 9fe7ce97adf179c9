"""A Primary IP assigned to nothing shows ``assignee_type: "unassigned"`` (since 1 August 2026).

https://docs.hetzner.cloud/changelog#2026-04-27-primary-ips-will-return-unassigned: before, the
API showed ``server``. The fake's rules key on ``assignee_id``, the type goes with it.
"""

from typing import Any

import pytest

from hetzner_async.testing import FakeHetznerCloud, ManualClock

from .conftest import Api
from .primary_ip_helpers import create_ip, ip_of, off_server, public_net


def assignee(ip: dict[str, Any]) -> tuple[str, int | None]:
    return ip["assignee_type"], ip["assignee_id"]


async def test_created_without_an_assignee_it_is_unassigned(api: Api, clock: ManualClock) -> None:
    """With or without ``assignee_type`` in the body (optional since 2026-04-27)."""
    old_style = (await create_ip(api, "old-style"))["primary_ip"]
    new_style = await api.post("/primary_ips", {"name": "new", "type": "ipv6", "location": "hel1"})
    assert new_style.status == 201, new_style.body
    for created in (old_style, new_style.body["primary_ip"]):
        assert assignee(created) == ("unassigned", None)
        assert assignee(await ip_of(api, created["id"])) == ("unassigned", None)
    listed = (await api.get("/primary_ips")).body["primary_ips"]
    assert [assignee(ip) for ip in listed] == [("unassigned", None)] * 2
    sid = await off_server(api, clock, "web", public_net={"enable_ipv4": False})
    given = (await create_ip(api, "given", assignee_id=sid))["primary_ip"]
    assert assignee(given) == ("server", sid)


async def test_assign_and_unassign_change_the_type_with_the_id(
    api: Api, clock: ManualClock
) -> None:
    ip = (await create_ip(api, "v4"))["primary_ip"]
    sid = await off_server(api, clock, "web", public_net={"enable_ipv4": False})
    path = f"/primary_ips/{ip['id']}/actions"
    for wrong in ("unassigned", "load_balancer"):
        refused = await api.post(f"{path}/assign", {"assignee_type": wrong, "assignee_id": sid})
        assert (refused.status, refused.body["error"]["code"]) == (422, "invalid_input"), wrong
    assert assignee(await ip_of(api, ip["id"])) == ("unassigned", None)
    assigned = await api.post(f"{path}/assign", {"assignee_type": "server", "assignee_id": sid})
    assert assigned.status == 201, assigned.body
    assert assignee(await ip_of(api, ip["id"])) == ("server", sid)
    clock.advance(1.0)
    assert (await api.post(f"{path}/unassign")).status == 201
    assert assignee(await ip_of(api, ip["id"])) == ("unassigned", None)
    assert (await public_net(api, sid))["ipv4"] is None


async def test_failed_actions_are_taken_back_with_the_type(
    api: Api, clock: ManualClock, fake: FakeHetznerCloud
) -> None:
    ip = (await create_ip(api, "v4"))["primary_ip"]
    sid = await off_server(api, clock, "web", public_net={"enable_ipv4": False})
    path = f"/primary_ips/{ip['id']}/actions"
    fake.fail_next_action("assign_primary_ip")
    await api.post(f"{path}/assign", {"assignee_type": "server", "assignee_id": sid})
    clock.advance(1.0)
    assert assignee(await ip_of(api, ip["id"])) == ("unassigned", None)
    await api.post(f"{path}/assign", {"assignee_type": "server", "assignee_id": sid})
    clock.advance(1.0)
    fake.fail_next_action("unassign_primary_ip")
    await api.post(f"{path}/unassign")
    assert assignee(await ip_of(api, ip["id"])) == ("unassigned", None)
    clock.advance(1.0)
    assert assignee(await ip_of(api, ip["id"])) == ("server", sid)
    assert (await public_net(api, sid))["ipv4"]["id"] == ip["id"]


async def test_released_by_a_deleted_server_and_taken_by_a_new_one(
    api: Api, clock: ManualClock
) -> None:
    """Deleting a server unassigns its IPs without ``auto_delete``; a new server takes one."""
    server = (await api.create_server("web")).body["server"]
    v4 = server["public_net"]["ipv4"]["id"]
    assert assignee(await ip_of(api, v4)) == ("server", server["id"])
    assert (await api.put(f"/primary_ips/{v4}", {"auto_delete": False})).status == 200
    clock.advance(2.0)
    assert (await api.delete(f"/servers/{server['id']}")).status == 200
    clock.advance(1.0)
    assert assignee(await ip_of(api, v4)) == ("unassigned", None)
    again = (await api.create_server("again", public_net={"ipv4": v4})).body["server"]
    assert assignee(await ip_of(api, v4)) == ("server", again["id"])


async def test_rules_key_on_the_id_not_the_type(api: Api, clock: ManualClock) -> None:
    """An unassigned IP can be deleted and used by a server; an assigned one cannot."""
    ip = (await create_ip(api, "v4"))["primary_ip"]
    sid = await off_server(api, clock, "web", public_net={"enable_ipv4": False})
    await api.post(
        f"/primary_ips/{ip['id']}/actions/assign", {"assignee_type": "server", "assignee_id": sid}
    )
    clock.advance(1.0)
    refused = await api.delete(f"/primary_ips/{ip['id']}")
    assert (refused.status, refused.body["error"]["code"]) == (422, "must_be_unassigned")
    assert "assigned to a server" in refused.body["error"]["message"]
    body = {"name": "other", "server_type": "cx22", "image": "debian-12"}
    taken = await api.post("/servers", {**body, "public_net": {"ipv4": ip["id"]}})
    assert (taken.status, taken.body["error"]["code"]) == (422, "primary_ip_assigned")
    free = (await create_ip(api, "free"))["primary_ip"]
    assert (await api.delete(f"/primary_ips/{free['id']}")).status == 204


@pytest.mark.parametrize("edited_type", [None, "unassigned", "server"])
async def test_an_edit_in_place_of_the_id_alone_settles_the_type(
    api: Api, clock: ManualClock, fake: FakeHetznerCloud, edited_type: str | None
) -> None:
    """Code around the handlers that sets only ``assignee_id`` (then ``dirty``) still works."""
    ip = (await create_ip(api, "v4"))["primary_ip"]
    sid = await off_server(api, clock, "web", public_net={"enable_ipv4": False})
    stored = fake.state.primary_ips[ip["id"]]
    stored["assignee_id"] = sid
    if edited_type is not None:
        stored["assignee_type"] = edited_type
    fake.state.dirty = True
    assert (await public_net(api, sid))["ipv4"]["id"] == ip["id"]
    assert assignee(await ip_of(api, ip["id"])) == ("server", sid)
    stored["assignee_id"] = None
    fake.state.dirty = True
    assert (await public_net(api, sid))["ipv4"] is None
    assert assignee(await ip_of(api, ip["id"])) == ("unassigned", None)
