"""Load balancer services: parsing with the API's defaults, and add/update/delete_service.

A service is what a load balancer listens on (``listen_port``, unique per load balancer, else
``source_port_already_used``), where it forwards to, how it checks its targets' health, and for
http/https its cookie, idle timeout and (https) certificates. The API fills in what a request
leaves out (the hcloud CLI sends services without health checks), so does the fake:
https://docs.hetzner.cloud/reference/cloud#load-balancer-actions-add-service
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from aiohttp import web

from ..core import Json, Project, json_response, path_resource, project_of, read_body
from ..errors import ApiError, invalid_input
from .certificates import CERTIFICATE, CertificateUsers
from .load_balancer_base import LOAD_BALANCER, limit_exceeded, run, service_hold

__all__ = [
    "PROTOCOLS",
    "add_service",
    "certificate_ids",
    "check_new_service",
    "delete_service",
    "parse_service",
    "sync_certificates",
    "update_service",
]

PROTOCOLS = ("tcp", "http", "https")
HEALTH_PROTOCOLS = ("tcp", "http")
#: The listen and destination ports an http or https service gets when a request names none.
DEFAULT_PORTS = {"http": (80, 80), "https": (443, 80)}
#: An https service with ``redirect_http`` also answers plain HTTP on this port.
REDIRECT_PORT = 80
_HTTP_DEFAULTS: Json = {
    "cookie_name": "HCLBSTICKY",
    "cookie_lifetime": 300,
    "timeout_idle": 50,
    "sticky_sessions": False,
    "certificates": [],
    "redirect_http": False,
}
_CHECK_DEFAULTS: Json = {"interval": 15, "timeout": 10, "retries": 3}
_CHECK_HTTP_DEFAULTS: Json = {
    "domain": None,
    "path": "/",
    "response": "",
    "status_codes": ["2??", "3??"],
    "tls": False,
}


class _Reader:
    """Reads the fields of one JSON object, naming them with a prefix in errors."""

    def __init__(self, raw: object, prefix: str) -> None:
        if raw is not None and not isinstance(raw, dict):
            raise invalid_input({prefix.rstrip("."): ["must be an object"]})
        self.raw: Json = raw or {}
        self.prefix = prefix

    def bad(self, name: str, message: str) -> ApiError:
        field = f"{self.prefix}{name}" if name else self.prefix.rstrip(".")
        return invalid_input({field or "body": [message]})

    def has(self, name: str) -> bool:
        return self.raw.get(name) is not None

    def integer(self, name: str, low: int, high: int | None, default: Any) -> Any:
        value = self.raw.get(name)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.bad(name, "must be an integer")
        if value < low or (high is not None and value > high):
            raise self.bad(name, f"must be from {low} to {high}" if high else f"must be >= {low}")
        return value

    def boolean(self, name: str, default: Any) -> Any:
        value = self.raw.get(name)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.bad(name, "must be a boolean")
        return value

    def text(self, name: str, low: int, high: int, default: Any) -> Any:
        value = self.raw.get(name)
        if value is None:
            return default
        if not isinstance(value, str) or not low <= len(value) <= high:
            raise self.bad(name, f"must be a string of {low} to {high} characters")
        return value

    def choice(self, name: str, allowed: Iterable[str], default: Any) -> Any:
        value = self.raw.get(name, default)
        if value not in tuple(allowed):
            raise self.bad(name, f"must be one of {', '.join(allowed)}")
        return value


def _check_http(reader: _Reader, current: Json | None) -> Json:
    """Return an http health check's settings: ``current`` (or the defaults) updated."""
    check = copy.deepcopy(current) if current is not None else copy.deepcopy(_CHECK_HTTP_DEFAULTS)
    if "domain" in reader.raw:
        domain = reader.raw["domain"]
        # "May not contain spaces, percent or backslash symbols."
        if domain is not None and (
            not isinstance(domain, str) or len(domain) > 128 or any(c in domain for c in " %\\")
        ):
            raise reader.bad("domain", "at most 128 characters, without spaces, '%' or '\\'")
        check["domain"] = domain
    check["path"] = reader.text("path", 1, 256, check["path"])
    if " " in check["path"]:
        raise reader.bad("path", "must not contain literal spaces (use %20)")
    check["response"] = reader.text("response", 0, 256, check["response"])
    codes = reader.raw.get("status_codes")
    if codes is not None:
        if not isinstance(codes, list) or not all(isinstance(c, str) and c for c in codes):
            raise reader.bad("status_codes", "must be a list of status code patterns")
        if len(codes) > 20:
            raise reader.bad("status_codes", "must have at most 20 entries")
        check["status_codes"] = list(codes)
    check["tls"] = reader.boolean("tls", check["tls"])
    return check


def _health_check(raw: object, prefix: str, destination: int, current: Json | None) -> Json:
    """Return a service's health check: ``current`` (or a TCP check of the destination) updated."""
    base = copy.deepcopy(current) if current is not None else None
    if base is None:
        base = {"protocol": "tcp", "port": destination, **_CHECK_DEFAULTS}
    reader = _Reader(raw, prefix)
    check: Json = {
        "protocol": reader.choice("protocol", HEALTH_PROTOCOLS, base["protocol"]),
        "port": reader.integer("port", 1, 65535, base["port"]),
        "interval": reader.integer("interval", 3, 60, base["interval"]),
        "timeout": reader.integer("timeout", 1, 60, base["timeout"]),
        "retries": reader.integer("retries", 1, 5, base["retries"]),
    }
    if check["protocol"] == "tcp":
        if reader.has("http"):
            raise reader.bad("http", "only an http health check takes http settings")
        return check
    check["http"] = _check_http(_Reader(reader.raw.get("http"), f"{prefix}http."), base.get("http"))
    return check


def _certificates(project: Project, reader: _Reader, default: list[int]) -> list[int]:
    values = reader.raw.get("certificates")
    if values is None:
        return list(default)
    if not isinstance(values, list):
        raise reader.bad("certificates", "must be a list of certificate IDs")
    found: list[int] = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int):
            raise reader.bad("certificates", "must be a list of certificate IDs")
        project.resolve(CERTIFICATE.name, value, f"{reader.prefix}certificates")
        found.append(value)
    return list(dict.fromkeys(found))


def _service_http(
    project: Project, raw: object, prefix: str, protocol: str, current: Json | None
) -> Json | None:
    """Return an http/https service's http settings (None for tcp), ``current`` updated."""
    reader = _Reader(raw, prefix)
    if protocol == "tcp":
        if reader.raw:
            raise reader.bad("", "a tcp service takes no http settings")
        return None
    base = copy.deepcopy(current) if current is not None else copy.deepcopy(_HTTP_DEFAULTS)
    if protocol == "http":
        # An https service turned http loses what only https has, unless it is asked for.
        base["certificates"], base["redirect_http"] = [], False
    http: Json = {
        "cookie_name": reader.text("cookie_name", 1, 100, base["cookie_name"]),
        "cookie_lifetime": reader.integer("cookie_lifetime", 30, 86400, base["cookie_lifetime"]),
        "timeout_idle": reader.integer("timeout_idle", 1, None, base["timeout_idle"]),
        "sticky_sessions": reader.boolean("sticky_sessions", base["sticky_sessions"]),
        "certificates": _certificates(project, reader, base["certificates"]),
        "redirect_http": reader.boolean("redirect_http", base["redirect_http"]),
    }
    if protocol == "http" and http["certificates"]:
        raise reader.bad("certificates", "only an https service takes certificates")
    if protocol == "http" and http["redirect_http"]:
        raise reader.bad("redirect_http", "only an https service redirects http")
    if protocol == "https" and not http["certificates"]:
        raise reader.bad("certificates", "an https service needs at least one certificate")
    return http


def parse_service(project: Project, raw: object, prefix: str = "") -> Json:
    """Return a new service from a request, with the API's defaults for what it leaves out."""
    reader = _Reader(raw, prefix)
    if "protocol" not in reader.raw:
        raise reader.bad("protocol", "is required")
    protocol = reader.choice("protocol", PROTOCOLS, None)
    listen, destination = DEFAULT_PORTS.get(protocol, (None, None))
    for name, default in (("listen_port", listen), ("destination_port", destination)):
        if default is None and not reader.has(name):
            raise reader.bad(name, "is required")
    listen = reader.integer("listen_port", 1, 65535, listen)
    destination = reader.integer("destination_port", 1, 65535, destination)
    service: Json = {
        "protocol": protocol,
        "listen_port": listen,
        "destination_port": destination,
        "proxyprotocol": reader.boolean("proxyprotocol", False),
        "health_check": _health_check(
            reader.raw.get("health_check"), f"{prefix}health_check.", destination, None
        ),
    }
    http = _service_http(project, reader.raw.get("http"), f"{prefix}http.", protocol, None)
    if http is not None:
        service["http"] = http
    return service


def _updated(project: Project, current: Json, raw: Json) -> Json:
    """Return ``current`` with the fields an ``update_service`` request gives."""
    reader = _Reader(raw, "")
    protocol = reader.choice("protocol", PROTOCOLS, current["protocol"])
    destination = reader.integer("destination_port", 1, 65535, current["destination_port"])
    service: Json = {
        "protocol": protocol,
        "listen_port": current["listen_port"],
        "destination_port": destination,
        "proxyprotocol": reader.boolean("proxyprotocol", current["proxyprotocol"]),
        "health_check": _health_check(
            raw.get("health_check"), "health_check.", destination, current["health_check"]
        ),
    }
    http = _service_http(project, raw.get("http"), "http.", protocol, current.get("http"))
    if http is not None:
        service["http"] = http
    return service


def _ports(service: Json) -> set[int]:
    ports = {service["listen_port"]}
    if (service.get("http") or {}).get("redirect_http"):
        ports.add(REDIRECT_PORT)
    return ports


def _port_taken(others: Iterable[Json], service: Json) -> int | None:
    """Return a port ``service`` needs that another service (or itself) already uses."""
    used: set[int] = set()
    for other in others:
        used |= _ports(other)
    wanted = _ports(service)
    if len(wanted) == 2 and service["listen_port"] == REDIRECT_PORT:
        return REDIRECT_PORT
    taken = sorted(used & wanted)
    return taken[0] if taken else None


def certificate_ids(services: Iterable[Json]) -> set[int]:
    """Return the certificates the services of a load balancer use."""
    return {cid for s in services for cid in (s.get("http") or {}).get("certificates", ())}


def sync_certificates(project: Project, lb: Json) -> None:
    """Tell the certificates which of them a load balancer's services use (their ``used_by``)."""
    users = project.part(CertificateUsers)
    users.release_all(LOAD_BALANCER.name, lb["id"])
    for cid in sorted(certificate_ids(lb["services"])):
        users.use(cid, LOAD_BALANCER.name, lb["id"])


def check_new_service(lb_type: Json, services: list[Json], service: Json, status: int) -> None:
    """Refuse a service the type has no room for, or one on a port already used."""
    if len(services) >= lb_type["max_services"]:
        raise limit_exceeded("services", lb_type["max_services"], "services")
    _check_certificate_limit(lb_type, [*services, service])
    port = _port_taken(services, service)
    if port is not None:
        raise ApiError(status, "source_port_already_used", f"source port {port} is already used")


def _check_certificate_limit(lb_type: Json, services: list[Json]) -> None:
    limit = lb_type["max_assigned_certificates"]
    if len(certificate_ids(services)) > limit:
        raise limit_exceeded("assigned certificates", limit, "assigned_certificates")


def _find(lb: Json, raw: Json) -> int:
    """Return the index of the service a request names by ``listen_port``."""
    port = _Reader(raw, "").integer("listen_port", 1, 65535, None)
    if port is None:
        raise invalid_input({"listen_port": ["is required"]})
    for index, service in enumerate(lb["services"]):
        if service["listen_port"] == port:
            return index
    raise invalid_input({"listen_port": [f"no service listens on port {port}"]})


async def add_service(request: web.Request) -> web.Response:
    """POST /load_balancers/{id}/actions/add_service."""
    project = project_of(request)
    lb = path_resource(request, LOAD_BALANCER.name)
    service = parse_service(project, await read_body(request))
    # The spec documents 412 for a taken port here (and 422 for update_service).
    check_new_service(lb["load_balancer_type"], lb["services"], service, 412)
    project.ensure_unlocked(LOAD_BALANCER.name, lb["id"])
    lb["services"].append(service)
    project.touch(LOAD_BALANCER.name, lb["id"], "services")
    sync_certificates(project, lb)
    action = run(project, lb, "add_service", holds=[service_hold(lb["id"], service["listen_port"])])
    return json_response({"action": action}, status=201)


async def update_service(request: web.Request) -> web.Response:
    """POST /load_balancers/{id}/actions/update_service."""
    project = project_of(request)
    lb = path_resource(request, LOAD_BALANCER.name)
    body = await read_body(request)
    index = _find(lb, body)
    service = _updated(project, lb["services"][index], body)
    others = lb["services"][:index] + lb["services"][index + 1 :]
    _check_certificate_limit(lb["load_balancer_type"], [*others, service])
    port = _port_taken(others, service)
    if port is not None:
        raise ApiError(422, "source_port_already_used", f"source port {port} is already used")
    project.ensure_unlocked(LOAD_BALANCER.name, lb["id"])
    lb["services"][index] = service
    project.touch(LOAD_BALANCER.name, lb["id"], "services")
    sync_certificates(project, lb)
    hold = service_hold(lb["id"], service["listen_port"])
    action = run(project, lb, "update_service", holds=[hold])
    return json_response({"action": action}, status=201)


async def delete_service(request: web.Request) -> web.Response:
    """POST /load_balancers/{id}/actions/delete_service."""
    project = project_of(request)
    lb = path_resource(request, LOAD_BALANCER.name)
    index = _find(lb, await read_body(request))
    project.ensure_unlocked(LOAD_BALANCER.name, lb["id"])
    del lb["services"][index]
    project.touch(LOAD_BALANCER.name, lb["id"], "services")
    sync_certificates(project, lb)
    action = run(project, lb, "delete_service")
    return json_response({"action": action}, status=201)
