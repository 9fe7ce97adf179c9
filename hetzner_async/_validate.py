"""Pure input checks run before any request, so bad input fails fast with a clear message.

Each rule mirrors one the API enforces; where the API is stricter than what is checked here, the
API's own ``invalid_input`` still reaches the caller.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .errors import ValidationError

if TYPE_CHECKING:
    from .models import FirewallRule

__all__ = [
    "check_firewall_name",
    "check_firewall_rules",
    "check_id",
    "check_labels",
    "check_not_empty",
    "check_server_name",
    "check_user_data",
]

#: "This field is limited to 32KiB." (https://docs.hetzner.cloud/reference/cloud#servers)
MAX_USER_DATA_BYTES = 32 * 1024
#: Name length, rules per firewall, CIDRs per rule, description length
#: (https://docs.hetzner.cloud/reference/cloud#firewalls).
MAX_FIREWALL_NAME = 128
MAX_FIREWALL_RULES = 50
MAX_RULE_IPS = 100
MAX_RULE_DESCRIPTION = 255

# RFC 1123 host names: dot-separated labels of letters, digits and inner dashes, 63 chars each.
_HOST_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
# Label rules from https://docs.hetzner.cloud/reference/cloud#labels (regexes as in hcloud-python).
_LABEL_KEY = re.compile(
    r"^([a-z0-9A-Z]((?:[\-_.]|[a-z0-9A-Z]){0,253}[a-z0-9A-Z])?/)?"
    r"[a-z0-9A-Z]((?:[\-_.]|[a-z0-9A-Z]){0,61}[a-z0-9A-Z])?$"
)
_LABEL_VALUE = re.compile(r"^(([a-z0-9A-Z](?:[\-_.]|[a-z0-9A-Z]){0,61})?[a-z0-9A-Z]$|$)")
_RESERVED_LABEL_PREFIX = "hetzner.cloud/"
_PORT = re.compile(r"^(\d{1,5})(?:-(\d{1,5}))?$")
_PORT_PROTOCOLS = frozenset({"tcp", "udp"})
_PROTOCOLS = frozenset({"tcp", "udp", "icmp", "esp", "gre"})
_DIRECTIONS = frozenset({"in", "out"})


def check_id(field: str, value: object) -> int:
    """Require a positive integer resource ID."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationError(field, f"must be a positive integer ID, got {value!r}")
    return value


def check_not_empty(field: str, value: str) -> str:
    """Require a non-empty string."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(field, "must be a non-empty string")
    return value


def check_server_name(name: str) -> str:
    """Require a valid RFC 1123 host name, as the API does for server names."""
    check_not_empty("name", name)
    if len(name) > 253 or not all(_HOST_LABEL.match(label) for label in name.split(".")):
        raise ValidationError(
            "name",
            f"{name!r} is not a valid RFC 1123 host name (letters, digits, dashes and dots; "
            "each dot-separated part 1-63 characters, not starting or ending with a dash)",
        )
    return name


def check_labels(labels: Mapping[str, str]) -> Mapping[str, str]:
    """Require label keys and values the API accepts."""
    if not isinstance(labels, Mapping):
        raise ValidationError("labels", "must be a mapping of strings to strings")
    for key, value in labels.items():
        if not isinstance(key, str) or not _LABEL_KEY.match(key):
            raise ValidationError(
                "labels",
                f"key {key!r} is invalid: an optional DNS-subdomain prefix and '/', then up to 63 "
                "letters, digits, '-', '_' or '.', starting and ending alphanumeric",
            )
        if key.startswith(_RESERVED_LABEL_PREFIX):
            raise ValidationError(
                "labels", f"key {key!r} uses the reserved prefix 'hetzner.cloud/'"
            )
        if not isinstance(value, str) or not _LABEL_VALUE.match(value):
            raise ValidationError(
                "labels",
                f"value {value!r} of key {key!r} is invalid: empty, or up to 63 letters, digits, "
                "'-', '_' or '.', starting and ending alphanumeric",
            )
    return labels


def check_user_data(user_data: str) -> str:
    """Require cloud-init user data of at most 32 KiB."""
    size = len(user_data.encode("utf-8"))
    if size > MAX_USER_DATA_BYTES:
        raise ValidationError(
            "user_data", f"is {size} bytes; the API accepts at most {MAX_USER_DATA_BYTES} (32 KiB)"
        )
    return user_data


def check_firewall_name(name: str) -> str:
    """Require a firewall name of at most 128 characters."""
    check_not_empty("name", name)
    if len(name) > MAX_FIREWALL_NAME:
        raise ValidationError("name", f"is {len(name)} characters; at most {MAX_FIREWALL_NAME}")
    return name


def _check_port(where: str, protocol: str, port: str | None) -> None:
    if protocol not in _PORT_PROTOCOLS:
        if port is not None:
            raise ValidationError(
                f"{where}.port", f"only tcp and udp rules take a port, not {protocol}"
            )
        return
    if port is None:
        raise ValidationError(f"{where}.port", f"a {protocol} rule needs a port, a range or 'any'")
    if port == "any":
        return
    match = _PORT.match(port)
    if match:
        low, high = int(match.group(1)), int(match.group(2) or match.group(1))
        if 1 <= low <= high <= 65535:
            return
    raise ValidationError(
        f"{where}.port", f"{port!r} is not a port (1-65535), a range like '1024-5000', or 'any'"
    )


def _check_ips(field: str, ips: Sequence[str]) -> None:
    if len(ips) > MAX_RULE_IPS:
        raise ValidationError(field, f"has {len(ips)} entries; at most {MAX_RULE_IPS}")
    for ip in ips:
        try:
            ipaddress.ip_network(ip, strict=False)
        except ValueError:
            raise ValidationError(field, f"{ip!r} is not an IP network in CIDR notation") from None


def check_firewall_rules(rules: Sequence[FirewallRule]) -> Sequence[FirewallRule]:
    """Require rules the API accepts: direction, protocol, port and IPs that fit together."""
    if len(rules) > MAX_FIREWALL_RULES:
        raise ValidationError("rules", f"has {len(rules)} rules; at most {MAX_FIREWALL_RULES}")
    for index, rule in enumerate(rules):
        where = f"rules[{index}]"
        if rule.direction not in _DIRECTIONS:
            raise ValidationError(
                f"{where}.direction", f"must be 'in' or 'out', not {rule.direction!r}"
            )
        if rule.protocol not in _PROTOCOLS:
            raise ValidationError(
                f"{where}.protocol", f"must be one of {sorted(_PROTOCOLS)}, not {rule.protocol!r}"
            )
        _check_port(where, rule.protocol, rule.port)
        if rule.direction == "in" and rule.destination_ips:
            raise ValidationError(f"{where}.destination_ips", "an 'in' rule takes source_ips only")
        if rule.direction == "out" and rule.source_ips:
            raise ValidationError(f"{where}.source_ips", "an 'out' rule takes destination_ips only")
        _check_ips(f"{where}.source_ips", rule.source_ips)
        _check_ips(f"{where}.destination_ips", rule.destination_ips)
        if rule.description is not None and len(rule.description) > MAX_RULE_DESCRIPTION:
            raise ValidationError(
                f"{where}.description", f"is longer than {MAX_RULE_DESCRIPTION} characters"
            )
    return rules
