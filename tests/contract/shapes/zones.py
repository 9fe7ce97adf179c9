"""Response shapes of ``/zones`` and of the RRSets under it."""

from __future__ import annotations

from hetzner_async.models import CreateZoneResult, CreateZoneRRSetResult, Zone, ZoneRRSet

from ._core import ACTION, ACTIONS_PAGE, Shape, page

ZONE = {"zone": Zone}
RRSET = {"rrset": ZoneRRSet}
ONE = "/zones/{id_or_name}"
RRSET_PATH = f"{ONE}/rrsets/{{rr_name}}/{{rr_type}}"

OPERATIONS: dict[tuple[str, str], Shape] = {
    ("get", "/zones"): page("zones", Zone),
    ("post", "/zones"): CreateZoneResult,
    ("get", ONE): ZONE,
    ("put", ONE): ZONE,
    ("delete", ONE): ACTION,
    ("get", f"{ONE}/zonefile"): {"zonefile": str},
    **{
        ("post", f"{ONE}/actions/{command}"): ACTION
        for command in (
            "change_primary_nameservers",
            "change_protection",
            "change_ttl",
            "import_zonefile",
        )
    },
    # Zones are addressed by ID or name, so their listings are not action_listings("/zones").
    ("get", "/zones/actions"): ACTIONS_PAGE,
    ("get", "/zones/actions/{id}"): ACTION,
    ("get", f"{ONE}/actions"): ACTIONS_PAGE,
    ("get", f"{ONE}/rrsets"): page("rrsets", ZoneRRSet),
    ("post", f"{ONE}/rrsets"): CreateZoneRRSetResult,
    ("get", RRSET_PATH): RRSET,
    ("put", RRSET_PATH): RRSET,
    ("delete", RRSET_PATH): ACTION,
    **{
        ("post", f"{RRSET_PATH}/actions/{command}"): ACTION
        for command in (
            "add_records",
            "change_protection",
            "change_ttl",
            "remove_records",
            "set_records",
            "update_records",
        )
    },
}
