"""Load balancers: create, list, update, delete, the LB's own actions, metrics, action lists.

Its services are in ``test_load_balancer_services``, targets and networks in their own modules.
"""

from typing import Any

import pytest

from hetzner_async.testing import ManualClock

from .conftest import Api
from .lb_helpers import TCP, create_lb, error, lb_of


async def test_create_minimal(api: Api, clock: ManualClock) -> None:
    reply = await api.post(
        "/load_balancers",
        {"name": "web", "load_balancer_type": "lb11", "location": "nbg1", "labels": {"k": "v"}},
    )
    assert reply.status == 201
    lb, action = reply.body["load_balancer"], reply.body["action"]
    assert lb["id"] == 10_000_001
    assert (lb["name"], lb["labels"], lb["location"]["name"]) == ("web", {"k": "v"}, "nbg1")
    assert lb["load_balancer_type"]["name"] == "lb11"
    assert lb["algorithm"] == {"type": "round_robin"}
    assert (lb["services"], lb["targets"], lb["private_net"]) == ([], [], [])
    assert lb["public_net"] == {
        "enabled": True,
        "ipv4": {"ip": "100.112.0.1", "dns_ptr": "static.1.0.112.100.clients.your-server.de"},
        "ipv6": {"ip": "2001:db8:ffff::1", "dns_ptr": None},
    }
    assert lb["protection"] == {"delete": False}
    assert lb["included_traffic"] > 0
    assert action["command"] == "create_load_balancer"
    assert action["resources"] == [{"id": lb["id"], "type": "load_balancer"}]
    assert await lb_of(api, lb["id"]) == lb
    locked = await api.post(f"/load_balancers/{lb['id']}/actions/add_service", TCP)
    assert error(locked) == (423, "locked")
    clock.advance(1.0)
    done = await api.get(f"/actions/{action['id']}")
    assert done.body["action"]["status"] == "success"


async def test_create_by_id_network_zone_and_algorithm(api: Api) -> None:
    lb = await create_lb(
        api,
        load_balancer_type=2,
        location=None,
        network_zone="eu-central",
        algorithm={"type": "least_connections"},
    )
    assert lb["load_balancer_type"]["name"] == "lb21"
    assert lb["location"]["network_zone"] == "eu-central"
    assert lb["algorithm"] == {"type": "least_connections"}
    both = await create_lb(api, "both", location="ash", network_zone="us-east")
    assert both["location"]["name"] == "ash"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": None}, "name"),
        ({"name": " padded"}, "name"),
        ({"name": "x" * 129}, "name"),
        ({"load_balancer_type": None}, "load_balancer_type"),
        ({"load_balancer_type": "lb99"}, "load_balancer_type"),
        ({"location": None}, "location"),
        ({"location": "mars1"}, "location"),
        ({"location": None, "network_zone": "moon"}, "network_zone"),
        ({"network_zone": "us-east"}, "network_zone"),
        ({"algorithm": {"type": "random"}}, "algorithm.type"),
        ({"labels": {"bad key": "v"}}, "labels"),
        ({"services": [{"protocol": "https"}]}, "services[0].http.certificates"),
        ({"services": [{"protocol": "tcp"}]}, "services[0].listen_port"),
        ({"targets": [{"type": "server", "server": {"id": 999}}]}, "server.id"),
        ({"targets": [{"type": "label_selector"}]}, "targets[0].label_selector.selector"),
    ],
)
async def test_create_refuses_invalid_input(api: Api, fields: dict[str, Any], field: str) -> None:
    body = {"name": "lb", "load_balancer_type": "lb11", "location": "fsn1", **fields}
    reply = await api.post("/load_balancers", {k: v for k, v in body.items() if v is not None})
    assert error(reply) == (422, "invalid_input")
    assert reply.body["error"]["details"]["fields"][0]["name"] == field


async def test_create_rules(api: Api) -> None:
    await create_lb(api, "taken")
    taken = await api.post(
        "/load_balancers", {"name": "taken", "load_balancer_type": "lb11", "location": "fsn1"}
    )
    assert error(taken) == (409, "uniqueness_error")
    base = {"name": "x", "load_balancer_type": "lb11", "location": "fsn1"}
    private = await api.post("/load_balancers", {**base, "public_interface": False})
    assert error(private) == (422, "load_balancer_not_attached_to_network")
    ports = await api.post("/load_balancers", {**base, "services": [TCP, TCP]})
    assert error(ports) == (412, "source_port_already_used")
    ip = {"type": "ip", "ip": {"ip": "203.0.113.1"}}
    twice = await api.post("/load_balancers", {**base, "targets": [ip, ip]})
    assert error(twice) == (422, "target_already_defined")
    cloud = {"type": "ip", "ip": {"ip": "100.64.0.7"}}
    assert error(await api.post("/load_balancers", {**base, "targets": [cloud]})) == (
        422,
        "ip_not_owned",
    )
    assert (await api.get("/load_balancers", params={"name": "x"})).body["load_balancers"] == []


async def test_create_fills_in_service_defaults(api: Api) -> None:
    lb = await create_lb(api, services=[{"protocol": "http"}, TCP])
    http, tcp = lb["services"]
    assert http == {
        "protocol": "http",
        "listen_port": 80,
        "destination_port": 80,
        "proxyprotocol": False,
        "health_check": {
            "protocol": "tcp",
            "port": 80,
            "interval": 15,
            "timeout": 10,
            "retries": 3,
        },
        "http": {
            "cookie_name": "HCLBSTICKY",
            "cookie_lifetime": 300,
            "timeout_idle": 50,
            "sticky_sessions": False,
            "certificates": [],
            "redirect_http": False,
        },
    }
    assert "http" not in tcp
    assert tcp["health_check"]["port"] == 5432


async def test_list_filters_sort_and_pages(api: Api) -> None:
    for name, role in (("b", "web"), ("a", "db"), ("c", "web")):
        await create_lb(api, name, labels={"role": role})
    listed = await api.get("/load_balancers", params={"label_selector": "role=web", "sort": "name"})
    assert [lb["name"] for lb in listed.body["load_balancers"]] == ["b", "c"]
    named = await api.get("/load_balancers", params={"name": "a"})
    assert [lb["name"] for lb in named.body["load_balancers"]] == ["a"]
    page = await api.get("/load_balancers", params={"per_page": 2, "sort": "id:desc"})
    assert [lb["name"] for lb in page.body["load_balancers"]] == ["c", "a"]
    assert page.body["meta"]["pagination"]["total_entries"] == 3


async def test_update_and_delete(api: Api, clock: ManualClock) -> None:
    lb = await create_lb(api)
    other = await create_lb(api, "other")
    renamed = await api.put(f"/load_balancers/{lb['id']}", {"name": "new", "labels": {"a": "b"}})
    assert (renamed.body["load_balancer"]["name"], renamed.body["load_balancer"]["labels"]) == (
        "new",
        {"a": "b"},
    )
    clash = await api.put(f"/load_balancers/{lb['id']}", {"name": "other"})
    assert error(clash) == (409, "uniqueness_error")
    clock.advance(1.0)
    protect = await api.post(
        f"/load_balancers/{lb['id']}/actions/change_protection", {"delete": True}
    )
    assert protect.body["action"]["command"] == "change_protection"
    assert error(await api.delete(f"/load_balancers/{lb['id']}")) == (423, "protected")
    clock.advance(1.0)
    await api.post(f"/load_balancers/{lb['id']}/actions/change_protection", {"delete": False})
    assert error(await api.delete(f"/load_balancers/{lb['id']}")) == (423, "locked")
    clock.advance(1.0)
    deleted = await api.delete(f"/load_balancers/{lb['id']}")
    # Tracked by an action since 2026-10-05, as hcloud-python 2.27 and hcloud-go 2.52 expect.
    assert deleted.status == 200
    assert deleted.body["action"]["command"] == "delete_load_balancer"
    assert error(await api.get(f"/load_balancers/{lb['id']}")) == (404, "not_found")
    assert [x["id"] for x in (await api.get("/load_balancers")).body["load_balancers"]] == [
        other["id"]
    ]


async def test_change_algorithm_type_and_dns_ptr(api: Api, clock: ManualClock) -> None:
    services = [{**TCP, "listen_port": p, "destination_port": p} for p in range(1, 7)]
    lb = await create_lb(api, load_balancer_type="lb21", services=services)
    path = f"/load_balancers/{lb['id']}/actions"
    clock.advance(1.0)
    invalid = await api.post(f"{path}/change_algorithm", {"type": "random"})
    assert error(invalid) == (422, "invalid_input")
    changed = await api.post(f"{path}/change_algorithm", {"type": "least_connections"})
    assert changed.body["action"]["command"] == "change_algorithm"
    assert (await lb_of(api, lb["id"]))["algorithm"] == {"type": "least_connections"}
    clock.advance(1.0)
    small = await api.post(f"{path}/change_type", {"load_balancer_type": "lb11"})
    assert error(small) == (422, "invalid_load_balancer_type")
    unknown = await api.post(f"{path}/change_type", {"load_balancer_type": "lb99"})
    assert error(unknown) == (422, "invalid_load_balancer_type")
    bigger = await api.post(f"{path}/change_type", {"load_balancer_type": 3})
    assert bigger.body["action"]["command"] == "change_load_balancer_type"
    assert (await lb_of(api, lb["id"]))["load_balancer_type"]["name"] == "lb21"
    clock.advance(1.0)
    assert (await lb_of(api, lb["id"]))["load_balancer_type"]["name"] == "lb31"

    ipv4, ipv6 = lb["public_net"]["ipv4"]["ip"], lb["public_net"]["ipv6"]["ip"]
    set_ptr = await api.post(f"{path}/change_dns_ptr", {"ip": ipv6, "dns_ptr": "lb.example.com"})
    assert set_ptr.body["action"]["command"] == "change_dns_ptr"
    clock.advance(1.0)
    await api.post(f"{path}/change_dns_ptr", {"ip": ipv4, "dns_ptr": "v4.example.com"})
    public = (await lb_of(api, lb["id"]))["public_net"]
    assert (public["ipv4"]["dns_ptr"], public["ipv6"]["dns_ptr"]) == (
        "v4.example.com",
        "lb.example.com",
    )
    clock.advance(1.0)
    await api.post(f"{path}/change_dns_ptr", {"ip": ipv4, "dns_ptr": None})
    assert (await lb_of(api, lb["id"]))["public_net"]["ipv4"] == lb["public_net"]["ipv4"]
    clock.advance(1.0)
    foreign = await api.post(f"{path}/change_dns_ptr", {"ip": "203.0.113.9", "dns_ptr": None})
    assert error(foreign) == (422, "invalid_input")
    missing = await api.post(f"{path}/change_dns_ptr", {"ip": ipv4})
    assert error(missing) == (422, "invalid_input")


async def test_public_interface(api: Api, clock: ManualClock) -> None:
    lb_id = (await create_lb(api))["id"]
    path = f"/load_balancers/{lb_id}/actions"
    clock.advance(1.0)
    alone = await api.post(f"{path}/disable_public_interface")
    assert error(alone) == (422, "load_balancer_not_attached_to_network")
    enabled = await api.post(f"{path}/enable_public_interface")
    assert enabled.body["action"]["command"] == "enable_public_interface"
    assert (await lb_of(api, lb_id))["public_net"]["enabled"] is True


async def test_metrics(api: Api, clock: ManualClock) -> None:
    idle = await create_lb(api, "idle")
    busy = await create_lb(api, "busy", services=[TCP])
    window = {"start": "2024-01-01T00:00:00Z", "end": "2024-01-01T01:00:00Z"}
    params = {"type": "requests_per_second,bandwidth", **window}
    reply = await api.get(f"/load_balancers/{busy['id']}/metrics", params=params)
    assert reply.status == 200
    metrics = reply.body["metrics"]
    assert metrics["step"] == 18  # about 200 samples
    names = ["bandwidth.in", "bandwidth.out", "requests_per_second"]
    assert sorted(metrics["time_series"]) == names
    values = metrics["time_series"]["requests_per_second"]["values"]
    assert len(values) == 201
    assert values[0][0] == 1_704_067_200
    assert all(float(v) > 0 for _, v in values)
    same = await api.get(f"/load_balancers/{busy['id']}/metrics", params=params)
    assert same.body == reply.body
    alone = await api.get(
        f"/load_balancers/{busy['id']}/metrics", params={"type": "requests_per_second", **window}
    )
    assert alone.body["metrics"]["time_series"]["requests_per_second"]["values"] == values
    quiet = await api.get(
        f"/load_balancers/{idle['id']}/metrics",
        params={"type": "open_connections", "step": "1", **window},
    )
    series = quiet.body["metrics"]["time_series"]["open_connections"]["values"]
    assert len(series) <= 500
    assert quiet.body["metrics"]["step"] == 8  # 1 s asked, widened to 500 samples at most
    assert {v for _, v in series} == {"0"}
    for bad in (
        {"type": "cpu", **window},
        {"type": "bandwidth", "start": window["start"]},
        {"type": "bandwidth", "start": window["end"], "end": window["start"]},
        {"type": "bandwidth", "start": "yesterday", "end": window["end"]},
    ):
        reply = await api.get(f"/load_balancers/{idle['id']}/metrics", params=bad)
        assert error(reply) == (422, "invalid_input"), bad


async def test_action_lists(api: Api, clock: ManualClock) -> None:
    lb_id = (await create_lb(api))["id"]
    clock.advance(1.0)
    await api.post(f"/load_balancers/{lb_id}/actions/add_service", TCP)
    own = await api.get(f"/load_balancers/{lb_id}/actions", params={"sort": "id"})
    commands = [a["command"] for a in own.body["actions"]]
    assert commands == ["create_load_balancer", "add_service"]
    every = await api.get("/load_balancers/actions", params={"status": "running"})
    assert [a["command"] for a in every.body["actions"]] == ["add_service"]
    aid = own.body["actions"][1]["id"]
    one = await api.get(f"/load_balancers/actions/{aid}")
    assert one.body["action"]["id"] == aid
    deprecated = await api.get(f"/load_balancers/{lb_id}/actions/{aid}")
    assert deprecated.body["action"]["command"] == "add_service"


JUNK: list[Any] = [None, 0, -1, 1.5, True, "x", "", [], {}, [1], {"a": 1}, "10.0.0.1", 99999]
FIELDS = {
    "add_service": ("protocol", "listen_port", "destination_port", "health_check", "http"),
    "update_service": ("listen_port", "protocol", "proxyprotocol", "health_check", "http"),
    "delete_service": ("listen_port",),
    "add_target": ("type", "server", "label_selector", "ip", "use_private_ip"),
    "remove_target": ("server", "label_selector", "ip"),
    "attach_to_network": ("network", "ip", "ip_range"),
    "detach_from_network": ("network",),
    "change_algorithm": ("type",),
    "change_type": ("load_balancer_type",),
    "change_dns_ptr": ("ip", "dns_ptr"),
    "change_protection": ("delete",),
}


async def test_malformed_fields_are_refused_not_crashed_on(api: Api, clock: ManualClock) -> None:
    """Every field of every action, and of create, given junk: a 4xx, never a 500."""
    lb_id = (await create_lb(api, services=[{"protocol": "http"}]))["id"]
    statuses: set[int] = set()
    for action, names in FIELDS.items():
        for name, value in ((n, v) for n in names for v in JUNK):
            body: dict[str, Any] = {name: value}
            if action.endswith("_service"):
                body = {"protocol": "http", "listen_port": 80, **body}
            elif action.endswith("_target") and name != "type":
                body = {"type": name if name != "use_private_ip" else "server", **body}
            clock.advance(1.0)
            reply = await api.post(f"/load_balancers/{lb_id}/actions/{action}", body)
            statuses.add(reply.status)
    for name, value in (
        (n, v) for n in ("algorithm", "services", "targets", "network") for v in JUNK
    ):
        body = {"name": "junk", "load_balancer_type": "lb11", "location": "fsn1", name: value}
        reply = await api.post("/load_balancers", body)
        statuses.add(reply.status)
        if reply.status == 201:
            clock.advance(1.0)
            assert (
                await api.delete(f"/load_balancers/{reply.body['load_balancer']['id']}")
            ).status == 200
    window = {"type": "bandwidth", "start": "2024-01-01T00:00:00Z", "end": "2024-01-01T00:10:00Z"}
    for step in ("abc", "-5", "nan", "inf", "0"):
        reply = await api.get(f"/load_balancers/{lb_id}/metrics", params={**window, "step": step})
        assert error(reply) == (422, "invalid_input"), step
    assert max(statuses) < 500
    assert 201 in statuses  # some junk is valid (a service on another port)
