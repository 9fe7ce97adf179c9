"""Pure input checks for volumes, Primary IPs and Floating IPs, run before any request.

Each rule mirrors one the API documents; where the API is stricter, its ``invalid_input`` still
reaches the caller.
"""

from __future__ import annotations

import ipaddress
import re

from .errors import ValidationError

__all__ = [
    "MAX_VOLUME_SIZE",
    "MIN_VOLUME_SIZE",
    "VOLUME_FORMATS",
    "check_dns_ptr",
    "check_ip_address",
    "check_ip_type",
    "check_volume_format",
    "check_volume_name",
    "check_volume_size",
]

#: "The minimum Volume size is 10GB and the maximum size is 10TB (10240GB)."
#: (https://docs.hetzner.cloud/reference/cloud#volumes-create-a-volume)
MIN_VOLUME_SIZE = 10
MAX_VOLUME_SIZE = 10240
#: "Format Volume after creation. One of: `xfs`, `ext4`."
VOLUME_FORMATS = frozenset({"xfs", "ext4"})
#: Names of alphanumerics, dashes, underscores and dots, starting and ending alphanumeric, at
#: most 64 characters (same section).
_VOLUME_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?$")
_IP_TYPES = frozenset({"ipv4", "ipv6"})


def check_volume_name(name: str) -> str:
    """Require a volume name the API accepts."""
    if not isinstance(name, str) or not _VOLUME_NAME.match(name):
        raise ValidationError(
            "name",
            f"{name!r} is not a volume name: 1-64 letters, digits, '-', '_' or '.', starting "
            "and ending with a letter or digit",
        )
    return name


def check_volume_size(field: str, size: float) -> float:
    """Require a size in GB between 10 and 10240 (a whole number, as the API sizes volumes)."""
    if isinstance(size, bool) or not isinstance(size, int | float) or size != int(size):
        raise ValidationError(field, f"must be a whole number of GB, got {size!r}")
    if not MIN_VOLUME_SIZE <= size <= MAX_VOLUME_SIZE:
        raise ValidationError(
            field, f"is {size:g} GB; volumes are {MIN_VOLUME_SIZE} to {MAX_VOLUME_SIZE} GB"
        )
    return size


def check_volume_format(format: str) -> str:
    """Require one of the filesystems the API formats volumes with."""
    if format not in VOLUME_FORMATS:
        raise ValidationError("format", f"must be one of {sorted(VOLUME_FORMATS)}, not {format!r}")
    return format


def check_ip_type(type: str) -> str:
    """Require ``ipv4`` or ``ipv6``."""
    if type not in _IP_TYPES:
        raise ValidationError("type", f"must be 'ipv4' or 'ipv6', not {type!r}")
    return type


def check_ip_address(field: str, ip: str) -> str:
    """Require a single IPv4 or IPv6 address (not a network)."""
    try:
        if not isinstance(ip, str):
            raise ValueError(ip)
        ipaddress.ip_address(ip)
    except ValueError:
        raise ValidationError(field, f"{ip!r} is not a single IPv4 or IPv6 address") from None
    return ip


def check_dns_ptr(dns_ptr: str | None) -> str | None:
    """Require a non-empty host name for a PTR record, or None (reset or remove it)."""
    if dns_ptr is not None and (not isinstance(dns_ptr, str) or not dns_ptr.strip()):
        raise ValidationError("dns_ptr", "must be a host name, or None to reset the record")
    return dns_ptr
