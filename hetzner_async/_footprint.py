"""Deprovision by label: delete everything a fleet left behind, in an order the API accepts.

Servers and load balancers hold the rest (volumes, addresses, network attachments, placement,
certificates on services), so they go first; then what they held; networks last, once nothing
is attached to them. Within a kind, deletes run concurrently. Something already gone counts as
deleted, so a second run after a partial failure finishes the job.
"""

from __future__ import annotations

import asyncio
import builtins
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .errors import HetznerError, NotFoundError, ValidationError
from .models import Action, FirewallResource

if TYPE_CHECKING:
    from ._client import HetznerClient
    from .resources._base import LabelSelector

__all__ = ["KINDS", "FootprintReport", "deprovision"]

#: Every kind of resource deprovisioning removes, in the order of ``STAGES``.
KINDS = (
    "servers",
    "load_balancers",
    "firewalls",
    "floating_ips",
    "primary_ips",
    "volumes",
    "certificates",
    "placement_groups",
    "images",
    "ssh_keys",
    "networks",
)

#: Kinds deleted together; a stage starts once the previous one has ended.
STAGES: tuple[tuple[str, ...], ...] = (
    ("servers", "load_balancers"),
    (
        "firewalls",
        "floating_ips",
        "primary_ips",
        "volumes",
        "certificates",
        "placement_groups",
        "images",
        "ssh_keys",
    ),
    ("networks",),
)


@attrs.frozen
class FootprintReport:
    """What ``HetznerClient.deprovision`` removed, and what it could not, by kind."""

    #: Kind (``"servers"``, ``"volumes"``, ...) -> IDs of what is gone. DNS records (kind
    #: ``"rrsets"``, only with ``dns_zones``) are named ``"<zone>/<name>/<type>"``.
    deleted: dict[str, builtins.list[int | str]]
    #: Kind -> ID -> the error that kept it from being deleted.
    failed: dict[str, dict[int | str, HetznerError]]

    @property
    def complete(self) -> bool:
        """Tell whether everything found was deleted."""
        return not any(self.failed.values())


Remove = Callable[[Any], Awaitable[None]]


class _Run:
    """One deprovisioning: the client, the selector, the limits, and what happened so far."""

    def __init__(
        self, hz: HetznerClient, selector: LabelSelector, concurrency: int, timeout: float | None
    ) -> None:
        self.hz = hz
        self.selector = selector
        self.concurrency = concurrency
        self.timeout = timeout
        self.deleted: dict[str, list[int | str]] = {}
        self.failed: dict[str, dict[int | str, HetznerError]] = {}

    async def wait(self, *actions: Action) -> None:
        await self.hz.actions.wait(*actions, timeout=self.timeout)

    async def each(
        self,
        kind: str,
        items: Sequence[Any],
        remove: Remove,
        key: Callable[[Any], int | str] = lambda item: item.id,
    ) -> None:
        """Remove items concurrently; something already gone counts as deleted."""
        gate = asyncio.Semaphore(self.concurrency)
        deleted, failed = self.deleted.setdefault(kind, []), self.failed.setdefault(kind, {})

        async def one(item: Any) -> None:
            try:
                async with gate:
                    await remove(item)
            except NotFoundError:
                pass  # deleted meanwhile, by someone else or by an earlier run
            except HetznerError as error:
                failed[key(item)] = error
                return
            deleted.append(key(item))

        await asyncio.gather(*(one(item) for item in items))

    # --- one coroutine per kind ----------------------------------------------------------------

    async def servers(self) -> None:
        report = await self.hz.servers.deprovision(
            self.selector, concurrency=self.concurrency, timeout=self.timeout
        )
        self.deleted["servers"] = [server.id for server in report.deleted]
        self.failed["servers"] = {sid: error for sid, error in report.failed.items()}

    async def load_balancers(self) -> None:
        async def remove(lb: Any) -> None:
            await self.wait(await self.hz.load_balancers.delete(lb.id))

        found = await self.hz.load_balancers.list(label_selector=self.selector)
        await self.each("load_balancers", found, remove)

    async def firewalls(self) -> None:
        async def remove(firewall: Any) -> None:
            # A firewall still applied to something cannot be deleted (resource_in_use).
            applied = [
                FirewallResource(
                    type=entry.type, server=entry.server, label_selector=entry.label_selector
                )
                for entry in firewall.applied_to
            ]
            if applied:
                await self.wait(
                    *await self.hz.firewalls.remove_from_resources(firewall.id, applied)
                )
            await self.hz.firewalls.delete(firewall.id)

        found = await self.hz.firewalls.list(label_selector=self.selector)
        await self.each("firewalls", found, remove)

    async def floating_ips(self) -> None:
        async def remove(ip: Any) -> None:
            if ip.server is not None:
                await self.wait(await self.hz.floating_ips.unassign(ip.id))
            await self.hz.floating_ips.delete(ip.id)

        found = await self.hz.floating_ips.list(label_selector=self.selector)
        await self.each("floating_ips", found, remove)

    async def primary_ips(self) -> None:
        async def remove(ip: Any) -> None:
            if ip.assignee_id is not None:
                # Only possible while its server is off; otherwise the API's error is reported.
                await self.wait(await self.hz.primary_ips.unassign(ip.id))
            await self.hz.primary_ips.delete(ip.id)

        found = await self.hz.primary_ips.list(label_selector=self.selector)
        await self.each("primary_ips", found, remove)

    async def volumes(self) -> None:
        async def remove(volume: Any) -> None:
            if volume.server is not None:
                await self.wait(await self.hz.volumes.detach(volume.id))
            await self.hz.volumes.delete(volume.id)

        found = await self.hz.volumes.list(label_selector=self.selector)
        await self.each("volumes", found, remove)

    async def certificates(self) -> None:
        found = await self.hz.certificates.list(label_selector=self.selector)
        await self.each("certificates", found, lambda c: self.hz.certificates.delete(c.id))

    async def placement_groups(self) -> None:
        found = await self.hz.placement_groups.list(label_selector=self.selector)
        await self.each("placement_groups", found, lambda g: self.hz.placement_groups.delete(g.id))

    async def images(self) -> None:
        # Snapshots only: backups belong to their server and went with it.
        found = await self.hz.images.list(label_selector=self.selector, type="snapshot")
        await self.each("images", found, lambda image: self.hz.images.delete(image.id))

    async def ssh_keys(self) -> None:
        found = await self.hz.ssh_keys.list(label_selector=self.selector)
        await self.each("ssh_keys", found, lambda key: self.hz.ssh_keys.delete(key.id))

    async def networks(self) -> None:
        # Deleting a network detaches what is still attached to it.
        found = await self.hz.networks.list(label_selector=self.selector)
        await self.each("networks", found, lambda network: self.hz.networks.delete(network.id))

    async def rrsets(self, zones: Sequence[int | str]) -> None:
        rrsets = self.hz.zones.rrsets
        for zone in zones:
            found = await rrsets.list(zone, label_selector=self.selector)

            async def remove(rrset: Any, zone: int | str = zone) -> None:
                await self.wait(await rrsets.delete(zone, rrset.name, rrset.type))

            def name(rrset: Any, zone: int | str = zone) -> str:
                return f"{zone}/{rrset.name}/{rrset.type}"

            await self.each("rrsets", found, remove, key=name)


async def deprovision(
    hz: HetznerClient,
    label_selector: LabelSelector,
    *,
    kinds: Sequence[str] = KINDS,
    dns_zones: Sequence[int | str] = (),
    concurrency: int = 16,
    timeout: float | None = None,
) -> FootprintReport:
    """Delete every resource of the given kinds that matches the label selector.

    See ``HetznerClient.deprovision``.
    """
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValidationError("kinds", f"unknown kinds {unknown}; choose from {list(KINDS)}")
    if not label_selector:
        # An empty selector matches everything in the project.
        raise ValidationError("label_selector", "must not be empty: it would match everything")
    if concurrency < 1:
        raise ValidationError("concurrency", "must be at least 1")
    run = _Run(hz, label_selector, concurrency, timeout)
    for stage in STAGES:
        await asyncio.gather(*(getattr(run, kind)() for kind in stage if kind in kinds))
    if dns_zones:
        await run.rrsets(dns_zones)
    return FootprintReport(deleted=run.deleted, failed=run.failed)
