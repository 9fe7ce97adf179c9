"""``hz.floating_ips``: public addresses that can move between servers in any location."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Mapping
from typing import Any

from .._validate import check_id, check_labels, check_not_empty
from .._validate_storage import check_dns_ptr, check_ip_address, check_ip_type
from ..errors import ValidationError
from ..models import Action, CreateFloatingIPResult, FloatingIP, IPType
from ._base import CREATE_MARKER, LabelSelector, Sort, query
from ._collection import ActionListings

__all__ = ["FloatingIPs"]


def _adopted(floating_ip: FloatingIP, actions: builtins.list[Action]) -> CreateFloatingIPResult:
    """Rebuild the create result of a Floating IP found after an ambiguous create.

    The create answers with an action only when it assigned the IP; that is the IP's oldest.
    """
    return CreateFloatingIPResult(floating_ip=floating_ip, action=actions[0] if actions else None)


class FloatingIPs(ActionListings[FloatingIP]):
    """Floating IPs of the project (https://docs.hetzner.cloud/reference/cloud#floating-ips).

    A Floating IP is assigned to at most one server at a time, in any location, and must be
    unassigned before it can be deleted.
    """

    path = "/floating_ips"
    item_key = "floating_ip"
    page_key = "floating_ips"
    model = FloatingIP

    def iter(
        self,
        *,
        name: str | None = None,
        label_selector: LabelSelector | None = None,
        sort: Sort | None = None,
    ) -> AsyncIterator[FloatingIP]:
        """Iterate over every matching Floating IP, fetching pages of 50 as needed."""
        return self._iter(query(name=name, label_selector=label_selector, sort=sort))

    async def list(
        self,
        *,
        name: str | None = None,
        label_selector: LabelSelector | None = None,
        sort: Sort | None = None,
    ) -> list[FloatingIP]:
        """Return every matching Floating IP (all pages)."""
        ips = self.iter(name=name, label_selector=label_selector, sort=sort)
        return [floating_ip async for floating_ip in ips]

    async def create(
        self,
        *,
        type: IPType | str,
        server: int | None = None,
        home_location: str | int | None = None,
        name: str | None = None,
        description: str | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> CreateFloatingIPResult:
        """Create a Floating IP for a ``server``, or homed in ``home_location`` (ID or name).

        ``name`` is optional, as in the API; without one, a create whose outcome is unknown is
        recovered by its create marker instead of by its name.
        """
        check_ip_type(type)
        if server is not None:
            check_id("server", server)
        if server is None and home_location is None:
            raise ValidationError("home_location", "give a home_location, or a server to assign to")
        if name is not None:
            check_not_empty("name", name)
        if labels is not None:
            check_labels(labels)
        marked, marker = self._marked(labels)
        body = self._body(
            type=str(type),
            server=server,
            # The API takes either the ID or the name of the location.
            home_location=home_location,
            description=description,
            name=name,
            labels=marked,
        )

        def read(data: dict[str, Any]) -> CreateFloatingIPResult:
            return self._structure(data, CreateFloatingIPResult)

        if name is not None:
            return await self._create_named(body, read=read, adopted=_adopted)

        async def adopt() -> CreateFloatingIPResult | None:
            # Nameless: look for the one Floating IP carrying this call's marker.
            async for found in self.iter(label_selector=f"{CREATE_MARKER}={marker}"):
                return _adopted(found, await self.list_actions(found.id, sort="id"))
            return None

        return await self._create_exactly_once(self.path, body, read=read, adopt=adopt)

    async def update(
        self,
        floating_ip_id: int,
        *,
        name: str | None = None,
        description: str | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> FloatingIP:
        """Rename a Floating IP, change its description, or replace its labels."""
        if name is not None:
            check_not_empty("name", name)
        if labels is not None:
            check_labels(labels)
        return await self._update(floating_ip_id, name=name, description=description, labels=labels)

    async def delete(self, floating_ip_id: int) -> None:
        """Delete an unassigned Floating IP; safe to repeat after a failure."""
        await self._delete(floating_ip_id)

    async def assign(self, floating_ip_id: int, *, server: int) -> Action:
        """Assign a Floating IP to a server; one on another server moves (a failover)."""
        body: dict[str, Any] = {"server": check_id("server", server)}
        return await self._run(floating_ip_id, "assign", body)

    async def unassign(self, floating_ip_id: int) -> Action:
        """Take a Floating IP off its server; it stays, unreachable until assigned again."""
        return await self._run(floating_ip_id, "unassign")

    async def change_dns_ptr(self, floating_ip_id: int, *, ip: str, dns_ptr: str | None) -> Action:
        """Set the PTR record of one address of the IP; None resets (v4) or removes (v6) it."""
        check_ip_address("ip", ip)
        check_dns_ptr(dns_ptr)
        # Sent even when None: null is how the API is told to reset the record.
        body = {"ip": ip, "dns_ptr": dns_ptr}
        return await self._run(floating_ip_id, "change_dns_ptr", body)

    async def change_protection(self, floating_ip_id: int, *, delete: bool) -> Action:
        """Protect a Floating IP against deletion, or lift the protection."""
        return await self._run(floating_ip_id, "change_protection", {"delete": delete})
