"""Wire cases of ``hz.zones`` and ``hz.zones.rrsets`` (zones addressed by ID and by name)."""

from __future__ import annotations

from hetzner_async.models import NewZoneRRSet, ZonePrimaryNameserver, ZoneRecord

from ..._spec import response_example
from ._core import PAGE, WireCase, action_listing_cases, page_of

CREATED = response_example("POST", "/zones")
ZONE = {"zone": CREATED["zone"]}
ACTION = response_example("POST", "/zones/42/actions/change_ttl")
RRSET_CREATED = response_example("POST", "/zones/42/rrsets")
RRSET = response_example("PUT", "/zones/42/rrsets/www/A")
RRSET_ACTION = response_example("POST", "/zones/42/rrsets/www/A/actions/set_records")
NAMESERVERS = [ZonePrimaryNameserver("198.51.100.1", 53), ZonePrimaryNameserver("203.0.113.1")]
NAMESERVERS_JSON = [{"address": "198.51.100.1", "port": 53}, {"address": "203.0.113.1"}]
ZONEFILE = "$ORIGIN\texample.com.\n$TTL\t3600\n\n@\tIN\tA\t198.51.100.1\n"
WWW = "/v1/zones/example.com/rrsets/www/A"


def _zone_action(name: str, args: tuple[object, ...], body: object) -> WireCase:
    return WireCase(
        f"zones.{name}",
        ("example.com", *args),
        {},
        "POST",
        f"/v1/zones/example.com/actions/{name}",
        [],
        body,  # type: ignore[arg-type]
        201,
        ACTION,
    )


def _rrset_action(
    name: str, args: tuple[object, ...], body: object, status: int = 201, **kw: object
) -> WireCase:
    return WireCase(
        f"zones.rrsets.{name}",
        ("example.com", "www", "A", *args),
        kw,
        "POST",
        f"{WWW}/actions/{name}",
        [],
        body,  # type: ignore[arg-type]
        status,
        RRSET_ACTION,
    )


CASES = [
    WireCase(
        "zones.list",
        (),
        {"name": "example.com", "mode": "primary", "label_selector": {"env": "prod"}, "sort": "id"},
        "GET",
        "/v1/zones",
        [
            ("name", "example.com"),
            ("mode", "primary"),
            ("label_selector", "env=prod"),
            ("sort", "id"),
            *PAGE,
        ],
        None,
        200,
        page_of("zones", CREATED["zone"]),
    ),
    WireCase(
        "zones.iter",
        (),
        {"mode": "secondary"},
        "GET",
        "/v1/zones",
        [("mode", "secondary"), *PAGE],
        None,
        200,
        page_of("zones", CREATED["zone"]),
    ),
    WireCase("zones.get", (42,), {}, "GET", "/v1/zones/42", [], None, 200, ZONE),
    WireCase(
        "zones.get_by_name",
        ("example.com",),
        {},
        "GET",
        "/v1/zones",
        [("name", "example.com"), *PAGE],
        None,
        200,
        page_of("zones", CREATED["zone"]),
    ),
    WireCase(
        "zones.create",
        (),
        {
            "name": "example.com",
            "mode": "primary",
            "ttl": 10800,
            "labels": {"key": "value"},
            "rrsets": [
                NewZoneRRSet(
                    name="www",
                    type="A",
                    records=[ZoneRecord("198.51.100.1", "My web server at Hetzner Cloud.")],
                ),
                NewZoneRRSet(name="@", type="MX", records=["10 mail.example.com."], ttl=300),
            ],
        },
        "POST",
        "/v1/zones",
        [],
        {
            "name": "example.com",
            "mode": "primary",
            "ttl": 10800,
            "labels": {"key": "value"},
            "rrsets": [
                {
                    "name": "www",
                    "type": "A",
                    "records": [
                        {"value": "198.51.100.1", "comment": "My web server at Hetzner Cloud."}
                    ],
                },
                {
                    "name": "@",
                    "type": "MX",
                    "records": [{"value": "10 mail.example.com."}],
                    "ttl": 300,
                },
            ],
        },
        201,
        CREATED,
    ),
    WireCase(
        "zones.update",
        ("example.com",),
        {"labels": {"env": "prod"}},
        "PUT",
        "/v1/zones/example.com",
        [],
        {"labels": {"env": "prod"}},
        200,
        ZONE,
    ),
    WireCase(
        "zones.delete",
        (42,),
        {},
        "DELETE",
        "/v1/zones/42",
        [],
        None,
        201,
        response_example("DELETE", "/zones/42"),
    ),
    WireCase(
        "zones.export_zonefile",
        ("example.com",),
        {},
        "GET",
        "/v1/zones/example.com/zonefile",
        [],
        None,
        200,
        {"zonefile": ZONEFILE},
    ),
    _zone_action("import_zonefile", (ZONEFILE,), {"zonefile": ZONEFILE}),
    _zone_action("change_ttl", (10800,), {"ttl": 10800}),
    _zone_action(
        "change_primary_nameservers", (NAMESERVERS,), {"primary_nameservers": NAMESERVERS_JSON}
    ),
    WireCase(
        "zones.change_protection",
        (42,),
        {"delete": True},
        "POST",
        "/v1/zones/42/actions/change_protection",
        [],
        {"delete": True},
        201,
        ACTION,
    ),
    *action_listing_cases("zones", "zones", "example.com"),  # type: ignore[arg-type]
    # --- hz.zones.rrsets ---------------------------------------------------------------------
    WireCase(
        "zones.rrsets.list",
        ("example.com",),
        {"name": "www", "type": ["A", "AAAA"], "label_selector": "env=prod", "sort": "name"},
        "GET",
        "/v1/zones/example.com/rrsets",
        [
            ("name", "www"),
            ("type", "A"),
            ("type", "AAAA"),
            ("label_selector", "env=prod"),
            ("sort", "name"),
            ("page", "1"),
            ("per_page", "100"),  # this listing serves 100 per page
        ],
        None,
        200,
        page_of("rrsets", RRSET["rrset"]),
    ),
    WireCase(
        "zones.rrsets.iter",
        (42,),
        {"type": "TXT"},
        "GET",
        "/v1/zones/42/rrsets",
        [("type", "TXT"), ("page", "1"), ("per_page", "100")],
        None,
        200,
        page_of("rrsets", RRSET["rrset"]),
    ),
    WireCase("zones.rrsets.get", ("example.com", "www", "A"), {}, "GET", WWW, [], None, 200, RRSET),
    WireCase(
        "zones.rrsets.create",
        ("example.com",),
        {
            "name": "www",
            "type": "A",
            "records": [ZoneRecord("198.51.100.1", "My web server at Hetzner Cloud.")],
            "ttl": 3600,
            "labels": {"key": "value"},
        },
        "POST",
        "/v1/zones/example.com/rrsets",
        [],
        {
            "name": "www",
            "type": "A",
            "ttl": 3600,
            "records": [{"value": "198.51.100.1", "comment": "My web server at Hetzner Cloud."}],
            "labels": {"key": "value"},
        },
        201,
        RRSET_CREATED,
    ),
    WireCase(
        "zones.rrsets.update",
        ("example.com", "www", "A"),
        {"labels": {"env": "prod"}},
        "PUT",
        WWW,
        [],
        {"labels": {"env": "prod"}},
        200,
        RRSET,
    ),
    WireCase(
        "zones.rrsets.delete",
        (42, "@", "MX"),
        {},
        "DELETE",
        "/v1/zones/42/rrsets/@/MX",
        [],
        None,
        201,
        response_example("DELETE", "/zones/42/rrsets/@/MX"),
    ),
    _rrset_action(
        "set_records",
        (["198.51.100.1", ZoneRecord("198.51.100.2", "second")],),
        {"records": [{"value": "198.51.100.1"}, {"value": "198.51.100.2", "comment": "second"}]},
    ),
    _rrset_action(
        "add_records",
        (["198.51.100.3"],),
        {"ttl": 3600, "records": [{"value": "198.51.100.3"}]},
        ttl=3600,
    ),
    _rrset_action("remove_records", (["198.51.100.1"],), {"records": [{"value": "198.51.100.1"}]}),
    _rrset_action(
        "update_records",
        ([ZoneRecord("198.51.100.2", "web 2")],),
        {"records": [{"value": "198.51.100.2", "comment": "web 2"}]},
        200,  # the one record action that answers 200
    ),
    # None sends null: the RRSet follows the zone's default TTL again.
    _rrset_action("change_ttl", (None,), {"ttl": None}),
    _rrset_action("change_protection", (), {"change": True}, change=True),
]
