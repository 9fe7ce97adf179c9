"""DNS zones, their resource record sets (RRSets) and records, and the results of creating them.

``ZoneRecord``, ``ZonePrimaryNameserver`` and ``NewZoneRRSet`` are sent in requests too, where
an attribute left at ``None`` is not sent at all.
"""

import enum
from collections.abc import Iterable
from datetime import datetime
from typing import Self

import attrs

from .action import Action
from .common import DeleteProtection, OpenStrEnum, redacted

__all__ = [
    "CreateZoneRRSetResult",
    "CreateZoneResult",
    "NewZoneRRSet",
    "Zone",
    "ZoneAuthoritativeNameservers",
    "ZoneMode",
    "ZonePrimaryNameserver",
    "ZoneRRSet",
    "ZoneRRSetProtection",
    "ZoneRRSetType",
    "ZoneRecord",
    "ZoneStatus",
]

#: A character-string in a TXT record holds at most 255 octets (RFC 1035 §3.3).
_TXT_CHUNK = 255


class ZoneMode(enum.StrEnum):
    """Who serves a zone's records: Hetzner (``primary``) or your nameservers via AXFR."""

    PRIMARY = "primary"
    SECONDARY = "secondary"


class ZoneStatus(OpenStrEnum):
    """Whether a zone is published on the authoritative nameservers."""

    OK = "ok"
    UPDATING = "updating"
    ERROR = "error"


class ZoneRRSetType(enum.StrEnum):
    """The record types the API serves."""

    A = "A"
    AAAA = "AAAA"
    CAA = "CAA"
    CNAME = "CNAME"
    DS = "DS"
    HINFO = "HINFO"
    HTTPS = "HTTPS"
    MX = "MX"
    NS = "NS"
    PTR = "PTR"
    RP = "RP"
    SOA = "SOA"
    SRV = "SRV"
    SVCB = "SVCB"
    TLSA = "TLSA"
    TXT = "TXT"


@attrs.frozen
class ZonePrimaryNameserver:
    """A nameserver a secondary zone is transferred from (AXFR), optionally signed with TSIG."""

    address: str
    port: int | None = None
    tsig_key: str | None = attrs.field(default=None, repr=redacted)
    tsig_algorithm: str | None = None


@attrs.frozen(kw_only=True)
class ZoneAuthoritativeNameservers:
    """The Hetzner nameservers assigned to a zone, and those the parent zone delegates to."""

    assigned: list[str]
    delegated: list[str]
    delegation_last_check: datetime | None
    delegation_status: str | None = None


@attrs.frozen(kw_only=True)
class Zone:
    """A DNS zone served by Hetzner's authoritative nameservers."""

    id: int
    name: str
    mode: ZoneMode
    created: datetime
    labels: dict[str, str] = attrs.Factory(dict)
    protection: DeleteProtection
    ttl: int
    status: ZoneStatus
    record_count: int
    authoritative_nameservers: ZoneAuthoritativeNameservers
    registrar: str
    # Only secondary zones have primary nameservers; the API may leave the key out otherwise.
    primary_nameservers: list[ZonePrimaryNameserver] = attrs.Factory(list)


@attrs.frozen(kw_only=True)
class CreateZoneResult:
    """A new zone and the action that publishes it."""

    zone: Zone
    action: Action


@attrs.frozen
class ZoneRecord:
    """One record of an RRSet: its value in zone-file form, and an optional comment.

    The value identifies the record within its RRSet.
    """

    value: str
    comment: str | None = None

    @classmethod
    def txt(cls, text: str, comment: str | None = None) -> Self:
        """Build a TXT record from plain text: quoted, escaped, in strings of at most 255 bytes."""
        chunks: list[str] = []
        current, size = "", 0
        for char in text:
            octets = len(char.encode())
            if size + octets > _TXT_CHUNK:
                chunks.append(current)
                current, size = "", 0
            current, size = current + char, size + octets
        chunks.append(current)
        return cls(value=" ".join(map(_quote, chunks)), comment=comment)


def _quote(text: str) -> str:
    """Quote one TXT character-string, escaping backslashes and double quotes."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _records(values: Iterable[ZoneRecord | str]) -> list[ZoneRecord]:
    return [ZoneRecord(value=v) if isinstance(v, str) else v for v in values]


@attrs.frozen(kw_only=True)
class ZoneRRSetProtection:
    """Whether an RRSet is protected against changes (deletion and updates)."""

    change: bool


@attrs.frozen(kw_only=True)
class ZoneRRSet:
    """A resource record set: every record of one name and type in a zone."""

    # "<name>/<type>", e.g. "www/A".
    id: str
    name: str
    type: ZoneRRSetType
    # None: the zone's default TTL applies.
    ttl: int | None
    labels: dict[str, str] = attrs.Factory(dict)
    protection: ZoneRRSetProtection
    records: list[ZoneRecord]
    # The ID of the zone.
    zone: int


@attrs.frozen(kw_only=True)
class CreateZoneRRSetResult:
    """A new RRSet and the action that publishes it."""

    rrset: ZoneRRSet
    action: Action


@attrs.frozen(kw_only=True)
class NewZoneRRSet:
    """An RRSet to create with a zone (``hz.zones.create(..., rrsets=[...])``).

    ``records`` takes ``ZoneRecord``s or plain value strings.
    """

    name: str
    type: ZoneRRSetType | str
    records: list[ZoneRecord] = attrs.field(converter=_records)
    ttl: int | None = None
    labels: dict[str, str] | None = None
