"""``hz.load_balancers`` end to end against the fake: a fleet behind a load balancer."""

from __future__ import annotations

import dataclasses
import datetime as dt

import attrs
import pytest

from hetzner_async import HetznerClient
from hetzner_async.errors import (
    APIError,
    InvalidInputError,
    LockedError,
    NotFoundError,
    ProtectedError,
    ResourceLimitError,
    UniquenessError,
)
from hetzner_async.models import (
    LoadBalancerHealthCheck,
    LoadBalancerService,
    LoadBalancerTarget,
    NewSubnet,
    ServerStatus,
    TargetHealthStatus,
)
from hetzner_async.testing import FakeConfig, FakeHetznerCloud


@pytest.fixture
def fake_config(fake_config: FakeConfig) -> FakeConfig:
    """Resizing takes 0.5 s: long enough that the next request surely finds the lock."""
    return dataclasses.replace(fake_config, action_durations={"change_load_balancer_type": 0.5})


async def fleet(
    hz: HetznerClient,
    count: int,
    prefix: str = "web",
    networks: list[int] | None = None,
    **labels: str,
) -> list[int]:
    """Create servers labelled ``role=web`` (in these networks) and wait until they run."""
    created = [
        await hz.servers.create_and_wait(
            name=f"{prefix}-{i}",
            server_type="cx22",
            image="debian-12",
            location="fsn1",
            networks=networks,
            labels={"role": "web", **labels},
        )
        for i in range(count)
    ]
    return [server.id for server in created]


async def test_a_fleet_behind_a_label_selector(hz: HetznerClient, fake: FakeHetznerCloud) -> None:
    servers = await fleet(hz, 3, fleet="f1")
    issued = await hz.certificates.create(
        name="shop", domain_names=["shop.example.com"], labels={"fleet": "f1"}
    )
    assert issued.action is not None
    await hz.actions.wait(issued.action)
    https = LoadBalancerService.for_https(
        443,
        8080,
        certificates=[issued.certificate.id],
        redirect_http=True,
        sticky_sessions=True,
        health_check=LoadBalancerHealthCheck.for_http(8080, path="/health"),
    )
    created = await hz.load_balancers.create(
        name="front",
        load_balancer_type="lb11",
        location="fsn1",
        algorithm="least_connections",
        services=[https],
        targets=[LoadBalancerTarget.for_label_selector("role=web")],
        labels={"fleet": "f1"},
    )
    assert created.action.command == "create_load_balancer"
    await hz.actions.wait(created.action)
    lb = await hz.load_balancers.get(created.load_balancer.id)
    assert lb.algorithm.type == "least_connections"
    assert lb.services[0].http is not None
    assert lb.services[0].http.sticky_sessions
    assert lb.services[0].http.certificates == [issued.certificate.id]
    certificate = await hz.certificates.get(issued.certificate.id)
    assert [(u.type, u.id) for u in certificate.used_by] == [("load_balancer", lb.id)]
    [selector] = lb.targets
    assert selector.targets is not None
    assert [t.server.id for t in selector.targets] == servers
    assert {h.status for t in selector.targets for h in t.health_status} == {
        TargetHealthStatus.HEALTHY
    }
    assert (await hz.servers.get(servers[0])).load_balancers == [lb.id]

    await hz.actions.wait(await hz.servers.power_off(servers[1]))
    assert (await hz.servers.get(servers[1])).status is ServerStatus.OFF
    selected = (await hz.load_balancers.get(lb.id)).targets[0].targets or []
    health = {t.server.id: t.health_status[0].status for t in selected}
    assert health == {
        servers[0]: TargetHealthStatus.HEALTHY,
        servers[1]: TargetHealthStatus.UNHEALTHY,
        servers[2]: TargetHealthStatus.HEALTHY,
    }

    # One more server joins by its label; one leaves by losing it.
    [late] = await fleet(hz, 1, "late", fleet="f1")
    await hz.servers.update(servers[0], labels={"role": "old", "fleet": "f1"})
    selected = (await hz.load_balancers.get(lb.id)).targets[0].targets or []
    assert [t.server.id for t in selected] == [servers[1], servers[2], late]

    report = await hz.deprovision("fleet=f1", kinds=("servers", "load_balancers", "certificates"))
    assert report.complete
    assert sorted(report.deleted["servers"]) == sorted([*servers, late])
    assert report.deleted["load_balancers"] == [lb.id]
    assert report.deleted["certificates"] == [issued.certificate.id]
    assert fake.state.load_balancers == {}


async def test_services_targets_and_settings(hz: HetznerClient) -> None:
    [sid] = await fleet(hz, 1)
    created = await hz.load_balancers.create(
        name="lb", load_balancer_type="lb11", network_zone="eu-central"
    )
    lb_id = created.load_balancer.id
    await hz.actions.wait(created.action)
    tcp = LoadBalancerService.for_tcp(5432)
    await hz.actions.wait(await hz.load_balancers.add_service(lb_id, tcp))
    with pytest.raises(APIError) as taken:
        await hz.load_balancers.add_service(lb_id, tcp)
    assert (taken.value.status, taken.value.code) == (412, "source_port_already_used")
    check = LoadBalancerHealthCheck.for_tcp(5432, interval=5)
    await hz.actions.wait(
        await hz.load_balancers.update_service(lb_id, 5432, proxyprotocol=True, health_check=check)
    )
    [service] = (await hz.load_balancers.get(lb_id)).services
    assert service.proxyprotocol is True
    assert service.health_check == attrs.evolve(check)

    target = LoadBalancerTarget.for_server(sid)
    await hz.actions.wait(await hz.load_balancers.add_target(lb_id, target))
    with pytest.raises(APIError) as again:
        await hz.load_balancers.add_target(lb_id, target)
    assert again.value.code == "target_already_defined"
    [read] = (await hz.load_balancers.get(lb_id)).targets
    assert read.health_status is not None
    assert [h.status for h in read.health_status] == [TargetHealthStatus.HEALTHY]
    await hz.actions.wait(await hz.load_balancers.remove_target(lb_id, read))
    private = LoadBalancerTarget.for_server(sid, use_private_ip=True)
    with pytest.raises(APIError) as unattached:
        await hz.load_balancers.add_target(lb_id, private)
    assert unattached.value.code == "load_balancer_not_attached_to_network"
    await hz.actions.wait(await hz.load_balancers.delete_service(lb_id, 5432))

    await hz.actions.wait(await hz.load_balancers.change_algorithm(lb_id, type="least_connections"))
    changing = await hz.load_balancers.change_type(lb_id, load_balancer_type="lb21")
    with pytest.raises(LockedError):
        await hz.load_balancers.change_algorithm(lb_id, type="round_robin")
    await hz.actions.wait(changing)
    lb = await hz.load_balancers.get(lb_id)
    assert (lb.algorithm.type, lb.load_balancer_type.name) == ("least_connections", "lb21")
    ipv4 = lb.public_net.ipv4.ip
    assert ipv4 is not None
    await hz.actions.wait(await hz.load_balancers.change_dns_ptr(lb_id, ip=ipv4, dns_ptr="lb.test"))
    assert (await hz.load_balancers.get(lb_id)).public_net.ipv4.dns_ptr == "lb.test"
    with pytest.raises(APIError) as no_network:
        await hz.load_balancers.disable_public_interface(lb_id)
    assert no_network.value.code == "load_balancer_not_attached_to_network"
    await hz.actions.wait(await hz.load_balancers.enable_public_interface(lb_id))

    metrics = await hz.load_balancers.metrics(
        lb_id,
        type=["open_connections", "bandwidth"],
        start=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        end=dt.datetime(2024, 1, 1, 1, tzinfo=dt.UTC),
        step=60,
    )
    assert sorted(metrics.time_series) == ["bandwidth.in", "bandwidth.out", "open_connections"]
    assert len(metrics.time_series["open_connections"].points) == 61

    actions = await hz.load_balancers.list_actions(lb_id)
    assert "change_load_balancer_type" in {a.command for a in actions}


async def test_errors_and_lifecycle(hz: HetznerClient) -> None:
    ips = [LoadBalancerTarget.for_ip(f"203.0.113.{n}") for n in range(1, 27)]
    first = await hz.load_balancers.create(
        name="a", load_balancer_type="lb11", location="fsn1", targets=ips[:25]
    )
    with pytest.raises(UniquenessError):
        await hz.load_balancers.create(name="a", load_balancer_type="lb11", location="fsn1")
    with pytest.raises(InvalidInputError):
        await hz.load_balancers.create(name="b", load_balancer_type="lb99", location="fsn1")
    await hz.actions.wait(first.action)
    lb_id = first.load_balancer.id
    with pytest.raises(ResourceLimitError):  # lb11 takes 25 targets
        await hz.load_balancers.add_target(lb_id, ips[25])
    await hz.actions.wait(await hz.load_balancers.change_type(lb_id, load_balancer_type="lb21"))
    await hz.actions.wait(await hz.load_balancers.add_target(lb_id, ips[25]))
    with pytest.raises(APIError) as small:
        await hz.load_balancers.change_type(lb_id, load_balancer_type="lb11")
    assert (small.value.status, small.value.code) == (422, "invalid_load_balancer_type")

    renamed = await hz.load_balancers.update(lb_id, name="renamed", labels={"env": "test"})
    assert renamed.name == "renamed"
    assert (await hz.load_balancers.get_by_name("renamed")) == renamed
    assert [lb.id async for lb in hz.load_balancers.iter(label_selector="env=test")] == [lb_id]
    await hz.actions.wait(await hz.load_balancers.change_protection(lb_id, delete=True))
    with pytest.raises(ProtectedError):
        await hz.load_balancers.delete(lb_id)
    await hz.actions.wait(await hz.load_balancers.change_protection(lb_id, delete=False))
    await hz.load_balancers.delete(lb_id)
    with pytest.raises(NotFoundError):
        await hz.load_balancers.get(lb_id)


async def test_a_private_fleet_behind_a_load_balancer(hz: HetznerClient) -> None:
    """Servers and load balancer in one network; the load balancer reachable only inside it."""
    network = await hz.networks.create(
        name="backend",
        ip_range="10.0.0.0/16",
        subnets=[NewSubnet(type="cloud", network_zone="eu-central", ip_range="10.0.1.0/24")],
    )
    servers = await fleet(hz, 2, networks=[network.id])
    created = await hz.load_balancers.create(
        name="inner", load_balancer_type="lb11", network_zone="eu-central", network=network.id
    )
    await hz.actions.wait(created.action)
    lb_id = created.load_balancer.id
    [private] = (await hz.load_balancers.get(lb_id)).private_net
    assert private.network == network.id
    await hz.actions.wait(
        await hz.load_balancers.add_service(lb_id, LoadBalancerService.for_tcp(5432)),
    )
    target = LoadBalancerTarget.for_label_selector("role=web", use_private_ip=True)
    await hz.actions.wait(await hz.load_balancers.add_target(lb_id, target))
    await hz.actions.wait(await hz.load_balancers.disable_public_interface(lb_id))
    lb = await hz.load_balancers.get(lb_id)
    assert lb.public_net.enabled is False
    selected = lb.targets[0].targets or []
    assert [(t.server.id, t.use_private_ip) for t in selected] == [(s, True) for s in servers]
    assert {t.health_status[0].status for t in selected} == {TargetHealthStatus.HEALTHY}
    assert (await hz.networks.get(network.id)).load_balancers == [lb_id]

    with pytest.raises(APIError) as public:
        await hz.load_balancers.add_target(lb_id, LoadBalancerTarget.for_ip("203.0.113.7"))
    assert public.value.code == "load_balancer_public_interface_disabled"
    await hz.actions.wait(await hz.servers.detach_from_network(servers[0], network=network.id))
    selected = (await hz.load_balancers.get(lb_id)).targets[0].targets or []
    assert selected[0].health_status[0].status is TargetHealthStatus.UNHEALTHY
    await hz.actions.wait(await hz.load_balancers.enable_public_interface(lb_id))
    await hz.actions.wait(await hz.load_balancers.detach_from_network(lb_id, network=network.id))
    assert (await hz.load_balancers.get(lb_id)).private_net == []
    await hz.actions.wait(
        await hz.load_balancers.attach_to_network(lb_id, network=network.id, ip="10.0.1.100")
    )
    [again] = (await hz.load_balancers.get(lb_id)).private_net
    assert again.ip == "10.0.1.100"
