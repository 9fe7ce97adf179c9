"""The edges of the private-network checks, and what each of their errors names."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

import pytest

from hetzner_async._validate_net import (
    check_alias_ips,
    check_ip,
    check_network_ip_range,
    check_route,
    check_routes,
    check_subnet,
    check_subnet_ip_range,
    check_subnets,
)
from hetzner_async.models import NetworkRoute, NewSubnet

from .refusals import refused, refused_naming

NET = ipaddress.IPv4Network("10.0.0.0/16")


def subnet(**kw: Any) -> NewSubnet:
    fields: dict[str, Any] = {"type": "cloud", "network_zone": "eu-central"}
    return NewSubnet(**{**fields, **kw})


def test_vswitch_ids_start_at_1() -> None:
    assert check_subnet(subnet(type="vswitch", vswitch_id=1)) is None


@pytest.mark.parametrize("vswitch_id", ["1000", 1000.0, True, -5])
def test_a_vswitch_id_that_is_not_a_positive_int_is_refused(vswitch_id: object) -> None:
    error = refused(lambda: check_subnet(subnet(type="vswitch", vswitch_id=vswitch_id)))
    assert error.field == "subnet.vswitch_id"
    assert "positive integer ID" in error.message


def test_errors_inside_a_list_name_the_entry() -> None:
    error = refused(lambda: check_subnets([subnet(), subnet(type="public")], NET))
    assert error.field == "subnets[1].type"
    routes = [NetworkRoute("10.100.0.0/24", "10.0.2.2"), NetworkRoute("8.8.8.0/24", "10.0.2.2")]
    assert refused(lambda: check_routes(routes, NET)).field == "routes[1].destination"
    routes = [NetworkRoute("10.100.0.0/24", "nope")]
    assert refused(lambda: check_routes(routes, NET)).field == "routes[0].gateway"


@pytest.mark.parametrize(
    ("call", "field", "fragments"),
    [
        (lambda: check_network_ip_range(10), "ip_range", ["IPv4 range in CIDR notation", "10"]),
        (lambda: check_network_ip_range(None, "net"), "net", ["CIDR notation", "None"]),
        (lambda: check_ip("gateway", "10.0.0.256"), "gateway", ["'10.0.0.256'", "IP address"]),
        (lambda: check_subnet_ip_range("10.0.1.0/31"), "ip_range", ["10.0.1.0/31", "/30"]),
        (lambda: check_subnet(subnet(type="public")), "subnet.type", ["'public'", "'vswitch'"]),
        (
            lambda: check_subnet(subnet(network_zone=" ")),
            "subnet.network_zone",
            ["network zone", "eu-central"],
        ),
        (
            lambda: check_subnet(subnet(type="vswitch")),
            "subnet.vswitch_id",
            ["'vswitch' subnet needs the vSwitch's ID"],
        ),
        (
            lambda: check_subnet(subnet(vswitch_id=7)),
            "subnet.vswitch_id",
            ["only a 'vswitch' subnet"],
        ),
        (
            lambda: check_route("8.8.8.0/24", "10.0.1.2"),
            "route.destination",
            ["8.8.8.0/24", "private range"],
        ),
        (
            lambda: check_route("172.31.0.0/16", "10.0.1.2"),
            "route.destination",
            ["172.31.0.0/16", "covers 172.31.1.1"],
        ),
        (lambda: check_route("10.9.0.0/16", "fe80::1"), "route.gateway", ["'fe80::1'", "IPv4"]),
        (
            lambda: check_route("10.9.0.0/16", "172.31.1.1"),
            "route.gateway",
            ["172.31.1.1 is the public gateway"],
        ),
        (
            lambda: check_alias_ips("10.0.1.6"),
            "alias_ips",
            ["list of IP addresses", "not one string"],
        ),
        (lambda: check_alias_ips(["10.0.1.600"]), "alias_ips", ["'10.0.1.600'", "IPv4"]),
        (lambda: check_alias_ips(["10.0.1.6"] * 2), "alias_ips", ["10.0.1.6 is listed twice"]),
    ],
)
def test_each_error_names_the_field_and_what_is_wrong(
    call: Callable[[], object], field: str, fragments: list[str]
) -> None:
    refused_naming(call, field, fragments)
