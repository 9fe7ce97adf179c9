"""Pure input checks for load balancers: names, services, health checks, targets, addresses.

Each rule mirrors one the API documents (https://docs.hetzner.cloud/reference/cloud#load-balancers
and #load-balancer-actions); where the API is stricter, its ``invalid_input`` still reaches the
caller. Messages name the field and the rule, never a whole value a caller may consider private.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ._validate import check_id
from ._validate_storage import check_ip_address
from .errors import ValidationError

if TYPE_CHECKING:
    from .models import (
        LoadBalancerHealthCheck,
        LoadBalancerService,
        LoadBalancerServiceHTTP,
        LoadBalancerTarget,
    )

__all__ = [
    "check_cidr",
    "check_health_check",
    "check_load_balancer_name",
    "check_port",
    "check_service",
    "check_service_http",
    "check_services",
    "check_target",
    "create_public_net",
]

#: Limits from the request schemas of ``POST /load_balancers`` and ``.../add_service``.
MAX_NAME = 128
HEALTH_INTERVAL = (3, 60)
HEALTH_TIMEOUT = (1, 60)
HEALTH_RETRIES = (1, 5)
MAX_HEALTH_DOMAIN = 128
MAX_HEALTH_PATH = 256
MAX_HEALTH_RESPONSE = 256
MAX_STATUS_CODES = 20
COOKIE_NAME = (1, 100)
COOKIE_LIFETIME = (30, 86400)
MAX_SELECTOR = 1000

SERVICE_PROTOCOLS = ("tcp", "http", "https")
HEALTH_PROTOCOLS = ("tcp", "http")
TARGET_TYPES = ("server", "label_selector", "ip")

# "May not contain spaces, percent or backslash symbols" (health check domain).
_BAD_DOMAIN = re.compile(r"[\s%\\]")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_range(field: str, value: object, bounds: tuple[int, int]) -> None:
    low, high = bounds
    if not _is_int(value) or not low <= value <= high:  # type: ignore[operator]
        raise ValidationError(field, f"must be an integer from {low} to {high}, got {value!r}")


def check_load_balancer_name(name: str) -> str:
    """Require 1-128 characters without leading or trailing whitespace."""
    if not isinstance(name, str) or not name or len(name) > MAX_NAME:
        raise ValidationError("name", f"must be 1 to {MAX_NAME} characters")
    if name != name.strip():
        raise ValidationError("name", "must not start or end with whitespace")
    return name


def check_port(field: str, port: object) -> int:
    """Require a TCP port, 1-65535."""
    _check_range(field, port, (1, 65535))
    assert isinstance(port, int)
    return port


def check_cidr(field: str, cidr: object) -> str:
    """Require an IP network in CIDR notation, such as ``10.0.1.0/24``."""
    if not isinstance(cidr, str) or "/" not in cidr:
        raise ValidationError(field, f"{cidr!r} is not an IP range in CIDR notation")
    try:
        ipaddress.ip_network(cidr)
    except ValueError:
        raise ValidationError(field, f"{cidr!r} is not an IP range in CIDR notation") from None
    return cidr


def check_health_check(field: str, check: LoadBalancerHealthCheck) -> LoadBalancerHealthCheck:
    """Require a health check the API accepts: protocol, port, timing and http settings."""
    if check.protocol not in HEALTH_PROTOCOLS:
        raise ValidationError(
            f"{field}.protocol", f"must be 'tcp' or 'http', not {check.protocol!r}"
        )
    check_port(f"{field}.port", check.port)
    _check_range(f"{field}.interval", check.interval, HEALTH_INTERVAL)
    _check_range(f"{field}.timeout", check.timeout, HEALTH_TIMEOUT)
    _check_range(f"{field}.retries", check.retries, HEALTH_RETRIES)
    http = check.http
    if http is None:
        return check
    if check.protocol != "http":
        raise ValidationError(f"{field}.http", "only an http health check takes http settings")
    if http.domain is not None and (
        len(http.domain) > MAX_HEALTH_DOMAIN or _BAD_DOMAIN.search(http.domain)
    ):
        raise ValidationError(
            f"{field}.http.domain",
            f"at most {MAX_HEALTH_DOMAIN} characters, without spaces, '%' or '\\'",
        )
    if not http.path or len(http.path) > MAX_HEALTH_PATH or " " in http.path:
        raise ValidationError(
            f"{field}.http.path",
            f"must be 1 to {MAX_HEALTH_PATH} characters without literal spaces (use %20)",
        )
    if http.response is not None and len(http.response) > MAX_HEALTH_RESPONSE:
        raise ValidationError(
            f"{field}.http.response", f"is longer than {MAX_HEALTH_RESPONSE} characters"
        )
    # The patterns themselves are left to the API: its own example reads them back as "2??,3??".
    if http.status_codes is not None and len(http.status_codes) > MAX_STATUS_CODES:
        raise ValidationError(
            f"{field}.http.status_codes",
            f"has {len(http.status_codes)} entries; at most {MAX_STATUS_CODES}",
        )
    return check


def check_service_http(
    field: str, http: LoadBalancerServiceHTTP, protocol: str | None
) -> LoadBalancerServiceHTTP:
    """Require http settings the API accepts for a service of this protocol (None: unknown)."""
    if protocol == "tcp":
        raise ValidationError(field, "a tcp service takes no http settings")
    if not isinstance(http.cookie_name, str) or not (
        COOKIE_NAME[0] <= len(http.cookie_name) <= COOKIE_NAME[1]
    ):
        raise ValidationError(
            f"{field}.cookie_name", f"must be {COOKIE_NAME[0]} to {COOKIE_NAME[1]} characters"
        )
    _check_range(f"{field}.cookie_lifetime", http.cookie_lifetime, COOKIE_LIFETIME)
    if protocol == "http":
        if http.certificates:
            raise ValidationError(f"{field}.certificates", "only an https service takes them")
        if http.redirect_http:
            raise ValidationError(f"{field}.redirect_http", "only an https service redirects")
    if protocol == "https" and not http.certificates:
        raise ValidationError(
            f"{field}.certificates", "an https service needs at least one certificate ID"
        )
    for certificate in http.certificates or ():
        check_id(f"{field}.certificates", certificate)
    return http


def check_service(field: str, service: LoadBalancerService) -> LoadBalancerService:
    """Require a complete service: protocol, ports, health check, and http settings that fit."""
    if service.protocol not in SERVICE_PROTOCOLS:
        raise ValidationError(
            f"{field}.protocol", f"must be 'tcp', 'http' or 'https', not {service.protocol!r}"
        )
    check_port(f"{field}.listen_port", service.listen_port)
    check_port(f"{field}.destination_port", service.destination_port)
    check_health_check(f"{field}.health_check", service.health_check)
    if service.http is not None:
        check_service_http(f"{field}.http", service.http, service.protocol)
    elif service.protocol != "tcp":
        raise ValidationError(
            f"{field}.http",
            f"an {service.protocol} service needs http settings "
            f"(build it with LoadBalancerService.for_{service.protocol})",
        )
    return service


def check_services(field: str, services: Sequence[LoadBalancerService]) -> None:
    """Require valid services on distinct listen ports (else ``source_port_already_used``)."""
    seen: set[int] = set()
    for index, service in enumerate(services):
        check_service(f"{field}[{index}]", service)
        if service.listen_port in seen:
            raise ValidationError(
                f"{field}[{index}].listen_port",
                f"port {service.listen_port} is already used by another service",
            )
        seen.add(service.listen_port)


def check_target(field: str, target: LoadBalancerTarget) -> LoadBalancerTarget:
    """Require a target of one kind that carries exactly what that kind needs."""
    kinds = {
        "server": target.server,
        "label_selector": target.label_selector,
        "ip": target.ip,
    }
    if target.type not in kinds:
        raise ValidationError(
            f"{field}.type", f"must be 'server', 'label_selector' or 'ip', not {target.type!r}"
        )
    if kinds[target.type] is None:
        raise ValidationError(
            field,
            f"a {target.type!r} target needs {target.type}= (use LoadBalancerTarget.for_...)",
        )
    extra = sorted(kind for kind, value in kinds.items() if kind != target.type and value)
    if extra:
        raise ValidationError(field, f"a {target.type!r} target takes no {', '.join(extra)}")
    if target.server is not None:
        check_id(f"{field}.server.id", target.server.id)
    if target.label_selector is not None:
        selector = target.label_selector.selector
        if not isinstance(selector, str) or not 1 <= len(selector) <= MAX_SELECTOR:
            raise ValidationError(
                f"{field}.label_selector.selector", f"must be 1 to {MAX_SELECTOR} characters"
            )
    if target.ip is not None:
        check_ip_address(f"{field}.ip.ip", target.ip.ip)
        if target.use_private_ip is not None:
            raise ValidationError(
                f"{field}.use_private_ip", "applies to server and label_selector targets only"
            )
    return target


def create_public_net(ipv4: int | None, ipv6: int | None) -> dict[str, int] | None:
    """Return the ``public_net`` of a load balancer create (None when no Primary IP is given).

    ``ipv4``/``ipv6`` are Primary IP IDs, checked as ``servers.create`` checks its own. The
    field is newer than the spec this SDK was built from (2026-10-05:
    https://docs.hetzner.cloud/changelog#2026-10-05-load-balancers-can-use-existing-primary-ips).
    """
    public_net = {
        version: check_id(version, primary_ip)
        for version, primary_ip in (("ipv4", ipv4), ("ipv6", ipv6))
        if primary_ip is not None
    }
    return public_net or None
