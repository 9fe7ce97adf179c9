"""``hz.zones``: DNS zones, addressed by ID or by name; their RRSets live at ``hz.zones.rrsets``."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

import cattrs

from .._transport import Transport
from .._validate import check_labels
from .._validate_dns import (
    check_primary_nameservers,
    check_record_values,
    check_records,
    check_rrset_name,
    check_rrset_type,
    check_ttl,
    check_zone_mode,
    check_zone_name,
    check_zonefile,
    zone_segment,
)
from ..errors import HetznerError, LockedError, NotFoundError, ValidationError
from ..models import (
    Action,
    CreateZoneResult,
    NewZoneRRSet,
    Zone,
    ZoneMode,
    ZonePrimaryNameserver,
)
from ._base import LabelSelector, Sort, query
from ._collection import ActionListings, StatusFilter
from .zone_rrsets import ZoneRRSets, stand_in_action

__all__ = ["Zones"]


def _adopted(zone: Zone, actions: builtins.list[Action]) -> CreateZoneResult:
    """Rebuild the create result of a zone found after an ambiguous create, from its actions."""
    create = next((a for a in actions if a.command == "create_zone"), None)
    if create is None:
        raise HetznerError(f"zone {zone.name} was created, but its create action is gone")
    return CreateZoneResult(zone=zone, action=create)


def _check_rrsets(rrsets: Sequence[NewZoneRRSet], zone: str) -> None:
    for index, rrset in enumerate(rrsets):
        where = f"rrsets[{index}]"
        if not isinstance(rrset, NewZoneRRSet):
            raise ValidationError(where, "must be a NewZoneRRSet")
        try:
            check_rrset_name(rrset.name, zone)
            kind = check_rrset_type(rrset.type)
            if rrset.ttl is not None:
                check_ttl(rrset.ttl)
            if rrset.labels is not None:
                check_labels(rrset.labels)
            check_record_values(kind, check_records(rrset.records, limit=None))
        except ValidationError as error:
            raise ValidationError(f"{where}.{error.field}", error.message) from None


class Zones(ActionListings[Zone]):
    """DNS zones (https://docs.hetzner.cloud/reference/cloud#zones).

    Every method that takes ``zone`` takes its ID or its name (``"example.com"``), as the API
    does. A zone's RRSets are a group of their own, ``hz.zones.rrsets``, whose methods take the
    zone first: an RRSet is addressed by zone, name and type rather than by an ID, and its verbs
    (``update``, ``delete``, ``change_ttl``, ``change_protection``) repeat the zone's own, so
    nesting keeps both sets of names short and unambiguous, as the API's paths do
    (``/zones/{zone}/rrsets/{name}/{type}``).
    """

    path = "/zones"
    item_key = "zone"
    page_key = "zones"
    model = Zone

    def __init__(self, transport: Transport, converter: cattrs.Converter) -> None:
        super().__init__(transport, converter)
        #: The RRSets of the zones (https://docs.hetzner.cloud/reference/cloud#zone-rrsets).
        self.rrsets = ZoneRRSets(transport, converter)

    def _item_path(self, resource_id: int | str, *rest: str) -> str:
        """Return ``/zones/{id_or_name}`` (and further segments), checking the ID or name."""
        return "/".join((f"{self.path}/{zone_segment(resource_id)}", *rest))

    def iter(
        self,
        *,
        name: str | None = None,
        mode: ZoneMode | str | None = None,
        label_selector: LabelSelector | None = None,
        sort: Sort | None = None,
    ) -> AsyncIterator[Zone]:
        """Iterate over every matching zone, fetching pages of 50 as needed."""
        if mode is not None:
            mode = check_zone_mode(mode)
        return self._iter(query(name=name, mode=mode, label_selector=label_selector, sort=sort))

    async def list(
        self,
        *,
        name: str | None = None,
        mode: ZoneMode | str | None = None,
        label_selector: LabelSelector | None = None,
        sort: Sort | None = None,
    ) -> builtins.list[Zone]:
        """Return every matching zone (all pages)."""
        zones = self.iter(name=name, mode=mode, label_selector=label_selector, sort=sort)
        return [zone async for zone in zones]

    async def get(self, zone: int | str, /) -> Zone:
        """Return the zone with this ID or name; raise ``NotFoundError`` if there is none."""
        return self._item(await self._call("GET", self._item_path(zone)))

    async def create(
        self,
        *,
        name: str,
        mode: ZoneMode | str,
        ttl: int | None = None,
        labels: Mapping[str, str] | None = None,
        primary_nameservers: Sequence[ZonePrimaryNameserver] | None = None,
        rrsets: Sequence[NewZoneRRSet] | None = None,
        zonefile: str | None = None,
    ) -> CreateZoneResult:
        """Create a zone; a primary one may start with RRSets or a zone file.

        The API adds an SOA record and NS records for the assigned nameservers. Zone names are
        unique, so a create whose outcome was lost is looked up by name (and adopted if it is
        this call's) before it is ever sent again.
        """
        check_zone_name(name)
        mode = check_zone_mode(mode)
        if ttl is not None:
            check_ttl(ttl)
        if labels is not None:
            check_labels(labels)
        # The API ignores these for the other mode; a silent no-op would hide the mistake.
        if mode is ZoneMode.PRIMARY and primary_nameservers:
            raise ValidationError("primary_nameservers", "only secondary zones have them")
        if mode is ZoneMode.SECONDARY and (rrsets or zonefile is not None):
            field = "rrsets" if rrsets else "zonefile"
            raise ValidationError(field, "a secondary zone takes its records from its primaries")
        if rrsets and zonefile is not None:
            raise ValidationError("rrsets", "give either rrsets or a zonefile, not both")
        if primary_nameservers is not None:
            primary_nameservers = check_primary_nameservers(primary_nameservers)
        if rrsets is not None:
            _check_rrsets(rrsets, name)
        if zonefile is not None:
            check_zonefile(zonefile, name)
        marked, _ = self._marked(labels)
        body = self._body(
            name=name,
            mode=mode,
            ttl=ttl,
            labels=marked,
            primary_nameservers=primary_nameservers,
            rrsets=None if rrsets is None else list(rrsets),
            zonefile=zonefile,
        )
        return await self._create_named(
            body, read=lambda data: self._structure(data, CreateZoneResult), adopted=_adopted
        )

    async def update(self, zone: int | str, *, labels: Mapping[str, str]) -> Zone:
        """Replace a zone's labels (a zone's name and mode cannot change)."""
        check_labels(labels)
        body = self._body(labels=labels)
        return self._item(await self._call("PUT", self._item_path(zone), body=body))

    async def delete(self, zone: int | str) -> Action:
        """Delete a zone and all its records; safe to repeat after a failure.

        When an earlier try may have gone through, a zone already gone counts as deleted (the
        action returned is then a local stand-in with id 0, already successful).
        """
        path = self._item_path(zone)
        try:
            data = await self._call("DELETE", path)
        except NotFoundError as error:
            if not error.after_ambiguous:
                raise
            return stand_in_action("delete_zone", zone)
        except LockedError as error:
            if not error.after_ambiguous:
                raise
            return await self._delete_in_progress(zone, error)
        return self._structure(data["action"], Action)

    async def _delete_in_progress(self, zone: int | str, error: LockedError) -> Action:
        """Find the delete an earlier, ambiguous try started (it locks the zone until done)."""
        try:
            actions = await self.list_actions(zone, sort="id")
        except NotFoundError:
            return stand_in_action("delete_zone", zone)
        deleting = [a for a in actions if a.command == "delete_zone"]
        if not deleting:
            raise error  # locked by something else: the earlier try did not delete it
        return deleting[-1]

    async def export_zonefile(self, zone: int | str) -> str:
        """Return a primary zone as a BIND zone file (RFC 1034/1035)."""
        data = await self._call("GET", self._item_path(zone, "zonefile"))
        zonefile: str = self._structure(data["zonefile"], str)
        return zonefile

    async def _act(self, zone: int | str, command: str, body: Mapping[str, Any]) -> Action:
        return await self._post_action(self._item_path(zone, "actions", command), body)

    async def import_zonefile(self, zone: int | str, zonefile: str) -> Action:
        """Replace every RRSet of a primary zone with those of a BIND zone file.

        The file must hold an SOA record and NS records for the assigned nameservers; the
        import fails if an RRSet is change-protected.
        """
        check_zonefile(zonefile, zone)
        return await self._act(zone, "import_zonefile", {"zonefile": zonefile})

    async def change_ttl(self, zone: int | str, ttl: int) -> Action:
        """Change the default TTL of a primary zone (for RRSets without a TTL of their own)."""
        return await self._act(zone, "change_ttl", {"ttl": check_ttl(ttl)})

    async def change_primary_nameservers(
        self, zone: int | str, primary_nameservers: Sequence[ZonePrimaryNameserver]
    ) -> Action:
        """Replace the primary nameservers a secondary zone is transferred from."""
        servers = check_primary_nameservers(primary_nameservers)
        body = self._body(primary_nameservers=servers)
        return await self._act(zone, "change_primary_nameservers", body)

    async def change_protection(self, zone: int | str, *, delete: bool) -> Action:
        """Protect a zone against deletion, or lift the protection."""
        if not isinstance(delete, bool):
            raise ValidationError("delete", f"must be True or False, not {delete!r}")
        return await self._act(zone, "change_protection", {"delete": delete})

    def iter_actions(
        self,
        resource_id: int | str | None = None,
        *,
        id: Sequence[int] | None = None,
        status: StatusFilter | None = None,
        sort: Sort | None = None,
    ) -> AsyncIterator[Action]:
        """Iterate over the actions of one zone (by ID or name), or of every zone.

        ``id`` filters the listing of every zone by action IDs.
        """
        if resource_id is None:
            return super().iter_actions(id=id, status=status, sort=sort)
        if id is not None:
            raise ValidationError("id", "filters the listing of every zone; leave out the zone")
        path = self._item_path(resource_id, "actions")
        return self._pages(path, "actions", Action, query(status=status, sort=sort))

    async def list_actions(
        self,
        resource_id: int | str | None = None,
        *,
        id: Sequence[int] | None = None,
        status: StatusFilter | None = None,
        sort: Sort | None = None,
    ) -> builtins.list[Action]:
        """Return the actions of one zone (by ID or name), or of every zone (all pages)."""
        actions = self.iter_actions(resource_id, id=id, status=status, sort=sort)
        return [action async for action in actions]
