"""Private-network input checks: ranges, subnets, routes, alias IPs, as tables."""

from __future__ import annotations

import ipaddress

import pytest

from hetzner_async._validate_net import (
    check_alias_ips,
    check_ip,
    check_network_ip_range,
    check_route,
    check_routes,
    check_subnet,
    check_subnets,
)
from hetzner_async.errors import ValidationError
from hetzner_async.models import NetworkRoute, NewSubnet

NET = ipaddress.IPv4Network("10.0.0.0/16")


@pytest.mark.parametrize(
    "ip_range",
    [
        "10.0.0.0/16",
        "10.0.0.0/8",
        "10.1.2.0/24",
        "172.16.0.0/12",
        "172.20.0.0/16",
        "192.168.0.0/16",
    ],
)
def test_valid_network_ranges(ip_range: str) -> None:
    assert str(check_network_ip_range(ip_range)) == ip_range


@pytest.mark.parametrize(
    ("ip_range", "reason"),
    [
        ("10.0.0.0/25", "smaller than /24"),
        ("10.0.0.0/30", "smaller than /24"),
        ("8.8.8.0/24", "not within"),
        ("172.32.0.0/16", "not within"),
        ("192.169.0.0/16", "not within"),
        ("10.0.0.0/7", "not within"),  # larger than the private block
        ("10.0.0.1/16", "host bits"),
        ("10.0.0.0", "CIDR"),
        ("fd00::/64", "IPv4"),
        ("ten/8", "CIDR"),
        ("", "CIDR"),
    ],
)
def test_invalid_network_ranges(ip_range: str, reason: str) -> None:
    with pytest.raises(ValidationError) as raised:
        check_network_ip_range(ip_range)
    assert raised.value.field == "ip_range"
    assert reason in str(raised.value)


@pytest.mark.parametrize(
    "subnet",
    [
        NewSubnet(type="cloud", network_zone="eu-central"),
        NewSubnet(type="cloud", network_zone="eu-central", ip_range="10.0.1.0/24"),
        NewSubnet(type="cloud", network_zone="us-east", ip_range="10.0.1.0/30"),
        NewSubnet(type="server", network_zone="eu-central"),  # deprecated, still accepted
        NewSubnet(type="vswitch", network_zone="eu-central", vswitch_id=1000),
    ],
)
def test_valid_subnets(subnet: NewSubnet) -> None:
    check_subnet(subnet)


@pytest.mark.parametrize(
    ("subnet", "field"),
    [
        (NewSubnet(type="public", network_zone="eu-central"), "subnet.type"),
        (NewSubnet(type="cloud", network_zone=""), "subnet.network_zone"),
        (NewSubnet(type="vswitch", network_zone="eu-central"), "subnet.vswitch_id"),
        (NewSubnet(type="cloud", network_zone="eu-central", vswitch_id=1000), "subnet.vswitch_id"),
        (NewSubnet(type="vswitch", network_zone="eu-central", vswitch_id=0), "subnet.vswitch_id"),
        (
            NewSubnet(type="cloud", network_zone="eu-central", ip_range="10.0.1.0/31"),
            "subnet.ip_range",
        ),
        (
            NewSubnet(type="cloud", network_zone="eu-central", ip_range="10.0.1.1/24"),
            "subnet.ip_range",
        ),
    ],
)
def test_invalid_subnets(subnet: NewSubnet, field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        check_subnet(subnet)
    assert raised.value.field == field


def _subnet(ip_range: str | None) -> NewSubnet:
    return NewSubnet(type="cloud", network_zone="eu-central", ip_range=ip_range)


def test_subnets_inside_the_range_and_apart_are_returned() -> None:
    ranges = check_subnets([_subnet("10.0.1.0/24"), _subnet(None), _subnet("10.0.2.0/24")], NET)
    assert [str(r) for r in ranges] == ["10.0.1.0/24", "10.0.2.0/24"]


@pytest.mark.parametrize(
    ("subnets", "field", "reason"),
    [
        ([_subnet("10.1.0.0/24")], "subnets[0].ip_range", "not within 10.0.0.0/16"),
        ([_subnet("10.0.0.0/15")], "subnets[0].ip_range", "not within"),
        ([_subnet("10.0.1.0/24"), _subnet("10.0.1.128/25")], "subnets[1].ip_range", "overlaps"),
        ([_subnet("10.0.0.0/16"), _subnet("10.0.5.0/24")], "subnets[1].ip_range", "overlaps"),
    ],
)
def test_subnets_outside_or_overlapping_are_refused(
    subnets: list[NewSubnet], field: str, reason: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        check_subnets(subnets, NET)
    assert raised.value.field == field
    assert reason in str(raised.value)


@pytest.mark.parametrize(
    ("destination", "gateway"),
    [
        ("10.100.1.0/24", "10.0.1.1"),
        ("0.0.0.0/0", "10.0.1.2"),  # the default route, e.g. via a NAT server
        ("192.168.0.0/16", "10.0.1.2"),
        ("172.16.0.0/16", "10.0.1.2"),
        ("10.0.5.7/32", "10.0.1.2"),
    ],
)
def test_valid_routes(destination: str, gateway: str) -> None:
    check_route(destination, gateway)


@pytest.mark.parametrize(
    ("destination", "gateway", "field"),
    [
        ("8.8.8.0/24", "10.0.1.2", "route.destination"),
        ("172.31.0.0/16", "10.0.1.2", "route.destination"),  # covers 172.31.1.1
        ("172.16.0.0/12", "10.0.1.2", "route.destination"),
        ("10.0.0.1/24", "10.0.1.2", "route.destination"),
        ("10.100.1.0/24", "172.31.1.1", "route.gateway"),
        ("10.100.1.0/24", "10.0.1.0/24", "route.gateway"),
        ("10.100.1.0/24", "fe80::1", "route.gateway"),
    ],
)
def test_invalid_routes(destination: str, gateway: str, field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        check_route(destination, gateway)
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("routes", "field", "reason"),
    [
        ([NetworkRoute("10.100.0.0/24", "10.0.0.1")], "routes[0].gateway", "first IP"),
        ([NetworkRoute("10.0.1.0/28", "10.0.2.2")], "routes[0].destination", "overlaps subnet"),
        (
            [NetworkRoute("10.100.0.0/16", "10.0.2.2"), NetworkRoute("10.100.5.0/24", "10.0.2.3")],
            "routes[1].destination",
            "overlaps route",
        ),
        (
            [NetworkRoute("0.0.0.0/0", "10.0.2.2"), NetworkRoute("0.0.0.0/0", "10.0.2.3")],
            "routes[1].destination",
            "twice",
        ),
    ],
)
def test_routes_that_clash_are_refused(routes: list[NetworkRoute], field: str, reason: str) -> None:
    with pytest.raises(ValidationError) as raised:
        check_routes(routes, NET, [ipaddress.IPv4Network("10.0.1.0/24")])
    assert raised.value.field == field
    assert reason in str(raised.value)


def test_a_default_route_beside_subnets_and_routes_is_fine() -> None:
    routes = [NetworkRoute("0.0.0.0/0", "10.0.1.2"), NetworkRoute("10.100.0.0/16", "10.0.1.3")]
    check_routes(routes, NET, [ipaddress.IPv4Network("10.0.1.0/24")])


@pytest.mark.parametrize(
    ("alias_ips", "valid"),
    [
        ([], True),
        (["10.0.1.6", "10.0.1.7"], True),
        ("10.0.1.6", False),  # a bare string is not a list of addresses
        (["10.0.1.6", "10.0.1.6"], False),
        (["10.0.1.600"], False),
        (["fd00::1"], False),
    ],
)
def test_alias_ips(alias_ips: list[str], valid: bool) -> None:
    if valid:
        assert check_alias_ips(alias_ips) == alias_ips
    else:
        with pytest.raises(ValidationError) as raised:
            check_alias_ips(alias_ips)
        assert raised.value.field == "alias_ips"


@pytest.mark.parametrize(("ip", "valid"), [("1.2.3.4", True), ("2001:db8::1", True), ("x", False)])
def test_ip_addresses(ip: str, valid: bool) -> None:
    if valid:
        assert check_ip("ip", ip) == ip
    else:
        with pytest.raises(ValidationError):
            check_ip("ip", ip)
