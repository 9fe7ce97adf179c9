"""The edges of the certificate checks: domain name lengths and what each error tells."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hetzner_async._validate_cert import check_certificate_fields, check_domain_names

from .refusals import refused, refused_naming

CERT = "-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----\n"
KEY = "-----BEGIN PRIVATE KEY-----\nS3CR3T\n-----END PRIVATE KEY-----\n"
DOMAIN_253 = ".".join(["a" * 63] * 3 + ["a" * 61])


def uploaded(**kw: Any) -> None:
    fields: dict[str, Any] = {"certificate": CERT, "private_key": KEY, "domain_names": None}
    check_certificate_fields("uploaded", **{**fields, **kw})


def managed(**kw: Any) -> None:
    fields: dict[str, Any] = {"certificate": None, "private_key": None, "domain_names": ["a.io"]}
    check_certificate_fields("managed", **{**fields, **kw})


def test_a_253_character_domain_passes_and_254_does_not() -> None:
    assert check_domain_names([DOMAIN_253]) == [DOMAIN_253]
    error = refused(lambda: check_domain_names([DOMAIN_253 + "a"]))
    assert error.field == "domain_names"
    assert "is not a domain name" in error.message


@pytest.mark.parametrize("domain", [7, None, b"example.com"])
def test_a_domain_that_is_not_a_string_is_refused(domain: object) -> None:
    error = refused(lambda: check_domain_names([domain]))  # type: ignore[list-item]
    assert (error.field, repr(domain) in error.message) == ("domain_names", True)


@pytest.mark.parametrize(
    ("call", "field", "fragments"),
    [
        (lambda: check_domain_names([]), "domain_names", ["non-empty list"]),
        (lambda: check_domain_names("a.io"), "domain_names", ["non-empty list"]),
        (lambda: check_domain_names(["a b"]), "domain_names", ["'a b'", "not a domain name"]),
        (lambda: uploaded(certificate="MIIB"), "certificate", ["PEM format", "-----BEGIN"]),
        (lambda: uploaded(private_key="S3CR3T"), "private_key", ["PEM format", "-----BEGIN"]),
        (lambda: uploaded(certificate=" "), "certificate", ["non-empty"]),
        # One of the pair missing is named, and the message asks for both.
        (lambda: uploaded(certificate=None), "certificate", ["needs both", "(PEM)"]),
        (lambda: uploaded(private_key=None), "private_key", ["needs both", "(PEM)"]),
        (
            lambda: uploaded(domain_names=["a.io"]),
            "domain_names",
            ["only a managed certificate takes"],
        ),
        (lambda: managed(private_key=KEY), "private_key", ["managed", "issued by the API"]),
        (lambda: managed(certificate=CERT), "certificate", ["managed", "issued by the API"]),
        (lambda: managed(domain_names=None), "domain_names", ["managed certificate needs"]),
        (
            lambda: check_certificate_fields(
                "imported", certificate=None, private_key=None, domain_names=None
            ),
            "type",
            ["'imported'", "'uploaded' or 'managed'"],
        ),
    ],
)
def test_each_error_names_the_field_and_what_is_wrong(
    call: Callable[[], object], field: str, fragments: list[str]
) -> None:
    error = refused_naming(call, field, fragments)
    assert "S3CR3T" not in str(error)
