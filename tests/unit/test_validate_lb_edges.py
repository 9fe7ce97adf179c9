"""The edges of the load balancer checks (every length limit on both sides) and their errors."""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pytest

from hetzner_async._validate_lb import (
    check_cidr,
    check_health_check,
    check_load_balancer_name,
    check_port,
    check_service,
    check_services,
    check_target,
)
from hetzner_async.models import (
    LoadBalancerHealthCheck,
    LoadBalancerService,
    LoadBalancerServiceHTTP,
    LoadBalancerTarget,
    LoadBalancerTargetIP,
    ResourceRef,
)

from .refusals import refused, refused_naming

TCP = LoadBalancerService.for_tcp(5432)
HTTP = LoadBalancerService.for_http()
HTTPS = LoadBalancerService.for_https(certificates=[897])
TCP_CHECK = LoadBalancerHealthCheck.for_tcp(80)
HTTP_CHECK = LoadBalancerHealthCheck.for_http(80)


@pytest.mark.parametrize(
    "check",
    [
        LoadBalancerHealthCheck.for_http(80, domain="d" * 128),
        LoadBalancerHealthCheck.for_http(80, path="/" * 256),
        LoadBalancerHealthCheck.for_http(80, path="/"),
        LoadBalancerHealthCheck.for_http(80, response="r" * 256),
        LoadBalancerHealthCheck.for_http(80, status_codes=["2??"] * 20),
    ],
)
def test_health_check_settings_at_their_limit_pass(check: LoadBalancerHealthCheck) -> None:
    assert check_health_check("health_check", check) is check


@pytest.mark.parametrize("cookie_name", ["c", "c" * 100])
def test_cookie_names_of_1_to_100_characters_pass(cookie_name: str) -> None:
    service = LoadBalancerService.for_http(cookie_name=cookie_name)
    assert check_service("service", service) is service


@pytest.mark.parametrize("selector", ["x", "x" * 1000])
def test_label_selectors_of_1_to_1000_characters_pass(selector: str) -> None:
    target = LoadBalancerTarget.for_label_selector(selector)
    assert check_target("target", target) is target


def test_errors_inside_a_list_of_services_name_the_entry() -> None:
    bad = attrs.evolve(TCP, protocol="udp")
    error = refused(lambda: check_services("services", [HTTP, bad]))
    assert error.field == "services[1].protocol"
    error = refused(lambda: check_services("services", [HTTP, LoadBalancerService.for_tcp(80)]))
    assert error.field == "services[1].listen_port"
    assert "port 80 is already used" in error.message


@pytest.mark.parametrize(
    ("call", "field", "fragments"),
    [
        (lambda: check_load_balancer_name(""), "name", ["1 to 128 characters"]),
        (lambda: check_load_balancer_name(" web"), "name", ["start or end with whitespace"]),
        (lambda: check_port("listen_port", 0), "listen_port", ["from 1 to 65535", "got 0"]),
        (lambda: check_cidr("ip_range", "10.0.0.1"), "ip_range", ["'10.0.0.1'", "CIDR"]),
        (lambda: check_cidr("ip_range", "10.0.0.1/24"), "ip_range", ["'10.0.0.1/24'", "CIDR"]),
        (
            lambda: check_health_check("hc", attrs.evolve(TCP_CHECK, protocol="udp")),
            "hc.protocol",
            ["'udp'", "'tcp' or 'http'"],
        ),
        (
            lambda: check_health_check("hc", attrs.evolve(HTTP_CHECK, protocol="tcp")),
            "hc.http",
            ["only an http health check"],
        ),
        (
            lambda: check_health_check("hc", LoadBalancerHealthCheck.for_http(80, domain="a b")),
            "hc.http.domain",
            ["at most 128 characters", "spaces"],
        ),
        (
            lambda: check_health_check("hc", LoadBalancerHealthCheck.for_http(80, path="/a b")),
            "hc.http.path",
            ["1 to 256 characters", "%20"],
        ),
        (
            lambda: check_health_check(
                "hc", LoadBalancerHealthCheck.for_http(80, response="r" * 257)
            ),
            "hc.http.response",
            ["longer than 256"],
        ),
        (
            lambda: check_health_check(
                "hc", LoadBalancerHealthCheck.for_http(80, status_codes=["2??"] * 21)
            ),
            "hc.http.status_codes",
            ["21 entries", "at most 20"],
        ),
        (
            lambda: check_service("s", attrs.evolve(TCP, protocol="udp")),
            "s.protocol",
            ["'udp'", "'tcp', 'http' or 'https'"],
        ),
        (
            lambda: check_service("s", attrs.evolve(HTTPS, http=None)),
            "s.http",
            ["https service needs http settings", "LoadBalancerService.for_https"],
        ),
        (
            lambda: check_service("s", attrs.evolve(TCP, http=LoadBalancerServiceHTTP())),
            "s.http",
            ["tcp service takes no http settings"],
        ),
        (
            lambda: check_service("s", LoadBalancerService.for_http(cookie_name="")),
            "s.http.cookie_name",
            ["1 to 100 characters"],
        ),
        (
            lambda: check_service("s", LoadBalancerService.for_http(cookie_lifetime=29)),
            "s.http.cookie_lifetime",
            ["from 30 to 86400", "got 29"],
        ),
        (
            lambda: check_service(
                "s", attrs.evolve(HTTP, http=LoadBalancerServiceHTTP(certificates=[897]))
            ),
            "s.http.certificates",
            ["only an https service"],
        ),
        (
            lambda: check_service(
                "s", attrs.evolve(HTTP, http=LoadBalancerServiceHTTP(redirect_http=True))
            ),
            "s.http.redirect_http",
            ["only an https service redirects"],
        ),
        (
            lambda: check_service("s", LoadBalancerService.for_https(certificates=[])),
            "s.http.certificates",
            ["at least one certificate ID"],
        ),
        (
            lambda: check_target("t", LoadBalancerTarget(type="cloud")),
            "t.type",
            ["'cloud'", "'server', 'label_selector' or 'ip'"],
        ),
        (
            lambda: check_target("t", LoadBalancerTarget(type="server")),
            "t",
            ["'server' target needs server=", "LoadBalancerTarget.for_"],
        ),
        (
            lambda: check_target(
                "t",
                LoadBalancerTarget(
                    type="ip", ip=LoadBalancerTargetIP(ip="1.2.3.4"), server=ResourceRef(8)
                ),
            ),
            "t",
            ["'ip' target takes no server"],
        ),
        (
            lambda: check_target("t", LoadBalancerTarget.for_label_selector("")),
            "t.label_selector.selector",
            ["1 to 1000 characters"],
        ),
        (
            lambda: check_target(
                "t",
                LoadBalancerTarget(
                    type="ip", ip=LoadBalancerTargetIP(ip="1.2.3.4"), use_private_ip=False
                ),
            ),
            "t.use_private_ip",
            ["server and label_selector targets only"],
        ),
    ],
)
def test_each_error_names_the_field_and_what_is_wrong(
    call: Callable[[], object], field: str, fragments: list[str]
) -> None:
    refused_naming(call, field, fragments)
