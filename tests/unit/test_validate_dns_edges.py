"""The edges of the DNS checks (name lengths, number ranges, list sizes) and what errors name."""

from __future__ import annotations

from collections.abc import Callable

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
)
from hetzner_async.models import ZonePrimaryNameserver, ZoneRecord, ZoneRRSetType

from .refusals import refused, refused_naming

LABEL = "a" * 63
# Four labels of 63 characters and three dots: 255 characters, the most the API takes.
NAME_255 = ".".join([LABEL] * 4)


def ns(address: str = "198.51.100.1", **kw: object) -> ZonePrimaryNameserver:
    return ZonePrimaryNameserver(address, **kw)  # type: ignore[arg-type]


def test_names_of_255_characters_pass_and_longer_ones_do_not() -> None:
    assert len(NAME_255) == 255
    assert check_zone_name(NAME_255) == NAME_255
    assert check_rrset_name(NAME_255) == NAME_255
    # Every label is valid: only the total length is over.
    longer = NAME_255 + ".b"
    assert refused(lambda: check_zone_name(longer)).field == "name"
    assert refused(lambda: check_rrset_name(longer)).field == "name"


def test_a_zone_name_is_an_address_only_when_its_last_label_is_numeric() -> None:
    assert check_zone_name("a.123.example") == "a.123.example"
    error = refused(lambda: check_zone_name("www.example.42"))
    assert (error.field, "an address" in error.message) == ("name", True)


def test_a_wildcard_covers_only_the_leftmost_label() -> None:
    assert check_rrset_name("*.dev") == "*.dev"
    assert refused(lambda: check_rrset_name("*.a!b")).field == "name"


@pytest.mark.parametrize(
    ("type", "value"),
    [
        ("MX", "65535 mail.example.com."),
        ("MX", "0 mail.example.com."),
        ("SRV", "65535 65535 65535 sip.example.com."),
        ("CAA", '255 issue "ca.example"'),
        # The value of a CAA record may hold blanks of its own.
        ("CAA", '0 iodef "mailto:security@example.com; note"'),
    ],
)
def test_record_numbers_at_their_limit_pass(type: str, value: str) -> None:
    check_record_values(ZoneRRSetType(type), [ZoneRecord(value)])


def test_exactly_50_records_pass_and_51_do_not() -> None:
    values = [f"198.51.100.{i}" for i in range(51)]
    assert len(check_records(values[:50])) == 50
    error = refused(lambda: check_records(values))
    assert (error.field, "51" in error.message, "at most 50" in error.message) == (
        "records",
        True,
        True,
    )


@pytest.mark.parametrize("port", [1, 65535])
def test_nameserver_ports_of_1_to_65535_pass(port: int) -> None:
    assert check_primary_nameservers([ns(port=port)]) == [ns(port=port)]


@pytest.mark.parametrize("nameservers", [None, 7, {"198.51.100.1"}])
def test_nameservers_that_are_not_a_list_are_refused(nameservers: object) -> None:
    error = refused(lambda: check_primary_nameservers(nameservers))  # type: ignore[arg-type]
    assert error.field == "primary_nameservers"
    assert "list of ZonePrimaryNameserver" in error.message


def test_a_tsig_key_with_characters_outside_base64_is_refused() -> None:
    # A lenient decoder would drop the '!' and accept the rest.
    error = refused(lambda: check_primary_nameservers([ns(tsig_key="c2VjcmV0!")]))
    assert error.field == "primary_nameservers[0].tsig_key"
    assert "base64-encoded" in error.message
    assert "c2VjcmV0" not in str(error)


def test_only_a_known_type_in_another_case_gets_a_hint() -> None:
    assert "did you mean 'AAAA'?" in refused(lambda: check_rrset_type("aaaa")).message
    assert "did you mean" not in refused(lambda: check_rrset_type("SPF")).message


@pytest.mark.parametrize(
    ("call", "field", "fragments"),
    [
        (lambda: check_zone_name("Example.com"), "name", ["'example.com'", "lower case"]),
        (lambda: check_zone_name("münchen.de"), "name", ["Punycode", "'xn--mnchen-3ya.de'"]),
        (lambda: check_zone_name("a_b.com"), "name", ["1-63 characters each, 255 in all"]),
        (lambda: check_rrset_name("WWW"), "name", ["'www'", "lower case"]),
        (lambda: check_rrset_name("a b"), "name", ["Punycode for non-ASCII", "may be '*'"]),
        (lambda: check_zone_mode("master"), "mode", ["'master'", "'primary' or 'secondary'"]),
        (lambda: check_ttl(59), "ttl", ["from 60 to 2147483647", "got 59"]),
        (lambda: check_records("a"), "records", ["list of records", "ZoneRecord or value"]),
        (lambda: check_records([]), "records", ["must not be empty"]),
        (lambda: check_records([7]), "records[0]", ["ZoneRecord or a value string"]),
        (lambda: check_records([" "]), "records[0].value", ["non-empty string"]),
        (lambda: check_records(["a", "a"]), "records[1].value", ["'a' appears twice"]),
        (
            lambda: check_records([ZoneRecord("a")], need_comment=True),
            "records[0].comment",
            ["is required here"],
        ),
        (
            lambda: check_record_values(ZoneRRSetType.CNAME, [ZoneRecord("a."), ZoneRecord("b.")]),
            "records",
            ["a CNAME RRSet holds exactly one"],
        ),
        (
            lambda: check_record_values(ZoneRRSetType.TXT, [ZoneRecord("v=spf1")]),
            "records[0].value",
            ["'v=spf1'", "not a valid TXT record", "quoted strings", "(ZoneRecord.txt)"],
        ),
        (
            lambda: check_primary_nameservers(["198.51.100.1"]),  # type: ignore[list-item]
            "primary_nameservers[0]",
            ["must be a ZonePrimaryNameserver"],
        ),
        (
            lambda: check_primary_nameservers([ns("ns1.example.com")]),
            "primary_nameservers[0].address",
            ["'ns1.example.com'", "IPv4 or IPv6"],
        ),
        (
            lambda: check_primary_nameservers([ns(port=0)]),
            "primary_nameservers[0].port",
            ["from 1 to 65535", "not 0"],
        ),
        (
            lambda: check_primary_nameservers([ns(tsig_algorithm="md5")]),
            "primary_nameservers[0].tsig_algorithm",
            ["hmac-md5, hmac-sha1, hmac-sha256"],
        ),
        (lambda: check_zonefile(" "), "zonefile", ["non-empty text of a BIND zone file"]),
        (
            lambda: check_zonefile("$ORIGIN example.org.\n", "example.com"),
            "zonefile",
            ["$ORIGIN example.org.", "it must be example.com."],
        ),
    ],
)
def test_each_error_names_the_field_and_what_is_wrong(
    call: Callable[[], object], field: str, fragments: list[str]
) -> None:
    refused_naming(call, field, fragments)
