"""Load balancers on existing Primary IPs (2026-10-05): create, what both sides show, the rules
(documented, and those inferred from servers'), reverse DNS, and what a delete leaves behind."""

from typing import Any

import pytest

from hetzner_async.testing import FakeHetznerCloud, ManualClock
from hetzner_async.testing.resources.primary_ip_links import Assignments

from .conftest import Api, Reply


async def new_ip(api: Api, name: str, ip_type: str = "ipv4", **fields: Any) -> dict[str, Any]:
    body = {"name": name, "type": ip_type, "location": "fsn1", **fields}
    reply = await api.post("/primary_ips", body)
    assert reply.status == 201, reply.body
    ip: dict[str, Any] = reply.body["primary_ip"]
    return ip


async def post_lb(api: Api, name: str = "lb", **fields: Any) -> Reply:
    body = {"name": name, "load_balancer_type": "lb11", "location": "fsn1", **fields}
    return await api.post("/load_balancers", body)


async def create_lb(api: Api, name: str = "lb", **fields: Any) -> dict[str, Any]:
    reply = await post_lb(api, name, **fields)
    assert reply.status == 201, reply.body
    lb: dict[str, Any] = reply.body["load_balancer"]
    return lb


async def get(api: Api, path: str, key: str) -> dict[str, Any]:
    reply = await api.get(path)
    assert reply.status == 200, reply.body
    found: dict[str, Any] = reply.body[key]
    return found


def error(reply: Reply) -> tuple[int, str]:
    return reply.status, reply.body["error"]["code"]


async def test_created_on_both_primary_ips(api: Api, clock: ManualClock) -> None:
    """IDs as integers or numeric strings; the LB shows each IP's id, address and PTR record,
    of the IPv6 /64 its first address; the IPs show the load balancer as their assignee."""
    v4 = await new_ip(api, "v4")
    v6 = await new_ip(api, "v6", "ipv6")
    reply = await post_lb(api, public_net={"ipv4": v4["id"], "ipv6": str(v6["id"])})
    assert reply.status == 201, reply.body
    lb = reply.body["load_balancer"]
    first_v6 = v6["ip"].removesuffix("/64") + "1"
    assert lb["public_net"] == {
        "enabled": True,
        "ipv4": {"id": v4["id"], "ip": v4["ip"], "dns_ptr": v4["dns_ptr"][0]["dns_ptr"]},
        "ipv6": {"id": v6["id"], "ip": first_v6, "dns_ptr": None},
    }
    assert await get(api, f"/load_balancers/{lb['id']}", "load_balancer") == lb
    clock.advance(1.0)
    assert (await api.get(f"/actions/{reply.body['action']['id']}")).body["action"][
        "status"
    ] == "success"
    for ip in (v4, v6):
        now = await get(api, f"/primary_ips/{ip['id']}", "primary_ip")
        assert (now["assignee_type"], now["assignee_id"]) == ("load_balancer", lb["id"])
        assert (now["ip"], now["auto_delete"]) == (ip["ip"], ip["auto_delete"])


async def test_a_version_left_out_is_allocated_as_before(api: Api) -> None:
    """Only what is named is a Primary IP; the rest is the load balancer's own, without an id,
    and no Primary IP appears for it."""
    v6 = await new_ip(api, "v6", "ipv6")
    lb = await create_lb(api, public_net={"ipv6": v6["id"], "ipv4": None})
    assert set(lb["public_net"]["ipv4"]) == {"ip", "dns_ptr"}
    assert lb["public_net"]["ipv6"]["id"] == v6["id"]
    for empty in ({}, None):
        plain = await create_lb(api, f"plain-{empty}", public_net=empty)
        assert "id" not in plain["public_net"]["ipv4"]
        assert "id" not in plain["public_net"]["ipv6"]
    listed = (await api.get("/primary_ips")).body["primary_ips"]
    assert [ip["id"] for ip in listed] == [v6["id"]]


async def test_an_ip_that_cannot_be_used_is_refused_and_nothing_changes(
    api: Api, clock: ManualClock
) -> None:
    """The rules of a server's create (inferred for load balancers): right version, unassigned,
    same location, not locked; an id that names nothing is invalid input."""
    free = await new_ip(api, "free")
    far = await new_ip(api, "far", location="hel1")
    v6 = await new_ip(api, "v6", "ipv6")
    server = (await api.create_server("web", location="fsn1")).body["server"]
    on_server = server["public_net"]["ipv4"]["id"]
    held = (await create_lb(api, "holder", public_net={"ipv4": free["id"]}))["public_net"]
    cases = [
        ({"ipv4": v6["id"]}, (412, "primary_ip_version_mismatch")),
        ({"ipv6": held["ipv4"]["id"]}, (412, "primary_ip_version_mismatch")),
        ({"ipv4": on_server}, (422, "primary_ip_assigned")),
        ({"ipv4": held["ipv4"]["id"]}, (422, "primary_ip_assigned")),
        ({"ipv4": far["id"]}, (422, "primary_ip_datacenter_mismatch")),
        ({"ipv4": 999}, (422, "invalid_input")),
        ({"ipv4": True}, (422, "invalid_input")),
        ({"ipv4": {"id": far["id"]}}, (422, "invalid_input")),
        ([far["id"]], (422, "invalid_input")),
        # One good IP beside a bad one: the good one is not taken either.
        ({"ipv4": far["id"], "ipv6": v6["id"]}, (422, "primary_ip_datacenter_mismatch")),
    ]
    for public_net, expected in cases:
        reply = await post_lb(api, "new", public_net=public_net)
        assert error(reply) == expected, public_net
    protect = await api.post(f"/primary_ips/{v6['id']}/actions/change_protection", {"delete": True})
    assert protect.status == 201
    assert error(await post_lb(api, "new", public_net={"ipv6": v6["id"]})) == (423, "locked")
    clock.advance(1.0)
    assert [lb["name"] for lb in (await api.get("/load_balancers")).body["load_balancers"]] == [
        "holder"
    ]
    for ip in (far, v6):
        assert (await get(api, f"/primary_ips/{ip['id']}", "primary_ip"))["assignee_id"] is None
    # Once the lock is gone the same IP is taken (the name "new" was never used up).
    assert (await create_lb(api, "new", public_net={"ipv6": v6["id"]}))["name"] == "new"


async def test_an_ip_stays_with_its_load_balancer(api: Api, clock: ManualClock) -> None:
    """Assigned only at create, for the load balancer's lifetime: unassign, assign elsewhere,
    delete, another create and assigning to a load balancer later are refused."""
    v4 = await new_ip(api, "v4")
    lb = await create_lb(api, public_net={"ipv4": v4["id"]})
    clock.advance(1.0)
    path = f"/primary_ips/{v4['id']}"
    off = (await api.create_server("off", start_after_create=False)).body["server"]
    clock.advance(1.0)
    assert error(await api.post(f"{path}/actions/unassign")) == (422, "unsupported_error")
    assign = {"assignee_type": "server", "assignee_id": off["id"]}
    assert error(await api.post(f"{path}/actions/assign", assign)) == (
        422,
        "primary_ip_already_assigned",
    )
    assert error(await api.delete(path)) == (422, "must_be_unassigned")
    taken = await api.post(
        "/servers",
        {
            "name": "s",
            "server_type": "cx22",
            "image": "debian-12",
            "public_net": {"ipv4": v4["id"]},
        },
    )
    assert error(taken) == (422, "primary_ip_assigned")
    free = await new_ip(api, "free")
    later = {"assignee_type": "load_balancer", "assignee_id": lb["id"]}
    assert error(await api.post(f"/primary_ips/{free['id']}/actions/assign", later)) == (
        422,
        "invalid_input",
    )
    now = await get(api, path, "primary_ip")
    assert (now["assignee_type"], now["assignee_id"]) == ("load_balancer", lb["id"])
    # No server shows it: the index keeps holders of both kinds apart.
    assert (await get(api, f"/servers/{off['id']}", "server"))["public_net"]["ipv4"]["id"] != v4[
        "id"
    ]


@pytest.mark.parametrize("ip_type", ["ipv4", "ipv6"])
async def test_reverse_dns_lives_on_the_primary_ip(
    api: Api, clock: ManualClock, ip_type: str
) -> None:
    """The load balancer's change_dns_ptr writes the Primary IP's record (at once, as for the
    load balancer's own addresses); the Primary IP's own change shows on the LB when it ends."""
    ip = await new_ip(api, "ip", ip_type)
    lb = await create_lb(api, public_net={ip_type: ip["id"]})
    address = lb["public_net"][ip_type]["ip"]
    clock.advance(1.0)
    change = {"ip": address, "dns_ptr": "lb.example.com"}
    assert (
        await api.post(f"/load_balancers/{lb['id']}/actions/change_dns_ptr", change)
    ).status == 201
    shown = await get(api, f"/load_balancers/{lb['id']}", "load_balancer")
    assert shown["public_net"][ip_type] == {
        "id": ip["id"],
        "ip": address,
        "dns_ptr": "lb.example.com",
    }
    records = (await get(api, f"/primary_ips/{ip['id']}", "primary_ip"))["dns_ptr"]
    assert records == [{"ip": address, "dns_ptr": "lb.example.com"}]
    clock.advance(1.0)
    again = {"ip": address, "dns_ptr": "www.example.com"}
    reply = await api.post(f"/primary_ips/{ip['id']}/actions/change_dns_ptr", again)
    assert reply.status == 201
    clock.advance(1.0)
    shown = await get(api, f"/load_balancers/{lb['id']}", "load_balancer")
    assert shown["public_net"][ip_type]["dns_ptr"] == "www.example.com"
    reset = {"ip": address, "dns_ptr": None}
    assert (
        await api.post(f"/load_balancers/{lb['id']}/actions/change_dns_ptr", reset)
    ).status == 201
    shown = await get(api, f"/load_balancers/{lb['id']}", "load_balancer")
    expected = ip["dns_ptr"][0]["dns_ptr"] if ip_type == "ipv4" else None
    assert shown["public_net"][ip_type]["dns_ptr"] == expected


async def test_deleting_the_load_balancer_releases_or_deletes_its_ips(
    api: Api, clock: ManualClock
) -> None:
    """As for a server (inferred): an ``auto_delete`` Primary IP goes with the load balancer,
    any other is unassigned and can be used again at once."""
    kept = await new_ip(api, "kept", auto_delete=False)
    gone = await new_ip(api, "gone", "ipv6", auto_delete=True)
    lb = await create_lb(api, public_net={"ipv4": kept["id"], "ipv6": gone["id"]})
    clock.advance(1.0)
    deleted = await api.delete(f"/load_balancers/{lb['id']}")
    assert deleted.status == 200, deleted.body
    assert error(await api.get(f"/primary_ips/{gone['id']}")) == (404, "not_found")
    now = await get(api, f"/primary_ips/{kept['id']}", "primary_ip")
    assert now["assignee_id"] is None
    assert now["assignee_type"] == "unassigned"  # since 1 August 2026
    again = await create_lb(api, "again", public_net={"ipv4": kept["id"]})
    assert again["public_net"]["ipv4"]["id"] == kept["id"]
    held = await get(api, f"/primary_ips/{kept['id']}", "primary_ip")
    assert (held["assignee_type"], held["assignee_id"]) == ("load_balancer", again["id"])
    clock.advance(1.0)
    assert (await api.delete(f"/load_balancers/{again['id']}")).status == 200
    assert (await api.delete(f"/primary_ips/{kept['id']}")).status == 204


async def test_the_index_survives_in_place_edits(api: Api, fake: FakeHetznerCloud) -> None:
    """After the state is edited outside the handlers (``dirty``), the index of holders is
    rebuilt from the IPs: the load balancer still shows its IP, the server its own."""
    v4 = await new_ip(api, "v4")
    lb = await create_lb(api, public_net={"ipv4": v4["id"]})
    server = (await api.create_server("web")).body["server"]
    state = fake.state
    state.dirty = True
    index = state.part(Assignments)
    assert index.of_holder(("load_balancer", lb["id"])) == {"ipv4": v4["id"]}
    assert index.of_server(server["id"]) == {
        "ipv4": server["public_net"]["ipv4"]["id"],
        "ipv6": server["public_net"]["ipv6"]["id"],
    }
    shown = await get(api, f"/load_balancers/{lb['id']}", "load_balancer")
    assert shown["public_net"]["ipv4"]["id"] == v4["id"]
