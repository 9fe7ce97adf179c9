"""Load balancer targets: servers, label selectors, IPs, their rules and health."""

import copy
from typing import Any

import pytest

from hetzner_async.testing import FakeHetznerCloud, ManualClock
from hetzner_async.testing.resources.load_balancer_links import LoadBalancerLinks

from .conftest import Api
from .lb_helpers import error, health, lb_of, ready_lb, running, server_target


def selector_target(selector: str) -> dict[str, Any]:
    return {"type": "label_selector", "label_selector": {"selector": selector}}


async def server_lbs(api: Api, sid: int) -> list[int]:
    lbs: list[int] = (await api.get(f"/servers/{sid}")).body["server"]["load_balancers"]
    return lbs


async def test_server_target_health_follows_power(api: Api, clock: ManualClock) -> None:
    sid = await running(api, clock, "web")
    lb_id = await ready_lb(api, clock)
    added = await api.post(f"/load_balancers/{lb_id}/actions/add_target", server_target(sid))
    assert added.status == 201
    assert added.body["action"]["command"] == "add_target"
    [target] = (await lb_of(api, lb_id))["targets"]
    assert target["use_private_ip"] is False
    assert health(target) == {5432: "unknown", 80: "unknown"}  # while add_target runs
    assert await server_lbs(api, sid) == [lb_id]
    clock.advance(1.0)
    assert health((await lb_of(api, lb_id))["targets"][0]) == {5432: "healthy", 80: "healthy"}

    await api.post(f"/servers/{sid}/actions/poweroff")
    clock.advance(1.0)
    assert health((await lb_of(api, lb_id))["targets"][0]) == {5432: "unhealthy", 80: "unhealthy"}
    await api.post(f"/servers/{sid}/actions/poweron")
    clock.advance(1.0)
    assert health((await lb_of(api, lb_id))["targets"][0]) == {5432: "healthy", 80: "healthy"}

    https = {"protocol": "tcp", "listen_port": 443, "destination_port": 443}
    await api.post(f"/load_balancers/{lb_id}/actions/add_service", https)
    assert health((await lb_of(api, lb_id))["targets"][0])[443] == "unknown"
    clock.advance(1.0)
    listed = (await api.get("/load_balancers")).body["load_balancers"][0]
    assert health(listed["targets"][0]) == {5432: "healthy", 80: "healthy", 443: "healthy"}

    await api.post(f"/load_balancers/{lb_id}/actions/remove_target", server_target(sid))
    assert (await lb_of(api, lb_id))["targets"] == []
    assert await server_lbs(api, sid) == []


async def test_a_new_server_target_is_unhealthy_until_it_runs(api: Api, clock: ManualClock) -> None:
    lb_id = await ready_lb(api, clock)
    sid = (await api.create_server("web")).body["server"]["id"]
    await api.post(f"/load_balancers/{lb_id}/actions/add_target", server_target(sid))
    clock.advance(1.0)  # add_target done, the server is still starting
    assert health((await lb_of(api, lb_id))["targets"][0]) == {5432: "unhealthy", 80: "unhealthy"}
    clock.advance(1.0)
    assert health((await lb_of(api, lb_id))["targets"][0]) == {5432: "healthy", 80: "healthy"}


async def test_deleted_server_leaves_its_load_balancers(api: Api, clock: ManualClock) -> None:
    keep = await running(api, clock, "keep")
    gone = await running(api, clock, "gone")
    lb_id = await ready_lb(api, clock, targets=[server_target(keep), server_target(gone)])
    other = await ready_lb(api, clock, name="other", targets=[server_target(gone)])
    assert await server_lbs(api, gone) == [lb_id, other]
    await api.delete(f"/servers/{gone}")
    clock.advance(1.0)
    assert [t["server"]["id"] for t in (await lb_of(api, lb_id))["targets"]] == [keep]
    assert (await lb_of(api, other))["targets"] == []
    await api.delete(f"/load_balancers/{lb_id}")
    assert await server_lbs(api, keep) == []


async def test_label_selector_follows_servers(api: Api, clock: ManualClock) -> None:
    web1 = await running(api, clock, "web1", labels={"role": "web"})
    await running(api, clock, "db", labels={"role": "db"})
    lb_id = await ready_lb(api, clock, targets=[selector_target("role=web")])
    await api.post(f"/load_balancers/{lb_id}/actions/change_algorithm", {"type": "round_robin"})

    def matched(lb: dict[str, Any]) -> list[int]:
        return [t["server"]["id"] for t in lb["targets"][0]["targets"]]

    lb = await lb_of(api, lb_id)
    assert "health_status" not in lb["targets"][0]
    assert matched(lb) == [web1]
    assert lb["targets"][0]["targets"][0] == {
        "type": "server",
        "server": {"id": web1},
        "health_status": [
            {"listen_port": 5432, "status": "healthy"},
            {"listen_port": 80, "status": "healthy"},
        ],
        "use_private_ip": False,
    }
    web2 = (await api.create_server("web2", labels={"role": "web"})).body["server"]
    assert web2["load_balancers"] == [lb_id]  # a new server matches at once
    selected = (await lb_of(api, lb_id))["targets"][0]["targets"]
    assert [t["server"]["id"] for t in selected] == [web1, web2["id"]]
    assert health(selected[1]) == {5432: "unhealthy", 80: "unhealthy"}  # not running yet
    clock.advance(2.0)
    selected = (await lb_of(api, lb_id))["targets"][0]["targets"]
    assert health(selected[1]) == {5432: "healthy", 80: "healthy"}

    await api.put(f"/servers/{web1}", {"labels": {"role": "old"}})
    assert matched(await lb_of(api, lb_id)) == [web2["id"]]
    assert await server_lbs(api, web1) == []
    await api.put(f"/servers/{web1}", {"labels": {"role": "web"}})
    assert matched(await lb_of(api, lb_id)) == [web1, web2["id"]]
    await api.delete(f"/servers/{web2['id']}")
    clock.advance(1.0)
    assert matched(await lb_of(api, lb_id)) == [web1]

    both = await api.post(f"/load_balancers/{lb_id}/actions/add_target", server_target(web1))
    assert both.status == 201  # a server may be a target itself and through a selector
    again = await api.post(
        f"/load_balancers/{lb_id}/actions/add_target", selector_target("role=web")
    )
    assert error(again) == (422, "target_already_defined")
    clock.advance(1.0)
    removed = await api.post(
        f"/load_balancers/{lb_id}/actions/remove_target", selector_target("role=web")
    )
    assert removed.body["action"]["command"] == "remove_target"
    assert await server_lbs(api, web1) == [lb_id]


async def test_ip_targets(api: Api, clock: ManualClock) -> None:
    lb_id = await ready_lb(api, clock)
    path = f"/load_balancers/{lb_id}/actions"
    root = {"type": "ip", "ip": {"ip": "203.0.113.1"}}
    added = await api.post(f"{path}/add_target", root)
    assert added.status == 201
    clock.advance(1.0)
    [target] = (await lb_of(api, lb_id))["targets"]
    assert target == {
        "type": "ip",
        "ip": {"ip": "203.0.113.1"},
        "health_status": [
            {"listen_port": 5432, "status": "healthy"},
            {"listen_port": 80, "status": "healthy"},
        ],
    }
    for ip, code in (
        ("100.64.0.1", "ip_not_owned"),
        ("2001:db8::1", "ip_not_owned"),
        ("127.0.0.1", "ip_not_owned"),
        ("240.0.0.1", "ip_not_owned"),
        ("10.0.0.5", "load_balancer_not_attached_to_network"),
        ("203.0.113.1", "target_already_defined"),
    ):
        reply = await api.post(f"{path}/add_target", {"type": "ip", "ip": {"ip": ip}})
        assert error(reply) == (422, code), ip
    for bad_ip in ("300.1.1.1", 5, None):
        bad = await api.post(f"{path}/add_target", {"type": "ip", "ip": {"ip": bad_ip}})
        assert error(bad) == (422, "invalid_input"), bad_ip


async def test_target_rules(api: Api, clock: ManualClock) -> None:
    sid = await running(api, clock, "web")
    no_v4 = await running(api, clock, "v6only", public_net={"enable_ipv4": False})
    lb_id = await ready_lb(api, clock)
    path = f"/load_balancers/{lb_id}/actions"
    cases = [
        (server_target(sid, use_private_ip=True), "load_balancer_not_attached_to_network"),
        (server_target(no_v4), "resolve_cloud_public_targets_error"),
        (
            {**selector_target("a=b"), "use_private_ip": True},
            "load_balancer_not_attached_to_network",
        ),
    ]
    for body, code in cases:
        assert error(await api.post(f"{path}/add_target", body)) == (422, code), body
    for body in (
        server_target(999),
        {"type": "server"},
        {"type": "vm"},
        selector_target("a in ("),
        {"type": "ip", "ip": {"ip": "203.0.113.5"}, "use_private_ip": True},
    ):
        assert error(await api.post(f"{path}/add_target", body)) == (422, "invalid_input"), body
    absent = await api.post(f"{path}/remove_target", server_target(sid))
    assert error(absent) == (422, "invalid_input")
    assert (await lb_of(api, lb_id))["targets"] == []


async def test_target_limit_counts_selected_servers(api: Api, clock: ManualClock) -> None:
    ips = [{"type": "ip", "ip": {"ip": f"203.0.113.{n}"}} for n in range(1, 25)]
    lb_id = await ready_lb(api, clock, targets=ips)  # lb11: 25 targets at most
    for name in ("a", "b"):
        await api.create_server(name, labels={"role": "web"})
    full = await api.post(
        f"/load_balancers/{lb_id}/actions/add_target", selector_target("role=web")
    )
    assert error(full) == (403, "resource_limit_exceeded")
    assert full.body["error"]["details"] == {"limits": [{"name": "targets"}]}
    one_more = {"type": "ip", "ip": {"ip": "203.0.113.99"}}
    assert (await api.post(f"/load_balancers/{lb_id}/actions/add_target", one_more)).status == 201
    clock.advance(1.0)
    small = await api.post(
        f"/load_balancers/{lb_id}/actions/change_type", {"load_balancer_type": "lb11"}
    )
    assert small.status == 201  # 25 targets fit lb11 exactly


@pytest.mark.parametrize("stored", [1000])
async def test_a_power_change_does_not_walk_the_selected_servers(
    api: Api,
    clock: ManualClock,
    fake: FakeHetznerCloud,
    monkeypatch: pytest.MonkeyPatch,
    stored: int,
) -> None:
    template = (await api.create_server("seed", labels={"role": "web"})).body["server"]
    clock.advance(2.0)
    lb_id = await ready_lb(api, clock, targets=[selector_target("role=web")])
    state = fake.state
    for index in range(stored):  # matched as they come (the type's maximum is checked on add)
        server = copy.deepcopy(template)
        server.update(id=state.next_id("server"), name=f"s-{index}", status="running")
        state.servers[server["id"]] = server
    selected = (await lb_of(api, lb_id))["targets"][0]["targets"]
    assert len(selected) == stored + 1
    sid = selected[7]["server"]["id"]
    computed: list[int] = []
    original = LoadBalancerLinks.health

    def counting(self: LoadBalancerLinks, lb: Any, server: Any, *args: Any) -> Any:
        computed.append(0 if server is None else server["id"])
        return original(self, lb, server, *args)

    monkeypatch.setattr(LoadBalancerLinks, "health", counting)
    await api.post(f"/servers/{sid}/actions/poweroff")
    clock.advance(1.0)
    await api.get(f"/servers/{sid}")
    assert len(computed) <= 4
    assert set(computed) == {sid}
    lb = await lb_of(api, lb_id)
    assert health(lb["targets"][0]["targets"][7]) == {5432: "unhealthy", 80: "unhealthy"}
