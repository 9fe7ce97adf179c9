"""Load Balancer services: what a load balancer listens on, how it checks its targets.

The classes serve both directions: they are parsed from a load balancer and sent to create one or
to add or update a service. Build them with the ``for_*`` factories, which fill in the API's
defaults (https://docs.hetzner.cloud/reference/cloud#load-balancer-actions-add-service); change
one read from the API with ``attrs.evolve``.
"""

from collections.abc import Sequence
from typing import Self

import attrs

__all__ = [
    "LoadBalancerHealthCheck",
    "LoadBalancerHealthCheckHTTP",
    "LoadBalancerService",
    "LoadBalancerServiceHTTP",
]

#: The API's health check defaults where the spec gives none, as the hcloud CLI sends them.
DEFAULT_INTERVAL = 15
DEFAULT_TIMEOUT = 10
DEFAULT_RETRIES = 3


@attrs.frozen(kw_only=True)
class LoadBalancerHealthCheckHTTP:
    """What an http health check asks for and which answers count as healthy.

    ``domain`` is the Host header (None sends none); ``status_codes`` take the wildcards ``?``
    and ``*`` (the API defaults to ``["2??", "3??"]``).
    """

    domain: str | None
    path: str
    response: str | None = None
    status_codes: list[str] | None = None
    tls: bool | None = None


@attrs.frozen(kw_only=True)
class LoadBalancerHealthCheck:
    """How a service checks that a target is healthy: protocol, port, timing and retries."""

    protocol: str
    port: int
    interval: int
    timeout: int
    retries: int
    http: LoadBalancerHealthCheckHTTP | None = None

    @classmethod
    def for_tcp(
        cls,
        port: int,
        *,
        interval: int = DEFAULT_INTERVAL,
        timeout: int = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
    ) -> Self:
        """Check that a TCP connection to ``port`` opens."""
        return cls(protocol="tcp", port=port, interval=interval, timeout=timeout, retries=retries)

    @classmethod
    def for_http(
        cls,
        port: int,
        *,
        path: str = "/",
        domain: str | None = None,
        response: str | None = None,
        status_codes: Sequence[str] | None = None,
        tls: bool | None = None,
        interval: int = DEFAULT_INTERVAL,
        timeout: int = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
    ) -> Self:
        """Check that ``GET path`` on ``port`` answers with an accepted status (and body)."""
        http = LoadBalancerHealthCheckHTTP(
            domain=domain,
            path=path,
            response=response,
            status_codes=None if status_codes is None else list(status_codes),
            tls=tls,
        )
        return cls(
            protocol="http",
            port=port,
            interval=interval,
            timeout=timeout,
            retries=retries,
            http=http,
        )


@attrs.frozen(kw_only=True)
class LoadBalancerServiceHTTP:
    """The http settings of an http or https service: sticky sessions, idle timeout, TLS.

    ``certificates`` and ``redirect_http`` apply to https services only.
    """

    cookie_name: str = "HCLBSTICKY"
    cookie_lifetime: int = 300
    timeout_idle: int = 50
    sticky_sessions: bool = False
    certificates: list[int] | None = None
    redirect_http: bool | None = None


@attrs.frozen(kw_only=True)
class LoadBalancerService:
    """A port a load balancer listens on and where it forwards to (tcp, http or https)."""

    protocol: str
    listen_port: int
    destination_port: int
    proxyprotocol: bool
    health_check: LoadBalancerHealthCheck
    #: The http settings; present for http and https services, absent for tcp.
    http: LoadBalancerServiceHTTP | None = None

    @classmethod
    def for_tcp(
        cls,
        listen_port: int,
        destination_port: int | None = None,
        *,
        proxyprotocol: bool = False,
        health_check: LoadBalancerHealthCheck | None = None,
    ) -> Self:
        """Forward TCP from ``listen_port`` to ``destination_port`` (the same port by default).

        The health check defaults to a TCP connect on the destination port.
        """
        destination = listen_port if destination_port is None else destination_port
        return cls(
            protocol="tcp",
            listen_port=listen_port,
            destination_port=destination,
            proxyprotocol=proxyprotocol,
            health_check=health_check or LoadBalancerHealthCheck.for_tcp(destination),
        )

    @classmethod
    def for_http(
        cls,
        listen_port: int = 80,
        destination_port: int = 80,
        *,
        sticky_sessions: bool = False,
        cookie_name: str = "HCLBSTICKY",
        cookie_lifetime: int = 300,
        timeout_idle: int = 50,
        proxyprotocol: bool = False,
        health_check: LoadBalancerHealthCheck | None = None,
    ) -> Self:
        """Balance HTTP; the health check defaults to a TCP connect on the destination port."""
        http = LoadBalancerServiceHTTP(
            cookie_name=cookie_name,
            cookie_lifetime=cookie_lifetime,
            timeout_idle=timeout_idle,
            sticky_sessions=sticky_sessions,
        )
        return cls(
            protocol="http",
            listen_port=listen_port,
            destination_port=destination_port,
            proxyprotocol=proxyprotocol,
            health_check=health_check or LoadBalancerHealthCheck.for_tcp(destination_port),
            http=http,
        )

    @classmethod
    def for_https(
        cls,
        listen_port: int = 443,
        destination_port: int = 80,
        *,
        certificates: Sequence[int],
        redirect_http: bool = False,
        sticky_sessions: bool = False,
        cookie_name: str = "HCLBSTICKY",
        cookie_lifetime: int = 300,
        timeout_idle: int = 50,
        proxyprotocol: bool = False,
        health_check: LoadBalancerHealthCheck | None = None,
    ) -> Self:
        """Terminate TLS with these certificates (IDs) and forward plain HTTP to the targets.

        ``redirect_http`` also answers port 80 with a redirect to HTTPS.
        """
        http = LoadBalancerServiceHTTP(
            cookie_name=cookie_name,
            cookie_lifetime=cookie_lifetime,
            timeout_idle=timeout_idle,
            sticky_sessions=sticky_sessions,
            certificates=list(certificates),
            redirect_http=redirect_http,
        )
        return cls(
            protocol="https",
            listen_port=listen_port,
            destination_port=destination_port,
            proxyprotocol=proxyprotocol,
            health_check=health_check or LoadBalancerHealthCheck.for_tcp(destination_port),
            http=http,
        )
