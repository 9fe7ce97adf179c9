"""The edges of the volume and IP checks, and what each of their errors names."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hetzner_async._validate_storage import (
    check_dns_ptr,
    check_ip_address,
    check_ip_type,
    check_volume_format,
    check_volume_name,
    check_volume_size,
)

from .refusals import refused, refused_naming


@pytest.mark.parametrize(
    ("call", "field", "fragments"),
    [
        (lambda: check_volume_name("db_"), "name", ["'db_'", "1-64", "ending with a letter"]),
        (lambda: check_volume_size("size", 10.5), "size", ["whole number", "10.5"]),
        # A bool is an int to Python, not a size to the API.
        (lambda: check_volume_size("size", True), "size", ["whole number", "True"]),
        (lambda: check_volume_size("size", "50"), "size", ["whole number", "'50'"]),
        (lambda: check_volume_size("size", 10241), "size", ["10241 GB", "10 to 10240 GB"]),
        (lambda: check_volume_size("size", 9.0), "size", ["9 GB", "10 to 10240 GB"]),
        (lambda: check_volume_format("ntfs"), "format", ["'ntfs'", "ext4", "xfs"]),
        (lambda: check_ip_type("ipv5"), "type", ["'ipv5'", "'ipv4' or 'ipv6'"]),
        (lambda: check_ip_address("ip", "10.0.0.0/8"), "ip", ["'10.0.0.0/8'", "single IPv4"]),
        (lambda: check_ip_address("ip", 167772161), "ip", ["167772161", "single IPv4"]),
        (lambda: check_ip_address("ip", None), "ip", ["None", "single IPv4"]),
        (lambda: check_dns_ptr(" "), "dns_ptr", ["host name", "or None to reset"]),
        (lambda: check_dns_ptr(7), "dns_ptr", ["host name"]),
    ],
)
def test_each_error_names_the_field_and_what_is_wrong(
    call: Callable[[], object], field: str, fragments: list[str]
) -> None:
    refused_naming(call, field, fragments)


@pytest.mark.parametrize("field", ["size", "volume.size"])
def test_the_size_error_names_the_field_it_was_given(field: str) -> None:
    assert refused(lambda: check_volume_size(field, 5)).field == field
