"""Servers in networks: attach, detach, alias IPs, create with networks, and the clean-ups."""

import copy
from ipaddress import IPv4Address
from typing import Any

import pytest

from hetzner_async.testing import FakeHetznerCloud, ManualClock
from hetzner_async.testing.resources.network_addresses import NetworkAddresses

from .conftest import Api

EU = {"type": "cloud", "network_zone": "eu-central"}


async def network(api: Api, name: str = "net", ip_range: str = "10.0.0.0/16", **kw: Any) -> int:
    subnets = [{**EU, "ip_range": ip_range}]
    if ip_range == "10.0.0.0/16":
        subnets = [{**EU, "ip_range": "10.0.0.0/24"}, {**EU, "ip_range": "10.0.1.0/24"}]
    body = {"name": name, "ip_range": ip_range, "subnets": subnets, **kw}
    reply = await api.post("/networks", body)
    assert reply.status == 201, reply.body
    return int(reply.body["network"]["id"])


async def server(api: Api, clock: ManualClock, name: str = "srv", **fields: Any) -> int:
    sid = int((await api.create_server(name, **fields)).body["server"]["id"])
    clock.advance(2.0)  # created and started
    return sid


async def attach(api: Api, sid: int, **body: Any) -> Any:
    return await api.post(f"/servers/{sid}/actions/attach_to_network", body)


async def private_net(api: Api, sid: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (await api.get(f"/servers/{sid}")).body["server"]["private_net"]
    return found


async def members(api: Api, nid: int) -> list[int]:
    found: list[int] = (await api.get(f"/networks/{nid}")).body["network"]["servers"]
    return found


def code(reply: Any) -> tuple[int, str]:
    return reply.status, reply.body["error"]["code"]


async def test_attach_picks_free_ips_and_derives_both_sides(api: Api, clock: ManualClock) -> None:
    nid = await network(api)
    a, b = await server(api, clock, "a"), await server(api, clock, "b")
    reply = await attach(api, a, network=nid)
    assert reply.status == 201
    assert reply.body["action"]["command"] == "attach_to_network"
    assert reply.body["action"]["resources"] == [
        {"id": a, "type": "server"},
        {"id": nid, "type": "network"},
    ]
    (entry,) = await private_net(api, a)  # at once
    assert (entry["network"], entry["ip"], entry["alias_ips"]) == (nid, "10.0.0.2", [])
    assert entry["mac_address"].startswith("86:00:00:")
    await attach(api, b, network=nid, ip_range="10.0.1.0/24", alias_ips=["10.0.1.9"])
    (entry_b,) = await private_net(api, b)
    assert (entry_b["ip"], entry_b["alias_ips"]) == ("10.0.1.1", ["10.0.1.9"])
    assert entry_b["mac_address"] != entry["mac_address"]
    assert await members(api, nid) == [a, b]
    clock.advance(1.0)
    action = (await api.get(f"/actions/{reply.body['action']['id']}")).body["action"]
    assert action["status"] == "success"


async def test_attach_refuses_what_the_api_refuses(api: Api, clock: ManualClock) -> None:
    nid = await network(api)
    empty = (await api.post("/networks", {"name": "empty", "ip_range": "10.5.0.0/16"})).body
    us = (
        await api.post(
            "/networks",
            {
                "name": "us",
                "ip_range": "10.6.0.0/16",
                "subnets": [{"type": "cloud", "network_zone": "us-east"}],
            },
        )
    ).body
    overlapping = await network(api, "wide", "10.0.0.0/8")
    a, b = await server(api, clock, "a"), await server(api, clock, "b")
    await attach(api, a, network=nid, ip="10.0.0.7", alias_ips=["10.0.0.8"])
    clock.advance(1.0)
    cases = [
        ({"network": empty["network"]["id"]}, (422, "no_subnet_available")),
        ({"network": us["network"]["id"]}, (422, "no_subnet_available")),
        ({"network": nid, "ip": "10.0.0.7"}, (422, "ip_not_available")),  # a's IP
        ({"network": nid, "ip": "10.0.0.8"}, (422, "ip_not_available")),  # a's alias
        ({"network": nid, "ip": "10.0.0.1"}, (422, "ip_not_available")),  # the gateway
        ({"network": nid, "ip": "10.0.0.255"}, (422, "ip_not_available")),  # broadcast
        ({"network": nid, "ip": "10.0.9.9"}, (422, "ip_not_available")),  # in no subnet
        ({"network": nid, "alias_ips": ["10.0.0.7"]}, (422, "ip_not_available")),
        ({"network": nid, "ip": "10.0.1.5", "ip_range": "10.0.0.0/24"}, (422, "invalid_input")),
        ({"network": nid, "ip_range": "10.0.7.0/24"}, (422, "invalid_input")),
        ({"network": nid, "ip": "10.0.0.300"}, (422, "invalid_input")),
        ({"network": nid, "alias_ips": "10.0.0.9"}, (422, "invalid_input")),
        ({"network": nid, "alias_ips": ["10.0.0.9", "10.0.0.9"]}, (422, "invalid_input")),
        ({"network": "net"}, (422, "invalid_input")),
        ({}, (422, "invalid_input")),
        ({"network": 99}, (404, "not_found")),
    ]
    for body, expected in cases:
        assert code(await attach(api, b, **body)) == expected, body
    assert await private_net(api, b) == []
    assert code(await attach(api, a, network=nid)) == (422, "server_already_attached")
    assert code(await attach(api, a, network=overlapping)) == (422, "networks_overlap")
    missing = await api.post("/servers/42/actions/attach_to_network", {"network": nid})
    assert code(missing) == (404, "not_found")
    await api.post(f"/servers/{b}/actions/poweroff")
    assert code(await attach(api, b, network=nid)) == (423, "locked")


async def test_detach_and_change_alias_ips(api: Api, clock: ManualClock) -> None:
    nid = await network(api)
    other = await network(api, "other", "10.1.0.0/24")
    a, b = await server(api, clock, "a"), await server(api, clock, "b")
    await attach(api, a, network=nid, alias_ips=["10.0.0.20"])
    clock.advance(1.0)
    await attach(api, a, network=other)
    clock.advance(1.0)
    assert [e["network"] for e in await private_net(api, a)] == [nid, other]
    changed = await api.post(
        f"/servers/{a}/actions/change_alias_ips",
        {"network": nid, "alias_ips": ["10.0.0.20", "10.0.1.30"]},
    )
    assert (changed.status, changed.body["action"]["command"]) == (201, "change_alias_ips")
    clock.advance(1.0)
    assert (await private_net(api, a))[0]["alias_ips"] == ["10.0.0.20", "10.0.1.30"]
    taken = await api.post(
        f"/servers/{b}/actions/attach_to_network", {"network": nid, "ip": "10.0.1.30"}
    )
    assert code(taken) == (422, "ip_not_available")
    for body, expected in [
        ({"network": nid, "alias_ips": ["10.0.0.2"]}, (422, "ip_not_available")),  # its own IP
        ({"network": nid, "alias_ips": ["10.9.0.1"]}, (422, "ip_not_available")),
        ({"network": nid}, (422, "invalid_input")),
        ({"network": 5, "alias_ips": []}, (404, "not_found")),
    ]:
        reply = await api.post(f"/servers/{a}/actions/change_alias_ips", body)
        assert code(reply) == expected, body
    not_attached = await api.post(
        f"/servers/{b}/actions/change_alias_ips", {"network": nid, "alias_ips": []}
    )
    assert code(not_attached) == (404, "not_found")

    detached = await api.post(f"/servers/{a}/actions/detach_from_network", {"network": nid})
    assert (detached.status, detached.body["action"]["command"]) == (201, "detach_from_network")
    assert [e["network"] for e in await private_net(api, a)] == [other]
    again = await api.post(f"/servers/{b}/actions/detach_from_network", {"network": nid})
    assert code(again) == (404, "not_found")
    clock.advance(1.0)
    # Its IPs are free again: the lowest is handed out first.
    await attach(api, b, network=nid)
    assert (await private_net(api, b))[0]["ip"] == "10.0.0.2"
    reuse = await api.post(
        f"/servers/{a}/actions/attach_to_network", {"network": nid, "ip": "10.0.1.30"}
    )
    assert reuse.status == 201


async def test_subnet_with_servers_is_not_deleted(api: Api, clock: ManualClock) -> None:
    nid = await network(api)
    sid = await server(api, clock)
    await attach(api, sid, network=nid, ip_range="10.0.1.0/24")
    clock.advance(1.0)
    body = {"ip_range": "10.0.1.0/24"}
    refused = await api.post(f"/networks/{nid}/actions/delete_subnet", body)
    assert code(refused) == (422, "service_error")
    await api.post(f"/servers/{sid}/actions/detach_from_network", {"network": nid})
    clock.advance(1.0)
    assert (await api.post(f"/networks/{nid}/actions/delete_subnet", body)).status == 201


async def test_growing_a_range_into_a_servers_other_network(api: Api, clock: ManualClock) -> None:
    a_net = await network(api, "a", "10.0.0.0/24")
    b_net = await network(api, "b", "10.0.1.0/24")
    sid = await server(api, clock)
    await attach(api, sid, network=a_net)
    clock.advance(1.0)
    await attach(api, sid, network=b_net)
    clock.advance(1.0)
    body = {"ip_range": "10.0.0.0/23"}
    grown = await api.post(f"/networks/{a_net}/actions/change_ip_range", body)
    assert code(grown) == (422, "networks_overlap")
    await api.post(f"/servers/{sid}/actions/detach_from_network", {"network": b_net})
    clock.advance(1.0)
    assert (await api.post(f"/networks/{a_net}/actions/change_ip_range", body)).status == 201


async def test_deleting_either_side_detaches(api: Api, clock: ManualClock) -> None:
    nid = await network(api)
    keep = await network(api, "keep", "10.1.0.0/24")
    a, b = await server(api, clock, "a"), await server(api, clock, "b")
    for sid in (a, b):
        await attach(api, sid, network=nid)
        clock.advance(1.0)
    await attach(api, a, network=keep)
    clock.advance(1.0)
    await api.delete(f"/servers/{b}")
    clock.advance(1.0)
    assert await members(api, nid) == [a]
    assert (await api.delete(f"/networks/{nid}")).status == 204
    assert [e["network"] for e in await private_net(api, a)] == [keep]
    assert await members(api, keep) == [a]


async def test_create_with_networks(api: Api, clock: ManualClock, fake: FakeHetznerCloud) -> None:
    first, second = await network(api), await network(api, "second", "10.1.0.0/24")
    created = (await api.create_server("web", networks=[first, second])).body
    sid = created["server"]["id"]
    assert [(e["network"], e["ip"]) for e in created["server"]["private_net"]] == [
        (first, "10.0.0.2"),
        (second, "10.1.0.2"),
    ]
    commands = [a["command"] for a in created["next_actions"]]
    assert commands == ["attach_to_network", "attach_to_network", "start_server"]
    assert await members(api, first) == [sid]
    clock.advance(2.0)
    statuses = [
        (await api.get(f"/actions/{a['id']}")).body["action"]["status"]
        for a in created["next_actions"]
    ]
    assert statuses == ["success"] * 3
    overlap = await network(api, "overlap", "10.0.0.0/8")
    no_subnet = (await api.post("/networks", {"name": "bare", "ip_range": "10.9.0.0/16"})).body
    for networks, expected in [
        ([first, overlap], (422, "networks_overlap")),
        ([no_subnet["network"]["id"]], (422, "no_subnet_available")),
        ([first, first], (422, "invalid_input")),
        ([999], (422, "invalid_input")),
        (["net"], (422, "invalid_input")),
        (first, (422, "invalid_input")),
    ]:
        body = {"name": "x", "server_type": "cx22", "image": "debian-12", "networks": networks}
        assert code(await api.post("/servers", body)) == expected, networks
    us = await api.post(
        "/servers",
        {
            "name": "x",
            "server_type": "cpx11",
            "image": "debian-12",
            "location": "ash",
            "networks": [first],
        },
    )
    assert code(us) == (422, "no_subnet_available")
    assert list(fake.state.servers) == [sid]


async def test_a_failed_attach_leaves_no_attachment(
    api: Api, clock: ManualClock, fake: FakeHetznerCloud
) -> None:
    nid = await network(api)
    sid = await server(api, clock)
    fake.fail_next_action("attach_to_network")
    await attach(api, sid, network=nid)
    clock.advance(1.0)
    assert await private_net(api, sid) == []
    assert await members(api, nid) == []
    await attach(api, sid, network=nid, alias_ips=["10.0.0.9"])
    clock.advance(1.0)
    fake.fail_next_action("detach_from_network")
    await api.post(f"/servers/{sid}/actions/detach_from_network", {"network": nid})
    clock.advance(1.0)
    assert [(e["ip"], e["alias_ips"]) for e in await private_net(api, sid)] == [
        ("10.0.0.2", ["10.0.0.9"])
    ]


async def test_a_full_subnet_has_no_ip_available(api: Api, clock: ManualClock) -> None:
    reply = await api.post(
        "/networks",
        {"name": "tiny", "ip_range": "10.0.0.0/24", "subnets": [{**EU, "ip_range": "10.0.0.4/30"}]},
    )
    nid = reply.body["network"]["id"]
    ids = [await server(api, clock, f"s{i}") for i in range(3)]
    assert (await attach(api, ids[0], network=nid)).status == 201
    assert (await attach(api, ids[1], network=nid)).status == 201
    assert code(await attach(api, ids[2], network=nid)) == (422, "no_subnet_available")
    assert [(await private_net(api, s))[0]["ip"] for s in ids[:2]] == ["10.0.0.5", "10.0.0.6"]


async def test_addresses_cost_no_walk_of_the_network(
    api: Api, clock: ManualClock, fake: FakeHetznerCloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    nid = await network(api, "big", "10.0.0.0/16", subnets=[{**EU, "ip_range": "10.0.0.0/16"}])
    template = (await api.create_server("seed", start_after_create=False)).body["server"]
    clock.advance(1.0)
    state = fake.state
    addresses = state.part(NetworkAddresses)
    for index in range(1000):
        server = copy.deepcopy(template)
        server.update(id=state.next_id("server"), name=f"s-{index}")
        state.servers[server["id"]] = server
        planned = addresses.plan(state.networks[nid], "server", server["id"], "eu-central")
        addresses.store(planned)
    assert addresses.attachment(nid, "server", server["id"]).ip == IPv4Address("10.0.3.233")
    await api.get(f"/networks/{nid}")  # derives what the seeding touched
    checked: list[IPv4Address] = []
    derived: list[int] = []
    free, derive = NetworkAddresses._free, NetworkAddresses.derive_server

    def counting_free(self: NetworkAddresses, nid: int, ip: IPv4Address, *rest: Any) -> bool:
        checked.append(ip)
        return free(self, nid, ip, *rest)

    def counting_derive(self: NetworkAddresses, sid: int, server: dict[str, Any]) -> None:
        derived.append(sid)
        derive(self, sid, server)

    monkeypatch.setattr(NetworkAddresses, "_free", counting_free)
    monkeypatch.setattr(NetworkAddresses, "derive_server", counting_derive)
    seed = template["id"]
    assert (await attach(api, seed, network=nid)).status == 201
    assert (await private_net(api, seed))[0]["ip"] == "10.0.3.234"
    assert len(checked) <= 2
    assert derived == [seed]
    low = server["id"] - 999  # holds 10.0.0.2
    await api.post(f"/servers/{low}/actions/detach_from_network", {"network": nid})
    clock.advance(1.0)
    other = (await api.create_server("other", networks=[nid])).body["server"]
    assert other["private_net"][0]["ip"] == "10.0.0.2"
    assert len(checked) <= 4
    assert len((await api.get(f"/networks/{nid}")).body["network"]["servers"]) == 1001
