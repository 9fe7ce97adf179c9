"""hcloud-python (the official Python client) against the fake: DNS zones and their RRSets.

hcloud 2.27 serves zones and RRSets in full (``client.zones``); every call of both is run here.
"""

from __future__ import annotations

import pytest
from hcloud import APIException, Client
from hcloud.zones import BoundZone, ZonePrimaryNameserver, ZoneRecord, ZoneRRSet

from .pyclient import api_code, finish

pytestmark = pytest.mark.interop

NS = ["hydrogen.ns.hetzner.com.", "oxygen.ns.hetzner.com.", "helium.ns.hetzner.de."]


def make_zone(client: Client, name: str = "example.com") -> BoundZone:
    created = client.zones.create(
        name=name,
        mode="primary",
        ttl=600,
        labels={"env": "prod"},
        rrsets=[ZoneRRSet(name="www", type="A", records=[ZoneRecord("192.0.2.1", "web")])],
    )
    finish(created.action)
    return created.zone


def test_zone_cycle(hcloud_client: Client) -> None:
    zones = hcloud_client.zones
    zone = make_zone(hcloud_client)
    assert (zone.mode, zone.ttl, zone.record_count) == ("primary", 600, 5)
    assert zone.authoritative_nameservers is not None
    assert zone.authoritative_nameservers.assigned == NS
    by_name = zones.get("example.com")
    assert by_name.id == zone.id
    assert by_name.status == "ok"
    assert zones.get(zone.id).name == "example.com"
    assert [z.id for z in zones.get_all(mode="primary", label_selector="env=prod")] == [zone.id]
    assert zones.get_all(name="example.org") == []

    assert by_name.update(labels={"env": "dev"}).labels == {"env": "dev"}
    finish(by_name.change_ttl(3600))
    finish(by_name.change_protection(delete=True))
    with pytest.raises(APIException) as protected:
        by_name.delete()
    assert api_code(protected) == "protected"
    finish(by_name.change_protection(delete=False))
    with pytest.raises(APIException) as taken:
        zones.create(name="example.com", mode="primary")
    assert api_code(taken) == "uniqueness_error"

    commands = [a.command for a in by_name.get_actions(sort=["id"])]
    assert commands == ["create_zone", "change_ttl", "change_protection", "change_protection"]
    assert [a.command for a in zones.actions.get_all(status=["success"])] == [
        "create_zone",
        "change_ttl",
        "change_protection",
        "change_protection",
    ]
    finish(by_name.delete().action)
    with pytest.raises(APIException) as gone:
        zones.get("example.com")
    assert api_code(gone) == "not_found"


def test_zonefile_export_and_import(hcloud_client: Client) -> None:
    zone = make_zone(hcloud_client)
    exported = zone.export_zonefile().zonefile
    assert exported.startswith("$ORIGIN\texample.com.\n$TTL\t600\n")
    assert "www\tIN\tA\t192.0.2.1 ; web\n" in exported
    edited = exported.replace("192.0.2.1 ; web", "192.0.2.2 ; moved") + "api\tIN\tAAAA\t::1\n"
    finish(zone.import_zonefile(edited))
    www = zone.get_rrset("www", "A")
    assert [(r.value, r.comment) for r in www.records or []] == [("192.0.2.2", "moved")]
    again = hcloud_client.zones.export_zonefile(zone).zonefile
    assert again.endswith("\n\napi\tIN\tAAAA\t::1\nwww\tIN\tA\t192.0.2.2 ; moved\n")
    with pytest.raises(APIException) as invalid:
        zone.import_zonefile("www IN A 192.0.2.1\n")
    assert api_code(invalid) == "invalid_input"


def test_rrset_cycle(hcloud_client: Client) -> None:
    zone = make_zone(hcloud_client)
    created = zone.create_rrset(
        name="api", type="AAAA", ttl=300, labels={"tier": "api"}, records=[ZoneRecord("::1")]
    )
    finish(created.action)
    rrset = created.rrset
    assert (rrset.id, rrset.ttl, rrset.labels) == ("api/AAAA", 300, {"tier": "api"})

    finish(rrset.add_rrset_records([ZoneRecord("::2", "second")], ttl=300))
    finish(rrset.update_rrset_records([ZoneRecord("::1", "first")]))
    finish(rrset.change_rrset_ttl(900))
    fetched = zone.get_rrset("api", "AAAA")
    assert fetched.ttl == 900
    assert [(r.value, r.comment) for r in fetched.records or []] == [
        ("::1", "first"),
        ("::2", "second"),
    ]
    assert fetched.update_rrset(labels={"tier": "edge"}).labels == {"tier": "edge"}
    assert [r.id for r in zone.get_rrset_all(type=["AAAA"])] == ["api/AAAA"]
    assert [r.id for r in zone.get_rrset_all(name="www")] == ["www/A"]
    page = zone.get_rrset_list(sort=["name"], per_page=2)
    assert [r.id for r in page.rrsets] == ["@/NS", "@/SOA"]
    assert page.meta.pagination.total_entries == 4

    finish(fetched.change_rrset_protection(change=True))
    with pytest.raises(APIException) as protected:
        fetched.delete_rrset()
    assert api_code(protected) == "protected"
    finish(fetched.change_rrset_protection(change=False))
    finish(fetched.set_rrset_records([ZoneRecord("::3")]))
    finish(fetched.remove_rrset_records([ZoneRecord("::3")]))
    with pytest.raises(APIException) as gone:
        zone.get_rrset("api", "AAAA")
    assert api_code(gone) == "not_found"
    www = zone.get_rrset("www", "A")
    finish(www.delete_rrset().action)
    assert sorted(r.id for r in zone.get_rrset_all()) == ["@/NS", "@/SOA"]
    with pytest.raises(APIException) as bad_name:
        zone.create_rrset(name="WWW", type="A", records=[ZoneRecord("192.0.2.1")])
    assert api_code(bad_name) == "invalid_input"


def test_secondary_zone(hcloud_client: Client) -> None:
    zones = hcloud_client.zones
    created = zones.create(
        name="example.net",
        mode="secondary",
        primary_nameservers=[ZonePrimaryNameserver(address="198.51.100.1", port=5353)],
    )
    finish(created.action)
    zone = created.zone
    assert [(p.address, p.port) for p in zone.primary_nameservers or []] == [("198.51.100.1", 5353)]
    finish(
        zone.change_primary_nameservers(
            [
                ZonePrimaryNameserver(
                    address="203.0.113.1", tsig_algorithm="hmac-sha256", tsig_key="c2VjcmV0"
                )
            ]
        )
    )
    fetched = zones.get("example.net")
    assert [(p.address, p.port) for p in fetched.primary_nameservers or []] == [("203.0.113.1", 53)]
    with pytest.raises(APIException) as wrong_mode:
        fetched.get_rrset_all()
    assert api_code(wrong_mode) == "incorrect_zone_mode"
    with pytest.raises(APIException) as wrong_mode:
        fetched.change_ttl(600)
    assert api_code(wrong_mode) == "incorrect_zone_mode"
