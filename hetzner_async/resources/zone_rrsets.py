"""``hz.zones.rrsets``: the resource record sets of primary zones, by zone, name and type."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from .._validate import check_labels
from .._validate_dns import (
    check_record_values,
    check_records,
    check_rrset_name,
    check_rrset_type,
    check_ttl,
    zone_segment,
)
from ..errors import HetznerError, NotFoundError, ValidationError
from ..models import (
    Action,
    CreateZoneRRSetResult,
    ZoneRecord,
    ZoneRRSet,
    ZoneRRSetType,
)
from ._base import CREATE_MARKER, LabelSelector, ResourceGroup, Sort, done_locally, query

__all__ = ["ZoneRRSets"]

#: "The maximum value for per_page on this endpoint is 100 instead of 50"
#: (https://docs.hetzner.cloud/reference/cloud#zone-rrsets-list-rrsets): half the requests.
RRSETS_PER_PAGE = 100

#: A record type, as the enum or its string (``"AAAA"``).
RRSetType = ZoneRRSetType | str
#: Records as ``ZoneRecord``s or plain value strings.
Records = Sequence[ZoneRecord | str]


def stand_in_action(command: str, zone: int | str) -> Action:
    """Stand in for a delete that an earlier, ambiguous try already carried out (id 0, done)."""
    zone_id = int(zone) if isinstance(zone, int) or zone.isdigit() else None
    return done_locally(command, "zone", zone_id)


def _types(type: RRSetType | Sequence[RRSetType] | None) -> builtins.list[ZoneRRSetType] | None:
    if type is None:
        return None
    return [check_rrset_type(t) for t in ([type] if isinstance(type, str) else type)]


class ZoneRRSets(ResourceGroup):
    """RRSets of primary zones (https://docs.hetzner.cloud/reference/cloud#zone-rrsets).

    A nested group of ``hz.zones``: every method takes the zone (ID or name) first, and an RRSet
    is addressed by its name relative to the zone (``"www"``, ``"@"`` for the apex, ``"*"`` for
    a wildcard) and its type (``"A"``). Records are ``ZoneRecord``s or plain value strings.
    """

    def _zone_path(self, zone: int | str, *rest: str) -> str:
        return "/".join((f"/zones/{zone_segment(zone)}", *rest))

    def _path(self, zone: int | str, name: str, type: RRSetType, *rest: str) -> str:
        """Return ``/zones/{zone}/rrsets/{name}/{type}`` (and further segments), checked."""
        check_rrset_name(name, zone)
        return self._zone_path(zone, "rrsets", name, check_rrset_type(type), *rest)

    async def _pages_of_rrsets(
        self, path: str, params: builtins.list[tuple[str, str]]
    ) -> AsyncIterator[ZoneRRSet]:
        # ResourceGroup._pages asks for 50 per page; this listing serves up to 100.
        page: int | None = 1
        while page is not None:
            paging = [("page", str(page)), ("per_page", str(RRSETS_PER_PAGE))]
            data = await self._call("GET", path, params=[*params, *paging])
            for item in data.get("rrsets", []):
                yield self._structure(item, ZoneRRSet)
            pagination = (data.get("meta") or {}).get("pagination") or {}
            next_page = pagination.get("next_page")
            page = next_page if isinstance(next_page, int) and next_page > page else None

    def iter(
        self,
        zone: int | str,
        *,
        name: str | None = None,
        type: RRSetType | Sequence[RRSetType] | None = None,
        label_selector: LabelSelector | None = None,
        sort: Sort | None = None,
    ) -> AsyncIterator[ZoneRRSet]:
        """Iterate over every matching RRSet of a zone, fetching pages of 100 as needed."""
        params = query(name=name, type=_types(type), label_selector=label_selector, sort=sort)
        return self._pages_of_rrsets(self._zone_path(zone, "rrsets"), params)

    async def list(
        self,
        zone: int | str,
        *,
        name: str | None = None,
        type: RRSetType | Sequence[RRSetType] | None = None,
        label_selector: LabelSelector | None = None,
        sort: Sort | None = None,
    ) -> builtins.list[ZoneRRSet]:
        """Return every matching RRSet of a zone (all pages)."""
        rrsets = self.iter(zone, name=name, type=type, label_selector=label_selector, sort=sort)
        return [rrset async for rrset in rrsets]

    async def get(self, zone: int | str, name: str, type: RRSetType) -> ZoneRRSet:
        """Return one RRSet; raise ``NotFoundError`` if the zone has none of that name and type."""
        data = await self._call("GET", self._path(zone, name, type))
        return self._structure(data["rrset"], ZoneRRSet)

    async def create(
        self,
        zone: int | str,
        *,
        name: str,
        type: RRSetType,
        records: Records,
        ttl: int | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> CreateZoneRRSetResult:
        """Create an RRSet; ``ttl`` None means the zone's default TTL.

        A zone holds one RRSet per name and type, so a create whose outcome was lost is looked
        up (and adopted if it is this call's, with the zone's latest ``create_rrset`` action as
        its action) before it is ever sent again.
        """
        path = self._zone_path(zone, "rrsets")
        check_rrset_name(name, zone)
        kind = check_rrset_type(type)
        checked = check_records(records, limit=None)
        check_record_values(kind, checked)
        if ttl is not None:
            check_ttl(ttl)
        if labels is not None:
            check_labels(labels)
        marked, marker = self._marked(labels)
        body = self._body(name=name, type=kind, ttl=ttl, records=checked, labels=marked)

        async def adopt() -> CreateZoneRRSetResult | None:
            try:
                found = await self.get(zone, name, kind)
            except NotFoundError:
                return None
            if found.labels.get(CREATE_MARKER) != marker:
                return None
            actions = self._pages(
                self._zone_path(zone, "actions"), "actions", Action, query(sort="id:desc")
            )
            async for action in actions:
                if action.command == "create_rrset":
                    return CreateZoneRRSetResult(rrset=found, action=action)
            raise HetznerError(f"RRSet {found.id} was created, but its create action is gone")

        return await self._create_exactly_once(
            path,
            body,
            read=lambda data: self._structure(data, CreateZoneRRSetResult),
            adopt=adopt,
        )

    async def update(
        self, zone: int | str, name: str, type: RRSetType, *, labels: Mapping[str, str]
    ) -> ZoneRRSet:
        """Replace an RRSet's labels (its records change through the record methods)."""
        check_labels(labels)
        body = self._body(labels=labels)
        data = await self._call("PUT", self._path(zone, name, type), body=body)
        return self._structure(data["rrset"], ZoneRRSet)

    async def delete(self, zone: int | str, name: str, type: RRSetType) -> Action:
        """Delete an RRSet; safe to repeat after a failure.

        When an earlier try may have gone through, an RRSet already gone counts as deleted (the
        action returned is then a local stand-in with id 0, already successful).
        """
        try:
            data = await self._call("DELETE", self._path(zone, name, type))
        except NotFoundError as error:
            if not error.after_ambiguous:
                raise
            return stand_in_action("delete_rrset", zone)
        return self._structure(data["action"], Action)

    async def _act(
        self, zone: int | str, name: str, type: RRSetType, command: str, body: Mapping[str, Any]
    ) -> Action:
        return await self._post_action(self._path(zone, name, type, "actions", command), body)

    async def set_records(
        self, zone: int | str, name: str, type: RRSetType, records: Records
    ) -> Action:
        """Replace every record of an existing RRSet (1 to 50 distinct values)."""
        checked = check_records(records)
        check_record_values(check_rrset_type(type), checked)
        return await self._act(zone, name, type, "set_records", self._body(records=checked))

    async def add_records(
        self,
        zone: int | str,
        name: str,
        type: RRSetType,
        records: Records,
        *,
        ttl: int | None = None,
    ) -> Action:
        """Add records to an RRSet, creating it if needed (1 to 50 distinct values).

        ``ttl``, if given, must equal the RRSet's TTL when it has one.
        """
        checked = check_records(records)
        check_record_values(check_rrset_type(type), checked)
        if ttl is not None:
            check_ttl(ttl)
        body = self._body(ttl=ttl, records=checked)
        return await self._act(zone, name, type, "add_records", body)

    async def remove_records(
        self, zone: int | str, name: str, type: RRSetType, records: Records
    ) -> Action:
        """Remove records (by value) from an RRSet; an RRSet left empty is deleted."""
        # Values are not checked against the type: a record that predates the rules must go too.
        checked = check_records(records)
        return await self._act(zone, name, type, "remove_records", self._body(records=checked))

    async def update_records(
        self, zone: int | str, name: str, type: RRSetType, records: Sequence[ZoneRecord]
    ) -> Action:
        """Change the comments of records, found by value; every record needs its new comment."""
        checked = check_records(records, need_comment=True)
        return await self._act(zone, name, type, "update_records", self._body(records=checked))

    async def change_ttl(
        self, zone: int | str, name: str, type: RRSetType, ttl: int | None
    ) -> Action:
        """Set an RRSet's TTL; None makes it follow the zone's default TTL."""
        if ttl is not None:
            check_ttl(ttl)
        # ``ttl`` is required and nullable: null is sent, not left out.
        return await self._act(zone, name, type, "change_ttl", {"ttl": ttl})

    async def change_protection(
        self, zone: int | str, name: str, type: RRSetType, *, change: bool
    ) -> Action:
        """Protect an RRSet against changes (updates and deletion), or lift the protection."""
        if not isinstance(change, bool):
            raise ValidationError("change", f"must be True or False, not {change!r}")
        return await self._act(zone, name, type, "change_protection", {"change": change})
