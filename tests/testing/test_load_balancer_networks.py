"""Load balancers in networks: attach, detach, private targets, the public interface."""

from ipaddress import IPv4Address, IPv4Network
from typing import Any

from hetzner_async.testing import FakeHetznerCloud, ManualClock

from .conftest import Api
from .lb_helpers import TCP, create_lb, error, health, lb_of, ready_lb, running, server_target

EU = {"type": "cloud", "network_zone": "eu-central"}


async def network(api: Api, name: str = "net", *subnets: dict[str, Any]) -> int:
    body = {
        "name": name,
        "ip_range": "10.0.0.0/16",
        "subnets": list(subnets) or [{**EU, "ip_range": "10.0.1.0/24"}],
    }
    reply = await api.post("/networks", body)
    assert reply.status == 201, reply.body
    return int(reply.body["network"]["id"])


async def attach_lb(api: Api, lb_id: int, **body: Any) -> Any:
    return await api.post(f"/load_balancers/{lb_id}/actions/attach_to_network", body)


async def attach_server(api: Api, clock: ManualClock, sid: int, nid: int) -> None:
    reply = await api.post(f"/servers/{sid}/actions/attach_to_network", {"network": nid})
    assert reply.status == 201, reply.body
    clock.advance(1.0)


async def test_attach_and_detach(api: Api, clock: ManualClock) -> None:
    nid = await network(api)
    other = await network(api, "other", {**EU, "ip_range": "10.0.2.0/24"})
    lb_id = await ready_lb(api, clock)
    attached = await attach_lb(api, lb_id, network=nid)
    assert attached.status == 201
    assert attached.body["action"]["command"] == "attach_to_network"
    assert attached.body["action"]["resources"] == [
        {"id": lb_id, "type": "load_balancer"},
        {"id": nid, "type": "network"},
    ]
    [private] = (await lb_of(api, lb_id))["private_net"]
    assert private["network"] == nid
    assert IPv4Address(private["ip"]) in IPv4Network("10.0.1.0/24")
    net = (await api.get(f"/networks/{nid}")).body["network"]
    assert net["load_balancers"] == [lb_id]
    clock.advance(1.0)
    assert error(await attach_lb(api, lb_id, network=nid)) == (
        422,
        "load_balancer_already_attached",
    )
    assert error(await attach_lb(api, lb_id, network=other)) == (
        422,
        "load_balancer_already_attached",
    )
    assert error(await attach_lb(api, lb_id, network=9)) == (404, "not_found")
    assert error(await attach_lb(api, lb_id)) == (422, "invalid_input")

    path = f"/load_balancers/{lb_id}/actions/detach_from_network"
    assert error(await api.post(path, {"network": other})) == (
        422,
        "load_balancer_not_attached_to_network",
    )
    detached = await api.post(path, {"network": nid})
    assert detached.body["action"]["command"] == "detach_from_network"
    assert (await lb_of(api, lb_id))["private_net"] == []
    assert (await api.get(f"/networks/{nid}")).body["network"]["load_balancers"] == []


async def test_attach_rules_of_the_network(api: Api, clock: ManualClock) -> None:
    us = await network(api, "us", {"type": "cloud", "network_zone": "us-east"})
    eu = await network(api, "eu", {**EU, "ip_range": "10.0.1.0/24"})
    lb_id = await ready_lb(api, clock)
    assert error(await attach_lb(api, lb_id, network=us)) == (422, "no_subnet_available")
    taken = await ready_lb(api, clock, name="first")
    first = await attach_lb(api, taken, network=eu, ip="10.0.1.10")
    assert first.status == 201
    assert (await lb_of(api, taken))["private_net"][0]["ip"] == "10.0.1.10"
    assert error(await attach_lb(api, lb_id, network=eu, ip="10.0.1.10")) == (
        422,
        "ip_not_available",
    )
    outside = await attach_lb(api, lb_id, network=eu, ip="10.0.9.9")
    assert error(outside) == (422, "ip_not_available")


async def test_a_failed_attach_is_undone(
    api: Api, clock: ManualClock, fake: FakeHetznerCloud
) -> None:
    nid = await network(api)
    lb_id = await ready_lb(api, clock)
    fake.fail_next_action("attach_to_network")
    assert (await attach_lb(api, lb_id, network=nid)).status == 201
    clock.advance(1.0)
    assert (await lb_of(api, lb_id))["private_net"] == []
    assert (await attach_lb(api, lb_id, network=nid)).status == 201


async def test_create_in_a_network(api: Api, clock: ManualClock) -> None:
    nid = await network(api)
    reply = await api.post(
        "/load_balancers",
        {"name": "in", "load_balancer_type": "lb11", "network": nid, "public_interface": False},
    )
    assert reply.status == 201, reply.body
    lb = reply.body["load_balancer"]
    assert lb["location"]["network_zone"] == "eu-central"  # the network's zone
    assert lb["public_net"]["enabled"] is False
    assert [p["network"] for p in lb["private_net"]] == [nid]
    assert {"id": nid, "type": "network"} in reply.body["action"]["resources"]
    assert (await lb_of(api, lb["id"]))["private_net"] == lb["private_net"]
    unknown = await api.post(
        "/load_balancers", {"name": "x", "load_balancer_type": "lb11", "network": 7}
    )
    assert error(unknown) == (422, "invalid_input")
    clock.advance(1.0)
    last = await api.post(
        f"/load_balancers/{lb['id']}/actions/detach_from_network", {"network": nid}
    )
    assert error(last) == (422, "load_balancer_public_interface_disabled")
    await api.delete(f"/load_balancers/{lb['id']}")
    assert (await api.get(f"/networks/{nid}")).body["network"]["load_balancers"] == []


async def test_private_server_targets_follow_the_network(api: Api, clock: ManualClock) -> None:
    nid = await network(api)
    inside = await running(api, clock, "inside")
    outside = await running(api, clock, "outside")
    await attach_server(api, clock, inside, nid)
    lb_id = await ready_lb(api, clock, network=nid)
    path = f"/load_balancers/{lb_id}/actions"
    far = await api.post(f"{path}/add_target", server_target(outside, use_private_ip=True))
    assert error(far) == (422, "resolve_cloud_private_targets_error")
    near = await api.post(f"{path}/add_target", server_target(inside, use_private_ip=True))
    assert near.status == 201
    clock.advance(1.0)
    assert health((await lb_of(api, lb_id))["targets"][0]) == {5432: "healthy", 80: "healthy"}

    await api.post(f"/servers/{inside}/actions/detach_from_network", {"network": nid})
    clock.advance(1.0)
    assert health((await lb_of(api, lb_id))["targets"][0]) == {5432: "unhealthy", 80: "unhealthy"}
    await attach_server(api, clock, inside, nid)
    assert health((await lb_of(api, lb_id))["targets"][0]) == {5432: "healthy", 80: "healthy"}

    await api.delete(f"/networks/{nid}")  # detaches its members
    lb = await lb_of(api, lb_id)
    assert lb["private_net"] == []
    assert health(lb["targets"][0]) == {5432: "unhealthy", 80: "unhealthy"}


async def test_public_interface_needs_private_targets(api: Api, clock: ManualClock) -> None:
    nid = await network(api)
    sid = await running(api, clock, "web")
    await attach_server(api, clock, sid, nid)
    lb_id = await ready_lb(api, clock, network=nid, targets=[server_target(sid)])
    path = f"/load_balancers/{lb_id}/actions"
    public = await api.post(f"{path}/disable_public_interface")
    assert error(public) == (422, "targets_without_use_private_ip")
    await api.post(f"{path}/remove_target", server_target(sid))
    clock.advance(1.0)
    await api.post(f"{path}/add_target", server_target(sid, use_private_ip=True))
    clock.advance(1.0)
    disabled = await api.post(f"{path}/disable_public_interface")
    assert disabled.body["action"]["command"] == "disable_public_interface"
    assert (await lb_of(api, lb_id))["public_net"]["enabled"] is False
    clock.advance(1.0)
    for target in (
        {"type": "ip", "ip": {"ip": "203.0.113.1"}},
        {"type": "label_selector", "label_selector": {"selector": "a=b"}},
    ):
        reply = await api.post(f"{path}/add_target", target)
        assert error(reply) == (422, "load_balancer_public_interface_disabled"), target
    assert (await api.post(f"{path}/enable_public_interface")).status == 201


async def test_private_ip_targets_need_a_vswitch_subnet(api: Api, clock: ManualClock) -> None:
    plain = await network(api)
    coupled = await network(
        api,
        "coupled",
        {**EU, "ip_range": "10.0.1.0/24"},
        {
            "type": "vswitch",
            "network_zone": "eu-central",
            "ip_range": "10.0.2.0/24",
            "vswitch_id": 7,
        },
    )
    no_switch = await ready_lb(api, clock, name="plain", network=plain)
    root = {"type": "ip", "ip": {"ip": "10.0.2.5"}}
    reply = await api.post(f"/load_balancers/{no_switch}/actions/add_target", root)
    assert error(reply) == (422, "network_has_no_vswitch_subnet")
    lb_id = await ready_lb(api, clock, network=coupled, services=[TCP])
    path = f"/load_balancers/{lb_id}/actions/add_target"
    wrong = await api.post(path, {"type": "ip", "ip": {"ip": "10.0.1.5"}})
    assert error(wrong) == (422, "ip_not_in_vswitch_subnet")
    assert (await api.post(path, root)).status == 201
    clock.advance(1.0)
    assert health((await lb_of(api, lb_id))["targets"][0]) == {5432: "healthy"}
    await api.delete(f"/networks/{coupled}")
    assert health((await lb_of(api, lb_id))["targets"][0]) == {5432: "unhealthy"}
    assert (await create_lb(api, "apart"))["private_net"] == []
