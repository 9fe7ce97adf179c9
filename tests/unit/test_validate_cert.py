"""Client-side checks of certificate input: which fields each type takes, and domain names."""

from __future__ import annotations

from typing import Any

import pytest

from hetzner_async._validate_cert import check_certificate_fields, check_domain_names
from hetzner_async.errors import ValidationError

CERT = "-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----\n"
KEY = "-----BEGIN PRIVATE KEY-----\nS3CR3T-KEY-MATERIAL\n-----END PRIVATE KEY-----\n"


@pytest.mark.parametrize(
    "domains",
    [
        ["example.com"],
        ["*.example.com", "example.com"],
        ["a.b.c.example.co.uk"],
        ["xn--bcher-kva.de"],
    ],
)
def test_valid_domain_names(domains: list[str]) -> None:
    assert check_domain_names(domains) == domains


@pytest.mark.parametrize(
    "domains",
    [
        [],
        "example.com",
        [""],
        ["exa mple.com"],
        ["-a.example.com"],
        ["a.*.example.com"],
        ["x" * 254],
    ],
)
def test_invalid_domain_names(domains: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        check_domain_names(domains)
    assert raised.value.field == "domain_names"


@pytest.mark.parametrize(
    ("type", "fields"),
    [
        ("uploaded", {"certificate": CERT, "private_key": KEY, "domain_names": None}),
        ("managed", {"certificate": None, "private_key": None, "domain_names": ["example.com"]}),
    ],
)
def test_each_type_with_its_fields(type: str, fields: dict[str, Any]) -> None:
    check_certificate_fields(type, **fields)


@pytest.mark.parametrize(
    ("type", "fields", "field"),
    [
        (
            "uploaded",
            {"certificate": CERT, "private_key": None, "domain_names": None},
            "private_key",
        ),
        (
            "uploaded",
            {"certificate": None, "private_key": KEY, "domain_names": None},
            "certificate",
        ),
        (
            "uploaded",
            {"certificate": "MIIB", "private_key": KEY, "domain_names": None},
            "certificate",
        ),
        (
            "uploaded",
            {"certificate": CERT, "private_key": "S3CR3T", "domain_names": None},
            "private_key",
        ),
        ("uploaded", {"certificate": CERT, "private_key": "", "domain_names": None}, "private_key"),
        (
            "uploaded",
            {"certificate": CERT, "private_key": KEY, "domain_names": ["example.com"]},
            "domain_names",
        ),
        (
            "managed",
            {"certificate": None, "private_key": None, "domain_names": None},
            "domain_names",
        ),
        ("managed", {"certificate": None, "private_key": None, "domain_names": []}, "domain_names"),
        (
            "managed",
            {"certificate": None, "private_key": KEY, "domain_names": ["example.com"]},
            "private_key",
        ),
        (
            "managed",
            {"certificate": CERT, "private_key": None, "domain_names": ["example.com"]},
            "certificate",
        ),
        ("letsencrypt", {"certificate": None, "private_key": None, "domain_names": None}, "type"),
    ],
)
def test_fields_that_do_not_fit_the_type(type: str, fields: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        check_certificate_fields(type, **fields)
    assert raised.value.field == field
    # Whatever went wrong, the message never quotes key material or the certificate.
    assert "S3CR3T" not in str(raised.value)
    assert "MIIB" not in str(raised.value)
