"""The load balancer actions: services, targets, networks, algorithm, type, DNS, protection."""

from __future__ import annotations

from typing import Any

from .._validate import check_id
from .._validate_lb import (
    check_cidr,
    check_health_check,
    check_port,
    check_service,
    check_service_http,
    check_target,
)
from .._validate_storage import check_dns_ptr, check_ip_address
from ..errors import ValidationError
from ..models import (
    Action,
    LoadBalancer,
    LoadBalancerHealthCheck,
    LoadBalancerService,
    LoadBalancerServiceHTTP,
    LoadBalancerTarget,
)
from ._collection import ActionListings

__all__ = ["LoadBalancerActions"]


class LoadBalancerActions(ActionListings[LoadBalancer]):
    """``POST /load_balancers/{id}/actions/...``: the imperative operations on a load balancer."""

    def _target_body(self, target: LoadBalancerTarget, *, adding: bool) -> dict[str, Any]:
        """Send what identifies a target (and ``use_private_ip`` when adding), never its health."""
        body = self._body(
            type=target.type,
            server=target.server,
            label_selector=target.label_selector,
            ip=target.ip,
            use_private_ip=target.use_private_ip if adding else None,
        )
        return body

    async def add_service(self, load_balancer_id: int, service: LoadBalancerService) -> Action:
        """Add a service (build it with ``LoadBalancerService.for_tcp/for_http/for_https``)."""
        check_service("service", service)
        body: dict[str, Any] = self._converter.unstructure(service)
        return await self._run(load_balancer_id, "add_service", body)

    async def update_service(
        self,
        load_balancer_id: int,
        listen_port: int,
        *,
        protocol: str | None = None,
        destination_port: int | None = None,
        proxyprotocol: bool | None = None,
        health_check: LoadBalancerHealthCheck | None = None,
        http: LoadBalancerServiceHTTP | None = None,
    ) -> Action:
        """Change the service on ``listen_port``; what is left out stays as it is.

        ``health_check`` and ``http`` are sent whole: start from the service as read, e.g.
        ``attrs.evolve(service.health_check, interval=5)``.
        """
        check_port("listen_port", listen_port)
        if protocol is not None and protocol not in ("tcp", "http", "https"):
            raise ValidationError("protocol", f"must be 'tcp', 'http' or 'https', not {protocol!r}")
        if destination_port is not None:
            check_port("destination_port", destination_port)
        if health_check is not None:
            check_health_check("health_check", health_check)
        if http is not None:
            check_service_http("http", http, protocol)
        body = self._body(
            listen_port=listen_port,
            protocol=protocol,
            destination_port=destination_port,
            proxyprotocol=proxyprotocol,
            health_check=health_check,
            http=http,
        )
        return await self._run(load_balancer_id, "update_service", body)

    async def delete_service(self, load_balancer_id: int, listen_port: int) -> Action:
        """Remove the service listening on ``listen_port``."""
        check_port("listen_port", listen_port)
        return await self._run(load_balancer_id, "delete_service", {"listen_port": listen_port})

    async def add_target(self, load_balancer_id: int, target: LoadBalancerTarget) -> Action:
        """Add a target (``LoadBalancerTarget.for_server/for_label_selector/for_ip``)."""
        check_target("target", target)
        body = self._target_body(target, adding=True)
        return await self._run(load_balancer_id, "add_target", body)

    async def remove_target(self, load_balancer_id: int, target: LoadBalancerTarget) -> Action:
        """Remove a target; one read from ``load_balancer.targets`` works as it is."""
        check_target("target", target)
        body = self._target_body(target, adding=False)
        return await self._run(load_balancer_id, "remove_target", body)

    async def attach_to_network(
        self,
        load_balancer_id: int,
        *,
        network: int,
        ip: str | None = None,
        ip_range: str | None = None,
    ) -> Action:
        """Attach to a private network, at ``ip`` or at any free IP (within ``ip_range``)."""
        check_id("network", network)
        if ip is not None:
            check_ip_address("ip", ip)
        if ip_range is not None:
            check_cidr("ip_range", ip_range)
        body = self._body(network=network, ip=ip, ip_range=ip_range)
        return await self._run(load_balancer_id, "attach_to_network", body)

    async def detach_from_network(self, load_balancer_id: int, *, network: int) -> Action:
        """Detach from a private network."""
        check_id("network", network)
        return await self._run(load_balancer_id, "detach_from_network", {"network": network})

    async def change_algorithm(self, load_balancer_id: int, *, type: str) -> Action:
        """Spread new connections ``round_robin`` or by ``least_connections``."""
        if not isinstance(type, str) or not type:
            raise ValidationError("type", "must be an algorithm name such as 'round_robin'")
        return await self._run(load_balancer_id, "change_algorithm", {"type": type})

    async def change_type(self, load_balancer_id: int, *, load_balancer_type: str | int) -> Action:
        """Move to another Load Balancer type (ID or name), e.g. for more targets."""
        body = {"load_balancer_type": str(load_balancer_type)}
        return await self._run(load_balancer_id, "change_type", body)

    async def change_dns_ptr(
        self, load_balancer_id: int, *, ip: str, dns_ptr: str | None
    ) -> Action:
        """Set the reverse DNS entry of a public IP; None resets (IPv4) or removes (IPv6) it."""
        check_ip_address("ip", ip)
        check_dns_ptr(dns_ptr)
        # Sent even when None: null is how the API is told to reset the entry.
        body = {"ip": ip, "dns_ptr": dns_ptr}
        return await self._run(load_balancer_id, "change_dns_ptr", body)

    async def change_protection(self, load_balancer_id: int, *, delete: bool) -> Action:
        """Protect a load balancer against deletion, or lift the protection."""
        return await self._run(load_balancer_id, "change_protection", {"delete": delete})

    async def enable_public_interface(self, load_balancer_id: int) -> Action:
        """Enable the public interface (its IPv4 and IPv6 addresses)."""
        return await self._run(load_balancer_id, "enable_public_interface")

    async def disable_public_interface(self, load_balancer_id: int) -> Action:
        """Disable the public interface: reachable only through its private networks."""
        return await self._run(load_balancer_id, "disable_public_interface")
