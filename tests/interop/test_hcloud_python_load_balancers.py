"""hcloud-python (the official Python client) against the fake: a load balancer's cycle.

Create with services and targets, read it back (health included), list, update, every action
with hcloud's own waiting, metrics, errors, delete. Each test is one step group of the cycle.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hcloud import APIException, Client
from hcloud.load_balancer_types import LoadBalancerType
from hcloud.load_balancers import (
    BoundLoadBalancer,
    LoadBalancerAlgorithm,
    LoadBalancerHealthCheck,
    LoadBalancerHealthCheckHttp,
    LoadBalancerService,
    LoadBalancerServiceHttp,
    LoadBalancerTarget,
    LoadBalancerTargetIP,
    LoadBalancerTargetLabelSelector,
)
from hcloud.locations import Location
from hcloud.networks import NetworkSubnet

from .pyclient import api_code, finish, make_server

pytestmark = pytest.mark.interop


def http_service(port: int = 80) -> LoadBalancerService:
    return LoadBalancerService(
        protocol="http",
        listen_port=port,
        destination_port=8080,
        proxyprotocol=False,
        health_check=LoadBalancerHealthCheck(
            protocol="http",
            port=8080,
            interval=10,
            timeout=5,
            retries=3,
            http=LoadBalancerHealthCheckHttp(
                domain=None, path="/health", response="ok", status_codes=["200"], tls=False
            ),
        ),
        http=LoadBalancerServiceHttp(sticky_sessions=True, cookie_name="SRV", cookie_lifetime=600),
    )


def make_lb(client: Client, name: str, **options: Any) -> BoundLoadBalancer:
    created = client.load_balancers.create(
        name,
        load_balancer_type=LoadBalancerType(name="lb11"),
        location=Location(name="fsn1"),
        **options,
    )
    finish(created.action)
    return client.load_balancers.get_by_id(created.load_balancer.id)


def test_create_with_services_and_targets(hcloud_client: Client) -> None:
    """hcloud sends the ids of fetched objects; the answer reads back into its domain objects."""
    web = make_server(hcloud_client, "web-1", role="web")
    lb_type = hcloud_client.load_balancer_types.get_by_name("lb11")
    location = hcloud_client.locations.get_by_name("nbg1")
    assert lb_type is not None
    assert location is not None
    created = hcloud_client.load_balancers.create(
        "front",
        load_balancer_type=lb_type,
        location=location,
        algorithm=LoadBalancerAlgorithm(type="least_connections"),
        services=[http_service()],
        targets=[
            LoadBalancerTarget(type="server", server=web),
            LoadBalancerTarget(
                type="label_selector",
                label_selector=LoadBalancerTargetLabelSelector(selector="role=web"),
            ),
        ],
        labels={"app": "shop"},
    )
    assert created.action.command == "create_load_balancer"
    finish(created.action)

    lb = hcloud_client.load_balancers.get_by_name("front")
    assert lb is not None
    assert (lb.load_balancer_type.name, lb.location.name) == ("lb11", "nbg1")
    assert lb.algorithm.type == "least_connections"
    assert lb.labels == {"app": "shop"}
    assert lb.public_net.enabled is True
    assert lb.public_net.ipv4.ip
    [service] = lb.services
    assert (service.protocol, service.listen_port, service.destination_port) == ("http", 80, 8080)
    assert service.http.cookie_name == "SRV"
    assert service.http.certificates == []
    assert service.health_check.http.path == "/health"
    server_target, selector = lb.targets
    assert server_target.server.id == web.id
    assert [(h.listen_port, h.status) for h in server_target.health_status] == [(80, "healthy")]
    assert [t.server.id for t in selector.targets] == [web.id]
    assert [h.status for h in selector.targets[0].health_status] == ["healthy"]
    raw = hcloud_client.request("GET", f"/servers/{web.id}")  # hcloud's Server omits the field
    assert raw["server"]["load_balancers"] == [lb.id]


def test_list_and_update(hcloud_client: Client) -> None:
    for name, app in (("a", "shop"), ("b", "blog"), ("c", "shop")):
        make_lb(hcloud_client, name, labels={"app": app})
    shop = hcloud_client.load_balancers.get_all(label_selector="app=shop")
    assert sorted(lb.name for lb in shop) == ["a", "c"]
    page = hcloud_client.load_balancers.get_list(page=1, per_page=2)
    assert len(page.load_balancers) == 2
    assert page.meta.pagination.total_entries == 3
    lb = hcloud_client.load_balancers.get_by_name("b")
    assert lb is not None
    updated = lb.update(name="blog", labels={"app": "blog", "tier": "1"})
    assert (updated.name, updated.labels) == ("blog", {"app": "blog", "tier": "1"})
    with pytest.raises(APIException) as excinfo:
        hcloud_client.load_balancers.update(updated, name="a")
    assert api_code(excinfo) == "uniqueness_error"


def test_services(hcloud_client: Client) -> None:
    lb = make_lb(hcloud_client, "svc")
    tcp = LoadBalancerService(
        protocol="tcp", listen_port=5432, destination_port=5432, proxyprotocol=False
    )
    finish(lb.add_service(tcp))
    finish(lb.add_service(http_service(8080)))
    with pytest.raises(APIException) as excinfo:
        lb.add_service(tcp)
    assert api_code(excinfo) == "source_port_already_used"
    changed = LoadBalancerService(
        listen_port=5432,
        proxyprotocol=True,
        health_check=LoadBalancerHealthCheck(protocol="tcp", port=5433, interval=5),
    )
    finish(lb.update_service(changed))
    lb.reload()
    tcp_read = next(s for s in lb.services if s.listen_port == 5432)
    assert tcp_read.proxyprotocol is True
    assert (tcp_read.health_check.port, tcp_read.health_check.interval) == (5433, 5)
    assert tcp_read.health_check.timeout == 10  # left as it was
    finish(lb.delete_service(tcp_read))
    lb.reload()
    assert [s.listen_port for s in lb.services] == [8080]


def test_https_service_on_a_managed_certificate(hcloud_client: Client) -> None:
    issued = hcloud_client.certificates.create_managed("shop", domain_names=["shop.example.com"])
    finish(issued.action)
    lb = make_lb(hcloud_client, "tls")
    https = LoadBalancerService(
        protocol="https",
        listen_port=443,
        destination_port=80,
        proxyprotocol=False,
        http=LoadBalancerServiceHttp(certificates=[issued.certificate], redirect_http=True),
    )
    finish(lb.add_service(https))
    lb.reload()
    [service] = lb.services
    assert [c.id for c in service.http.certificates] == [issued.certificate.id]
    assert service.http.redirect_http is True
    assert service.health_check.protocol == "tcp"  # the API's default check
    certificate = hcloud_client.certificates.get_by_id(issued.certificate.id)
    raw = hcloud_client.request("GET", f"/certificates/{certificate.id}")  # hcloud omits used_by
    assert raw["certificate"]["used_by"] == [{"id": lb.id, "type": "load_balancer"}]
    with pytest.raises(APIException) as excinfo:
        certificate.delete()
    assert api_code(excinfo) == "service_error"
    finish(lb.delete_service(service))
    assert certificate.delete() is True


def test_targets_and_health(hcloud_client: Client) -> None:
    server = make_server(hcloud_client, "app-1")
    lb = make_lb(hcloud_client, "tgt", services=[http_service()])
    target = LoadBalancerTarget(type="server", server=server)
    finish(lb.add_target(target))
    with pytest.raises(APIException) as excinfo:
        lb.add_target(target)
    assert api_code(excinfo) == "target_already_defined"
    root = LoadBalancerTarget(type="ip", ip=LoadBalancerTargetIP(ip="203.0.113.10"))
    finish(lb.add_target(root))
    lb.reload()
    assert [t.type for t in lb.targets] == ["server", "ip"]
    assert lb.targets[0].health_status[0].status == "healthy"

    finish(server.power_off())
    lb.reload()
    assert lb.targets[0].health_status[0].status == "unhealthy"
    finish(lb.remove_target(lb.targets[0]))  # a target as read back
    private = LoadBalancerTarget(type="server", server=server, use_private_ip=True)
    with pytest.raises(APIException) as excinfo:
        lb.add_target(private)
    assert api_code(excinfo) == "load_balancer_not_attached_to_network"
    finish(lb.remove_target(root))
    lb.reload()
    assert lb.targets == []
    assert hcloud_client.request("GET", f"/servers/{server.id}")["server"]["load_balancers"] == []


def test_networks_and_the_public_interface(hcloud_client: Client) -> None:
    network = hcloud_client.networks.create(
        "backend",
        ip_range="10.0.0.0/16",
        subnets=[NetworkSubnet(type="cloud", ip_range="10.0.1.0/24", network_zone="eu-central")],
    )
    server = make_server(hcloud_client, "db-1")
    finish(server.attach_to_network(network))
    created = hcloud_client.load_balancers.create(
        "inner",
        load_balancer_type=LoadBalancerType(name="lb11"),
        network_zone="eu-central",
        network=network,
        public_interface=False,
        targets=[LoadBalancerTarget(type="server", server=server, use_private_ip=True)],
    )
    finish(created.action)
    lb = hcloud_client.load_balancers.get_by_id(created.load_balancer.id)
    assert lb.public_net.enabled is False
    assert [p.network.id for p in lb.private_net] == [network.id]
    assert lb.targets[0].use_private_ip is True
    with pytest.raises(APIException) as excinfo:
        lb.attach_to_network(network)
    assert api_code(excinfo) == "load_balancer_already_attached"
    with pytest.raises(APIException) as excinfo:
        lb.detach_from_network(network)
    assert api_code(excinfo) == "load_balancer_public_interface_disabled"
    finish(lb.enable_public_interface())
    finish(lb.detach_from_network(network))
    lb.reload()
    assert lb.private_net == []
    with pytest.raises(APIException) as excinfo:
        lb.disable_public_interface()
    assert api_code(excinfo) == "load_balancer_not_attached_to_network"
    finish(lb.attach_to_network(network, ip="10.0.1.50"))
    finish(lb.disable_public_interface())
    lb.reload()
    assert (lb.private_net[0].ip, lb.public_net.enabled) == ("10.0.1.50", False)
    raw = hcloud_client.request("GET", f"/networks/{network.id}")  # hcloud's Network omits it
    assert raw["network"]["load_balancers"] == [lb.id]


def test_settings_actions(hcloud_client: Client) -> None:
    lb = make_lb(hcloud_client, "set")
    finish(lb.change_algorithm(LoadBalancerAlgorithm(type="least_connections")))
    lb21 = hcloud_client.load_balancer_types.get_by_name("lb21")
    assert lb21 is not None
    finish(lb.change_type(lb21))
    finish(lb.change_dns_ptr(lb.public_net.ipv4.ip, "front.example.com"))
    finish(lb.change_protection(delete=True))
    lb.reload()
    assert (lb.algorithm.type, lb.load_balancer_type.name) == ("least_connections", "lb21")
    assert lb.public_net.ipv4.dns_ptr == "front.example.com"
    assert lb.protection == {"delete": True}
    with pytest.raises(APIException) as excinfo:
        lb.delete()
    assert api_code(excinfo) == "protected"
    with pytest.raises(APIException) as excinfo:
        lb.disable_public_interface()
    assert api_code(excinfo) == "load_balancer_not_attached_to_network"
    finish(lb.enable_public_interface())
    commands = {a.command for a in lb.get_actions()}
    assert {"change_algorithm", "change_load_balancer_type", "change_dns_ptr"} <= commands


def test_metrics(hcloud_client: Client) -> None:
    lb = make_lb(hcloud_client, "met", services=[http_service()])
    start = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    response = lb.get_metrics(
        type=["requests_per_second", "bandwidth"],
        start=start,
        end=start + dt.timedelta(hours=1),
        step=60,
    )
    series = response.metrics.time_series
    assert sorted(series) == ["bandwidth.in", "bandwidth.out", "requests_per_second"]
    assert len(series["requests_per_second"]["values"]) == 61
    assert response.metrics.step == 60


def test_delete(hcloud_client: Client) -> None:
    """hcloud-python 2.27 reads the action the API answers a delete with since 2026-10-05, and
    waits on it; the load balancer is gone."""
    lb = make_lb(hcloud_client, "del")
    deleted = lb.delete()
    finish(deleted.action)
    assert deleted.action.command == "delete_load_balancer"
    with pytest.raises(APIException) as excinfo:
        hcloud_client.load_balancers.get_by_id(lb.id)
    assert api_code(excinfo) == "not_found"
