"""Networks: ranges, subnets, routes, protection, conflicts, and the network actions."""

from typing import Any

import pytest

from hetzner_async.testing import FakeHetznerCloud, ManualClock

from .conftest import Api

EU = {"type": "cloud", "network_zone": "eu-central"}


async def make_network(api: Api, name: str = "net", **fields: Any) -> dict[str, Any]:
    body = {"name": name, "ip_range": "10.0.0.0/16", **fields}
    reply = await api.post("/networks", body)
    assert reply.status == 201, reply.body
    network: dict[str, Any] = reply.body["network"]
    return network


async def network_of(api: Api, nid: int) -> dict[str, Any]:
    network: dict[str, Any] = (await api.get(f"/networks/{nid}")).body["network"]
    return network


async def test_create_with_subnets_and_routes(api: Api) -> None:
    network = await make_network(
        api,
        labels={"env": "prod"},
        subnets=[
            {**EU, "ip_range": "10.0.1.0/24"},
            {**EU},  # the first free /24
            {"type": "vswitch", "network_zone": "eu-central", "vswitch_id": 1000},
            {"type": "server", "network_zone": "eu-central", "ip_range": "10.0.8.0/30"},
        ],
        routes=[{"destination": "10.100.1.0/24", "gateway": "10.0.1.5"}],
    )
    assert network["id"] == 7_000_001
    assert network["ip_range"] == "10.0.0.0/16"
    assert network["subnets"] == [
        {
            "type": "cloud",
            "ip_range": "10.0.1.0/24",
            "network_zone": "eu-central",
            "gateway": "10.0.0.1",
        },
        {
            "type": "cloud",
            "ip_range": "10.0.0.0/24",
            "network_zone": "eu-central",
            "gateway": "10.0.0.1",
        },
        {
            "type": "vswitch",
            "ip_range": "10.0.2.0/24",
            "network_zone": "eu-central",
            "gateway": "10.0.2.1",
            "vswitch_id": 1000,
        },
        {
            "type": "server",
            "ip_range": "10.0.8.0/30",
            "network_zone": "eu-central",
            "gateway": "10.0.0.1",
        },
    ]
    assert network["routes"] == [{"destination": "10.100.1.0/24", "gateway": "10.0.1.5"}]
    assert (network["servers"], network["load_balancers"]) == ([], [])
    assert network["protection"] == {"delete": False}
    assert network["expose_routes_to_vswitch"] is False
    assert network["labels"] == {"env": "prod"}
    assert await network_of(api, network["id"]) == network


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"ip_range": None}, "ip_range"),
        ({"ip_range": "8.8.0.0/16"}, "ip_range"),  # not private
        ({"ip_range": "10.0.0.0/25"}, "ip_range"),  # smaller than /24
        ({"ip_range": "10.0.0.1/16"}, "ip_range"),  # host bits set
        ({"ip_range": "fd00::/64"}, "ip_range"),
        ({"ip_range": "10.0.0.0"}, "ip_range"),
        ({"subnets": [{**EU, "ip_range": "10.1.0.0/24"}]}, "subnets"),  # outside the network
        ({"subnets": [{**EU, "ip_range": "10.0.0.0/31"}]}, "subnets"),  # smaller than /30
        (
            {"subnets": [{**EU, "ip_range": "10.0.0.0/24"}, {**EU, "ip_range": "10.0.0.0/23"}]},
            "subnets",
        ),
        ({"subnets": [{"type": "lan", "network_zone": "eu-central"}]}, "subnets"),
        ({"subnets": [{"type": "cloud", "network_zone": "mars"}]}, "subnets"),
        ({"subnets": [{"type": "cloud"}]}, "subnets"),
        ({"subnets": [{"type": "vswitch", "network_zone": "eu-central"}]}, "subnets"),
        ({"subnets": [{**EU, "vswitch_id": 5}]}, "subnets"),
        ({"subnets": [{"type": "vswitch", "network_zone": "us-east", "vswitch_id": 5}]}, "subnets"),
        ({"subnets": [EU, {"type": "cloud", "network_zone": "us-east"}]}, "subnets"),  # 2 zones
        ({"routes": [{"destination": "8.8.8.0/24", "gateway": "10.0.0.2"}]}, "routes"),
        ({"routes": [{"destination": "172.16.0.0/12", "gateway": "10.0.0.2"}]}, "routes"),
        (
            {"routes": [{"destination": "10.0.0.0/24", "gateway": "10.0.0.2"}], "subnets": [EU]},
            "routes",
        ),
        ({"routes": [{"destination": "10.9.0.0/24", "gateway": "10.0.0.1"}]}, "routes"),
        ({"routes": [{"destination": "10.9.0.0/24", "gateway": "172.31.1.1"}]}, "routes"),
        ({"routes": [{"destination": "10.9.0.0/24", "gateway": "10.1.0.2"}]}, "routes"),
        ({"routes": [{"destination": "10.9.0.0/24"}]}, "routes"),
        ({"routes": [{"destination": "10.9.0.0/24", "gateway": "10.0.0.2"}] * 2}, "routes"),
        ({"routes": [{"destination": "0.0.0.0/0", "gateway": "10.0.0.2"}] * 2}, "routes"),
        (
            {
                "subnets": [{"type": "vswitch", "network_zone": "eu-central", "vswitch_id": 9}],
                "routes": [{"destination": "10.9.0.0/24", "gateway": "10.0.0.5"}],
            },
            "routes",
        ),  # a gateway behind a vSwitch
        ({"labels": {"bad key!": "x"}}, "labels"),
        ({"expose_routes_to_vswitch": "yes"}, "expose_routes_to_vswitch"),
    ],
)
async def test_create_refuses_what_the_api_refuses(
    api: Api, fields: dict[str, Any], field: str
) -> None:
    body = {"name": "net", "ip_range": "10.0.0.0/16", **fields}
    reply = await api.post("/networks", body)
    assert (reply.status, reply.body["error"]["code"]) == (422, "invalid_input"), body
    assert reply.body["error"]["details"]["fields"][0]["name"] == field
    assert api.fake.state.networks == {}


async def test_names_are_unique_and_vswitches_coupled_once(api: Api) -> None:
    vswitch = {"type": "vswitch", "network_zone": "eu-central", "vswitch_id": 42}
    await make_network(api, "a", subnets=[vswitch])
    taken = await api.post("/networks", {"name": "a", "ip_range": "10.1.0.0/16"})
    assert (taken.status, taken.body["error"]["code"]) == (409, "uniqueness_error")
    again = await api.post(
        "/networks", {"name": "b", "ip_range": "10.1.0.0/16", "subnets": [vswitch]}
    )
    assert (again.status, again.body["error"]["code"]) == (422, "vswitch_id_already_used")
    # Networks may overlap each other: only one server's networks may not.
    assert (await api.post("/networks", {"name": "b", "ip_range": "10.0.0.0/8"})).status == 201


async def test_update_and_protection(api: Api, clock: ManualClock) -> None:
    nid = (await make_network(api))["id"]
    updated = await api.put(
        f"/networks/{nid}",
        {"name": "renamed", "labels": {"a": "b"}, "expose_routes_to_vswitch": True},
    )
    assert updated.status == 200
    network = updated.body["network"]
    assert (network["name"], network["labels"]) == ("renamed", {"a": "b"})
    assert network["expose_routes_to_vswitch"] is True
    protect = await api.post(f"/networks/{nid}/actions/change_protection", {"delete": True})
    assert protect.status == 201
    assert protect.body["action"]["command"] == "change_protection"
    assert protect.body["action"]["resources"] == [{"id": nid, "type": "network"}]
    clock.advance(1.0)
    refused = await api.delete(f"/networks/{nid}")
    assert (refused.status, refused.body["error"]["code"]) == (423, "protected")
    await api.post(f"/networks/{nid}/actions/change_protection", {"delete": False})
    clock.advance(1.0)
    assert (await api.delete(f"/networks/{nid}")).status == 204
    assert (await api.get(f"/networks/{nid}")).status == 404


async def test_a_change_in_progress_answers_conflict(api: Api, clock: ManualClock) -> None:
    nid = (await make_network(api))["id"]
    added = await api.post(f"/networks/{nid}/actions/add_subnet", EU)
    assert added.status == 201
    assert added.body["action"]["command"] == "add_subnet"
    for method, path, body in [
        (
            "POST",
            f"/networks/{nid}/actions/add_route",
            {"destination": "10.9.0.0/24", "gateway": "10.0.0.2"},
        ),
        ("POST", f"/networks/{nid}/actions/change_ip_range", {"ip_range": "10.0.0.0/15"}),
        ("POST", f"/networks/{nid}/actions/change_protection", {"delete": True}),
        ("PUT", f"/networks/{nid}", {"name": "other"}),
    ]:
        reply = await api.call(method, path, json=body)
        assert (reply.status, reply.body["error"]["code"]) == (409, "conflict"), path
    clock.advance(1.0)
    network = await network_of(api, nid)
    assert (network["name"], network["protection"]["delete"]) == ("net", False)
    assert [s["ip_range"] for s in network["subnets"]] == ["10.0.0.0/24"]
    assert (await api.put(f"/networks/{nid}", {"name": "other"})).status == 200


async def test_subnets_added_and_deleted(api: Api, clock: ManualClock) -> None:
    nid = (await make_network(api, routes=[{"destination": "10.0.1.0/24", "gateway": "10.0.0.9"}]))[
        "id"
    ]
    first = await api.post(f"/networks/{nid}/actions/add_subnet", EU)
    assert first.status == 201
    clock.advance(1.0)
    second = await api.post(f"/networks/{nid}/actions/add_subnet", EU)  # skips the route's /24
    clock.advance(1.0)
    assert second.status == 201
    assert [s["ip_range"] for s in (await network_of(api, nid))["subnets"]] == [
        "10.0.0.0/24",
        "10.0.2.0/24",
    ]
    for body, field in [
        ({**EU, "ip_range": "10.0.2.128/25"}, "ip_range"),
        ({**EU, "ip_range": "10.0.1.0/25"}, "ip_range"),  # the route's destination
        ({"type": "cloud", "network_zone": "us-east"}, "network_zone"),  # another zone
        ({"type": "cloud"}, "network_zone"),
        ({"network_zone": "eu-central"}, "type"),
    ]:
        reply = await api.post(f"/networks/{nid}/actions/add_subnet", body)
        assert (reply.status, reply.body["error"]["code"]) == (422, "invalid_input"), body
        assert reply.body["error"]["details"]["fields"][0]["name"] == field
    missing = await api.post(f"/networks/{nid}/actions/delete_subnet", {"ip_range": "10.0.9.0/24"})
    assert (missing.status, missing.body["error"]["code"]) == (404, "not_found")
    deleted = await api.post(f"/networks/{nid}/actions/delete_subnet", {"ip_range": "10.0.0.0/24"})
    assert (deleted.status, deleted.body["action"]["command"]) == (201, "delete_subnet")
    clock.advance(1.0)
    assert [s["ip_range"] for s in (await network_of(api, nid))["subnets"]] == ["10.0.2.0/24"]


async def test_a_small_network_runs_out_of_24s(api: Api, clock: ManualClock) -> None:
    nid = (await make_network(api, ip_range="192.168.7.0/24", subnets=[EU]))["id"]
    full = await api.post(f"/networks/{nid}/actions/add_subnet", EU)
    assert (full.status, full.body["error"]["details"]["fields"][0]["name"]) == (422, "ip_range")


async def test_routes_added_and_deleted(api: Api, clock: ManualClock) -> None:
    nid = (await make_network(api, subnets=[EU]))["id"]
    route = {"destination": "10.100.0.0/16", "gateway": "10.0.0.2"}
    assert (await api.post(f"/networks/{nid}/actions/add_route", route)).status == 201
    clock.advance(1.0)
    for body, field in [
        (route, "destination"),  # overlaps itself
        ({"destination": "10.0.0.0/25", "gateway": "10.0.0.2"}, "destination"),  # the subnet
        ({"destination": "10.200.0.0/16", "gateway": "10.0.0.1"}, "gateway"),
        ({"destination": "10.200.0.0/16"}, "gateway"),
        ({"destination": "10.200.0.0/16", "gateway": "not-an-ip"}, "gateway"),
    ]:
        reply = await api.post(f"/networks/{nid}/actions/add_route", body)
        assert (reply.status, reply.body["error"]["code"]) == (422, "invalid_input"), body
        assert reply.body["error"]["details"]["fields"][0]["name"] == field
    other = {"destination": "10.100.0.0/16", "gateway": "10.0.0.3"}
    missing = await api.post(f"/networks/{nid}/actions/delete_route", other)
    assert (missing.status, missing.body["error"]["code"]) == (404, "not_found")
    deleted = await api.post(f"/networks/{nid}/actions/delete_route", route)
    assert (deleted.status, deleted.body["action"]["command"]) == (201, "delete_route")
    clock.advance(1.0)
    assert (await network_of(api, nid))["routes"] == []


async def test_ip_range_only_grows(api: Api, clock: ManualClock) -> None:
    nid = (await make_network(api, subnets=[EU]))["id"]
    for ip_range in ["10.0.0.0/17", "10.1.0.0/16", "10.0.0.0/7", "10.0.128.0/15"]:
        reply = await api.post(f"/networks/{nid}/actions/change_ip_range", {"ip_range": ip_range})
        assert (reply.status, reply.body["error"]["code"]) == (422, "invalid_input"), ip_range
    grown = await api.post(f"/networks/{nid}/actions/change_ip_range", {"ip_range": "10.0.0.0/12"})
    assert (grown.status, grown.body["action"]["command"]) == (201, "change_ip_range")
    clock.advance(1.0)
    assert (await network_of(api, nid))["ip_range"] == "10.0.0.0/12"


async def test_a_failed_action_puts_the_network_back(
    api: Api, clock: ManualClock, fake: FakeHetznerCloud
) -> None:
    nid = (await make_network(api, subnets=[EU]))["id"]
    fake.fail_next_action("add_subnet")
    await api.post(f"/networks/{nid}/actions/add_subnet", {**EU, "ip_range": "10.0.5.0/24"})
    assert len((await network_of(api, nid))["subnets"]) == 2  # at once
    clock.advance(1.0)
    assert [s["ip_range"] for s in (await network_of(api, nid))["subnets"]] == ["10.0.0.0/24"]
    fake.fail_next_action("change_ip_range")
    await api.post(f"/networks/{nid}/actions/change_ip_range", {"ip_range": "10.0.0.0/8"})
    clock.advance(1.0)
    assert (await network_of(api, nid))["ip_range"] == "10.0.0.0/16"


async def test_lists_and_action_lists(api: Api, clock: ManualClock) -> None:
    a = (await make_network(api, "a", labels={"tier": "db"}))["id"]
    b = (await make_network(api, "b", ip_range="10.1.0.0/16", labels={"tier": "web"}))["id"]
    listed = await api.get("/networks", params={"sort": "name:desc"})
    assert [n["id"] for n in listed.body["networks"]] == [b, a]
    by_label = await api.get("/networks", params={"label_selector": "tier=db"})
    assert [n["name"] for n in by_label.body["networks"]] == ["a"]
    by_name = await api.get("/networks", params={"name": "b"})
    assert [n["id"] for n in by_name.body["networks"]] == [b]
    action = (await api.post(f"/networks/{a}/actions/add_subnet", EU)).body["action"]
    clock.advance(1.0)
    own = await api.get(f"/networks/{a}/actions")
    assert [x["id"] for x in own.body["actions"]] == [action["id"]]
    assert (await api.get(f"/networks/{b}/actions")).body["actions"] == []
    every = await api.get("/networks/actions", params={"status": "success"})
    assert [x["command"] for x in every.body["actions"]] == ["add_subnet"]
    one = await api.get(f"/networks/actions/{action['id']}")
    assert one.body["action"]["status"] == "success"
    snapshot = (await api.get(api.fake.base_url + "/_fake/state")).body
    assert [n["name"] for n in snapshot["networks"]] == ["a", "b"]
