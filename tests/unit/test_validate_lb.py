"""Client-side checks of load balancer input: names, services, health checks, targets, IPs."""

from __future__ import annotations

from typing import Any

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
from hetzner_async.errors import ValidationError
from hetzner_async.models import (
    LabelSelectorRef,
    LoadBalancerHealthCheck,
    LoadBalancerHealthCheckHTTP,
    LoadBalancerService,
    LoadBalancerServiceHTTP,
    LoadBalancerTarget,
    LoadBalancerTargetIP,
    ResourceRef,
)

TCP = LoadBalancerService.for_tcp(5432)
HTTP = LoadBalancerService.for_http()
HTTPS = LoadBalancerService.for_https(certificates=[897])
HTTP_CHECK = LoadBalancerHealthCheck.for_http(80, domain="example.com", status_codes=["2??"])


@pytest.mark.parametrize("name", ["web", "Web Frontend", "x" * 128, "a-b_c.d"])
def test_valid_load_balancer_names(name: str) -> None:
    assert check_load_balancer_name(name) == name


@pytest.mark.parametrize("name", ["", " web", "web ", "x" * 129, "\tweb"])
def test_invalid_load_balancer_names(name: str) -> None:
    with pytest.raises(ValidationError) as raised:
        check_load_balancer_name(name)
    assert raised.value.field == "name"


@pytest.mark.parametrize("port", [1, 80, 65535])
def test_valid_ports(port: int) -> None:
    assert check_port("listen_port", port) == port


@pytest.mark.parametrize("port", [0, -1, 65536, True, "80", 80.0, None])
def test_invalid_ports(port: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        check_port("listen_port", port)
    assert raised.value.field == "listen_port"


@pytest.mark.parametrize("cidr", ["10.0.1.0/24", "2001:db8::/64", "10.0.0.0/8"])
def test_valid_ranges(cidr: str) -> None:
    assert check_cidr("ip_range", cidr) == cidr


@pytest.mark.parametrize("cidr", ["10.0.1.1", "10.0.1.1/24", "10.0.1.0/33", "net"])
def test_invalid_ranges(cidr: str) -> None:
    with pytest.raises(ValidationError) as raised:
        check_cidr("ip_range", cidr)
    assert raised.value.field == "ip_range"


@pytest.mark.parametrize(
    "check",
    [
        LoadBalancerHealthCheck.for_tcp(80),
        LoadBalancerHealthCheck.for_tcp(1, interval=3, timeout=1, retries=1),
        LoadBalancerHealthCheck.for_tcp(65535, interval=60, timeout=60, retries=5),
        HTTP_CHECK,
        LoadBalancerHealthCheck.for_http(443, tls=True, path="/a%20b", status_codes=["2*"] * 20),
        LoadBalancerHealthCheck.for_http(80, response='{"status": "ok"}'),
    ],
)
def test_valid_health_checks(check: LoadBalancerHealthCheck) -> None:
    assert check_health_check("health_check", check) is check


@pytest.mark.parametrize(
    ("check", "field"),
    [
        (LoadBalancerHealthCheck.for_tcp(0), "health_check.port"),
        (LoadBalancerHealthCheck.for_tcp(80, interval=2), "health_check.interval"),
        (LoadBalancerHealthCheck.for_tcp(80, interval=61), "health_check.interval"),
        (LoadBalancerHealthCheck.for_tcp(80, timeout=0), "health_check.timeout"),
        (LoadBalancerHealthCheck.for_tcp(80, timeout=61), "health_check.timeout"),
        (LoadBalancerHealthCheck.for_tcp(80, retries=0), "health_check.retries"),
        (LoadBalancerHealthCheck.for_tcp(80, retries=6), "health_check.retries"),
        (attrs.evolve(HTTP_CHECK, protocol="https"), "health_check.protocol"),
        (attrs.evolve(HTTP_CHECK, protocol="tcp"), "health_check.http"),
        (LoadBalancerHealthCheck.for_http(80, domain="exa mple.com"), "health_check.http.domain"),
        (LoadBalancerHealthCheck.for_http(80, domain="a%b"), "health_check.http.domain"),
        (LoadBalancerHealthCheck.for_http(80, domain="x" * 129), "health_check.http.domain"),
        (LoadBalancerHealthCheck.for_http(80, path=""), "health_check.http.path"),
        (LoadBalancerHealthCheck.for_http(80, path="/a b"), "health_check.http.path"),
        (LoadBalancerHealthCheck.for_http(80, path="/" * 257), "health_check.http.path"),
        (LoadBalancerHealthCheck.for_http(80, response="x" * 257), "health_check.http.response"),
        (
            LoadBalancerHealthCheck.for_http(80, status_codes=["2??"] * 21),
            "health_check.http.status_codes",
        ),
    ],
)
def test_invalid_health_checks(check: LoadBalancerHealthCheck, field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        check_health_check("health_check", check)
    assert raised.value.field == field


@pytest.mark.parametrize(
    "service",
    [
        TCP,
        HTTP,
        HTTPS,
        LoadBalancerService.for_tcp(443, 8443, proxyprotocol=True),
        LoadBalancerService.for_http(8080, 80, sticky_sessions=True, cookie_lifetime=86400),
        LoadBalancerService.for_https(443, 80, certificates=[1, 2], redirect_http=True),
        LoadBalancerService.for_https(certificates=[1], health_check=HTTP_CHECK),
        # What the API answers for an http service (no certificates key) is sent back as it is.
        attrs.evolve(HTTP, http=LoadBalancerServiceHTTP(certificates=[], redirect_http=False)),
    ],
)
def test_valid_services(service: LoadBalancerService) -> None:
    assert check_service("service", service) is service


@pytest.mark.parametrize(
    ("service", "field"),
    [
        (attrs.evolve(TCP, protocol="udp"), "service.protocol"),
        (LoadBalancerService.for_tcp(0), "service.listen_port"),
        (LoadBalancerService.for_tcp(80, 65536), "service.destination_port"),
        (LoadBalancerService.for_https(certificates=[]), "service.http.certificates"),
        (LoadBalancerService.for_https(certificates=[0]), "service.http.certificates"),
        (attrs.evolve(HTTPS, http=None), "service.http"),
        (attrs.evolve(HTTP, http=None), "service.http"),
        (attrs.evolve(TCP, http=LoadBalancerServiceHTTP()), "service.http"),
        (
            attrs.evolve(HTTP, http=LoadBalancerServiceHTTP(certificates=[897])),
            "service.http.certificates",
        ),
        (
            attrs.evolve(HTTP, http=LoadBalancerServiceHTTP(redirect_http=True)),
            "service.http.redirect_http",
        ),
        (LoadBalancerService.for_http(cookie_name=""), "service.http.cookie_name"),
        (LoadBalancerService.for_http(cookie_name="c" * 101), "service.http.cookie_name"),
        (LoadBalancerService.for_http(cookie_lifetime=29), "service.http.cookie_lifetime"),
        (LoadBalancerService.for_http(cookie_lifetime=86401), "service.http.cookie_lifetime"),
        (
            LoadBalancerService.for_tcp(
                80, health_check=LoadBalancerHealthCheck.for_tcp(80, interval=1)
            ),
            "service.health_check.interval",
        ),
    ],
)
def test_invalid_services(service: LoadBalancerService, field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        check_service("service", service)
    assert raised.value.field == field


def test_services_listen_on_distinct_ports() -> None:
    check_services("services", [TCP, HTTP, HTTPS])
    with pytest.raises(ValidationError) as raised:
        check_services("services", [HTTP, LoadBalancerService.for_tcp(80)])
    assert raised.value.field == "services[1].listen_port"


@pytest.mark.parametrize(
    "target",
    [
        LoadBalancerTarget.for_server(80),
        LoadBalancerTarget.for_server(80, use_private_ip=True),
        LoadBalancerTarget.for_label_selector("role=web", use_private_ip=False),
        LoadBalancerTarget.for_label_selector("x" * 1000),
        LoadBalancerTarget.for_ip("203.0.113.1"),
        LoadBalancerTarget.for_ip("2001:db8::1"),
    ],
)
def test_valid_targets(target: LoadBalancerTarget) -> None:
    assert check_target("target", target) is target


@pytest.mark.parametrize(
    ("target", "field"),
    [
        (LoadBalancerTarget(type="cloud"), "target.type"),
        (LoadBalancerTarget(type="server"), "target"),
        (LoadBalancerTarget(type="ip", server=ResourceRef(80)), "target"),
        (
            LoadBalancerTarget(
                type="server", server=ResourceRef(80), label_selector=LabelSelectorRef("a=b")
            ),
            "target",
        ),
        (LoadBalancerTarget.for_server(0), "target.server.id"),
        (LoadBalancerTarget.for_label_selector(""), "target.label_selector.selector"),
        (LoadBalancerTarget.for_label_selector("x" * 1001), "target.label_selector.selector"),
        (LoadBalancerTarget.for_ip("203.0.113"), "target.ip.ip"),
        (
            LoadBalancerTarget(
                type="ip", ip=LoadBalancerTargetIP(ip="1.2.3.4"), use_private_ip=True
            ),
            "target.use_private_ip",
        ),
    ],
)
def test_invalid_targets(target: LoadBalancerTarget, field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        check_target("target", target)
    assert raised.value.field == field


def test_health_check_http_settings_are_optional() -> None:
    """An http health check without settings is left to the API's defaults."""
    check = LoadBalancerHealthCheck(protocol="http", port=80, interval=15, timeout=10, retries=3)
    assert check_health_check("health_check", check) is check
    assert check_health_check(
        "health_check",
        attrs.evolve(check, http=LoadBalancerHealthCheckHTTP(domain=None, path="/")),
    )
