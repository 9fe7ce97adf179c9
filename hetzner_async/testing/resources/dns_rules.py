"""The rules of zone names, RRSet names and types, TTLs, records and primary nameservers.

The same rules as the SDK's ``hetzner_async/_validate_dns.py`` (a test keeps the two in
step), answered as the API answers: ``invalid_input`` naming the field. Record values are
checked only where it is cheap and certain (addresses, field counts, TXT quoting).
https://docs.hetzner.cloud/reference/cloud#zones and #zone-rrsets
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from typing import Any

from ..core import Json
from ..errors import invalid_input
from ..labels import label_errors

__all__ = [
    "ASSIGNED",
    "MAX_RECORDS_PER_ACTION",
    "TYPES",
    "check_ttl",
    "check_type",
    "check_values",
    "parse_nameservers",
    "parse_records",
    "parse_rrset",
    "rrset_name_problem",
    "value_problem",
    "zone_name_problem",
]

TYPES = (
    "A",
    "AAAA",
    "CAA",
    "CNAME",
    "DS",
    "HINFO",
    "HTTPS",
    "MX",
    "NS",
    "PTR",
    "RP",
    "SOA",
    "SRV",
    "SVCB",
    "TLSA",
    "TXT",
)
MIN_TTL, MAX_TTL = 60, 2_147_483_647
#: ``maxItems`` of set/add/remove/update_records.
MAX_RECORDS_PER_ACTION = 50
MAX_NAME = 255
#: The authoritative nameservers Hetzner assigns, by zone mode: its DNS nameservers for primary
#: zones, its secondary nameservers (which transfer from yours) for secondary zones.
ASSIGNED = {
    "primary": ["hydrogen.ns.hetzner.com.", "oxygen.ns.hetzner.com.", "helium.ns.hetzner.de."],
    "secondary": ["ns1.first-ns.de.", "robotns2.second-ns.de.", "robotns3.second-ns.com."],
}
_ZONE_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_RRSET_LABEL = re.compile(r"^[a-z0-9_-]{1,63}$")
_TXT = re.compile(r'^"(?:[^"\\]|\\.)*"(?:[ \t]+"(?:[^"\\]|\\.)*")*$')
_TXT_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_TXT_CHAR = re.compile(r"\\\d{3}|\\.|[^\\]")
_TSIG_ALGORITHMS = ("hmac-md5", "hmac-sha1", "hmac-sha256")


def zone_name_problem(name: str) -> str | None:
    """Say what is wrong with a zone name: a lower-case domain without a final dot."""
    if not name:
        return "must not be empty"
    if name.endswith("."):
        return "must not end with a dot"
    if name != name.lower():
        return "must be in lower case"
    if not name.isascii():
        return "must be ASCII (Punycode for internationalized names)"
    labels = name.split(".")
    if len(name) > MAX_NAME or len(labels) < 2 or not all(map(_ZONE_LABEL.match, labels)):
        return "is not a domain name"
    if labels[-1].isdigit():
        return "is an address, not a domain name"
    return None


def rrset_name_problem(name: str, zone: str) -> str | None:
    """Say what is wrong with an RRSet name relative to ``zone`` (``@`` is the apex)."""
    if name == "@":
        return None
    if not name:
        return "must be '@' for the zone apex or a relative name"
    if name.endswith("."):
        return "must not end with a dot"
    if name != name.lower():
        return "must be in lower case"
    if name == zone or name.endswith(f".{zone}"):
        return "must not end with the zone name"
    labels = name.split(".")
    tail = labels[1:] if labels[0] == "*" else labels
    if not name.isascii() or len(name) > MAX_NAME or not all(map(_RRSET_LABEL.match, tail)):
        return "is not a relative DNS name"
    return None


def check_type(value: Any, field: str = "type") -> str:
    """Return an RRSet type the API serves, or raise ``invalid_input``."""
    if not isinstance(value, str) or value not in TYPES:
        raise invalid_input({field: [f"must be one of {', '.join(TYPES)}"]})
    return value


def check_ttl(value: Any, field: str = "ttl", *, nullable: bool = False) -> int | None:
    """Return a TTL from 60 to 2147483647 seconds (or None when ``nullable``)."""
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_TTL <= value <= MAX_TTL:
        raise invalid_input({field: [f"must be an integer from {MIN_TTL} to {MAX_TTL}"]})
    return value


def parse_records(
    raw: Any, field: str = "records", *, limit: int | None = None, need_comment: bool = False
) -> list[Json]:
    """Return the records of a body: a non-empty list of ``{value, comment?}``, values distinct."""
    if not isinstance(raw, list) or not raw:
        raise invalid_input({field: ["must be a non-empty list of records"]})
    if limit is not None and len(raw) > limit:
        raise invalid_input({field: [f"must hold at most {limit} records"]})
    records: list[Json] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        where = f"{field}[{index}]"
        if not isinstance(item, dict):
            raise invalid_input({where: ["must be an object"]})
        value, comment = item.get("value"), item.get("comment")
        if not isinstance(value, str) or not value.strip():
            raise invalid_input({f"{where}.value": ["must be a non-empty string"]})
        if comment is not None and not isinstance(comment, str):
            raise invalid_input({f"{where}.comment": ["must be a string"]})
        if need_comment and comment is None:
            raise invalid_input({f"{where}.comment": ["is required"]})
        if value in seen:
            raise invalid_input({f"{where}.value": ["must be distinct"]})
        seen.add(value)
        record: Json = {"value": value}
        if comment is not None:
            record["comment"] = comment
        records.append(record)
    return records


def _uint16(text: str) -> None:
    if not text.isdigit() or int(text) > 65535:
        raise ValueError("expected a number from 0 to 65535")


def _fields(value: str, count: int) -> list[str]:
    parts = value.split()
    if len(parts) != count:
        raise ValueError(f"expected {count} fields")
    return parts


def _check(kind: str, value: str) -> None:
    if kind == "A":
        ipaddress.IPv4Address(value)
    elif kind == "AAAA":
        ipaddress.IPv6Address(value)
    elif kind == "MX":
        _uint16(_fields(value, 2)[0])
    elif kind == "SRV":
        for number in _fields(value, 4)[:3]:
            _uint16(number)
    elif kind == "CAA":
        parts = value.split(maxsplit=2)
        if len(parts) != 3 or not parts[0].isdigit() or int(parts[0]) > 255:
            raise ValueError("expected '<flags> <tag> \"<value>\"'")
    elif kind == "TXT":
        if not _TXT.match(value):
            raise ValueError("expected quoted strings")
        for text in _TXT_STRING.findall(value):
            if len(_TXT_CHAR.findall(text)) > 255:
                raise ValueError("a quoted string is longer than 255 characters")
    elif kind == "SOA":
        parts = _fields(value, 7)
        if not all(part.isdigit() for part in parts[2:]):
            raise ValueError("expected '<mname> <rname> <serial> <refresh> <retry> <expire> <min>'")


def value_problem(kind: str, value: str) -> str | None:
    """Say what is wrong with a record value of this type (None if nothing cheap to tell)."""
    try:
        _check(kind, value)
    except ValueError as exc:
        return f"is not a valid {kind} record: {exc}"
    return None


def check_values(kind: str, records: list[Json], field: str = "records") -> None:
    """Refuse record values that do not fit their type, and a CNAME with several records."""
    if kind == "CNAME" and len(records) > 1:
        raise invalid_input({field: ["a CNAME RRSet holds exactly one record"]})
    if kind == "SOA" and len(records) > 1:
        raise invalid_input({field: ["an SOA RRSet holds exactly one record"]})
    for index, record in enumerate(records):
        problem = value_problem(kind, record["value"])
        if problem is not None:
            raise invalid_input({f"{field}[{index}].value": [problem]})


def parse_nameservers(raw: Any, field: str = "primary_nameservers") -> list[Json]:
    """Return primary nameservers: an address, a port (53 by default), TSIG key and algorithm."""
    if not isinstance(raw, list) or not raw:
        raise invalid_input({field: ["must be a non-empty list of nameservers"]})
    servers: list[Json] = []
    for index, item in enumerate(raw):
        where = f"{field}[{index}]"
        if not isinstance(item, dict):
            raise invalid_input({where: ["must be an object"]})
        address, port = item.get("address"), item.get("port", 53)
        try:
            ipaddress.ip_address(address if isinstance(address, str) else "")
        except ValueError:
            raise invalid_input({f"{where}.address": ["must be an IPv4 or IPv6 address"]}) from None
        if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
            raise invalid_input({f"{where}.port": ["must be from 1 to 65535"]})
        server: Json = {"address": address, "port": port}
        algorithm, key = item.get("tsig_algorithm"), item.get("tsig_key")
        if algorithm is not None:
            if algorithm not in _TSIG_ALGORITHMS:
                choices = ", ".join(_TSIG_ALGORITHMS)
                raise invalid_input({f"{where}.tsig_algorithm": [f"must be one of {choices}"]})
            server["tsig_algorithm"] = algorithm
        if key is not None:
            try:
                base64.b64decode(key if isinstance(key, str) else "-", validate=True)
            except (binascii.Error, ValueError):
                raise invalid_input({f"{where}.tsig_key": ["must be base64-encoded"]}) from None
            server["tsig_key"] = key
        servers.append(server)
    return servers


def parse_rrset(item: Any, zone: str, where: str = "") -> Json:
    """Return a new RRSet's ``name``, ``type``, ``ttl``, ``records`` and ``labels``, checked."""
    prefix = f"{where}." if where else ""
    if not isinstance(item, dict):
        raise invalid_input({where or "rrset": ["must be an object"]})
    name = item.get("name")
    if not isinstance(name, str):
        raise invalid_input({f"{prefix}name": ["is required"]})
    problem = rrset_name_problem(name, zone)
    if problem is not None:
        raise invalid_input({f"{prefix}name": [problem]})
    kind = check_type(item.get("type"), f"{prefix}type")
    ttl = check_ttl(item.get("ttl"), f"{prefix}ttl", nullable=True)
    records = parse_records(item.get("records"), f"{prefix}records")
    check_values(kind, records, f"{prefix}records")
    labels = item.get("labels")
    if labels is not None:
        problems = label_errors(labels)
        if problems:
            raise invalid_input({f"{prefix}labels": problems})
    return {"name": name, "type": kind, "ttl": ttl, "records": records, "labels": labels or {}}
