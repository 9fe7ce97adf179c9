"""``hz.primary_ips``: the public addresses servers own, and keep across rebuilds."""

from __future__ import annotations

import builtins
import warnings
from collections.abc import AsyncIterator, Mapping

from .._validate import check_id, check_labels, check_not_empty
from .._validate_storage import check_dns_ptr, check_ip_address, check_ip_type
from ..errors import ValidationError
from ..models import Action, CreatePrimaryIPResult, IPType, PrimaryIP
from ._base import LabelSelector, Sort, query
from ._collection import ActionListings

__all__ = ["PrimaryIPs"]


def _adopted(primary_ip: PrimaryIP, actions: builtins.list[Action]) -> CreatePrimaryIPResult:
    """Rebuild the create result of a Primary IP found after an ambiguous create.

    The create answers with an action only when it assigned the IP; that is the IP's oldest.
    """
    return CreatePrimaryIPResult(primary_ip=primary_ip, action=actions[0] if actions else None)


class PrimaryIPs(ActionListings[PrimaryIP]):
    """Primary IPs of the project (https://docs.hetzner.cloud/reference/cloud#primary-ips).

    A Primary IP is assigned to at most one server, in its location, while that server is off;
    a server has at most one of each type. It must be unassigned before it can be deleted.
    """

    path = "/primary_ips"
    item_key = "primary_ip"
    page_key = "primary_ips"
    model = PrimaryIP

    def iter(
        self,
        *,
        name: str | None = None,
        label_selector: LabelSelector | None = None,
        ip: str | None = None,
        sort: Sort | None = None,
    ) -> AsyncIterator[PrimaryIP]:
        """Iterate over every matching Primary IP, fetching pages of 50 as needed."""
        return self._iter(query(name=name, label_selector=label_selector, ip=ip, sort=sort))

    async def list(
        self,
        *,
        name: str | None = None,
        label_selector: LabelSelector | None = None,
        ip: str | None = None,
        sort: Sort | None = None,
    ) -> list[PrimaryIP]:
        """Return every matching Primary IP (all pages)."""
        ips = self.iter(name=name, label_selector=label_selector, ip=ip, sort=sort)
        return [primary_ip async for primary_ip in ips]

    async def create(
        self,
        *,
        name: str,
        type: IPType | str,
        assignee_id: int | None = None,
        assignee_type: str | None = None,
        location: str | int | None = None,
        datacenter: str | int | None = None,
        auto_delete: bool | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> CreatePrimaryIPResult:
        """Create a Primary IP in a location, or for a (powered-off) server it is assigned to.

        Give ``location`` (ID or name) or ``assignee_id``; ``datacenter`` is the deprecated
        form of ``location`` (the API removes it after 1 July 2026) and still accepted.
        ``assignee_type`` goes only with ``assignee_id`` and defaults to ``"server"`` there, the
        one kind a create assigns to; an IP created without one reads ``"unassigned"``.
        ``auto_delete`` deletes the IP with the server it is assigned to.
        """
        check_not_empty("name", name)
        check_ip_type(type)
        if assignee_type is not None:
            check_not_empty("assignee_type", assignee_type)
        if assignee_id is not None:
            check_id("assignee_id", assignee_id)
            # Optional for the API since 2026-04-27; sent with the ID, as hcloud-python does
            # (https://docs.hetzner.cloud/changelog#2026-04-27-primary-ips-make-assignee_type-optional).
            assignee_type = assignee_type or "server"
        elif assignee_type is not None:
            raise ValidationError("assignee_type", "names the kind of an assignee_id: give both")
        if location is not None and datacenter is not None:
            raise ValidationError("datacenter", "is the deprecated form of location: give one")
        if datacenter is not None:
            warnings.warn(
                "primary_ips.create(datacenter=...) is deprecated by the API (removed after "
                "1 July 2026); use location=...",
                DeprecationWarning,
                stacklevel=2,
            )
        if assignee_id is None and location is None and datacenter is None:
            raise ValidationError("location", "give a location, or an assignee_id to assign to")
        if labels is not None:
            check_labels(labels)
        marked, _ = self._marked(labels)
        body = self._body(
            name=name,
            labels=marked,
            type=str(type),
            # The API takes either the ID or the name of the location (and of the datacenter).
            location=location,
            datacenter=datacenter,
            assignee_type=assignee_type,
            assignee_id=assignee_id,
            auto_delete=auto_delete,
        )
        return await self._create_named(
            body, read=lambda data: self._structure(data, CreatePrimaryIPResult), adopted=_adopted
        )

    async def update(
        self,
        primary_ip_id: int,
        *,
        name: str | None = None,
        labels: Mapping[str, str] | None = None,
        auto_delete: bool | None = None,
    ) -> PrimaryIP:
        """Rename a Primary IP, replace its labels, or change whether it dies with its server."""
        if name is not None:
            check_not_empty("name", name)
        if labels is not None:
            check_labels(labels)
        return await self._update(primary_ip_id, name=name, labels=labels, auto_delete=auto_delete)

    async def delete(self, primary_ip_id: int) -> None:
        """Delete an unassigned Primary IP; safe to repeat after a failure."""
        await self._delete(primary_ip_id)

    async def assign(
        self, primary_ip_id: int, *, assignee_id: int, assignee_type: str = "server"
    ) -> Action:
        """Assign a Primary IP to a powered-off server in its location that has none of its type."""
        check_not_empty("assignee_type", assignee_type)
        body = {"assignee_type": assignee_type, "assignee_id": check_id("assignee_id", assignee_id)}
        return await self._run(primary_ip_id, "assign", body)

    async def unassign(self, primary_ip_id: int) -> Action:
        """Take a Primary IP off its (powered-off) server."""
        return await self._run(primary_ip_id, "unassign")

    async def change_dns_ptr(self, primary_ip_id: int, *, ip: str, dns_ptr: str | None) -> Action:
        """Set the PTR record of one address of the IP; None resets (v4) or removes (v6) it."""
        check_ip_address("ip", ip)
        check_dns_ptr(dns_ptr)
        # Sent even when None: null is how the API is told to reset the record.
        body = {"ip": ip, "dns_ptr": dns_ptr}
        return await self._run(primary_ip_id, "change_dns_ptr", body)

    async def change_protection(self, primary_ip_id: int, *, delete: bool) -> Action:
        """Protect a Primary IP against deletion (only when ``auto_delete`` is off), or lift it."""
        return await self._run(primary_ip_id, "change_protection", {"delete": delete})
