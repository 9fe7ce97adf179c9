"""``hz.zones`` and ``hz.zones.rrsets`` against the fake: zones, records, zone files, errors."""

from __future__ import annotations

import asyncio

import pytest

from hetzner_async import HetznerClient
from hetzner_async.errors import (
    APIError,
    InvalidInputError,
    LockedError,
    NotFoundError,
    ProtectedError,
    UniquenessError,
)
from hetzner_async.models import (
    NewZoneRRSet,
    ZoneMode,
    ZonePrimaryNameserver,
    ZoneRecord,
    ZoneRRSetType,
    ZoneStatus,
)
from hetzner_async.testing import FakeHetznerCloud

NS = ["hydrogen.ns.hetzner.com.", "oxygen.ns.hetzner.com.", "helium.ns.hetzner.de."]


async def test_zone_lifecycle(hz: HetznerClient, fake: FakeHetznerCloud) -> None:
    created = await hz.zones.create(
        name="example.com",
        mode="primary",
        ttl=600,
        labels={"env": "prod"},
        rrsets=[NewZoneRRSet(name="www", type="A", records=["192.0.2.1"], ttl=300)],
    )
    assert created.zone.mode is ZoneMode.PRIMARY
    assert created.zone.record_count == 5
    assert created.action.command == "create_zone"
    await hz.actions.wait(created.action)
    zone = await hz.zones.get("example.com")
    assert (zone.id, zone.status, zone.ttl) == (created.zone.id, ZoneStatus.OK, 600)
    assert zone.authoritative_nameservers.assigned == NS
    assert (await hz.zones.get(zone.id)).name == "example.com"
    assert [z.id for z in await hz.zones.list(mode="primary")] == [zone.id]
    assert (await hz.zones.get_by_name("example.com")) is not None

    updated = await hz.zones.update("example.com", labels={"env": "dev"})
    assert updated.labels == {"env": "dev"}
    await hz.actions.wait(await hz.zones.change_ttl(zone.id, 7200))
    assert (await hz.zones.get(zone.id)).ttl == 7200
    with pytest.raises(UniquenessError):
        await hz.zones.create(name="example.com", mode="primary")

    await hz.actions.wait(await hz.zones.change_protection("example.com", delete=True))
    with pytest.raises(ProtectedError):
        await hz.zones.delete("example.com")
    await hz.actions.wait(await hz.zones.change_protection(zone.id, delete=False))
    commands = [a.command for a in await hz.zones.list_actions("example.com", sort="id")]
    assert commands[:2] == ["create_zone", "change_ttl"]
    deleting = await hz.zones.delete("example.com")
    assert deleting.command == "delete_zone"
    with pytest.raises(LockedError):
        await hz.zones.change_ttl(zone.id, 600)
    await hz.actions.wait(deleting)
    with pytest.raises(NotFoundError):
        await hz.zones.get("example.com")
    assert (await hz.zones.get_action(deleting.id)).command == "delete_zone"


async def test_rrsets_and_their_record_actions(hz: HetznerClient) -> None:
    zone = (await hz.zones.create(name="example.com", mode="primary")).zone
    rrsets = hz.zones.rrsets
    created = await rrsets.create(
        "example.com",
        name="www",
        type="A",
        records=[ZoneRecord("192.0.2.1", comment="web")],
        labels={"tier": "web"},
    )
    assert created.rrset.id == "www/A"
    assert created.action.command == "create_rrset"
    await hz.actions.wait(created.action)

    await hz.actions.wait(await rrsets.add_records(zone.id, "www", "A", ["192.0.2.2"]))
    await hz.actions.wait(
        await rrsets.add_records("example.com", "www", "AAAA", ["2001:db8::1"], ttl=300)
    )
    www = await rrsets.get("example.com", "www", ZoneRRSetType.A)
    assert [r.value for r in www.records] == ["192.0.2.1", "192.0.2.2"]
    await hz.actions.wait(
        await rrsets.update_records(zone.id, "www", "A", [ZoneRecord("192.0.2.2", "second")])
    )
    await hz.actions.wait(await rrsets.change_ttl(zone.id, "www", "A", 900))
    www = await rrsets.get(zone.id, "www", "A")
    assert www.ttl == 900
    assert www.records[1].comment == "second"

    assert [r.id for r in await rrsets.list(zone.id, name="www")] == ["www/A", "www/AAAA"]
    assert [r.id for r in await rrsets.list(zone.id, type=["AAAA"])] == ["www/AAAA"]
    assert [r.id for r in await rrsets.list(zone.id, label_selector="tier=web")] == ["www/A"]
    relabeled = await rrsets.update(zone.id, "www", "A", labels={"tier": "edge"})
    assert relabeled.labels == {"tier": "edge"}

    await hz.actions.wait(await rrsets.set_records(zone.id, "www", "A", ["192.0.2.9"]))
    await hz.actions.wait(await rrsets.change_protection(zone.id, "www", "A", change=True))
    with pytest.raises(ProtectedError):
        await rrsets.delete(zone.id, "www", "A")
    await hz.actions.wait(await rrsets.change_protection(zone.id, "www", "A", change=False))
    await hz.actions.wait(await rrsets.remove_records(zone.id, "www", "AAAA", ["2001:db8::1"]))
    with pytest.raises(NotFoundError):
        await rrsets.get(zone.id, "www", "AAAA")
    await hz.actions.wait(await rrsets.delete(zone.id, "www", "A"))
    remaining = await rrsets.list("example.com")
    assert sorted(r.id for r in remaining) == ["@/NS", "@/SOA"]
    assert (await hz.zones.get(zone.id)).record_count == 4
    with pytest.raises(InvalidInputError):
        await rrsets.delete(zone.id, "@", "NS")


async def test_records_for_a_fleet_then_removed(hz: HetznerClient) -> None:
    """Every server of a fleet gets A and AAAA records in one zone, concurrently; then none."""
    await hz.actions.wait((await hz.zones.create(name="fleet.example", mode="primary")).action)
    made = await asyncio.gather(
        *(
            hz.servers.create(name=f"node-{i}", server_type="cx22", image="debian-12")
            for i in range(6)
        )
    )
    servers = [m.server for m in made]

    async def publish(name: str, ipv4: str, ipv6: str) -> None:
        actions = await asyncio.gather(
            hz.zones.rrsets.add_records("fleet.example", name, "A", [ipv4]),
            hz.zones.rrsets.add_records("fleet.example", name, "AAAA", [ipv6]),
            hz.zones.rrsets.add_records("fleet.example", "all", "A", [ipv4]),
        )
        await hz.actions.wait(*actions)

    addresses = [
        (s.name, s.public_net.ipv4.ip, s.public_net.ipv6.ip.split("/")[0] + "1")
        for s in servers
        if s.public_net.ipv4 is not None and s.public_net.ipv6 is not None
    ]
    assert len(addresses) == 6
    await asyncio.gather(*(publish(*a) for a in addresses))
    listed = await hz.zones.rrsets.list("fleet.example", type=["A", "AAAA"])
    assert len(listed) == 13
    every = await hz.zones.rrsets.get("fleet.example", "all", "A")
    assert sorted(r.value for r in every.records) == sorted(a[1] for a in addresses)

    async def withdraw(name: str, ipv4: str, ipv6: str) -> None:
        await hz.actions.wait(
            *await asyncio.gather(
                hz.zones.rrsets.delete("fleet.example", name, "A"),
                hz.zones.rrsets.delete("fleet.example", name, "AAAA"),
                hz.zones.rrsets.remove_records("fleet.example", "all", "A", [ipv4]),
            )
        )

    await asyncio.gather(*(withdraw(*a) for a in addresses))
    assert sorted(r.id for r in await hz.zones.rrsets.list("fleet.example")) == ["@/NS", "@/SOA"]


EDIT = "\nmail\tIN\tA\t192.0.2.25 ; the mail server\n@\tIN\tMX\t10 mail.example.com.\n"


async def test_zonefile_export_edit_import(hz: HetznerClient) -> None:
    zone = (
        await hz.zones.create(
            name="example.com",
            mode="primary",
            rrsets=[NewZoneRRSet(name="www", type="A", records=["192.0.2.1"])],
        )
    ).zone
    exported = await hz.zones.export_zonefile("example.com")
    assert exported.startswith("$ORIGIN\texample.com.\n$TTL\t3600\n")
    assert "www\tIN\tA\t192.0.2.1\n" in exported
    await hz.actions.wait(await hz.zones.import_zonefile(zone.id, exported + EDIT))
    mail = await hz.zones.rrsets.get(zone.id, "mail", "A")
    assert mail.records == [ZoneRecord("192.0.2.25", comment="the mail server")]
    assert (await hz.zones.get(zone.id)).record_count == 7
    again = await hz.zones.export_zonefile(zone.id)
    assert "mail\tIN\tA\t192.0.2.25 ; the mail server\n" in again
    with pytest.raises(InvalidInputError) as bad:
        await hz.zones.import_zonefile(zone.id, "www IN A 192.0.2.1\n")
    assert bad.value.fields


async def test_secondary_zones(hz: HetznerClient) -> None:
    primaries = [ZonePrimaryNameserver("198.51.100.1"), ZonePrimaryNameserver("203.0.113.1", 5353)]
    created = await hz.zones.create(
        name="example.net", mode="secondary", primary_nameservers=primaries
    )
    assert created.zone.mode is ZoneMode.SECONDARY
    assert [p.port for p in created.zone.primary_nameservers] == [53, 5353]
    changed = await hz.zones.change_primary_nameservers(
        "example.net",
        [ZonePrimaryNameserver("192.0.2.53", tsig_key="c2VjcmV0", tsig_algorithm="hmac-sha256")],
    )
    await hz.actions.wait(changed)
    zone = await hz.zones.get("example.net")
    assert [p.address for p in zone.primary_nameservers] == ["192.0.2.53"]
    with pytest.raises(APIError) as wrong:
        await hz.zones.rrsets.list("example.net")
    assert wrong.value.code == "incorrect_zone_mode"
    with pytest.raises(APIError) as wrong:
        await hz.zones.export_zonefile("example.net")
    assert wrong.value.code == "incorrect_zone_mode"
