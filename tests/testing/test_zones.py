"""Zones: create (primary, secondary, rrsets), by ID or name, the SOA serial, zone actions."""

from typing import Any

import pytest

from hetzner_async.testing import ManualClock

from .conftest import Api

NS = ["hydrogen.ns.hetzner.com.", "oxygen.ns.hetzner.com.", "helium.ns.hetzner.de."]
PRIMARY_NS = [{"address": "198.51.100.1", "port": 53}]
# WALL_START (1,700,000,000) is 2023-11-14 UTC.
TODAY = 2023111400


async def zone(api: Api, name: str = "example.com", **fields: Any) -> dict[str, Any]:
    reply = await api.post("/zones", {"name": name, "mode": "primary", **fields})
    assert reply.status == 201, reply.body
    created: dict[str, Any] = reply.body["zone"]
    return created


async def rrset(api: Api, zone_ref: object, name: str, kind: str) -> dict[str, Any]:
    reply = await api.get(f"/zones/{zone_ref}/rrsets/{name}/{kind}")
    assert reply.status == 200, reply.body
    found: dict[str, Any] = reply.body["rrset"]
    return found


async def serial(api: Api, zone_ref: object) -> int:
    soa = await rrset(api, zone_ref, "@", "SOA")
    return int(soa["records"][0]["value"].split()[2])


async def test_create_primary(api: Api, clock: ManualClock) -> None:
    reply = await api.post(
        "/zones", {"name": "example.com", "mode": "primary", "ttl": 600, "labels": {"k": "v"}}
    )
    assert reply.status == 201
    created, action = reply.body["zone"], reply.body["action"]
    assert created["id"] >= 12_000_001
    assert (created["mode"], created["ttl"], created["labels"]) == ("primary", 600, {"k": "v"})
    assert (created["record_count"], created["primary_nameservers"]) == (4, [])
    assert created["protection"] == {"delete": False}
    assert created["authoritative_nameservers"]["assigned"] == NS
    assert created["status"] == "updating"
    assert action["command"] == "create_zone"
    assert action["resources"] == [{"id": created["id"], "type": "zone"}]
    clock.advance(1.5)
    by_name = await api.get("/zones/example.com")
    assert by_name.body["zone"]["status"] == "ok"
    by_id = await api.get(f"/zones/{created['id']}")
    assert by_id.body["zone"] == by_name.body["zone"]
    soa = await rrset(api, "example.com", "@", "SOA")
    assert soa["records"] == [
        {"value": f"hydrogen.ns.hetzner.com. dns.hetzner.com. {TODAY} 86400 10800 3600000 3600"}
    ]
    ns = await rrset(api, "example.com", "@", "NS")
    assert [r["value"] for r in ns["records"]] == NS
    assert (ns["id"], ns["zone"], ns["ttl"], ns["protection"]) == (
        "@/NS",
        created["id"],
        None,
        {"change": False},
    )
    assert (await api.get("/zones/example.org")).status == 404


async def test_create_with_rrsets(api: Api) -> None:
    rrsets = [
        {"name": "www", "type": "A", "ttl": 300, "records": [{"value": "192.0.2.1"}]},
        {"name": "@", "type": "MX", "records": [{"value": "10 mail.example.com."}]},
        {"name": "@", "type": "NS", "records": [{"value": v} for v in [*NS, "ns.example.net."]]},
    ]
    created = await zone(api, rrsets=rrsets)
    assert created["record_count"] == 1 + 4 + 1 + 1
    www = await rrset(api, "example.com", "www", "A")
    assert (www["ttl"], www["records"]) == (300, [{"value": "192.0.2.1"}])
    assert len((await rrset(api, "example.com", "@", "NS"))["records"]) == 4


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Example.com"}, "name"),
        ({"name": "example.com."}, "name"),
        ({"name": "localhost"}, "name"),
        ({"name": "münchen.de"}, "name"),
        ({"name": "192.0.2.1"}, "name"),
        ({"name": "-bad.com"}, "name"),
        ({"mode": "tertiary"}, "mode"),
        ({"mode": None}, "mode"),
        ({"ttl": 59}, "ttl"),
        ({"ttl": 2_147_483_648}, "ttl"),
        ({"labels": {"hetzner.cloud/x": "y"}}, "labels"),
        ({"rrsets": [{"name": "www", "type": "A", "records": []}]}, "rrsets[0].records"),
        ({"rrsets": [{"name": "WWW", "type": "A", "records": [{"value": "1.2.3.4"}]}]}, None),
        ({"rrsets": [{"name": "w", "type": "A", "records": [{"value": "::1"}]}]}, None),
        ({"rrsets": [{"name": "@", "type": "SOA", "records": [{"value": "x"}]}]}, None),
        ({"rrsets": [{"name": "@", "type": "NS", "records": [{"value": "ns.x."}]}]}, "records"),
        ({"rrsets": [{"name": "w", "type": "A", "records": [{"value": "1.2.3.4"}]}] * 2}, None),
        ({"rrsets": [{"name": "w", "type": "TXT", "records": [{"value": "x"}]}]}, None),
        (
            {
                "rrsets": [
                    {"name": "w", "type": "CNAME", "records": [{"value": "x."}]},
                    {"name": "w", "type": "A", "records": [{"value": "1.2.3.4"}]},
                ]
            },
            "rrsets",
        ),
        ({"rrsets": [{"name": "w"}], "zonefile": "$TTL 60"}, "rrsets"),
        ({"zonefile": "@ IN A 192.0.2.1"}, "zonefile"),
    ],
)
async def test_create_validation(api: Api, body: dict[str, Any], field: str | None) -> None:
    reply = await api.post("/zones", {"name": "example.com", "mode": "primary", **body})
    assert reply.status == 422, reply.body
    assert reply.body["error"]["code"] == "invalid_input"
    if field is not None:
        assert reply.body["error"]["details"]["fields"][0]["name"] == field


async def test_names_are_unique(api: Api) -> None:
    await zone(api)
    reply = await api.post("/zones", {"name": "example.com", "mode": "secondary"})
    assert (reply.status, reply.body["error"]["code"]) == (409, "uniqueness_error")


async def test_secondary_zones(api: Api) -> None:
    tsig = {
        "address": "2001:db8::1",
        "port": 5353,
        "tsig_key": "c2VjcmV0",
        "tsig_algorithm": "hmac-sha256",
    }
    reply = await api.post(
        "/zones",
        {
            "name": "example.net",
            "mode": "secondary",
            "primary_nameservers": [{"address": "198.51.100.1"}, tsig],
            "rrsets": [{"name": "ignored", "type": "A", "records": [{"value": "1.2.3.4"}]}],
        },
    )
    assert reply.status == 201
    created = reply.body["zone"]
    assert created["primary_nameservers"] == [{"address": "198.51.100.1", "port": 53}, tsig]
    assert created["record_count"] == 0
    assert created["authoritative_nameservers"]["assigned"] == [
        "ns1.first-ns.de.",
        "robotns2.second-ns.de.",
        "robotns3.second-ns.com.",
    ]
    record = {"records": [{"value": "1.2.3.4"}]}
    wrong_mode = [
        await api.get("/zones/example.net/rrsets"),
        await api.post("/zones/example.net/rrsets", {"name": "w", "type": "A", **record}),
        await api.get("/zones/example.net/rrsets/www/A"),
        await api.post("/zones/example.net/rrsets/www/A/actions/add_records", record),
        await api.get("/zones/example.net/zonefile"),
        await api.post("/zones/example.net/actions/import_zonefile", {"zonefile": "x"}),
        await api.post("/zones/example.net/actions/change_ttl", {"ttl": 600}),
    ]
    for answer in wrong_mode:
        assert (answer.status, answer.body["error"]["code"]) == (422, "incorrect_zone_mode")
    changed = await api.post(
        "/zones/example.net/actions/change_primary_nameservers",
        {"primary_nameservers": PRIMARY_NS},
    )
    assert changed.status == 201
    assert changed.body["action"]["command"] == "change_primary_nameservers"
    got = await api.get(f"/zones/{created['id']}")
    assert got.body["zone"]["primary_nameservers"] == PRIMARY_NS
    await zone(api)
    refused = await api.post(
        "/zones/example.com/actions/change_primary_nameservers", {"primary_nameservers": PRIMARY_NS}
    )
    assert refused.body["error"]["code"] == "incorrect_zone_mode"


@pytest.mark.parametrize(
    ("servers", "field"),
    [
        (None, "primary_nameservers"),
        ([], "primary_nameservers"),
        ([{"address": "ns1.example.com"}], "primary_nameservers[0].address"),
        ([{"address": "198.51.100.1", "port": 0}], "primary_nameservers[0].port"),
        ([{"address": "198.51.100.1", "tsig_algorithm": "md5"}], None),
        ([{"address": "198.51.100.1", "tsig_key": "not base64!"}], None),
    ],
)
async def test_primary_nameservers_validation(
    api: Api, servers: list[Any] | None, field: str | None
) -> None:
    body: dict[str, Any] = {"name": "example.net", "mode": "secondary"}
    if servers is not None:
        body["primary_nameservers"] = servers
    reply = await api.post("/zones", body)
    assert (reply.status, reply.body["error"]["code"]) == (422, "invalid_input")
    if field is not None:
        assert reply.body["error"]["details"]["fields"][0]["name"] == field
    assert "not base64" not in reply.body["error"]["message"]


async def test_update_list_and_filters(api: Api) -> None:
    first = await zone(api, "a.com", labels={"env": "prod"})
    await zone(api, "b.com")
    await api.post(
        "/zones", {"name": "c.com", "mode": "secondary", "primary_nameservers": PRIMARY_NS}
    )
    updated = await api.put("/zones/a.com", {"labels": {"env": "dev"}, "name": "ignored.com"})
    assert (updated.body["zone"]["name"], updated.body["zone"]["labels"]) == (
        "a.com",
        {"env": "dev"},
    )
    assert (await api.get(f"/zones/{first['id']}")).body["zone"]["labels"] == {"env": "dev"}

    async def names(**params: Any) -> list[str]:
        reply = await api.get("/zones", params=params)
        return [z["name"] for z in reply.body["zones"]]

    assert await names(mode="secondary") == ["c.com"]
    assert await names(name="b.com") == ["b.com"]
    assert await names(label_selector="env=dev") == ["a.com"]
    assert await names(sort="name:desc") == ["c.com", "b.com", "a.com"]
    bad = await api.get("/zones", params={"mode": "other"})
    assert bad.body["error"]["code"] == "invalid_input"


async def test_protection_and_delete(api: Api, clock: ManualClock) -> None:
    created = await zone(api)
    zid = created["id"]
    protect = await api.post("/zones/example.com/actions/change_protection", {"delete": True})
    assert protect.body["action"]["command"] == "change_protection"
    clock.advance(1.5)
    refused = await api.delete("/zones/example.com")
    assert (refused.status, refused.body["error"]["code"]) == (423, "protected")
    await api.post(f"/zones/{zid}/actions/change_protection", {"delete": False})
    clock.advance(1.5)
    deleted = await api.delete(f"/zones/{zid}")
    assert deleted.status == 201
    assert deleted.body["action"]["command"] == "delete_zone"
    again = await api.delete("/zones/example.com")
    assert (again.status, again.body["error"]["code"]) == (423, "locked")
    clock.advance(1.5)
    assert (await api.get(f"/zones/{zid}")).status == 404
    listed = await api.get("/zones/actions", params={"sort": "id"})
    commands = [a["command"] for a in listed.body["actions"]]
    assert commands == ["create_zone", "change_protection", "change_protection", "delete_zone"]
    # The name is free again, with a zone of its own.
    recreated = await zone(api)
    assert recreated["record_count"] == 4
    listed = await api.get("/zones/example.com/rrsets")
    assert [r["id"] for r in listed.body["rrsets"]] == ["@/NS", "@/SOA"]


async def test_change_ttl_and_the_serial(api: Api, clock: ManualClock) -> None:
    await zone(api)
    assert await serial(api, "example.com") == TODAY
    changed = await api.post("/zones/example.com/actions/change_ttl", {"ttl": 7200})
    assert changed.status == 201
    assert changed.body["action"]["command"] == "change_ttl"
    assert (await api.get("/zones/example.com")).body["zone"]["ttl"] == 7200
    assert await serial(api, "example.com") == TODAY + 1
    # Labels are not the zone's data: the serial stays.
    await api.put("/zones/example.com", {"labels": {"a": "b"}})
    assert await serial(api, "example.com") == TODAY + 1
    for ttl in (59, None, "3600"):
        bad = await api.post("/zones/example.com/actions/change_ttl", {"ttl": ttl})
        assert bad.body["error"]["code"] == "invalid_input"
    # The next day starts again at nn = 00.
    clock.advance(86_400)
    await api.post("/zones/example.com/actions/change_ttl", {"ttl": 600})
    assert await serial(api, "example.com") == TODAY + 100


async def test_zone_action_listings(api: Api) -> None:
    created = await zone(api)
    own = await api.get("/zones/example.com/actions")
    assert [a["command"] for a in own.body["actions"]] == ["create_zone"]
    action_id = own.body["actions"][0]["id"]
    one = await api.get(f"/zones/actions/{action_id}")
    assert one.body["action"]["resources"] == [{"id": created["id"], "type": "zone"}]
    old_style = await api.get(f"/zones/{created['id']}/actions/{action_id}")
    assert old_style.body["action"]["id"] == action_id
