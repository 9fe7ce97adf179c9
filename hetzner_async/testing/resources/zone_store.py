"""``ZoneRecords``: the RRSets of every primary zone, and the rules every change keeps.

One source of truth per zone: its RRSets by (name, type). Every change goes through here, so
the zone's ``record_count`` (every record, SOA and NS included) and its SOA serial stay right:
the serial follows the ``YYYYMMDDnn`` convention and grows with every change of the zone's data
(records and TTLs; not labels, protection or comments). The zone apex keeps exactly one SOA
record and NS records for the assigned nameservers; a name with a CNAME has nothing else.
https://docs.hetzner.cloud/reference/cloud#zones ("SOA Serial")
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ..core import Json, Project
from ..errors import ApiError, invalid_input, uniqueness_error
from .dns_rules import ASSIGNED, TYPES

__all__ = ["ZoneRecords", "new_rrset", "rrset_id"]

#: The SOA the API creates: Hetzner's primary nameserver and hostmaster, then the serial and
#: refresh, retry, expire and negative-caching TTL in seconds.
_SOA = "hydrogen.ns.hetzner.com. dns.hetzner.com. {serial} 86400 10800 3600000 3600"


def rrset_id(name: str, kind: str) -> str:
    """Return an RRSet's ID: its name and type joined by a slash (``www/A``)."""
    return f"{name}/{kind}"


def new_rrset(
    zone: Json,
    name: str,
    kind: str,
    records: list[Json],
    *,
    ttl: int | None = None,
    labels: dict[str, str] | None = None,
) -> Json:
    """Return an RRSet of ``zone`` as the API shows it (not stored yet)."""
    return {
        "id": rrset_id(name, kind),
        "name": name,
        "type": kind,
        "ttl": ttl,
        "labels": labels or {},
        "protection": {"change": False},
        "records": records,
        "zone": zone["id"],
    }


class ZoneRecords:
    """The RRSets of each zone of a project (a state part)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._zones: dict[int, dict[tuple[str, str], Json]] = {}
        # When each RRSet was stored (``sort=created``; the RRSet JSON has no ``created``).
        self._created: dict[tuple[int, str], int] = {}
        self._counter = 0

    # --- reading ----------------------------------------------------------------------------

    def of(self, zone: Json) -> dict[tuple[str, str], Json]:
        """Return a zone's RRSets by (name, type)."""
        return self._zones.setdefault(zone["id"], {})

    def get(self, zone: Json, name: str, kind: str) -> Json | None:
        """Return one RRSet, or None."""
        return self.of(zone).get((name, kind))

    def created(self, rrset: Json) -> int:
        """Return the order in which an RRSet was stored."""
        return self._created.get((rrset["zone"], rrset["id"]), 0)

    def caa_allows(self, zone: Json, relative: list[str], issuer: str) -> bool:
        """Tell whether the CAA records a domain of ``zone`` is subject to allow ``issuer``.

        ``relative`` is the domain's labels below the zone (``["www"]``; ``["*"]`` for a
        wildcard). The closest name with a CAA RRSet decides (RFC 8659 §3); a wildcard looks
        for ``issuewild`` first, then ``issue``; no relevant record allows any issuer.
        """
        wildcard = bool(relative) and relative[0] == "*"
        labels = relative[1:] if wildcard else relative
        for start in range(len(labels) + 1):
            rrset = self.get(zone, ".".join(labels[start:]) or "@", "CAA")
            if rrset is None:
                continue
            tags: dict[str, list[str]] = {}
            for record in rrset["records"]:
                parts = record["value"].split(maxsplit=2)
                if len(parts) == 3:
                    domain = parts[2].strip('"').split(";")[0].strip().lower()
                    tags.setdefault(parts[1].lower(), []).append(domain)
            allowed = (tags.get("issuewild") if wildcard else None) or tags.get("issue")
            return allowed is None or issuer in allowed
        return True

    # --- rules ------------------------------------------------------------------------------

    @staticmethod
    def ensure_changeable(rrset: Json) -> None:
        """Refuse with ``423 protected`` while an RRSet is change-protected."""
        if rrset["protection"]["change"]:
            raise ApiError(423, "protected", f"RRSet {rrset['id']} is protected against changes")

    def check_new(self, zone: Json, name: str, kind: str) -> None:
        """Refuse a new RRSet that exists, or that would share its name with a CNAME."""
        if kind == "SOA":
            raise invalid_input({"type": ["the zone's SOA record is managed by the API"]})
        rrsets = self.of(zone)
        if (name, kind) in rrsets:
            raise uniqueness_error("name", f"RRSet {rrset_id(name, kind)} already exists")
        if kind == "CNAME" and any((name, other) in rrsets for other in TYPES):
            raise invalid_input({"type": [f"{name} has other records: a CNAME must be alone"]})
        if kind != "CNAME" and (name, "CNAME") in rrsets:
            raise invalid_input({"type": [f"{name} has a CNAME record: it must be alone"]})

    @staticmethod
    def check_apex(name: str, kind: str, records: list[Json]) -> None:
        """Keep the apex NS records for the assigned nameservers (``records`` after a change)."""
        if name == "@" and kind == "NS":
            values = {record["value"].lower() for record in records}
            missing = [server for server in ASSIGNED["primary"] if server not in values]
            if missing:
                message = f"the NS records of the assigned nameservers must stay: {missing}"
                raise invalid_input({"records": [message]})

    @staticmethod
    def check_removable(rrset: Json) -> None:
        """Refuse to delete the SOA or the apex NS RRSet."""
        if rrset["name"] == "@" and rrset["type"] in ("SOA", "NS"):
            raise invalid_input({"type": [f"the zone apex keeps its {rrset['type']} records"]})

    # --- changing ---------------------------------------------------------------------------

    def _count(self, zone: Json, delta: int) -> None:
        zone["record_count"] += delta
        self.project.touch("zone", zone["id"], "record_count")

    def put(self, zone: Json, rrset: Json) -> None:
        """Store a new RRSet."""
        self._counter += 1
        self._created[(zone["id"], rrset["id"])] = self._counter
        self.of(zone)[(rrset["name"], rrset["type"])] = rrset
        self._count(zone, len(rrset["records"]))

    def drop(self, zone: Json, rrset: Json) -> None:
        """Remove an RRSet."""
        self.of(zone).pop((rrset["name"], rrset["type"]), None)
        self._created.pop((zone["id"], rrset["id"]), None)
        self._count(zone, -len(rrset["records"]))

    def set_records(self, zone: Json, rrset: Json, records: list[Json]) -> None:
        """Replace an RRSet's records (an SOA keeps the serial the API manages)."""
        if rrset["type"] == "SOA":
            serial = rrset["records"][0]["value"].split()[2]
            parts = records[0]["value"].split()
            records = [{**records[0], "value": " ".join([*parts[:2], serial, *parts[3:]])}]
        self._count(zone, len(records) - len(rrset["records"]))
        rrset["records"] = records

    def start(self, zone: Json, rrsets: Iterable[Json]) -> None:
        """Give a new primary zone its SOA, its apex NS records, and ``rrsets``.

        ``rrsets`` may replace the SOA and NS (from a zone file); the serial starts today at
        ``nn`` 00, or at the zone file's serial if that is higher.
        """
        soa = _SOA.format(serial=self._today())
        self.put(zone, new_rrset(zone, "@", "SOA", [{"value": soa}]))
        ns = [{"value": server} for server in ASSIGNED["primary"]]
        self.put(zone, new_rrset(zone, "@", "NS", ns))
        for rrset in rrsets:
            existing = self.get(zone, rrset["name"], rrset["type"])
            if existing is not None:
                self.drop(zone, existing)
            self.put(zone, rrset)
        self._set_serial(zone, max(self._serial(zone), self._today()))

    def replace_all(self, zone: Json, rrsets: list[Json]) -> None:
        """Replace every RRSet of a zone with ``rrsets`` (an import); the serial still grows."""
        previous = self._serial(zone)
        for rrset in list(self.of(zone).values()):
            self.drop(zone, rrset)
        for rrset in rrsets:
            self.put(zone, rrset)
        self._set_serial(zone, max(previous + 1, self._serial(zone), self._today()))

    def bump(self, zone: Json) -> None:
        """Raise a zone's SOA serial after a change (``YYYYMMDDnn``; never backwards)."""
        if self.get(zone, "@", "SOA") is not None:
            self._set_serial(zone, max(self._serial(zone) + 1, self._today()))

    def forget(self, zone_id: int) -> None:
        """Forget the RRSets of a deleted zone."""
        for rrset in self._zones.pop(zone_id, {}).values():
            self._created.pop((zone_id, rrset["id"]), None)

    # --- the serial -------------------------------------------------------------------------

    def _today(self) -> int:
        day = dt.datetime.fromtimestamp(self.project.timebase.wall(), dt.UTC)
        return int(day.strftime("%Y%m%d")) * 100

    def _serial(self, zone: Json) -> int:
        soa = self.get(zone, "@", "SOA")
        return 0 if soa is None else int(soa["records"][0]["value"].split()[2])

    def _set_serial(self, zone: Json, serial: int) -> None:
        soa = self.get(zone, "@", "SOA")
        if soa is not None:
            parts = soa["records"][0]["value"].split()
            parts[2] = str(serial)
            soa["records"][0]["value"] = " ".join(parts)
