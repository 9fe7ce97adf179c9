"""Input checks for volumes and IPs: the API's documented rules, as tables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hetzner_async._validate_storage import (
    check_dns_ptr,
    check_ip_address,
    check_ip_type,
    check_volume_format,
    check_volume_name,
    check_volume_size,
)
from hetzner_async.errors import ValidationError

VALID: list[tuple[Callable[..., Any], tuple[Any, ...]]] = [
    (check_volume_name, ("db",)),
    (check_volume_name, ("a",)),
    (check_volume_name, ("database-storage_1.v2",)),
    (check_volume_name, ("x" * 64,)),
    (check_volume_name, ("A9",)),
    (check_volume_size, ("size", 10)),
    (check_volume_size, ("size", 10240)),
    (check_volume_size, ("size", 100.0)),
    (check_volume_format, ("xfs",)),
    (check_volume_format, ("ext4",)),
    (check_ip_type, ("ipv4",)),
    (check_ip_type, ("ipv6",)),
    (check_ip_address, ("ip", "203.0.113.1")),
    (check_ip_address, ("ip", "2001:db8::1")),
    (check_dns_ptr, ("server.example.com",)),
    (check_dns_ptr, (None,)),
]

INVALID: list[tuple[Callable[..., Any], tuple[Any, ...], str]] = [
    (check_volume_name, ("",), "name"),
    (check_volume_name, ("-db",), "name"),
    (check_volume_name, ("db_",), "name"),
    (check_volume_name, (".db",), "name"),
    (check_volume_name, ("data base",), "name"),
    (check_volume_name, ("x" * 65,), "name"),
    (check_volume_name, ("dätä",), "name"),
    (check_volume_size, ("size", 9), "size"),
    (check_volume_size, ("size", 10241), "size"),
    (check_volume_size, ("size", 0), "size"),
    (check_volume_size, ("size", -50), "size"),
    (check_volume_size, ("size", 10.5), "size"),
    (check_volume_size, ("size", True), "size"),
    (check_volume_size, ("size", "50"), "size"),
    (check_volume_format, ("ntfs",), "format"),
    (check_volume_format, ("XFS",), "format"),
    (check_ip_type, ("ipv5",), "type"),
    (check_ip_type, ("IPv4",), "type"),
    (check_ip_address, ("ip", "2001:db8::/64"), "ip"),
    (check_ip_address, ("ip", "203.0.113.0/24"), "ip"),
    (check_ip_address, ("ip", "example.com"), "ip"),
    (check_ip_address, ("ip", 3405803777), "ip"),
    (check_dns_ptr, ("",), "dns_ptr"),
    (check_dns_ptr, ("  ",), "dns_ptr"),
]


def _id(check: Callable[..., Any], args: tuple[Any, ...]) -> str:
    """Name a row by its call, in plain ASCII so that the id can be run by name (mutmut does).

    ``::`` (IPv6) would split the node id, and pytest escapes a non-ASCII id once more on every
    collection in the same process.
    """
    name = f"{check.__name__}{args!r}"[:60].replace("::", ": :")
    return "".join(c if c.isascii() else f"<U+{ord(c):04X}>" for c in name)


@pytest.mark.parametrize(("check", "args"), VALID, ids=[_id(c, a) for c, a in VALID])
def test_accepts(check: Callable[..., Any], args: tuple[Any, ...]) -> None:
    assert check(*args) == args[-1]


@pytest.mark.parametrize(
    ("check", "args", "field"), INVALID, ids=[_id(c, a) for c, a, _ in INVALID]
)
def test_rejects_with_the_field_named(
    check: Callable[..., Any], args: tuple[Any, ...], field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        check(*args)
    assert raised.value.field == field
