"""RRSets: create, get, update, delete, the record actions, listing, protection, rules."""

from typing import Any

import pytest

from hetzner_async.testing import ManualClock

from .conftest import Api
from .test_zones import NS, TODAY, rrset, serial, zone

Z = "/zones/example.com"
MINIMAL_ZONEFILE = "@ IN SOA a. b. 1 2 3 4 5\n" + "".join(f"@ IN NS {ns}\n" for ns in NS)
WWW = {"name": "www", "type": "A", "records": [{"value": "192.0.2.1", "comment": "web"}]}


def records(*values: str) -> dict[str, Any]:
    return {"records": [{"value": v} for v in values]}


async def record_count(api: Api) -> int:
    count: int = (await api.get(Z)).body["zone"]["record_count"]
    return count


async def test_create_get_update_delete(api: Api, clock: ManualClock) -> None:
    created_zone = await zone(api)
    reply = await api.post(f"{Z}/rrsets", {**WWW, "ttl": 300, "labels": {"app": "web"}})
    assert reply.status == 201
    created = reply.body["rrset"]
    assert created == {
        "id": "www/A",
        "name": "www",
        "type": "A",
        "ttl": 300,
        "labels": {"app": "web"},
        "protection": {"change": False},
        "records": [{"value": "192.0.2.1", "comment": "web"}],
        "zone": created_zone["id"],
    }
    action = reply.body["action"]
    assert action["command"] == "create_rrset"
    assert action["resources"] == [{"id": created_zone["id"], "type": "zone"}]
    assert (await api.get(Z)).body["zone"]["status"] == "updating"
    clock.advance(1.5)
    assert (await api.get(Z)).body["zone"]["status"] == "ok"
    assert await rrset(api, created_zone["id"], "www", "A") == created
    assert (await record_count(api), await serial(api, "example.com")) == (5, TODAY + 1)

    updated = await api.put(f"{Z}/rrsets/www/A", {"labels": {"app": "api"}})
    assert updated.body["rrset"]["labels"] == {"app": "api"}
    assert await serial(api, "example.com") == TODAY + 1

    deleted = await api.delete(f"{Z}/rrsets/www/A")
    assert (deleted.status, deleted.body["action"]["command"]) == (201, "delete_rrset")
    assert (await api.get(f"{Z}/rrsets/www/A")).status == 404
    assert (await record_count(api), await serial(api, "example.com")) == (4, TODAY + 2)
    again = await api.post(f"{Z}/rrsets", WWW)
    assert again.status == 201
    dup = await api.post(f"{Z}/rrsets", WWW)
    assert (dup.status, dup.body["error"]["code"]) == (409, "uniqueness_error")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "WWW"}, "name"),
        ({"name": "www."}, "name"),
        ({"name": "www.example.com"}, "name"),
        ({"name": "example.com"}, "name"),
        ({"name": "a b"}, "name"),
        ({"name": "w*"}, "name"),
        ({"name": ""}, "name"),
        ({"name": None}, "name"),
        ({"type": "a"}, "type"),
        ({"type": "SPF"}, "type"),
        ({"ttl": 30}, "ttl"),
        ({"records": []}, "records"),
        ({"records": [{"value": "192.0.2.1"}, {"value": "192.0.2.1"}]}, "records[1].value"),
        ({"records": [{"value": "not-an-ip"}]}, "records[0].value"),
        ({"records": [{"value": "192.0.2.1", "comment": 5}]}, "records[0].comment"),
        ({"labels": {"bad key!": "x"}}, "labels"),
        ({"type": "AAAA", **records("192.0.2.1")}, "records[0].value"),
        ({"type": "MX", **records("mail.example.com.")}, "records[0].value"),
        ({"type": "MX", **records("70000 mail.example.com.")}, "records[0].value"),
        ({"type": "SRV", **records("10 5 sip.example.com.")}, "records[0].value"),
        ({"type": "CAA", **records("0 issue")}, "records[0].value"),
        ({"type": "TXT", **records("unquoted")}, "records[0].value"),
        ({"type": "TXT", **records('"' + "x" * 256 + '"')}, "records[0].value"),
        ({"type": "CNAME", **records("a.example.net.", "b.example.net.")}, "records"),
        ({"name": "@", "type": "SOA", **records("a. b. 1 2 3 4 5")}, "type"),
    ],
)
async def test_create_validation(api: Api, body: dict[str, Any], field: str) -> None:
    await zone(api)
    reply = await api.post(f"{Z}/rrsets", {**WWW, **body})
    assert (reply.status, reply.body["error"]["code"]) == (422, "invalid_input"), reply.body
    assert reply.body["error"]["details"]["fields"][0]["name"] == field


@pytest.mark.parametrize(
    ("name", "kind", "value"),
    [
        ("*", "A", "192.0.2.1"),
        ("*.dev", "AAAA", "2001:db8::1"),
        ("_dmarc", "TXT", '"v=DMARC1; p=none"'),
        ("_sip._tcp", "SRV", "10 5 5060 sip.example.com."),
        ("xn--4bi", "A", "192.0.2.1"),
        ("@", "CAA", '0 issue "letsencrypt.org"'),
        ("mail", "MX", "10 mx.example.com."),
        ("txt", "TXT", '"one" "two"'),
    ],
)
async def test_names_and_values_the_api_takes(api: Api, name: str, kind: str, value: str) -> None:
    await zone(api)
    reply = await api.post(f"{Z}/rrsets", {"name": name, "type": kind, **records(value)})
    assert reply.status == 201, reply.body
    assert (await rrset(api, "example.com", name, kind))["records"] == [{"value": value}]


async def test_a_cname_stands_alone(api: Api) -> None:
    await zone(api)
    await api.post(f"{Z}/rrsets", WWW)
    clash = await api.post(f"{Z}/rrsets", {"name": "www", "type": "CNAME", **records("x.")})
    assert clash.body["error"]["code"] == "invalid_input"
    apex = await api.post(f"{Z}/rrsets", {"name": "@", "type": "CNAME", **records("x.")})
    assert apex.body["error"]["code"] == "invalid_input"
    await api.post(f"{Z}/rrsets", {"name": "alias", "type": "CNAME", **records("www")})
    added = await api.post(f"{Z}/rrsets/alias/TXT/actions/add_records", records('"x"'))
    assert added.body["error"]["code"] == "invalid_input"


async def test_add_records_creates_and_appends(api: Api) -> None:
    await zone(api)
    first = await api.post(
        f"{Z}/rrsets/api/AAAA/actions/add_records", {"ttl": 600, **records("::1")}
    )
    assert first.status == 201
    assert first.body["action"]["command"] == "add_rrset_records"
    created = await rrset(api, "example.com", "api", "AAAA")
    assert (created["ttl"], created["records"]) == (600, [{"value": "::1"}])
    more = {"records": [{"value": "::1"}, {"value": "::2", "comment": "second"}]}
    assert (await api.post(f"{Z}/rrsets/api/AAAA/actions/add_records", more)).status == 201
    grown = await rrset(api, "example.com", "api", "AAAA")
    assert grown["records"] == [{"value": "::1"}, {"value": "::2", "comment": "second"}]
    assert await record_count(api) == 6
    other_ttl = await api.post(
        f"{Z}/rrsets/api/AAAA/actions/add_records", {"ttl": 300, **records("::3")}
    )
    assert other_ttl.body["error"]["details"]["fields"][0]["name"] == "ttl"
    bad_name = await api.post(f"{Z}/rrsets/API/AAAA/actions/add_records", records("::3"))
    assert bad_name.body["error"]["details"]["fields"][0]["name"] == "rr_name"
    bad_type = await api.post(f"{Z}/rrsets/api/aaaa/actions/add_records", records("::3"))
    assert bad_type.body["error"]["details"]["fields"][0]["name"] == "rr_type"
    too_many = {"records": [{"value": f"::{i:x}"} for i in range(51)]}
    over = await api.post(f"{Z}/rrsets/api/AAAA/actions/add_records", too_many)
    assert over.body["error"]["code"] == "invalid_input"
    assert await serial(api, "example.com") == TODAY + 2


async def test_remove_records_deletes_an_emptied_rrset(api: Api) -> None:
    await zone(api)
    await api.post(f"{Z}/rrsets", {**WWW, **records("192.0.2.1", "192.0.2.2")})
    path = f"{Z}/rrsets/www/A/actions/remove_records"
    reply = await api.post(path, records("192.0.2.1", "192.0.2.9"))
    assert (reply.status, reply.body["action"]["command"]) == (201, "remove_rrset_records")
    assert (await rrset(api, "example.com", "www", "A"))["records"] == [{"value": "192.0.2.2"}]
    await api.post(path, records("192.0.2.2"))
    assert (await api.get(f"{Z}/rrsets/www/A")).status == 404
    assert await record_count(api) == 4
    missing = await api.post(path, records("192.0.2.2"))
    assert (missing.status, missing.body["error"]["code"]) == (404, "not_found")


async def test_the_apex_keeps_its_soa_and_nameservers(api: Api) -> None:
    await zone(api)
    for method, path, body in [
        ("DELETE", f"{Z}/rrsets/@/SOA", None),
        ("DELETE", f"{Z}/rrsets/@/NS", None),
        ("POST", f"{Z}/rrsets/@/NS/actions/remove_records", records(NS[0])),
        ("POST", f"{Z}/rrsets/@/NS/actions/set_records", records("ns.example.net.")),
        ("POST", f"{Z}/rrsets/@/SOA/actions/add_records", records("a. b. 1 2 3 4 5")),
    ]:
        reply = await api.call(method, path, json=body)
        assert (reply.status, reply.body["error"]["code"]) == (422, "invalid_input"), path
    extra = await api.post(f"{Z}/rrsets/@/NS/actions/add_records", records("ns.example.net."))
    assert extra.status == 201
    soa = "ns1.example.com. hostmaster.example.com. 1 7200 900 1209600 300"
    assert (await api.post(f"{Z}/rrsets/@/SOA/actions/set_records", records(soa))).status == 201
    # The API keeps the serial; the rest is taken.
    value = (await rrset(api, "example.com", "@", "SOA"))["records"][0]["value"]
    assert value == f"ns1.example.com. hostmaster.example.com. {TODAY + 2} 7200 900 1209600 300"


async def test_set_and_update_records(api: Api) -> None:
    await zone(api)
    await api.post(f"{Z}/rrsets", WWW)
    replaced = await api.post(
        f"{Z}/rrsets/www/A/actions/set_records", records("192.0.2.7", "192.0.2.8")
    )
    assert replaced.body["action"]["command"] == "set_rrset_records"
    assert [r["value"] for r in (await rrset(api, "example.com", "www", "A"))["records"]] == [
        "192.0.2.7",
        "192.0.2.8",
    ]
    assert await record_count(api) == 6
    before = await serial(api, "example.com")
    comments = {"records": [{"value": "192.0.2.8", "comment": "new"}]}
    updated = await api.post(f"{Z}/rrsets/www/A/actions/update_records", comments)
    assert (updated.status, updated.body["action"]["command"]) == (200, "update_rrset_records")
    got = await rrset(api, "example.com", "www", "A")
    assert got["records"] == [{"value": "192.0.2.7"}, {"value": "192.0.2.8", "comment": "new"}]
    assert await serial(api, "example.com") == before  # comments are not DNS data
    unknown = {"records": [{"value": "192.0.2.99", "comment": "x"}]}
    assert (await api.post(f"{Z}/rrsets/www/A/actions/update_records", unknown)).status == 422
    no_comment = await api.post(f"{Z}/rrsets/www/A/actions/update_records", records("192.0.2.7"))
    assert no_comment.body["error"]["details"]["fields"][0]["name"] == "records[0].comment"
    empty = await api.post(f"{Z}/rrsets/www/A/actions/set_records", {"records": []})
    assert empty.body["error"]["code"] == "invalid_input"


async def test_change_ttl(api: Api) -> None:
    await zone(api)
    await api.post(f"{Z}/rrsets", WWW)
    path = f"{Z}/rrsets/www/A/actions/change_ttl"
    reply = await api.post(path, {"ttl": 900})
    assert reply.body["action"]["command"] == "change_rrset_ttl"
    assert (await rrset(api, "example.com", "www", "A"))["ttl"] == 900
    assert (await api.post(path, {"ttl": None})).status == 201
    assert (await rrset(api, "example.com", "www", "A"))["ttl"] is None
    assert (await api.post(path, {})).body["error"]["code"] == "invalid_input"
    assert (await api.post(path, {"ttl": 10})).body["error"]["code"] == "invalid_input"


async def test_change_protection(api: Api) -> None:
    await zone(api)
    await api.post(f"{Z}/rrsets", WWW)
    item = f"{Z}/rrsets/www/A"
    reply = await api.post(f"{item}/actions/change_protection", {"change": True})
    assert reply.body["action"]["command"] == "change_rrset_protection"
    assert (await rrset(api, "example.com", "www", "A"))["protection"] == {"change": True}
    comment = {"records": [{"value": "192.0.2.1", "comment": "x"}]}
    for method, path, body in [
        ("DELETE", item, None),
        ("POST", f"{item}/actions/set_records", records("192.0.2.2")),
        ("POST", f"{item}/actions/add_records", records("192.0.2.2")),
        ("POST", f"{item}/actions/remove_records", records("192.0.2.1")),
        ("POST", f"{item}/actions/update_records", comment),
        ("POST", f"{item}/actions/change_ttl", {"ttl": 600}),
        ("POST", f"{Z}/actions/import_zonefile", {"zonefile": MINIMAL_ZONEFILE}),
    ]:
        refused = await api.call(method, path, json=body)
        assert (refused.status, refused.body["error"]["code"]) == (423, "protected"), path
    assert (await api.put(item, {"labels": {"still": "ok"}})).status == 200
    await api.post(f"{item}/actions/change_protection", {"change": False})
    assert (await api.delete(item)).status == 201
    bad = await api.post(f"{Z}/rrsets/@/NS/actions/change_protection", {"change": "yes"})
    assert bad.body["error"]["code"] == "invalid_input"


async def test_list_filters_sort_and_pages(api: Api) -> None:
    await zone(api)
    await api.post(f"{Z}/rrsets", {**WWW, "labels": {"tier": "web"}})
    await api.post(f"{Z}/rrsets", {"name": "www", "type": "AAAA", **records("::1")})
    await api.post(f"{Z}/rrsets", {"name": "api", "type": "A", **records("192.0.2.3")})

    async def ids(**params: Any) -> list[str]:
        reply = await api.get(f"{Z}/rrsets", params=params)
        assert reply.status == 200, reply.body
        return [r["id"] for r in reply.body["rrsets"]]

    assert await ids(name="www") == ["www/A", "www/AAAA"]
    assert await ids(type="A") == ["api/A", "www/A"]
    assert await ids(type=["A", "AAAA"], name="www") == ["www/A", "www/AAAA"]
    assert await ids(label_selector="tier=web") == ["www/A"]
    assert await ids(sort="created:desc") == ["api/A", "www/AAAA", "www/A", "@/NS", "@/SOA"]
    assert await ids(sort="name") == ["@/NS", "@/SOA", "api/A", "www/A", "www/AAAA"]
    bad = await api.get(f"{Z}/rrsets", params={"type": "a"})
    assert bad.body["error"]["code"] == "invalid_input"
    bad_sort = await api.get(f"{Z}/rrsets", params={"sort": "ttl"})
    assert bad_sort.body["error"]["code"] == "invalid_input"


async def test_one_hundred_a_page(api: Api) -> None:
    await zone(api)
    body = {"records": [{"value": "192.0.2.1"}]}
    for index in range(118):
        await api.post(f"{Z}/rrsets/host{index}/A/actions/add_records", body)
    first = await api.get(f"{Z}/rrsets", params={"per_page": 500})
    assert len(first.body["rrsets"]) == 100
    assert first.body["meta"]["pagination"]["total_entries"] == 120
    assert first.body["meta"]["pagination"]["next_page"] == 2
    assert 'rel="next"' in first.headers["Link"]
    second = await api.get(f"{Z}/rrsets", params={"per_page": 100, "page": 2})
    assert len(second.body["rrsets"]) == 20
    assert (await record_count(api)) == 122
