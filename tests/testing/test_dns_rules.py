"""The fake and the SDK agree on DNS names and record values (and certificate domains).

The fake answers ``invalid_input`` exactly where the SDK refuses before sending, so a test
that passes against the fake does not meet an SDK-side refusal, nor the other way round.
"""

from collections.abc import Callable

import pytest

from hetzner_async._validate_cert import check_domain_names
from hetzner_async._validate_dns import (
    check_record_values,
    check_rrset_name,
    check_ttl,
    check_zone_name,
)
from hetzner_async.errors import ValidationError
from hetzner_async.models import ZoneRecord, ZoneRRSetType
from hetzner_async.testing.errors import ApiError
from hetzner_async.testing.resources import certificates, dns_rules

ZONE_NAMES = [
    "example.com",
    "example.co.uk",
    "xn--mnchen-3ya.de",
    "a-b.example",
    "Example.com",
    "example.com.",
    "localhost",
    "münchen.de",
    "192.0.2.1",
    "-bad.com",
    "bad-.com",
    "a..com",
    "x" * 64 + ".com",
    ("a" * 63 + ".") * 4 + "com",
    "",
]
RRSET_NAMES = [
    "@",
    "www",
    "*",
    "*.dev",
    "_dmarc",
    "_sip._tcp",
    "xn--4bi",
    "a.b.c",
    "WWW",
    "www.",
    "www.example.com",
    "example.com",
    "a*",
    "*.*",
    "a b",
    "ä",
    "",
    "a" * 64,
    "a..b",
]
VALUES = [
    ("A", "192.0.2.1"),
    ("A", "2001:db8::1"),
    ("A", "300.1.1.1"),
    ("AAAA", "2001:db8::1"),
    ("AAAA", "192.0.2.1"),
    ("MX", "10 mail.example.com."),
    ("MX", "mail.example.com."),
    ("MX", "65536 mail."),
    ("SRV", "10 5 5060 sip.example.com."),
    ("SRV", "10 5 sip."),
    ("CAA", '0 issue "letsencrypt.org"'),
    ("CAA", "256 issue x"),
    ("CAA", "0 issue"),
    ("TXT", '"v=spf1 -all"'),
    ("TXT", '"a" "b"'),
    ("TXT", "v=spf1"),
    ("TXT", '"' + "x" * 255 + '"'),
    ("TXT", '"' + "x" * 256 + '"'),
    ("TXT", '"\\"quoted\\""'),
    ("CNAME", "www.example.com."),
    ("NS", "ns1.example.com."),
    ("PTR", "host.example.com."),
    ("TLSA", "3 1 1 abcdef"),
]
DOMAINS = ["example.com", "*.example.com", "a.b.example.com", "bad domain", "-x.com", "a" * 254]


def fake_refuses(check: Callable[..., object], *args: object) -> bool:
    """Whether the fake's rule refuses: it raises ``invalid_input`` or names a problem."""
    try:
        result = check(*args)
    except ApiError:
        return True
    return isinstance(result, str)


def sdk_refuses(check: Callable[..., object], *args: object) -> bool:
    try:
        check(*args)
    except ValidationError:
        return True
    return False


@pytest.mark.parametrize("name", ZONE_NAMES)
def test_zone_names(name: str) -> None:
    assert fake_refuses(dns_rules.zone_name_problem, name) == sdk_refuses(check_zone_name, name)


@pytest.mark.parametrize("name", RRSET_NAMES)
def test_rrset_names(name: str) -> None:
    fake = fake_refuses(dns_rules.rrset_name_problem, name, "example.com")
    assert fake == sdk_refuses(check_rrset_name, name, "example.com")


@pytest.mark.parametrize(("kind", "value"), VALUES)
def test_record_values(kind: str, value: str) -> None:
    fake = fake_refuses(dns_rules.check_values, kind, [{"value": value}])
    sdk = sdk_refuses(check_record_values, ZoneRRSetType(kind), [ZoneRecord(value)])
    assert fake == sdk


def test_a_cname_holds_one_record() -> None:
    two = [{"value": "a."}, {"value": "b."}]
    assert fake_refuses(dns_rules.check_values, "CNAME", two)
    sdk_two = [ZoneRecord("a."), ZoneRecord("b.")]
    assert sdk_refuses(check_record_values, ZoneRRSetType.CNAME, sdk_two)


@pytest.mark.parametrize("ttl", [59, 60, 3600, 2_147_483_647, 2_147_483_648, True, "60"])
def test_ttls(ttl: object) -> None:
    assert fake_refuses(dns_rules.check_ttl, ttl) == sdk_refuses(check_ttl, ttl)


def test_types_are_the_sdks() -> None:
    assert set(dns_rules.TYPES) == {t.value for t in ZoneRRSetType}


@pytest.mark.parametrize("domain", DOMAINS)
def test_certificate_domains(domain: str) -> None:
    fake = not certificates._DOMAIN.match(domain) or len(domain) > certificates._MAX_DOMAIN
    assert fake == sdk_refuses(check_domain_names, [domain])
