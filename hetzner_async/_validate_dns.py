"""Pure input checks for DNS zones and their RRSets, run before any request.

Each rule mirrors one the API states (https://docs.hetzner.cloud/reference/cloud#zones and
https://docs.hetzner.cloud/reference/cloud#zone-rrsets); record values are checked only where it
is cheap and certain (addresses, field counts, TXT quoting). Anything stricter is left to the
API, whose ``invalid_input`` still reaches the caller.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from collections.abc import Sequence

from ._validate import check_id
from .errors import ValidationError
from .models.zone import ZoneMode, ZonePrimaryNameserver, ZoneRecord, ZoneRRSetType

__all__ = [
    "MAX_RECORDS_PER_ACTION",
    "MAX_TTL",
    "MIN_TTL",
    "check_primary_nameservers",
    "check_record_values",
    "check_records",
    "check_rrset_name",
    "check_rrset_type",
    "check_ttl",
    "check_zone_mode",
    "check_zone_name",
    "check_zonefile",
    "zone_segment",
]

#: "Must be in between 60s and 2147483647s" (zone default TTL and RRSet TTL alike).
MIN_TTL = 60
MAX_TTL = 2_147_483_647
#: ``minItems``/``maxItems`` of the records of set/add/remove/update_records.
MAX_RECORDS_PER_ACTION = 50
#: ``maxLength`` of a zone name.
MAX_ZONE_NAME = 255
#: A character-string in a TXT record holds at most 255 octets (RFC 1035 §3.3).
MAX_TXT_STRING = 255

# A zone name: lower-case RFC 1123 labels (Punycode for IDNs), at least two of them, no final dot.
_ZONE_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
# An RRSet name label: lower case, digits, '-' and '_' (for _dmarc, _acme-challenge, _sip._tcp).
# Looser than a host name on purpose: the spec states no rule on dashes, so the API decides.
_RRSET_LABEL = re.compile(r"^[a-z0-9_-]{1,63}$")
# One or more double-quoted character-strings separated by blanks; '\' escapes one character.
_TXT = re.compile(r'^"(?:[^"\\]|\\.)*"(?:[ \t]+"(?:[^"\\]|\\.)*")*$')
_TXT_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_TXT_CHAR = re.compile(r"\\\d{3}|\\.|[^\\]")
_ORIGIN = re.compile(r"^\$ORIGIN[ \t]+(\S+)", re.MULTILINE)
_TSIG_ALGORITHMS = frozenset({"hmac-md5", "hmac-sha1", "hmac-sha256"})
_TYPES = frozenset(ZoneRRSetType)


def check_zone_name(name: str, field: str = "name") -> str:
    """Require a zone name the API accepts: a lower-case domain without a final dot."""
    if not isinstance(name, str) or not name:
        raise ValidationError(field, "must be a non-empty domain name such as 'example.com'")
    if name.endswith("."):
        raise ValidationError(field, f"{name!r} must not end with a dot")
    if name != name.lower():
        raise ValidationError(field, f"{name!r} must be in lower case: {name.lower()!r}")
    if not name.isascii():
        raise ValidationError(
            field,
            f"{name!r} is not ASCII: write internationalized names in Punycode "
            "(e.g. 'xn--mnchen-3ya.de' for 'münchen.de')",
        )
    labels = name.split(".")
    if len(name) > MAX_ZONE_NAME or len(labels) < 2 or not all(map(_ZONE_LABEL.match, labels)):
        raise ValidationError(
            field,
            f"{name!r} is not a domain name: two or more dot-separated labels of letters, digits "
            "and inner dashes, 1-63 characters each, 255 in all",
        )
    if labels[-1].isdigit():
        raise ValidationError(field, f"{name!r} is an address, not a domain name")
    return name


def zone_segment(zone: int | str) -> str:
    """Return the path segment that addresses a zone: its ID, or its name as the API takes it.

    An ``int`` (or a string of digits) is an ID; any other string must be a valid zone name.
    """
    if isinstance(zone, str) and zone.isascii() and zone.isdigit():
        return str(check_id("zone", int(zone)))
    if isinstance(zone, str):
        return check_zone_name(zone, "zone")
    return str(check_id("zone", zone))


def check_zone_mode(mode: ZoneMode | str) -> ZoneMode:
    """Require ``primary`` or ``secondary``."""
    try:
        return ZoneMode(mode)
    except ValueError:
        raise ValidationError("mode", f"must be 'primary' or 'secondary', not {mode!r}") from None


def check_ttl(ttl: int, field: str = "ttl") -> int:
    """Require a TTL in seconds between 60 and 2147483647."""
    if isinstance(ttl, bool) or not isinstance(ttl, int) or not MIN_TTL <= ttl <= MAX_TTL:
        raise ValidationError(
            field, f"must be a whole number of seconds from {MIN_TTL} to {MAX_TTL}, got {ttl!r}"
        )
    return ttl


def check_rrset_name(name: str, zone: int | str | None = None) -> str:
    """Require an RRSet name relative to its zone: ``@`` for the apex, else lower-case labels.

    The leftmost label may be ``*`` (a wildcard). When the zone is given by name, a name that
    repeats it (``www.example.com`` in ``example.com``) is refused: the API wants ``www``.
    """
    if not isinstance(name, str) or not name:
        raise ValidationError("name", "must be '@' for the zone apex or a relative name like 'www'")
    if name == "@":
        return name
    if name.endswith("."):
        raise ValidationError("name", f"{name!r} must not end with a dot: names are relative")
    if name != name.lower():
        raise ValidationError("name", f"{name!r} must be in lower case: {name.lower()!r}")
    if isinstance(zone, str) and not zone.isdigit() and (name == zone or name.endswith(f".{zone}")):
        relative = name.removesuffix(zone).rstrip(".") or "@"
        raise ValidationError(
            "name", f"{name!r} repeats the zone name; names are relative: use {relative!r}"
        )
    labels = name.split(".")
    # A wildcard is a whole leftmost label: '*' or '*.dev', never 'a*'.
    tail = labels[1:] if labels[0] == "*" else labels
    if not name.isascii() or len(name) > MAX_ZONE_NAME or not all(map(_RRSET_LABEL.match, tail)):
        raise ValidationError(
            "name",
            f"{name!r} is not a relative DNS name: '@', or dot-separated labels of lower-case "
            "letters, digits, '-' and '_' (Punycode for non-ASCII); the first may be '*'",
        )
    return name


def check_rrset_type(type: ZoneRRSetType | str) -> ZoneRRSetType:
    """Require one of the RRSet types the API serves (upper case, as in ``"AAAA"``)."""
    if not isinstance(type, str) or type not in _TYPES:
        upper = str(type).upper()
        hint = f"; did you mean {upper!r}?" if upper in _TYPES else ""
        raise ValidationError(
            "type", f"must be one of {', '.join(sorted(_TYPES))}, not {type!r}{hint}"
        )
    return ZoneRRSetType(type)


def check_records(
    records: Sequence[ZoneRecord | str],
    *,
    field: str = "records",
    limit: int | None = MAX_RECORDS_PER_ACTION,
    need_comment: bool = False,
) -> list[ZoneRecord]:
    """Require a non-empty list of records with distinct values; strings become records."""
    if isinstance(records, str) or not isinstance(records, Sequence):
        raise ValidationError(field, "must be a list of records (ZoneRecord or value strings)")
    if not records:
        raise ValidationError(field, "must not be empty")
    if limit is not None and len(records) > limit:
        raise ValidationError(field, f"has {len(records)} records; at most {limit} per request")
    out = [ZoneRecord(value=r) if isinstance(r, str) else r for r in records]
    seen: set[str] = set()
    for index, record in enumerate(out):
        if not isinstance(record, ZoneRecord):
            raise ValidationError(f"{field}[{index}]", "must be a ZoneRecord or a value string")
        if not isinstance(record.value, str) or not record.value.strip():
            raise ValidationError(f"{field}[{index}].value", "must be a non-empty string")
        if need_comment and record.comment is None:
            raise ValidationError(f"{field}[{index}].comment", "is required here (the new comment)")
        if record.value in seen:
            raise ValidationError(f"{field}[{index}].value", f"{record.value!r} appears twice")
        seen.add(record.value)
    return out


def _fields(value: str, count: int, what: str) -> list[str]:
    parts = value.split()
    if len(parts) != count:
        raise ValueError(f"expected {what}")
    return parts


def _check_uint16(text: str) -> None:
    if not text.isdigit() or int(text) > 65535:
        raise ValueError(f"{text!r} is not a number from 0 to 65535")


def _check_value(type: ZoneRRSetType, value: str) -> None:
    """Raise ValueError with a reason if ``value`` is not a valid record of ``type``."""
    if type is ZoneRRSetType.A:
        ipaddress.IPv4Address(value)
    elif type is ZoneRRSetType.AAAA:
        ipaddress.IPv6Address(value)
    elif type is ZoneRRSetType.MX:
        priority, _ = _fields(value, 2, "'<priority> <mail server>', e.g. '10 mail.example.com.'")
        _check_uint16(priority)
    elif type is ZoneRRSetType.SRV:
        *numbers, _ = _fields(value, 4, "'<priority> <weight> <port> <target>'")
        for number in numbers:
            _check_uint16(number)
    elif type is ZoneRRSetType.CAA:
        parts = value.split(maxsplit=2)
        if len(parts) != 3 or not parts[0].isdigit() or int(parts[0]) > 255:
            raise ValueError("expected '<flags> <tag> \"<value>\"', e.g. '0 issue \"ca.example\"'")
    elif type is ZoneRRSetType.TXT:
        # Hetzner takes TXT data in zone-file form: quoted strings of up to 255 characters each.
        if not _TXT.match(value):
            raise ValueError("expected quoted strings like '\"v=spf1 -all\"' (ZoneRecord.txt)")
        for text in _TXT_STRING.findall(value):
            if len(_TXT_CHAR.findall(text)) > MAX_TXT_STRING:
                raise ValueError(f"a quoted string is longer than {MAX_TXT_STRING} characters")


def check_record_values(
    type: ZoneRRSetType, records: Sequence[ZoneRecord], field: str = "records"
) -> None:
    """Require record values that fit their type, where that is cheap to tell."""
    if type is ZoneRRSetType.CNAME and len(records) > 1:
        # RFC 1034 §3.6.2: a name with a CNAME has no other data, so one record at most.
        raise ValidationError(field, "a CNAME RRSet holds exactly one record")
    for index, record in enumerate(records):
        try:
            _check_value(type, record.value)
        except ValueError as error:
            raise ValidationError(
                f"{field}[{index}].value", f"{record.value!r} is not a valid {type} record: {error}"
            ) from None


def check_primary_nameservers(
    nameservers: Sequence[ZonePrimaryNameserver], field: str = "primary_nameservers"
) -> list[ZonePrimaryNameserver]:
    """Require primary nameservers with an IP address, a port, and a TSIG setting that fits."""
    if isinstance(nameservers, str) or not isinstance(nameservers, Sequence):
        raise ValidationError(field, "must be a list of ZonePrimaryNameserver")
    for index, server in enumerate(nameservers):
        where = f"{field}[{index}]"
        if not isinstance(server, ZonePrimaryNameserver):
            raise ValidationError(where, "must be a ZonePrimaryNameserver")
        try:
            ipaddress.ip_address(server.address)
        except ValueError:
            raise ValidationError(
                f"{where}.address", f"{server.address!r} is not an IPv4 or IPv6 address"
            ) from None
        if server.port is not None and (
            isinstance(server.port, bool) or not 1 <= server.port <= 65535
        ):
            raise ValidationError(f"{where}.port", f"must be from 1 to 65535, not {server.port!r}")
        if server.tsig_algorithm is not None and server.tsig_algorithm not in _TSIG_ALGORITHMS:
            raise ValidationError(
                f"{where}.tsig_algorithm", f"must be one of {', '.join(sorted(_TSIG_ALGORITHMS))}"
            )
        if server.tsig_key is not None:
            try:
                base64.b64decode(server.tsig_key, validate=True)
            except (binascii.Error, ValueError):
                # The key is a secret: say what is wrong without repeating it.
                raise ValidationError(f"{where}.tsig_key", "must be base64-encoded") from None
    return list(nameservers)


def check_zonefile(zonefile: str, zone: int | str | None = None) -> str:
    """Require a non-empty zone file whose ``$ORIGIN``, if any, is the zone's name plus a dot."""
    if not isinstance(zonefile, str) or not zonefile.strip():
        raise ValidationError("zonefile", "must be the non-empty text of a BIND zone file")
    if isinstance(zone, str) and not zone.isdigit():
        for origin in _ORIGIN.findall(zonefile):
            if origin.lower() != f"{zone}.":
                raise ValidationError(
                    "zonefile", f"$ORIGIN {origin} does not match the zone: it must be {zone}."
                )
    return zonefile
