"""Zone files: parsing an import as the API documents it, rendering an export, round trips."""

from typing import Any

import pytest

from hetzner_async.testing import ManualClock
from hetzner_async.testing.errors import ApiError
from hetzner_async.testing.resources.zonefile import parse, render

from .conftest import Api
from .test_zones import NS, TODAY, rrset, serial, zone

# The spec's example, verbatim.
SPEC_EXAMPLE = (
    "$ORIGIN\texample.com.\n$TTL\t3600\n\n"
    "@\tIN\tSOA\thydrogen.ns.hetzner.com. dns.hetzner.com. 2024010100 86400 10800 3600000 3600\n\n"
    "@\tIN\t10800\tNS\thydrogen.ns.hetzner.com. ; Some comment.\n"
    "@\tIN\t10800\tNS\toxygen.ns.hetzner.com.\n"
    "@\tIN\t10800\tNS\thelium.ns.hetzner.de.\n"
)
APEX = "@ IN SOA hydrogen.ns.hetzner.com. dns.hetzner.com. 1 86400 10800 3600000 3600\n" + "".join(
    f"@ NS {server}\n" for server in NS
)
EDITED = f"""\
$ORIGIN example.com.
$TTL 1h
; a comment on its own line is dropped
{APEX}
www      300 IN A     192.0.2.1 ; the web server
         300    A     192.0.2.2
www.example.com. IN 300 AAAA 2001:db8::1
@            MX    (  10
                      mail.example.com. ) ; primary mail
_dmarc       TXT   "v=DMARC1; p=none" "rua=mailto:dmarc@example.com"
*.dev        CNAME www
"""


def by_key(rrsets: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["name"], r["type"]): r for r in rrsets}


def test_the_spec_example() -> None:
    parsed = parse(SPEC_EXAMPLE, "example.com")
    assert parsed.ttl == 3600
    ns = by_key(parsed.rrsets)[("@", "NS")]
    assert ns["ttl"] == 10800
    assert ns["records"] == [
        {"value": "hydrogen.ns.hetzner.com.", "comment": "Some comment."},
        {"value": "oxygen.ns.hetzner.com."},
        {"value": "helium.ns.hetzner.de."},
    ]
    soa = by_key(parsed.rrsets)[("@", "SOA")]
    assert soa["ttl"] is None
    assert soa["records"][0]["value"].split()[2] == "2024010100"


def test_owners_ttls_classes_comments_and_parentheses() -> None:
    parsed = parse(EDITED, "example.com")
    assert parsed.ttl == 3600
    rrsets = by_key(parsed.rrsets)
    assert rrsets[("www", "A")] == {
        "name": "www",
        "type": "A",
        "ttl": 300,
        "records": [{"value": "192.0.2.1", "comment": "the web server"}, {"value": "192.0.2.2"}],
    }
    assert rrsets[("www", "AAAA")]["ttl"] == 300
    assert rrsets[("@", "MX")]["records"] == [
        {"value": "10 mail.example.com.", "comment": "primary mail"}
    ]
    assert rrsets[("_dmarc", "TXT")]["records"] == [
        {"value": '"v=DMARC1; p=none" "rua=mailto:dmarc@example.com"'}
    ]
    assert rrsets[("*.dev", "CNAME")]["records"] == [{"value": "www"}]


def test_render_then_parse_gives_the_same_rrsets() -> None:
    parsed = parse(EDITED, "example.com")
    text = render("example.com", 3600, parsed.rrsets)
    assert text.startswith("$ORIGIN\texample.com.\n$TTL\t3600\n\n@\tIN\tSOA\t")
    assert "www\tIN\t300\tA\t192.0.2.1 ; the web server\n" in text
    again = parse(text, "example.com")
    assert by_key(again.rrsets) == by_key(parsed.rrsets)
    assert render("example.com", 3600, again.rrsets) == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("$ORIGIN example.org.\n" + APEX, "$ORIGIN must be example.com."),
        ("$INCLUDE other.zone\n" + APEX, "directive $INCLUDE is not supported"),
        ("$TTL 30\n" + APEX, "TTL must be from 60"),
        (APEX + "www CH A 192.0.2.1\n", "only IN records"),
        (APEX + 'www IN SPF "v=spf1"\n', "record type SPF is not supported"),
        (APEX + "www IN A\n", "the record has no data"),
        (APEX + "www IN A 2001:db8::1\n", "A record is not a valid A record"),
        (APEX + "www.example.org. A 192.0.2.1\n", "outside the zone"),
        (APEX + "bad!name A 192.0.2.1\n", "is not a relative DNS name"),
        (APEX + 'www TXT "unterminated\n', "unterminated quoted string"),
        (APEX + "www MX ( 10 mail.\n", "'(' is never closed"),
        (APEX + "www 300 A 192.0.2.1\nwww 600 A 192.0.2.2\n", "different TTLs"),
        (APEX + "x CNAME a.\nx A 192.0.2.1\n", "has a CNAME and other records"),
        (APEX + "@ SOA a. b. 2 3 4 5 6\n", "more than one SOA"),
        ("@ NS hydrogen.ns.hetzner.com.\n", "an SOA record for the zone apex is required"),
        (APEX.replace("@ NS helium.ns.hetzner.de.\n", ""), "helium.ns.hetzner.de."),
        ("   A 192.0.2.1\n" + APEX, "the first record needs a name"),
    ],
)
def test_what_an_import_refuses(text: str, message: str) -> None:
    with pytest.raises(ApiError) as raised:
        parse(text, "example.com")
    assert raised.value.code == "invalid_input"
    assert raised.value.details is not None
    (field,) = raised.value.details["fields"]
    assert field["name"] == "zonefile"
    assert message in field["messages"][0]


async def test_import_export_import_round_trips(api: Api) -> None:
    created = await zone(api, ttl=600)
    exported = (await api.get("/zones/example.com/zonefile")).body["zonefile"]
    assert exported.startswith("$ORIGIN\texample.com.\n$TTL\t600\n")
    reply = await api.post("/zones/example.com/actions/import_zonefile", {"zonefile": EDITED})
    assert reply.status == 201
    assert reply.body["action"]["command"] == "import_zonefile"
    assert reply.body["action"]["resources"] == [{"id": created["id"], "type": "zone"}]
    got = (await api.get("/zones/example.com")).body["zone"]
    assert (got["ttl"], got["record_count"]) == (3600, 1 + 3 + 2 + 1 + 1 + 1 + 1)
    assert (await rrset(api, "example.com", "www", "A"))["records"][0]["comment"] == (
        "the web server"
    )
    # The serial never goes back, whatever the file says.
    assert await serial(api, "example.com") == TODAY + 1

    text = (await api.get(f"/zones/{created['id']}/zonefile")).body["zonefile"]
    again = await api.post(f"/zones/{created['id']}/actions/import_zonefile", {"zonefile": text})
    assert again.status == 423  # the first import still locks the zone
    assert again.body["error"]["code"] == "locked"


async def test_round_trip_through_the_api(api: Api, clock: ManualClock) -> None:
    await zone(api, zonefile=EDITED)
    listed = await api.get("/zones/example.com/rrsets")
    before = listed.body["rrsets"]
    text = (await api.get("/zones/example.com/zonefile")).body["zonefile"]
    clock.advance(1.5)
    reply = await api.post("/zones/example.com/actions/import_zonefile", {"zonefile": text})
    assert reply.status == 201
    after = (await api.get("/zones/example.com/rrsets")).body["rrsets"]

    def without_serial(rrsets: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for item in rrsets:
            if item["type"] == "SOA":
                value = item["records"][0]["value"].split()
                value[2] = "-"
                item = {**item, "records": [{"value": " ".join(value)}]}
            out.append(item)
        return out

    assert without_serial(after) == without_serial(before)
    assert await serial(api, "example.com") == TODAY + 1
    text_again = (await api.get("/zones/example.com/zonefile")).body["zonefile"]
    assert text_again == text.replace(f" {TODAY} ", f" {TODAY + 1} ")
    bad = await api.post("/zones/example.com/actions/import_zonefile", {"zonefile": "x"})
    assert bad.body["error"]["code"] == "invalid_input"
    missing = await api.post("/zones/example.com/actions/import_zonefile", {})
    assert missing.body["error"]["details"]["fields"][0]["name"] == "zonefile"
