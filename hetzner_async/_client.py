"""``HetznerClient``: configuration, session ownership and the resource groups."""

from __future__ import annotations

import ipaddress
import os
import platform
import re
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any, Self

import aiohttp
from yarl import URL

from ._convert import converter as lenient_converter
from ._convert import strict_converter
from ._footprint import KINDS, FootprintReport, deprovision
from ._governor import SharedBudget
from ._poller import PollPolicy
from ._retry import RetryPolicy
from ._transport import Query, Transport, TransportOptions
from ._version import __version__
from ._wire import RateLimit
from .errors import ConfigurationError, ValidationError
from .hooks import RateLimitWaitHook, RequestHook
from .resources import (
    Actions,
    Certificates,
    Datacenters,
    Firewalls,
    FloatingIPs,
    Images,
    ISOs,
    LoadBalancers,
    LoadBalancerTypes,
    Locations,
    Networks,
    PlacementGroups,
    Pricing,
    PrimaryIPs,
    Servers,
    ServerTypes,
    SSHKeys,
    Volumes,
    Zones,
)
from .resources._base import LabelSelector, query

__all__ = ["DEFAULT_ENDPOINT", "HetznerClient"]

#: The public Hetzner Cloud API, used when neither ``endpoint`` nor ``HCLOUD_ENDPOINT`` is set.
DEFAULT_ENDPOINT = "https://api.hetzner.cloud/v1"
#: Environment variables read for the token, in order (the first is what the hcloud CLI uses).
TOKEN_VARIABLES = ("HCLOUD_TOKEN", "HETZNER_API_TOKEN")
ENDPOINT_VARIABLE = "HCLOUD_ENDPOINT"

_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")

# A bearer token goes into a header: printable ASCII without spaces (RFC 6750 b64token-ish).
_TOKEN = re.compile(r"^[\x21-\x7e]+$")


def _user_agent(application: str | None) -> str:
    agent = (
        f"hetzner-async/{__version__} aiohttp/{aiohttp.__version__} "
        f"python/{platform.python_version()}"
    )
    return f"{application} {agent}" if application else agent


def _resolve_token(token: str | None) -> str:
    if token is None:
        token = next((os.environ[v] for v in TOKEN_VARIABLES if os.environ.get(v)), None)
    if token is None:
        raise ConfigurationError(
            "no API token: pass token=..., or set HCLOUD_TOKEN or HETZNER_API_TOKEN"
        )
    if not _TOKEN.fullmatch(token):
        # Say what is wrong without echoing the token.
        raise ConfigurationError(
            "the API token contains whitespace, control or non-ASCII characters; "
            "check how it was copied"
        )
    return token


def _is_loopback(host: str | None) -> bool:
    if host is None:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _resolve_endpoint(endpoint: str | None, allow_insecure: bool) -> str:
    endpoint = endpoint or os.environ.get(ENDPOINT_VARIABLE) or DEFAULT_ENDPOINT
    url = URL(endpoint)
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigurationError(f"endpoint {endpoint!r} is not an http(s) URL")
    if url.scheme == "http" and not (allow_insecure or _is_loopback(url.host)):
        raise ConfigurationError(
            f"endpoint {endpoint!r} is plain HTTP and not loopback: the token would travel in "
            "clear text; use HTTPS or pass allow_insecure=True"
        )
    return endpoint.rstrip("/")


class HetznerClient:
    """An asyncio client for the Hetzner Cloud API, safe to share between many tasks.

    Use it as ``async with HetznerClient() as hz:``. All tasks using one client share its
    connection pool, its rate-limit view and its action poller.

    Resource groups, one attribute each (their classes are in ``hetzner_async.resources``):

    - servers: ``servers``, ``ssh_keys``, ``firewalls``, ``placement_groups``, ``images``
    - networking: ``networks``, ``primary_ips``, ``floating_ips``, ``load_balancers``,
      ``certificates``
    - storage: ``volumes``; DNS: ``zones`` (and ``zones.rrsets``, the records of a zone)
    - the catalog: ``server_types``, ``locations``, ``datacenters``, ``isos``,
      ``load_balancer_types``, ``pricing``
    - ``actions``: wait for what the others return

    Besides: ``request()`` for any API call, ``deprovision()`` to delete a fleet's whole
    footprint by label, ``rate_limit`` for the budget left.
    """

    #: Servers: create, list, power, rebuild, resize, networks, backups, metrics.
    servers: Servers
    #: SSH keys to put on new servers.
    ssh_keys: SSHKeys
    #: Firewalls, their rules and the servers or label selectors they apply to.
    firewalls: Firewalls
    #: Placement groups (spread servers over hosts).
    placement_groups: PlacementGroups
    #: Images: system images, snapshots and backups.
    images: Images
    #: Private networks, their subnets and routes.
    networks: Networks
    #: Primary IPs (a server's public addresses, kept across servers).
    primary_ips: PrimaryIPs
    #: Floating IPs (addresses moved between servers).
    floating_ips: FloatingIPs
    #: Load balancers, their services and targets.
    load_balancers: LoadBalancers
    #: TLS certificates, uploaded or managed (issued by Let's Encrypt).
    certificates: Certificates
    #: Block storage volumes.
    volumes: Volumes
    #: DNS zones; their records are ``zones.rrsets``.
    zones: Zones
    #: Server types (read only).
    server_types: ServerTypes
    #: Locations (read only).
    locations: Locations
    #: Datacenters (read only).
    datacenters: Datacenters
    #: ISO images to attach to servers (read only).
    isos: ISOs
    #: Load balancer types (read only).
    load_balancer_types: LoadBalancerTypes
    #: Prices of everything (read only).
    pricing: Pricing
    #: Actions: wait for them (one shared poller), read them, parse them from raw JSON.
    actions: Actions
    #: The endpoint every request goes to, without a trailing slash.
    endpoint: str

    def __init__(
        self,
        token: str | None = None,
        *,
        endpoint: str | None = None,
        session: aiohttp.ClientSession | None = None,
        application: str | None = None,
        retry: RetryPolicy | None = None,
        poll: PollPolicy | None = None,
        connect_timeout: float = 10.0,
        read_timeout: float = 60.0,
        max_connections: int = 32,
        rate_limit_warning: int | None = None,
        allow_insecure: bool = False,
        strict: bool = False,
        on_request: RequestHook | None = None,
        on_rate_limit_wait: RateLimitWaitHook | None = None,
        shared_budget: SharedBudget | None = None,
    ) -> None:
        """Configure a client; nothing is sent until the first call.

        Invalid settings raise ``ConfigurationError`` here, before any request.

        Args:
            token: The API token; default ``HCLOUD_TOKEN``, then ``HETZNER_API_TOKEN``. Refused
                if it has whitespace or control characters; never shown by ``repr()`` or errors.
            endpoint: Default ``HCLOUD_ENDPOINT``, then ``https://api.hetzner.cloud/v1``. Plain
                HTTP is refused unless the host is loopback or ``allow_insecure=True``.
            session: An ``aiohttp.ClientSession`` to borrow; the client never closes it.
            application: ``"name/version"`` put in front of the User-Agent.
            retry: When and how long to retry (5xx, ``conflict``, connection failures).
            poll: When the shared poller asks for pending actions (at the end their progress
                foretells), and how much of the rate-limit budget it may spend.
            connect_timeout: Seconds to connect, per request.
            read_timeout: Seconds to wait for a response, per request.
            max_connections: Size of the connection pool all tasks share.
            rate_limit_warning: Log a WARNING each time ``RateLimit-Remaining`` dips below it;
                default 10 % of the limit, at most 100; 0 turns it off.
            allow_insecure: Allow a plain-HTTP endpoint that is not loopback (the token would
                travel in clear text).
            strict: Read responses strictly: unknown fields and enum values, missing fields and
                other JSON types raise ``UnexpectedResponseError`` (for tests).
            on_request: Called once per try of every request (``hetzner_async.hooks``).
            on_rate_limit_wait: Called with the seconds each wait for rate-limit budget lasted.
            shared_budget: A rate-limit budget shared with other processes, e.g.
                ``hetzner_async.redis_budget.RedisBudget``, instead of the client's own mirror.
        """
        self._token = _resolve_token(token)
        self.endpoint = _resolve_endpoint(endpoint, allow_insecure)
        if connect_timeout <= 0 or read_timeout <= 0:
            raise ConfigurationError("timeouts must be positive numbers of seconds")
        if max_connections < 1:
            raise ConfigurationError("max_connections must be at least 1")
        options = TransportOptions(
            retry=retry or RetryPolicy(),
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            max_connections=max_connections,
            rate_limit_warning=rate_limit_warning,
            user_agent=_user_agent(application),
            on_request=on_request,
            on_rate_limit_wait=on_rate_limit_wait,
        )
        self._transport = Transport(
            endpoint=self.endpoint,
            token=self._token,
            options=options,
            session=session,
            shared_budget=shared_budget,
        )
        conv = strict_converter if strict else lenient_converter
        self.actions = Actions(self._transport, conv, poll or PollPolicy())
        self.servers = Servers(self._transport, conv, self.actions)
        self.ssh_keys = SSHKeys(self._transport, conv)
        self.firewalls = Firewalls(self._transport, conv)
        self.placement_groups = PlacementGroups(self._transport, conv)
        self.volumes = Volumes(self._transport, conv)
        self.primary_ips = PrimaryIPs(self._transport, conv)
        self.floating_ips = FloatingIPs(self._transport, conv)
        self.networks = Networks(self._transport, conv)
        self.images = Images(self._transport, conv)
        self.server_types = ServerTypes(self._transport, conv)
        self.locations = Locations(self._transport, conv)
        self.datacenters = Datacenters(self._transport, conv)
        self.isos = ISOs(self._transport, conv)
        self.load_balancer_types = LoadBalancerTypes(self._transport, conv)
        self.pricing = Pricing(self._transport, conv)
        self.zones = Zones(self._transport, conv)
        self.load_balancers = LoadBalancers(self._transport, conv)
        self.certificates = Certificates(self._transport, conv)

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, object] | Query | None = None,
        json: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Send any API request through the client's transport; return the decoded JSON body.

        For what the API offers before this SDK does: the request shares the rate-limit budget,
        the retries and the ambiguous-POST safety of every other call (a POST whose outcome is
        unknown raises ``AmbiguousOutcomeError`` rather than being sent twice). ``path`` is
        relative to the endpoint (``"/servers/42/metrics"``); ``params`` is a mapping (a
        sequence value repeats its key) or a list of pairs. Turn an action in the answer into
        something to wait on with ``hz.actions.parse(body["action"])``.
        """
        verb = method.upper()
        if verb not in _METHODS:
            raise ValidationError("method", f"must be one of {', '.join(_METHODS)}, not {method!r}")
        if not path.startswith("/") or "://" in path:
            raise ValidationError(
                "path", f"must start with '/' (relative to the endpoint): {path!r}"
            )
        pairs = query(**params) if isinstance(params, Mapping) else params
        return await self._transport.request(verb, path, params=pairs, json_body=json)

    async def deprovision(
        self,
        label_selector: LabelSelector,
        *,
        kinds: Sequence[str] = KINDS,
        dns_zones: Sequence[int | str] = (),
        concurrency: int = 16,
        timeout: float | None = None,
    ) -> FootprintReport:
        """Delete everything that carries a label: servers and all they leave behind.

        Servers and load balancers first; then firewalls, Floating and Primary IPs (unassigned
        first), volumes (detached first), certificates, placement groups, snapshots and SSH keys;
        networks last. ``kinds`` limits it to some of these (see ``KINDS``). DNS records go
        only when asked: RRSets with the label in ``dns_zones``. Something already gone counts
        as deleted, so running it again after a partial failure finishes the job; what could
        not be deleted is in ``report.failed``, by kind.
        """
        return await deprovision(
            self,
            label_selector,
            kinds=kinds,
            dns_zones=dns_zones,
            concurrency=concurrency,
            timeout=timeout,
        )

    @property
    def rate_limit(self) -> RateLimit | None:
        """Return the request budget reported by the latest response (None before the first)."""
        return self._transport.rate_limit

    async def __aenter__(self) -> Self:
        """Open the connection pool (unless a session was borrowed).

        A closed client cannot be entered again (``ClientClosedError``), and a client belongs to
        the event loop it was first used in (``WrongEventLoopError`` elsewhere).
        """
        await self._transport.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close what the client created."""
        await self.close()

    async def close(self) -> None:
        """Stop the client's background work, then close the session if the client created it.

        Afterwards every call raises ``ClientClosedError``, and so do the calls still running:
        waits for actions, waits for rate-limit budget and requests on the wire. Safe to repeat.
        """
        await self.actions._shutdown()
        await self.servers._shutdown()
        await self._transport.close()

    @property
    def closed(self) -> bool:
        """Tell whether ``close`` was called (a closed client refuses every call)."""
        return self._transport.closed

    def __repr__(self) -> str:
        return f"HetznerClient(endpoint={self.endpoint!r}, token=<redacted>)"
