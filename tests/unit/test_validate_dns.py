"""DNS input checks (zones, RRSets, records) as tables: what passes, what fails and why."""

from __future__ import annotations

import pytest

from hetzner_async._validate_dns import (
    check_primary_nameservers,
    check_record_values,
    check_records,
    check_rrset_name,
    check_rrset_type,
    check_ttl,
    check_zone_mode,
    check_zone_name,
    check_zonefile,
    zone_segment,
)
from hetzner_async.errors import ValidationError
from hetzner_async.models import ZoneMode, ZonePrimaryNameserver, ZoneRecord, ZoneRRSetType

LONG_LABEL = "a" * 63


@pytest.mark.parametrize(
    "name",
    [
        "example.com",
        "example.co.uk",
        "xn--mnchen-3ya.de",
        "a-b.io",
        "1password.com",
        f"{LONG_LABEL}.com",
        ".".join([LONG_LABEL] * 3 + ["a" * 61]),  # 253 characters
    ],
)
def test_valid_zone_names(name: str) -> None:
    assert check_zone_name(name) == name


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("", "non-empty"),
        ("com", "not a domain name"),
        ("example.com.", "must not end with a dot"),
        ("Example.com", "lower case"),
        ("münchen.de", "Punycode"),
        ("-example.com", "not a domain name"),
        ("example-.com", "not a domain name"),
        ("exa_mple.com", "not a domain name"),
        ("example..com", "not a domain name"),
        (f"{'a' * 64}.com", "not a domain name"),
        (".".join([LONG_LABEL] * 4) + ".com", "not a domain name"),  # 260 characters
        ("192.168.0.1", "an address"),
    ],
)
def test_invalid_zone_names(name: str, says: str) -> None:
    with pytest.raises(ValidationError, match=says) as caught:
        check_zone_name(name)
    assert caught.value.field == "name"


@pytest.mark.parametrize(
    ("zone", "segment"),
    [(42, "42"), ("42", "42"), ("example.com", "example.com"), ("xn--4bi.de", "xn--4bi.de")],
)
def test_a_zone_is_addressed_by_id_or_name(zone: int | str, segment: str) -> None:
    assert zone_segment(zone) == segment


@pytest.mark.parametrize("zone", [0, -1, "0", True, 4.2, "Example.com", "example.com.", "a b"])
def test_bad_zone_references(zone: object) -> None:
    with pytest.raises(ValidationError) as caught:
        zone_segment(zone)  # type: ignore[arg-type]
    assert caught.value.field == "zone"


@pytest.mark.parametrize(
    "name",
    ["@", "www", "*", "*.dev", "_dmarc", "_sip._tcp", "a.b.c", "xn--4bi", "mail-1", "-x", "1"],
)
def test_valid_rrset_names(name: str) -> None:
    assert check_rrset_name(name, "example.com") == name


@pytest.mark.parametrize(
    ("name", "zone", "says"),
    [
        ("", None, "'@' for the zone apex"),
        ("www.", None, "must not end with a dot"),
        ("WWW", None, "lower case"),
        ("www.example.com", "example.com", "use 'www'"),
        ("example.com", "example.com", "use '@'"),
        ("a*", None, "not a relative DNS name"),
        ("www.*", None, "not a relative DNS name"),
        ("a..b", None, "not a relative DNS name"),
        ("a b", None, "not a relative DNS name"),
        ("✉", None, "not a relative DNS name"),
        ("x" * 64, None, "not a relative DNS name"),
    ],
)
def test_invalid_rrset_names(name: str, zone: str | None, says: str) -> None:
    with pytest.raises(ValidationError, match=says) as caught:
        check_rrset_name(name, zone)
    assert caught.value.field == "name"


def test_a_name_ending_like_the_zone_is_fine_when_the_zone_is_an_id() -> None:
    # Only a zone given by name tells what the name must not repeat.
    assert check_rrset_name("www.example.com", 42) == "www.example.com"
    assert check_rrset_name("notexample.com", "example.com") == "notexample.com"


def test_every_type_of_the_spec_is_accepted() -> None:
    types = ["A", "AAAA", "CAA", "CNAME", "DS", "HINFO", "HTTPS", "MX", "NS", "PTR", "RP", "SOA"]
    types += ["SRV", "SVCB", "TLSA", "TXT"]
    assert [check_rrset_type(t) for t in types] == list(ZoneRRSetType)


@pytest.mark.parametrize(("value", "hint"), [("a", "'A'"), ("SPF", ""), ("", ""), (1, "")])
def test_unknown_types_are_refused(value: object, hint: str) -> None:
    with pytest.raises(ValidationError, match=f"did you mean {hint}" if hint else "must be") as c:
        check_rrset_type(value)  # type: ignore[arg-type]
    assert c.value.field == "type"


@pytest.mark.parametrize("ttl", [60, 3600, 2_147_483_647])
def test_valid_ttls(ttl: int) -> None:
    assert check_ttl(ttl) == ttl


@pytest.mark.parametrize("ttl", [59, 0, -60, 2_147_483_648, 60.0, "60", True])
def test_invalid_ttls(ttl: object) -> None:
    with pytest.raises(ValidationError):
        check_ttl(ttl)  # type: ignore[arg-type]


def test_zone_modes() -> None:
    assert check_zone_mode("secondary") is ZoneMode.SECONDARY
    with pytest.raises(ValidationError):
        check_zone_mode("master")


def test_records_take_strings_and_records() -> None:
    records = check_records(["198.51.100.1", ZoneRecord("198.51.100.2", "b")])
    assert records == [ZoneRecord("198.51.100.1"), ZoneRecord("198.51.100.2", "b")]


@pytest.mark.parametrize(
    ("records", "kwargs", "field"),
    [
        ([], {}, "records"),
        ("198.51.100.1", {}, "records"),  # a string, not a list of them
        (["a"] * 2, {}, "records[1].value"),
        ([f"v{i}" for i in range(51)], {}, "records"),
        (["  "], {}, "records[0].value"),
        ([ZoneRecord("a")], {"need_comment": True}, "records[0].comment"),
        ([42], {}, "records[0]"),
    ],
)
def test_invalid_record_lists(records: object, kwargs: dict[str, bool], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_records(records, **kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_creates_take_more_than_50_records() -> None:
    many = [f"198.51.100.{i}" for i in range(60)]
    assert len(check_records(many, limit=None)) == 60


@pytest.mark.parametrize(
    ("type", "value"),
    [
        ("A", "198.51.100.1"),
        ("AAAA", "2001:db8::1"),
        ("MX", "10 mail.example.com."),
        ("SRV", "10 5 5060 sip.example.com."),
        ("CAA", '0 issue "letsencrypt.org"'),
        ("TXT", '"v=spf1 -all"'),
        ("TXT", '"part one" "part \\"two\\""'),
        ("TXT", '"' + "x" * 255 + '"'),
        ("TXT", '"\\065' + "x" * 254 + '"'),  # an escape counts as one character
        ("CNAME", "www.example.com."),
        ("NS", "ns1.example.com."),
        ("HINFO", '"x86" "Linux"'),
    ],
)
def test_valid_record_values(type: str, value: str) -> None:
    check_record_values(ZoneRRSetType(type), [ZoneRecord(value)])


@pytest.mark.parametrize(
    ("type", "value", "says"),
    [
        ("A", "2001:db8::1", "not a valid A record"),
        ("A", "198.51.100.256", "not a valid A record"),
        ("A", "198.051.100.1", "not a valid A record"),
        ("AAAA", "198.51.100.1", "not a valid AAAA record"),
        ("MX", "mail.example.com.", "priority"),
        ("MX", "65536 mail.example.com.", "0 to 65535"),
        ("SRV", "10 5 sip.example.com.", "weight"),
        ("SRV", "10 5 x sip.example.com.", "0 to 65535"),
        ("CAA", "0 issue", "flags"),
        ("CAA", '256 issue "ca"', "flags"),
        ("TXT", "v=spf1 -all", "quoted"),
        ("TXT", '"unterminated', "quoted"),
        ("TXT", '"a""b"', "quoted"),
        ("TXT", '"' + "x" * 256 + '"', "longer than 255"),
    ],
)
def test_invalid_record_values(type: str, value: str, says: str) -> None:
    with pytest.raises(ValidationError, match=says) as caught:
        check_record_values(ZoneRRSetType(type), [ZoneRecord(value)])
    assert caught.value.field == "records[0].value"


def test_a_cname_holds_one_record() -> None:
    with pytest.raises(ValidationError, match="exactly one") as caught:
        check_record_values(ZoneRRSetType.CNAME, [ZoneRecord("a."), ZoneRecord("b.")])
    assert caught.value.field == "records"


@pytest.mark.parametrize(
    "text", ["v=spf1 -all", "", 'say "hi" \\ bye', "x" * 600, "ü" * 200, "x" * 255]
)
def test_txt_records_built_from_text_are_valid(text: str) -> None:
    record = ZoneRecord.txt(text, "why")
    check_record_values(ZoneRRSetType.TXT, [record])
    assert record.comment == "why"
    # Every string fits in 255 bytes, and unescaping gives the text back.
    strings = [s.replace('\\"', '"').replace("\\\\", "\\") for s in record.value[1:-1].split('" "')]
    assert "".join(strings) == text
    assert all(len(s.encode()) <= 255 for s in strings)


def test_valid_primary_nameservers() -> None:
    servers = [
        ZonePrimaryNameserver("198.51.100.1"),
        ZonePrimaryNameserver("2001:db8::53", 5353, "c2VjcmV0", "hmac-sha256"),
    ]
    assert check_primary_nameservers(servers) == servers


@pytest.mark.parametrize(
    ("server", "field"),
    [
        (ZonePrimaryNameserver("ns1.example.com"), "primary_nameservers[0].address"),
        (ZonePrimaryNameserver("198.51.100.1", 0), "primary_nameservers[0].port"),
        (ZonePrimaryNameserver("198.51.100.1", 65536), "primary_nameservers[0].port"),
        (
            ZonePrimaryNameserver("198.51.100.1", tsig_algorithm="hmac-sha512"),
            "primary_nameservers[0].tsig_algorithm",
        ),
        (
            ZonePrimaryNameserver("198.51.100.1", tsig_key="s3cret!"),
            "primary_nameservers[0].tsig_key",
        ),
        ("198.51.100.1", "primary_nameservers[0]"),
    ],
)
def test_invalid_primary_nameservers(server: object, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_primary_nameservers([server])  # type: ignore[list-item]
    assert caught.value.field == field
    assert "s3cret" not in str(caught.value)  # a TSIG key is a secret


@pytest.mark.parametrize(
    ("zonefile", "zone"),
    [
        ("$ORIGIN example.com.\n@ IN A 198.51.100.1\n", "example.com"),
        ("$ORIGIN\tEXAMPLE.com.\n", "example.com"),
        ("@ IN A 198.51.100.1\n", "example.com"),  # $ORIGIN is optional
        ("$ORIGIN example.org.\n", 42),  # by ID, the name is unknown here
    ],
)
def test_valid_zonefiles(zonefile: str, zone: int | str) -> None:
    assert check_zonefile(zonefile, zone) == zonefile


@pytest.mark.parametrize(
    ("zonefile", "zone"),
    [("", "example.com"), ("  \n", None), ("$ORIGIN example.org.\n", "example.com")],
)
def test_invalid_zonefiles(zonefile: str, zone: str | None) -> None:
    with pytest.raises(ValidationError) as caught:
        check_zonefile(zonefile, zone)
    assert caught.value.field == "zonefile"
